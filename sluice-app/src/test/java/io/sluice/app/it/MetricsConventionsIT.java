package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code /metrics} of a real {@code sluice run} process that snapshotted a table and streams through a rule (so
 * the per-rule series are there): Prometheus's own linter ({@code promtool check metrics}) finds nothing to say, and every metric the Grafana dashboard in docs/
 * queries is there.
 */
class MetricsConventionsIT {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "sluice-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:sluice|jvm|process)_[a-z0-9_]+)\\b");

    private final MariaDbServer server = MariaDbServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsOfARunningPipelinePassPromtoolAndCoverTheDashboard() throws Exception {
        Path dir = Harness.workDir("metricsconv");
        String db = server.createDatabase("metricsconv");
        server.execute(
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a INT NOT NULL)",
                "INSERT INTO " + db + ".t SELECT seq, seq FROM " + db + ".seq_1_to_300");
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: plus-one
                    match: {tables: ["*.t"]}
                    set: {b: "after.a + 1"}
                """);
        Path config = Harness.config(
                dir,
                "conv",
                server.host(),
                server.port(),
                "",
                9651,
                db,
                Harness.masterStatus(server),
                "rules: rules.yaml\n");
        Files.writeString(
                config,
                Files.readString(config)
                        .replaceFirst(
                                "(?m)^  start: \\{.*}$",
                                "  start: snapshot\n  heartbeat.table: sluice_hb_conv.heartbeat\n  heartbeat.interval: 1s"),
                StandardCharsets.UTF_8);
        try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("sluice.log"), "run", "-c", config.toString())) {
            String url = Harness.consoleUrl(sluice);
            Harness.awaitLines(dir.resolve("conv-out"), 300, sluice);
            server.execute("INSERT INTO " + db + ".t VALUES (1000, 1)", "UPDATE " + db + ".t SET a = 2 WHERE id = 1");
            Harness.awaitLines(dir.resolve("conv-out"), 302, sluice);
            String[] text = new String[1];
            Harness.waiting("the commit of the streamed rows in /metrics", Duration.ofSeconds(60), sluice)
                    .until(() -> {
                        text[0] = get(url + "/metrics");
                        return text[0].contains("op=\"u\"") && text[0].contains("sluice_snapshot_done{");
                    });
            String metrics = text[0];

            assertThat(metrics)
                    .contains("sluice_build_info{")
                    .contains("sluice_schema_breaking_total{")
                    .contains("jvm_memory_used_bytes{")
                    .contains("process_cpu_usage")
                    .contains("sluice_rule_events_matched_total{")
                    .contains("sluice_rule_time_seconds_total{")
                    .contains("sluice_rule_events_dead_lettered_total{")
                    .contains("sluice_heartbeat_last_write_timestamp_seconds{")
                    .contains("sluice_heartbeat_errors_total{")
                    .doesNotContain("_milliseconds")
                    .doesNotContain("run=\"")
                    .doesNotContain("gtids=\"")
                    .doesNotContainPattern("(?m)^sluice_\\S* -1(\\.0)?$"); // unknown is NaN, not a sentinel

            lint(metrics);

            Set<String> exposed = new TreeSet<>();
            Matcher m = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)[{ ]").matcher(metrics);
            while (m.find()) {
                exposed.add(m.group(1));
            }
            List<String> queried = dashboardMetrics();
            assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(15);
            assertThat(exposed).as("series on /metrics").containsAll(queried);
        }
    }

    /** Runs {@code promtool check metrics} on the text; it must exit 0 and print nothing. */
    static void lint(String metrics) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            // under CI (.ci/run installs Debian's prometheus package) a missing promtool is a failure, not a skip
            assertThat(System.getenv("CI"))
                    .as("promtool is missing: apt-get install prometheus")
                    .isNull();
            assumeTrue(false, "promtool is not installed (Debian package prometheus)");
        }
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool check metrics").isEmpty();
        assertThat(p.exitValue()).as("promtool's exit code; it said: " + out).isZero();
    }

    /** Every metric name in the dashboard's queries (and its pipeline variable). */
    private static List<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = Harness.JSON.readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>(dashboard.findValuesAsText("expr"));
        exprs.addAll(dashboard.findValuesAsText("definition"));
        Set<String> names = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return new ArrayList<>(names);
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }
}
