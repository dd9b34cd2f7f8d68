package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogsTest {
    @Test
    void jsonFormatWritesOneObjectPerLineWithThePipelineName() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(Logs.configure("json")).isTrue();
            MDC.put("pipeline", "shop");
            LoggerFactory.getLogger("io.sluice.test").info("connected to {}", "127.0.0.1:3306");
        } finally {
            MDC.remove("pipeline");
            System.setErr(original);
        }
        String line = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("connected to")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.toString()).contains("connected to 127.0.0.1:3306").contains("shop").contains("INFO");
    }

    @Test
    void unknownFormatsAreRefused() {
        assertThat(Logs.configure("xml")).isFalse();
        assertThat(Logs.configure("text")).isTrue();
    }
}
