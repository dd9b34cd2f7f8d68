package io.sluice.app;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Pipeline configurations for tests that build a {@code PipelineConfig} without a YAML file. */
public final class TestPipelines {
    private TestPipelines() {}

    /**
     * Pipeline {@code name}: a MariaDB source on {@code db.example:3306} capturing {@code shop.*} as {@code cdc} from
     * the latest position, the file sink into {@code out}, its state in {@code state}, the default batches; its file
     * {@code <name>.yaml} beside the state. The builder takes other values after.
     */
    public static PipelineConfig.Builder withFileSink(String name, Path state, Path out) {
        MySqlSourceConfig source = MySqlSourceConfig.builder()
                .name(name)
                .host("db.example")
                .port(3306)
                .user("cdc")
                .password("pw")
                .serverId(11)
                .include(List.of("shop.*"))
                .start(new StartPosition.Latest())
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return PipelineConfig.builder()
                .name(name)
                .source(source)
                .sink(TestSinks.file(out, 1 << 20, true))
                .state(state)
                .batch(BatchPolicy.DEFAULT)
                .queueEvents(1024)
                .file(state.resolveSibling(name + ".yaml"));
    }
}
