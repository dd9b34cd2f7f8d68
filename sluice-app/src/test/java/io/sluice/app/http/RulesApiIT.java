package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.TestSinks;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.app.run.Pipelines;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.time.Scheduler;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules API over a real pipeline on the shared MariaDB: versions, one version, diff, deploy (checked against the
 * live schema history: 422 naming rule, column and table), rollback, the token, and the per-rule counters.
 */
class RulesApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "it-token";
    static final String V1 = """
            rules:
              - name: no-threes
                match: {tables: ["{db}.orders"]}
                where: "after.qty != 3"
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private LivePipeline live;
    private ManagedPipeline plain;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        live = LivePipeline.withRules("rules_api_it", V1);
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "rules-api-it-");
        PipelineConfig cfg = PipelineConfig.builder()
                .name("plain")
                .source(MySqlSourceConfig.builder()
                        .name("plain")
                        .host("127.0.0.1")
                        .port(3306)
                        .user("root")
                        .password("")
                        .serverId(77)
                        .build())
                .sink(TestSinks.file(dir.resolve("out"), 1 << 20, false))
                .state(dir.resolve("state"))
                .batch(BatchPolicy.DEFAULT)
                .queueEvents(1024)
                .file(dir.resolve("plain.yaml"))
                .build();
        plain = Pipelines.manage(cfg, Scheduler.system(Clock.systemUTC())); // never started: it runs no rules
        server = ControlServer.builder(List.of(live.managed, plain))
                .lag(live.metrics)
                .port(0)
                .token(TOKEN)
                .build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        live.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String type, boolean token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null, true);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode await(String path, Predicate<JsonNode> condition) {
        return org.awaitility.Awaitility.await("GET " + path + " to meet the condition")
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(path), condition);
    }

    private static String json(String rules, String message) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("rules", rules, "message", message));
    }

    @Test
    void versionsDiffDeployAndRollbackOverHttp() throws Exception {
        String base = "/api/pipelines/rules_api_it/rules";
        live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('a', 3), ('b', 4)");
        JsonNode o = await(base, n -> n.path("rules").path(0).path("matched").asLong() >= 2);
        assertThat(o.get("inEffect").asInt()).isEqualTo(1);
        assertThat(o.get("latest").asInt()).isEqualTo(1);
        assertThat(o.get("versions")).hasSize(1);
        assertThat(o.get("rules").get(0).get("rule").asText()).isEqualTo("no-threes");
        assertThat(o.get("rules").get(0).get("dropped").asLong()).isEqualTo(1);

        // the token is needed, as for every other POST
        String v2 = V1.replace("{db}", live.db) + """
                  - name: hide-item
                    match: {tables: ["%s.orders"]}
                    mask: {item: redact}
                """.formatted(live.db);
        assertThat(send("POST", base + "/deploy", json(v2, "mask"), "application/json", false)
                        .statusCode())
                .isEqualTo(401);

        // refused against the live schema: rule, column and table named, nothing recorded
        String bad = V1.replace("{db}", live.db).replace("after.qty", "after.quantity");
        HttpResponse<String> refused = send("POST", base + "/deploy", json(bad, "typo"), "application/json", true);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).get("error").asText())
                .contains("no-threes")
                .contains("quantity")
                .contains(live.db + ".orders");
        assertThat(get(base).get("latest").asInt()).isEqualTo(1);

        // a good one, as JSON; then the same rules again is nothing to deploy
        HttpResponse<String> deployed =
                send("POST", base + "/deploy", json(v2, "mask items"), "application/json", true);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(JSON.readTree(deployed.body()).get("version").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(deployed.body()).get("checkedTables").asInt()).isEqualTo(1);
        assertThat(send("POST", base + "/deploy?message=again", v2, "application/yaml", true)
                        .statusCode())
                .isEqualTo(409);

        // the running pipeline takes it up at a transaction boundary: one comes with each insert
        JsonNode two = org.awaitility.Awaitility.await("version 2 in effect and masking")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('c', 5)");
                            return get(base);
                        },
                        n -> n.get("rules").size() == 2
                                && n.get("rules").get(1).get("changed").asLong() >= 1);
        assertThat(two.get("inEffect").asInt()).isEqualTo(2);
        assertThat(two.get("versions").get(1).get("message").asText()).isEqualTo("mask items");

        JsonNode version2 = get(base + "/versions/2");
        assertThat(version2.get("text").asText()).isEqualTo(v2);
        JsonNode diff = get(base + "/diff?from=1&to=2");
        assertThat(diff.get("lines").toString())
                .contains("+  - name: hide-item")
                .contains("+    mask: {item: redact}");
        assertThat(get(base + "/diff").get("from").asInt()).isEqualTo(1);

        // rollback: version 1's rules as version 3
        HttpResponse<String> back =
                send("POST", base + "/rollback", "{\"to\": 1, \"message\": \"too much\"}", "application/json", true);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
        assertThat(JSON.readTree(back.body()).get("version").asInt()).isEqualTo(3);
        assertThat(get(base + "/versions/3").get("text").asText())
                .isEqualTo(get(base + "/versions/1").get("text").asText());
        assertThat(send("POST", base + "/rollback", "{\"to\": 1}", "application/json", true)
                        .statusCode())
                .isEqualTo(409);

        // what is not there
        assertThat(send("GET", base + "/versions/9", null, null, true).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", base + "/versions/x", null, null, true).statusCode())
                .isEqualTo(400);
        HttpResponse<String> none = send("GET", "/api/pipelines/plain/rules", null, null, true);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("runs no transformation rules");
        assertThat(send("DELETE", base, null, null, true).statusCode()).isEqualTo(405);
    }

    private String position() throws Exception {
        return position(live);
    }

    /** SHOW MASTER STATUS of {@code live}'s server as {@code file:pos}. */
    static String position(LivePipeline live) throws Exception {
        try (java.sql.Connection c = live.server.rootConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).as("SHOW MASTER STATUS gives a row").isTrue();
            return rs.getString(1) + ":" + rs.getLong(2);
        }
    }

    /** Inserts three orders, qty 3, 4 and 5: the binlog positions before and after them. */
    private String[] threeOrders() throws Exception {
        String from = position();
        live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('a', 3), ('b', 4), ('c', 5)");
        return new String[] {from, position()};
    }

    @Test
    void previewOverHttpAnswersAsTheCliJson() throws Exception {
        String base = "/api/pipelines/rules_api_it/rules";
        String[] fromTo = threeOrders();
        String from = fromTo[0];
        String to = fromTo[1];
        String candidate = V1.replace("{db}", live.db).replace("after.qty != 3", "after.qty != 3 && after.qty != 4");
        String body = JSON.writeValueAsString(java.util.Map.of("rules", candidate, "from", from, "to", to));
        assertThat(send("POST", base + "/preview", body, "application/json", false)
                        .statusCode())
                .isEqualTo(401);

        HttpResponse<String> r = send("POST", base + "/preview", body, "application/json", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("deployed").asInt()).isEqualTo(1);
        assertThat(doc.get("candidate").asInt()).isEqualTo(2);
        assertThat(doc.get("range").asText()).contains(from).contains(to);
        assertThat(doc.get("events").asInt()).isEqualTo(3);
        assertThat(doc.get("totals").get("dropped").asInt()).isEqualTo(2);
        assertThat(doc.get("totals").get("kept").asInt()).isEqualTo(1);
        List<String> outcomes = new java.util.ArrayList<>();
        doc.get("entries")
                .forEach(e -> outcomes.add(
                        e.get("table").asText() + " " + e.get("outcome").asText() + " "
                                + e.get("deployed_dropped").asBoolean()));
        String t = live.db + ".orders";
        assertThat(outcomes).containsExactly(t + " dropped true", t + " dropped false", t + " kept false");
        assertThat(doc.get("entries").get(2).get("candidate_event").toString()).contains("\"qty\":5");

        // the YAML as the body, the range in the query; what is wrong is said
        HttpResponse<String> yaml = send(
                "POST", base + "/preview?from=" + from + "&to=" + to + "&limit=1", candidate, "application/yaml", true);
        assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
        assertThat(JSON.readTree(yaml.body()).get("entries")).hasSize(1);
        assertThat(JSON.readTree(yaml.body()).get("events").asInt()).isEqualTo(3);
        HttpResponse<String> both =
                send("POST", base + "/preview?last=5&from=" + from, candidate, "application/yaml", true);
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).contains("either last or from");
        assertThat(send("POST", base + "/preview", "", "application/yaml", true).statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/api/pipelines/plain/rules/preview", candidate, "application/yaml", true)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", base + "/preview", null, null, true).statusCode())
                .isEqualTo(405);
    }

    private void serveWithPreviewLimits(long events, Duration time) throws Exception {
        server.stop();
        server = ControlServer.builder(List.of(live.managed))
                .port(0)
                .token(TOKEN)
                .previewLimits(events, time)
                .build();
        server.start();
    }

    @Test
    void previewOverHttpKeepsWithinItsEventAndTimeBounds() throws Exception {
        String base = "/api/pipelines/rules_api_it/rules";
        String candidate = V1.replace("{db}", live.db).replace("after.qty != 3", "after.qty != 4");
        String[] fromTo = threeOrders();
        String range =
                JSON.writeValueAsString(java.util.Map.of("rules", candidate, "from", fromTo[0], "to", fromTo[1]));

        // at most two events: a range of three and a last 5 are refused, saying the bound and what to do
        serveWithPreviewLimits(2, Duration.ofSeconds(60));
        HttpResponse<String> many = send("POST", base + "/preview", range, "application/json", true);
        assertThat(many.statusCode()).as(many.body()).isEqualTo(422);
        assertThat(many.body()).contains("more than 2 row events").contains("sluice rules preview");
        HttpResponse<String> last = send("POST", base + "/preview?last=5", candidate, "application/yaml", true);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(422);
        assertThat(last.body()).contains("last 5").contains("at most 2");
        HttpResponse<String> two = send(
                "POST",
                base + "/preview",
                JSON.writeValueAsString(java.util.Map.of("rules", candidate, "last", 2)),
                "application/json",
                true);
        assertThat(two.statusCode()).as(two.body()).isEqualTo(200);

        // a time bound shorter than connecting to the server: stopped, 503 naming the limit
        serveWithPreviewLimits(1000, Duration.ofNanos(1));
        HttpResponse<String> late = send("POST", base + "/preview", range, "application/json", true);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(503);
        assertThat(late.body()).contains("time limit");
        // the gate was let go: the next preview is not refused as running already
        HttpResponse<String> again = send("POST", base + "/preview", range, "application/json", true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(503);
    }
}
