package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API over a real pipeline on the shared MariaDB: positions, lag, throughput, tables, pause and resume. */
class ControlServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private LivePipeline live;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        live = new LivePipeline("api_it");
        server = ControlServer.builder(List.of(live.managed))
                .lag(live.metrics)
                .port(0)
                .token(TOKEN)
                .sampleEvery(Duration.ofMillis(250))
                .build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        live.close();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int post(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + path + "?token=" + TOKEN))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private JsonNode await(String path, Predicate<JsonNode> condition) {
        return org.awaitility.Awaitility.await("GET " + path + " to meet the condition")
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(path), condition);
    }

    @Test
    void pipelineShowsCommittedPositionLagThroughputAndTables() throws Exception {
        live.startWriting(20);
        JsonNode p = await(
                "/api/pipelines/api_it",
                n -> n.get("eventsTotal").asLong() >= 50
                        && n.get("eventsPerSecond").asDouble() > 0
                        && n.get("tables").size() == 2);
        assertThat(p.get("state").asText()).isEqualTo("RUNNING");
        assertThat(p.get("lagMs").isNumber()).isTrue();
        assertThat(p.get("lagMs").asLong()).isBetween(0L, 10_000L);
        assertThat(p.get("source").get("include").get(0).asText()).isEqualTo(live.db + ".*");
        assertThat(p.get("tables").get(0).get("table").asText()).isEqualTo(live.db + ".customers");
        assertThat(p.get("tables").get(1).get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(p.get("tables").get(1).get("fingerprint").asText()).isNotEmpty();

        live.stopWriting();
        Pipeline pipeline = live.managed.pipeline();
        JsonNode settled = await(
                "/api/pipelines/api_it",
                n -> n.get("eventsTotal").asLong() == live.inserted.get() + LivePipeline.FIXED_EVENTS
                        && n.get("position").isObject());
        Checkpoint cp = pipeline.stats().lastCommitted();
        assertThat(settled.get("position").get("file").asText())
                .isEqualTo(cp.position().file());
        assertThat(settled.get("position").get("pos").asLong())
                .isEqualTo(cp.position().pos());
        assertThat(settled.get("position").get("gtids").asText())
                .isEqualTo(cp.position().gtids());
        assertThat(settled.get("commits").asLong()).isPositive();

        JsonNode history = get("/api/pipelines/api_it/history");
        assertThat(history.size()).isGreaterThan(2);
        boolean sawThroughput = false;
        for (JsonNode s : history) {
            sawThroughput |= s.get("eventsPerSecond").asDouble() > 0;
        }
        assertThat(sawThroughput).isTrue();
    }

    @Test
    void pausedPipelineFallsBehindAndCatchesUpAfterResume() throws Exception {
        live.startWriting(50);
        await("/api/pipelines/api_it", n -> n.get("eventsTotal").asLong() >= 5);
        assertThat(post("/api/pipelines/api_it/pause")).isEqualTo(202);
        JsonNode paused =
                await("/api/pipelines/api_it", n -> n.get("state").asText().equals("PAUSED"));
        long lagThen = paused.get("lagMs").asLong();
        assertThat(get("/health/ready").get("status").asText()).isEqualTo("UP");
        JsonNode later = await("/api/pipelines/api_it", n -> n.get("lagMs").asLong() >= lagThen + 1500);
        assertThat(later.get("paused").asBoolean()).isTrue();

        assertThat(post("/api/pipelines/api_it/resume")).isEqualTo(202);
        await(
                "/api/pipelines/api_it",
                n -> n.get("state").asText().equals("RUNNING") && n.get("lagMs").asLong() < 3000);
        live.stopWriting();
        await(
                "/api/pipelines/api_it",
                n -> n.get("eventsTotal").asLong() == live.inserted.get() + LivePipeline.FIXED_EVENTS);
        assertThat(live.managed.pipeline().state()).isEqualTo(PipelineState.RUNNING);
        assertThat(get("/api/errors")).isEmpty();
    }

    /**
     * An idle pipeline that has caught up has no lag, however old its last event: the API shows the metrics' figure
     * (the old API said "now minus the last event" while {@code /metrics} said 0).
     */
    @Test
    void idleCaughtUpPipelineShowsTheSameLagAsTheMetrics() throws Exception {
        live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('once', 1)");
        await(
                "/api/pipelines/api_it",
                n -> n.get("eventsTotal").asLong() == LivePipeline.FIXED_EVENTS + 1
                        && n.get("bytesBehind").asLong(-1) == 0);
        long lastEvent = live.managed.pipeline().stats().lastSourceTsMs();
        // idle: nothing is written while the last event grows older than the agreement asked for
        JsonNode idle = await(
                "/api/pipelines/api_it",
                n -> System.currentTimeMillis() - lastEvent > 3000
                        && n.get("bytesBehind").asLong(-1) == 0);
        double metricsLagMs = MetricsText.lagMs(live.metrics.scrape(), "api_it");
        assertThat(idle.get("lagMs").asLong())
                .as("API lag of an idle, caught-up pipeline")
                .isLessThan(1000);
        assertThat(Math.abs(idle.get("lagMs").asLong() - metricsLagMs))
                .as("API and /metrics agree")
                .isLessThan(1000);
        JsonNode history = get("/api/pipelines/api_it/history");
        assertThat(history.get(history.size() - 1).get("lagMs").asLong()).isLessThan(1000);
    }
}
