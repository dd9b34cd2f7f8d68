package io.sluice.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.TestSinks;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.Pipelines;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the metrics of a real pipeline on the test MariaDB while it runs, is paused and resumes. */
class MetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "metrics-it";

    @TempDir
    Path dir;

    private final MariaDbServer server = MariaDbServer.shared();
    private SluiceMetrics metrics;
    private Pipeline pipeline;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (pipeline != null) {
            pipeline.stop();
            pipeline.await(Duration.ofSeconds(30));
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void countsEveryEventTracksTheCheckpointAndLagRisesWhilePausedAndFallsAfter() throws Exception {
        String db = server.createDatabase("metrics");
        server.execute(
                "CREATE TABLE `" + db + "`.orders (id INT PRIMARY KEY, qty INT)",
                "CREATE TABLE `" + db + "`.items (id INT PRIMARY KEY, name VARCHAR(20))");
        PipelineConfig config = config(db);
        metrics = new SluiceMetrics(Clock.systemUTC(), Duration.ofMillis(200), "0.0.0-test");
        pipeline = Pipelines.build(config, Clock.systemUTC());
        pipeline.listener(metrics.listenerFor(config, pipeline));
        pipeline.start();

        for (int i = 1; i <= 10; i++) {
            server.execute("INSERT INTO `" + db + "`.orders VALUES (" + i + ", " + i + ")");
        }
        server.execute(
                "INSERT INTO `" + db + "`.orders VALUES (11, 1), (12, 1), (13, 1), (14, 1), (15, 1)",
                "UPDATE `" + db + "`.orders SET qty = qty + 1 WHERE id <= 4",
                "INSERT INTO `" + db + "`.items VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')",
                "DELETE FROM `" + db + "`.items WHERE id > 4");
        int events = 15 + 4 + 6 + 2;

        Scrape s = awaitScrape(Duration.ofSeconds(30), x -> latencyCount(x) == events && caughtUp(x));
        assertThat(s.get("sluice_events_total", "pipeline", P, "table", db + ".orders", "op", "c"))
                .isEqualTo(15);
        assertThat(s.get("sluice_events_total", "pipeline", P, "table", db + ".orders", "op", "u"))
                .isEqualTo(4);
        assertThat(s.get("sluice_events_total", "pipeline", P, "table", db + ".items", "op", "c"))
                .isEqualTo(6);
        assertThat(s.get("sluice_events_total", "pipeline", P, "table", db + ".items", "op", "d"))
                .isEqualTo(2);
        assertThat(sum(s, "sluice_events_total")).isEqualTo(events);
        assertThat(s.get("sluice_event_bytes_total", "pipeline", P, "table", db + ".orders"))
                .isPositive();
        assertThat(s.get("sluice_end_to_end_latency_seconds_bucket", "pipeline", P, "le", "+Inf"))
                .isEqualTo(events);
        assertThat(s.get("sluice_commits_total", "pipeline", P)).isPositive();
        assertThat(s.get("sluice_pipeline_state", "pipeline", P, "state", "running"))
                .isEqualTo(1);
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", P)).isZero();
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", P)).isZero();
        assertThat(s.get("sluice_table_schema_version", "pipeline", P, "table", db + ".orders"))
                .isPositive();
        assertCommittedPositionIsTheCheckpoint(s, config.state().resolve("checkpoint.json"));

        pipeline.pause();
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        int id = 100;
        while (System.nanoTime() < until) {
            server.execute("INSERT INTO `" + db + "`.orders VALUES (" + id++ + ", 0)");
            Thread.sleep(100); // the subject: writes going on for 2.5 s while the pipeline is paused
        }
        int written = id - 100;
        s = awaitScrape(
                Duration.ofSeconds(10),
                x -> x.get("sluice_sink_lag_seconds", "pipeline", P) > 1
                        && x.get("sluice_binlog_behind_bytes", "pipeline", P) > 0);
        assertThat(s.get("sluice_pipeline_state", "pipeline", P, "state", "paused"))
                .isEqualTo(1);
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", P)).isGreaterThan(1);
        double lagWhilePaused = s.get("sluice_sink_lag_seconds", "pipeline", P);
        // the lag shown goes on growing while paused
        awaitScrape(Duration.ofSeconds(10), x -> x.get("sluice_sink_lag_seconds", "pipeline", P) > lagWhilePaused);

        pipeline.resume();
        s = awaitScrape(Duration.ofSeconds(30), x -> latencyCount(x) == events + written && caughtUp(x));
        assertThat(s.get("sluice_sink_lag_seconds", "pipeline", P)).isZero();
        assertThat(s.get("sluice_source_lag_seconds", "pipeline", P)).isZero();
        assertThat(s.get("sluice_events_total", "pipeline", P, "table", db + ".orders", "op", "c"))
                .isEqualTo(15 + written);
        assertThat(sum(s, "sluice_events_total")).isEqualTo(latencyCount(s));
        assertThat(s.get("sluice_pipeline_state", "pipeline", P, "state", "running"))
                .isEqualTo(1);
        assertCommittedPositionIsTheCheckpoint(s, config.state().resolve("checkpoint.json"));
        assertThat(s.get("sluice_binlog_poll_errors_total", "pipeline", P)).isZero();
    }

    private void assertCommittedPositionIsTheCheckpoint(Scrape s, Path checkpointFile) throws Exception {
        JsonNode position = JSON.readTree(Files.readString(checkpointFile))
                .path("checkpoint")
                .path("position");
        assertThat(position.path("file").isTextual())
                .as("checkpoint.json: %s", position)
                .isTrue();
        assertThat(s.get("sluice_committed_position_bytes", "pipeline", P))
                .isEqualTo(position.path("pos").asLong());
        assertThat(s.get("sluice_committed_binlog_file_number", "pipeline", P))
                .isEqualTo(io.sluice.core.checkpoint.BinlogPosition.fileSequence(
                        position.path("file").asText()));
        assertThat(s.get("sluice_binlog_behind_bytes", "pipeline", P)).isZero();
        String[] end = masterStatus();
        assertThat(position.path("file").asText()).isEqualTo(end[0]);
        assertThat(position.path("pos").asLong()).isEqualTo(Long.parseLong(end[1]));
    }

    private static boolean caughtUp(Scrape s) {
        return s.value("sluice_binlog_behind_bytes", "pipeline", P).orElse(Double.NaN) == 0;
    }

    private static double latencyCount(Scrape s) {
        return s.value("sluice_end_to_end_latency_seconds_count", "pipeline", P).orElse(-1);
    }

    private static double sum(Scrape s, String name) {
        return s.all(name, "pipeline", P).stream()
                .mapToDouble(Scrape.Sample::value)
                .sum();
    }

    private Scrape scrape() {
        return new Scrape(metrics.scrape());
    }

    private Scrape awaitScrape(Duration timeout, Predicate<Scrape> done) {
        return Waits.await("the scrape to meet the condition", timeout)
                .whileAlive(() -> {
                    if (pipeline.state() == PipelineState.FAILED) {
                        throw new AssertionError(
                                "pipeline failed", pipeline.failure().orElse(null));
                    }
                })
                .until(() -> new Shown(scrape()), shown -> done.test(shown.scrape()))
                .scrape();
    }

    /** A scrape as a failed wait shows it: its text. */
    private record Shown(Scrape scrape) {
        @Override
        public String toString() {
            return "last scrape:\n" + scrape.text();
        }
    }

    private String[] masterStatus() throws Exception {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private PipelineConfig config(String db) throws Exception {
        String[] start = masterStatus();
        MySqlSourceConfig source = MySqlSourceConfig.builder()
                .name(P)
                .host(server.host())
                .port(server.port())
                .user("root")
                .password("")
                .serverId(7400)
                .include(List.of(db + ".*"))
                .start(new StartPosition.At(start[0], Long.parseLong(start[1])))
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return PipelineConfig.builder()
                .name(P)
                .source(source)
                .sink(TestSinks.file(dir.resolve("out"), 1 << 20, false))
                .state(dir.resolve("state"))
                .batch(new BatchPolicy(1000, 1 << 20, 50))
                .queueEvents(4096)
                .file(dir.resolve(P + ".yaml"))
                .build();
    }
}
