package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.Pipelines;
import io.sluice.app.sinkspi.CollectingSinkProvider;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sink seam end to end: a pipeline file naming {@code sink.type: collect}, a sink the application knows only from
 * the tests' {@code META-INF/services}, runs through the application's composition root and the sink receives the
 * binlog's changes, committed, with no edit to the application.
 */
class SinkProviderIT {
    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void aSinkDeclaredOnlyInMetaInfServicesIsConfiguredByYamlAndReceivesTheChanges() throws Exception {
        Path dir = Harness.workDir("sink-provider");
        String db = server.createDatabase("spi");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, name VARCHAR(20))");
        String[] start = Harness.masterStatus(server);
        String source = Harness.sourceAt(server, 9491, db, start);
        Path file = Harness.writeConfig(dir, "spi", source, "sink:\n  type: collect\n  label: spi-it\n", null);
        PipelineConfig config = new ConfigLoader(Map.of()).load(file);
        Pipeline pipeline = Pipelines.build(config, Clock.systemUTC());
        pipeline.start();
        try {
            server.execute(
                    "INSERT INTO " + db + ".t VALUES (1, 'ada'), (2, 'grace')",
                    "UPDATE " + db + ".t SET name = 'lin' WHERE id = 2",
                    "DELETE FROM " + db + ".t WHERE id = 1");
            CollectingSinkProvider.Collected got = CollectingSinkProvider.collected("spi-it");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rowChanges(got).size() < 4) {
                assertThat(pipeline.failure()).isEmpty();
                assertThat(System.nanoTime())
                        .as("4 events collected in time: %s", got.events())
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            List<ChangeEvent> events = rowChanges(got);
            assertThat(events).extracting(e -> e.op().code()).containsExactly("c", "c", "u", "d");
            assertThat(events).extracting(e -> e.source().table()).containsOnly("t");
            assertThat(got.pipeline()).isEqualTo("spi");
        } finally {
            pipeline.stop();
            assertThat(pipeline.await(Duration.ofSeconds(30))).isTrue();
        }
    }

    /** The inserts, updates and deletes collected (schema events aside). */
    private static List<ChangeEvent> rowChanges(CollectingSinkProvider.Collected got) {
        return got.events().stream()
                .filter(e -> List.of("c", "u", "d").contains(e.op().code()))
                .toList();
    }
}
