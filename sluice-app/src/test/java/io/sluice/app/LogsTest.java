package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
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
        String line = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("connected to"))
                .findFirst()
                .orElseThrow();
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.toString())
                .contains("connected to 127.0.0.1:3306")
                .contains("shop")
                .contains("INFO");
    }

    @Test
    void logsGoToStderrAtInfoWithTheDriversAtWarn() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDERR"))
                .isInstanceOfSatisfying(
                        ConsoleAppender.class,
                        console -> assertThat(console.getTarget()).isEqualTo("System.err"));
        assertThat(ctx.getLogger("org.mariadb.jdbc.client").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(ctx.getLogger("com.github.shyiko.mysql.binlog").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(ctx.getLogger("io.sluice.core.pipeline.Pipeline").getEffectiveLevel())
                .isEqualTo(Level.INFO);
    }

    @Test
    void unknownFormatsAreRefused() {
        assertThat(Logs.configure("xml")).isFalse();
        assertThat(Logs.configure("text")).isTrue();
    }
}
