package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice snapshot} against a running {@code sluice run}: a table is re-loaded (op r, under the run id the
 * command prints) while changes keep streaming; {@code --where} limits the rows; {@code --cancel} stops a running
 * snapshot; {@code --pause} holds requests back until {@code --resume}; progress shows in /metrics and the API; a
 * table the pipeline does not capture is refused with exit code 2.
 */
class SnapshotCommandIT {
    private static final Pattern REQUESTED = Pattern.compile("(?:snapshot|cancel) (\\S+) requested");
    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void snapshotsATableOfARunningPipelineOnDemand() throws Exception {
        Path dir = Harness.workDir("snapcmd");
        String db = server.createDatabase("snapcmd");
        String rows = thousandRows();
        server.execute(
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES " + rows,
                "INSERT INTO " + db + ".big VALUES " + rows);
        Path config = Harness.config(
                dir,
                "snapcmd",
                server.host(),
                server.port(),
                "",
                9401,
                db,
                Harness.masterStatus(server),
                "snapshot:\n  chunk-size: 100\n");
        Path out = dir.resolve("snapcmd-out");
        try (SluiceProcess sluice =
                SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString())) {
            server.execute("INSERT INTO " + db + ".t VALUES (5000, 'streamed')");
            await(out, e -> e.path("op").asText().equals("c"), 1, sluice);

            String run = request(dir, config, "--table", db + ".t");
            server.execute("UPDATE " + db + ".t SET v = 'changed' WHERE id = 5000");
            List<JsonNode> reads =
                    await(out, e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + run + ":"), 1001, sluice);
            assertThat(reads)
                    .allMatch(e -> e.path("op").asText().equals("r")
                            && e.path("source").path("snapshot").asBoolean()
                            && e.path("source").path("table").asText().equals("t"));
            assertThat(reads.get(0).path("id").asText())
                    .isEqualTo("snapcmd:snapshot:" + run + ":" + db + ".t:{\"id\":0}");
            await(out, e -> e.path("op").asText().equals("u"), 1, sluice);

            String filtered = request(dir, config, "--table", db + ".t", "--where", "id < 10 OR v = 'changed'");
            List<JsonNode> some =
                    await(out, e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + filtered + ":"), 11, sluice);
            assertThat(some)
                    .extracting(e -> e.path("key").path("id").asInt())
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 5000);

            // a slow filter keeps this one running long enough to cancel it
            String slow = request(dir, config, "--table", db + ".big", "--where", "SLEEP(0.01) = 0");
            await(out, e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + slow + ":"), 100, sluice);
            assertThat(SluiceProcess.runToEnd(
                            dir.resolve("cli.log"),
                            60,
                            "snapshot",
                            "--config",
                            config.toString(),
                            "--table",
                            db + ".big",
                            "--cancel"))
                    .isZero();
            Harness.awaitLog(sluice, "of " + db + ".big cancelled", Duration.ofSeconds(60));
            assertThat(Files.readString(sluice.log())).contains("snapshot " + slow + " of " + db + ".big cancelled");
            server.execute("INSERT INTO " + db + ".t VALUES (6000, 'after cancel')");
            await(out, e -> e.path("key").path("id").asInt() == 6000, 1, sluice);
            long bigReads = Harness.events(out).stream()
                    .filter(e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + slow + ":"))
                    .count();
            assertThat(bigReads).as("rows of the cancelled snapshot").isLessThan(1000);

            // paused, a request waits (streaming goes on); resumed, it runs
            assertThat(SluiceProcess.runToEnd(
                            dir.resolve("cli.log"), 60, "snapshot", "--config", config.toString(), "--pause"))
                    .isZero();
            String waiting = request(dir, config, "--table", db + ".t", "--where", "id < 5");
            server.execute("INSERT INTO " + db + ".t VALUES (7000, 'while paused')");
            await(out, e -> e.path("key").path("id").asInt() == 7000, 1, sluice);
            assertThat(Files.readString(sluice.log()))
                    .contains("snapshots paused")
                    .contains("snapshot " + waiting + " of " + db + ".t requested");
            assertThat(Harness.events(out)).noneMatch(e -> e.path("id").asText().contains(":" + waiting + ":"));
            assertThat(SluiceProcess.runToEnd(
                            dir.resolve("cli.log"), 60, "snapshot", "--config", config.toString(), "--resume"))
                    .isZero();
            await(out, e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + waiting + ":"), 5, sluice);

            // progress in the metrics and the API
            Matcher console = Pattern.compile("Sluice console: (http://\\S+/)").matcher(Files.readString(sluice.log()));
            assertThat(console.find()).as("console URL in the log").isTrue();
            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(console.group(1) + "metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    // one series per table (its newest run), no run label that would leave a series per run
                    .containsPattern("sluice_snapshot_rows\\{[^}]*table=\"" + db + "\\.t\"[^}]*\\} \\d")
                    .doesNotContain("run=\"")
                    .contains("sluice_snapshot_done{")
                    .contains("sluice_snapshot_eta_seconds{");
            JsonNode detail = Harness.JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(console.group(1) + "api/pipelines/snapcmd"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(detail.path("snapshot").findValuesAsText("run")).contains(run, filtered, slow, waiting);

            // the same request over the HTTP API
            HttpResponse<String> posted = http.send(
                    HttpRequest.newBuilder(URI.create(console.group(1) + "api/pipelines/snapcmd/snapshot"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"tables\": [\"" + db + ".t\"], \"where\": \"id >= 998\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String viaHttp = Harness.JSON.readTree(posted.body()).path("id").asText();
            List<JsonNode> httpReads =
                    await(out, e -> e.path("id").asText().startsWith("snapcmd:snapshot:" + viaHttp + ":"), 5, sluice);
            assertThat(httpReads)
                    .extracting(e -> e.path("key").path("id").asInt())
                    .containsExactlyInAnyOrder(998, 999, 5000, 6000, 7000);
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(URI.create(console.group(1) + "api/pipelines/snapcmd/snapshot"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"tables\": [\"other.t\"]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("does not capture it");

            assertThat(SluiceProcess.runToEnd(
                            dir.resolve("cli.log"),
                            60,
                            "snapshot",
                            "--config",
                            config.toString(),
                            "--table",
                            "other.t"))
                    .isEqualTo(2);
            assertThat(Files.readString(dir.resolve("cli.log"))).contains("does not capture it");
            assertThat(sluice.isAlive()).isTrue();
        }
    }

    /**
     * A pipeline whose user may not write the signal table (SELECT, REPLICATION SLAVE, BINLOG MONITOR only) takes
     * on-demand snapshots over the HTTP API, in read-only mode, on an idle server (the chunks are emitted at the
     * binlog reader's heartbeats); {@code sluice snapshot} from another process says where to send the request.
     */
    @Test
    void aReadOnlyPipelineSnapshotsOnDemandOverHttpOnAnIdleServer() throws Exception {
        Path dir = Harness.workDir("snapro");
        String db = server.createDatabase("snapro");
        String rows = thousandRows();
        server.execute(
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES " + rows);
        server.createUser("snapro_cmd", "", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        Path config = Harness.config(
                dir,
                "snapro",
                server.host(),
                server.port(),
                "",
                9402,
                db,
                Harness.masterStatus(server),
                "snapshot:\n  chunk-size: 100\n");
        Files.writeString(config, Files.readString(config).replace("  user: root\n", "  user: snapro_cmd\n"));
        Path out = dir.resolve("snapro-out");
        try (SluiceProcess sluice =
                SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString())) {
            server.execute("INSERT INTO " + db + ".t VALUES (5000, 'streamed')");
            await(out, e -> e.path("op").asText().equals("c"), 1, sluice);
            Matcher console = Pattern.compile("Sluice console: (http://\\S+/)").matcher(Files.readString(sluice.log()));
            assertThat(console.find()).as("console URL in the log").isTrue();
            // a captured name without a table (nothing to read) first: skipped, and the binlog reader goes on
            HttpResponse<String> ghost = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(console.group(1) + "api/pipelines/snapro/snapshot"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"tables\": [\"" + db + ".ghost\"]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ghost.statusCode()).as(ghost.body()).isEqualTo(202);
            HttpResponse<String> posted = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(console.group(1) + "api/pipelines/snapro/snapshot"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"tables\": [\"" + db + ".t\"]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(posted.body()).contains("read-only snapshots");
            String run = Harness.JSON.readTree(posted.body()).path("id").asText();
            // nothing else is written: the chunks are emitted at the heartbeats of the idle server
            List<JsonNode> reads =
                    await(out, e -> e.path("id").asText().startsWith("snapro:snapshot:" + run + ":"), 1001, sluice);
            assertThat(reads.stream().map(e -> e.path("id").asText()).distinct().count())
                    .as("every row once")
                    .isEqualTo(1001);
            assertThat(reads).allMatch(e -> e.path("op").asText().equals("r"));
            assertThat(Files.readString(sluice.log())).contains("snapshots run read-only (snapshot.mode: auto, and");

            int code = SluiceProcess.runToEnd(
                    dir.resolve("cli.log"), 60, "snapshot", "--config", config.toString(), "--table", db + ".t");
            assertThat(code).as("sluice snapshot from another process").isNotZero();
            assertThat(Files.readString(dir.resolve("cli.log"))).contains("POST /api/pipelines/snapro/snapshot");
            assertThat(sluice.isAlive()).isTrue();
        }
    }

    /** VALUES rows (0, 'v0') to (999, 'v999'). */
    private static String thousandRows() {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            rows.append(rows.length() == 0 ? "" : ",")
                    .append("(")
                    .append(i)
                    .append(",'v")
                    .append(i)
                    .append("')");
        }
        return rows.toString();
    }

    private static String request(Path dir, Path config, String... args) throws Exception {
        Path log = dir.resolve("cli.log");
        String[] cmd = new String[args.length + 3];
        cmd[0] = "snapshot";
        cmd[1] = "--config";
        cmd[2] = config.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        assertThat(SluiceProcess.runToEnd(log, 60, cmd))
                .as("sluice snapshot exit code; log " + log)
                .isZero();
        Matcher m = REQUESTED.matcher(Files.readString(log));
        String run = null;
        while (m.find()) {
            run = m.group(1);
        }
        assertThat(run).as("request id printed").isNotNull();
        return run;
    }

    private static List<JsonNode> await(Path out, Predicate<JsonNode> which, int n, SluiceProcess p) {
        java.util.concurrent.atomic.AtomicReference<List<JsonNode>> found =
                new java.util.concurrent.atomic.AtomicReference<>();
        Harness.waiting(n + " events", Duration.ofSeconds(90), p)
                .until(
                        () -> {
                            found.set(Harness.events(out).stream().filter(which).toList());
                            return found.get().size(); // a failed wait shows how many it found
                        },
                        size -> size >= n);
        return found.get();
    }
}
