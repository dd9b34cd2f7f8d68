package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.mysql.source.HeartbeatConfig;
import io.sluice.testkit.MariaDbServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lag of an idle pipeline whose user cannot poll the server's binlog end (no BINLOG MONITOR, so the metrics cannot
 * tell it is caught up): with the heartbeat on, {@code /api} and {@code /metrics} keep it under the interval plus a
 * second and agree, and the checkpoint moves; with it off, lag grows with the idle time and nothing is written.
 */
class HeartbeatLagIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "hb_lag";
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void user() {
        // what many DBAs give a CDC user: replication and reads, and here the heartbeat's database; no BINLOG MONITOR
        MariaDbServer.shared()
                .createUser(
                        USER,
                        "",
                        "REPLICATION SLAVE, SELECT ON *.*",
                        "CREATE, SELECT, INSERT, UPDATE ON `sluice_hb`.*");
    }

    /** What one look at the pipeline shows: the API's lag and bytes behind, and the metrics' lag. */
    private record Seen(long apiLagMs, JsonNode bytesBehind, double metricsLagMs, long readMs) {}

    private Seen look(LivePipeline live, ControlServer server, String name) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/pipelines/" + name))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(r.body());
        double metricsLag = MetricsText.lagMs(live.metrics.scrape(), name);
        return new Seen(
                p.get("lagMs").asLong(-1), p.get("bytesBehind"), metricsLag, (System.nanoTime() - started) / 1_000_000);
    }

    private static ControlServer serve(LivePipeline live) throws Exception {
        ControlServer server = ControlServer.builder(List.of(live.managed))
                .lag(live.metrics)
                .port(0)
                .sampleEvery(Duration.ofMillis(250))
                .build();
        server.start();
        return server;
    }

    /** Waits until the pipeline's last event is {@code idleMs} old. */
    private static void awaitIdle(LivePipeline live, long idleMs) {
        Awaitility.await("events " + idleMs + " ms old")
                .atMost(Duration.ofSeconds(60))
                .until(() -> {
                    long last = live.managed.pipeline().stats().lastSourceTsMs();
                    return live.managed.pipeline().stats().eventsWritten() >= 2
                            && System.currentTimeMillis() - last > idleMs;
                });
    }

    @Test
    void idlePipelineWithTheHeartbeatKeepsItsLagUnderTheIntervalAndItsCheckpointMoves() throws Exception {
        try (LivePipeline live =
                new LivePipeline("hb_on", USER, new HeartbeatConfig("sluice_hb.heartbeat", INTERVAL))) {
            ControlServer server = serve(live);
            try {
                awaitIdle(live, 3 * INTERVAL.toMillis());
                Checkpoint before = live.managed.pipeline().stats().lastCommitted();
                long bound = INTERVAL.toMillis() + 1000;
                java.util.function.Predicate<Seen> truthful = s -> s.apiLagMs() >= 0
                        && s.apiLagMs() < bound
                        && s.metricsLagMs() < bound
                        && Math.abs(s.apiLagMs() - s.metricsLagMs()) < 1000;
                // the idle wait above let the lag grow past the bound: first the heartbeat's commits bring it back
                Awaitility.await("the heartbeat brings the lag under " + bound + " ms")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> look(live, server, "hb_on"), truthful);
                // then, for five seconds of idle in a row, every look finds the lag under the bound, the API and
                // metrics agreeing (a stall of the loaded machine restarts the five seconds; without the heartbeat
                // the lag only grows, so no five seconds ever pass)
                Awaitility.await("lag under " + bound + " ms, API and metrics within a second, for 5 s")
                        .during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> look(live, server, "hb_on"), truthful);
                Seen last = look(live, server, "hb_on");
                assertThat(last.bytesBehind().isNull())
                        .as(
                                "the poller cannot see the binlog end (no BINLOG MONITOR): only the heartbeat keeps lag low")
                        .isTrue();
                Checkpoint after = live.managed.pipeline().stats().lastCommitted();
                assertThat(after.position().pos())
                        .as("the checkpoint moves")
                        .isGreaterThan(before.position().pos());
                assertThat(heartbeatRows(live))
                        .as("its own row in the heartbeat table")
                        .isEqualTo(1);

                // the heartbeat's metrics: when it last wrote (recent), how many writes, no errors
                String scrape = live.metrics.scrape();
                double lastWrite = MetricsText.value(scrape, "sluice_heartbeat_last_write_timestamp_seconds", "hb_on");
                assertThat(lastWrite)
                        .as("the last heartbeat's time; scrape:\n" + scrape)
                        .isBetween(System.currentTimeMillis() / 1000.0 - 10, System.currentTimeMillis() / 1000.0 + 1);
                assertThat(MetricsText.value(scrape, "sluice_heartbeat_writes_total", "hb_on"))
                        .isGreaterThanOrEqualTo(3);
                assertThat(MetricsText.value(scrape, "sluice_heartbeat_errors_total", "hb_on"))
                        .isZero();
                // a heartbeat the user may no longer write: errors counted, the last write's time stays
                live.server.execute("REVOKE INSERT, UPDATE ON `sluice_hb`.* FROM '" + USER + "'@'%'");
                try {
                    Awaitility.await("a failed heartbeat write counted")
                            .atMost(Duration.ofSeconds(30))
                            .until(() ->
                                    MetricsText.value(live.metrics.scrape(), "sluice_heartbeat_errors_total", "hb_on")
                                            >= 2);
                    double stuck = MetricsText.value(
                            live.metrics.scrape(), "sluice_heartbeat_last_write_timestamp_seconds", "hb_on");
                    Awaitility.await("another failed write")
                            .atMost(Duration.ofSeconds(30))
                            .until(() ->
                                    MetricsText.value(live.metrics.scrape(), "sluice_heartbeat_errors_total", "hb_on")
                                            >= 3);
                    assertThat(MetricsText.value(
                                    live.metrics.scrape(), "sluice_heartbeat_last_write_timestamp_seconds", "hb_on"))
                            .as("no write since the grant went")
                            .isEqualTo(stuck);
                } finally {
                    live.server.execute("GRANT INSERT, UPDATE ON `sluice_hb`.* TO '" + USER + "'@'%'");
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void withoutTheHeartbeatAnIdlePipelinesLagGrowsAndNothingIsWritten() throws Exception {
        try (LivePipeline live = new LivePipeline("hb_off", USER, HeartbeatConfig.OFF)) {
            ControlServer server = serve(live);
            try {
                awaitIdle(live, 3 * INTERVAL.toMillis());
                Seen s = look(live, server, "hb_off");
                assertThat(s.apiLagMs()).as("lag counts from the last event").isGreaterThan(3 * INTERVAL.toMillis());
                // a growing lag differs between the two reads by the time between them (seconds on a loaded machine)
                assertThat(Math.abs(s.apiLagMs() - s.metricsLagMs()))
                        .as("API and metrics within a second, plus the " + s.readMs() + " ms between the two reads")
                        .isLessThan(1000 + s.readMs());
                assertThat(heartbeatRows(live)).isZero();
                assertThat(live.metrics.scrape())
                        .as("no heartbeat series without the heartbeat")
                        .doesNotContain("sluice_heartbeat_");
            } finally {
                server.stop();
            }
        }
    }

    /** Rows of the pipeline's server id in the heartbeat table (0 when there is no such table). */
    private static long heartbeatRows(LivePipeline live) throws Exception {
        try (Connection c = live.server.rootConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = 'sluice_hb' AND TABLE_NAME = 'heartbeat'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT COUNT(*) FROM sluice_hb.heartbeat WHERE server_id = " + live.serverId)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
