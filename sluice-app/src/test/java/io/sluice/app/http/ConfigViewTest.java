package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.app.TestSinks;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigViewTest {
    private static PipelineConfig config(String password) {
        MySqlSourceConfig src = MySqlSourceConfig.builder()
                .name("shop")
                .host("db.example")
                .port(3307)
                .user("cdc")
                .password(password)
                .serverId(4242)
                .include(List.of("shop.*"))
                .exclude(List.of("shop.tmp"))
                .start(new StartPosition.At("mysql-bin.000001", 4))
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return PipelineConfig.builder()
                .name("shop")
                .source(src)
                .sink(TestSinks.file(Path.of("/data/out"), 1 << 20, false))
                .state(Path.of("/data/state"))
                .batch(new BatchPolicy(500, 1 << 20, 50))
                .queueEvents(4096)
                .file(Path.of("/etc/sluice/shop.yaml"))
                .build();
    }

    @Test
    void showsEverySettingWithThePasswordHidden() {
        JsonNode c = ConfigView.of(config("hunter2"));
        assertThat(c.toString()).doesNotContain("hunter2");
        assertThat(c.at("/source/password").asText()).isEqualTo("****");
        assertThat(c.at("/source/host").asText()).isEqualTo("db.example");
        assertThat(c.at("/source/port").asInt()).isEqualTo(3307);
        assertThat(c.at("/source/serverId").asLong()).isEqualTo(4242);
        assertThat(c.at("/source/include/0").asText()).isEqualTo("shop.*");
        assertThat(c.at("/source/connectTimeout").asText()).isEqualTo("PT5S");
        assertThat(c.at("/queueEvents").asInt()).isEqualTo(4096);
        assertThat(c.at("/file").asText()).isEqualTo("/etc/sluice/shop.yaml");
    }

    @Test
    void theSinkShowsItsTypeNameAndItsOutputDirectoryAsPlainValues() {
        JsonNode sink = ConfigView.of(config("x")).at("/sink");
        assertThat(sink.at("/provider").asText()).isEqualTo("file");
        assertThat(sink.at("/outputDirectory").asText()).isEqualTo("/data/out");
        assertThat(sink.toString()).doesNotContain("Optional").doesNotContain("@");
    }

    @Test
    void anEmptyPasswordShowsEmpty() {
        assertThat(ConfigView.of(config("")).at("/source/password").asText()).isEmpty();
    }
}
