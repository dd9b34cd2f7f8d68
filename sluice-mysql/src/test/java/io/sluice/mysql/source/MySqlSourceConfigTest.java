package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MySqlSourceConfigTest {

    private static MySqlSourceConfig withFile(Path file) {
        return MySqlSourceConfig.builder()
                .name("p")
                .host("db")
                .port(3306)
                .user("cdc")
                .password("pw")
                .serverId(1)
                .configFile(file)
                .build();
    }

    @Test
    void messagesNameThePipelineFileWhenItIsKnown() {
        assertThat(withFile(Path.of("/etc/sluice/orders.yaml")).configOption())
                .isEqualTo("--config /etc/sluice/orders.yaml");
        assertThat(withFile(Path.of("/srv/my pipelines/it's.yaml")).configOption())
                .isEqualTo("--config '/srv/my pipelines/it'\\''s.yaml'");
        assertThat(withFile(null).configOption()).isEqualTo("--config <pipeline file>");
        assertThat(withFile(Path.of("/etc/sluice/orders.yaml")).toString()).doesNotContain("pw");
    }
}
