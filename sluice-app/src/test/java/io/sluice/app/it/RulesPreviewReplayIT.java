package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice rules preview} and {@code replay} on a real MariaDB under concurrent writers (issue 15): a preview of
 * a range yields exactly the events the live pipeline writes for it under the deployed candidate (ids and values),
 * and leaves the pipeline's state byte for byte as it was; a replay of a range under version 1 equals the live output
 * under version 1; a range the binlog no longer reaches is refused, naming the oldest position.
 */
class RulesPreviewReplayIT {
    private static final int WRITERS = 4;
    private static final int TXNS = 15;

    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void previewEqualsWhatDeployProducesAndReplayUnderV1EqualsTheLiveOutputUnderV1() throws Exception {
        Path dir = Harness.workDir("rules-preview");
        String db = server.createDatabase("rprev");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, w INT, status VARCHAR(10), n INT,"
                + " total DECIMAL(20,4))");
        String v1 = """
                rules:
                  - name: tag
                    match: {tables: ["*.t"]}
                    set: {tag: "'one'"}
                """;
        String v2 = """
                rules:
                  - name: no-test
                    match: {tables: ["*.t"]}
                    where: "after.status != 'test'"
                  - name: tag
                    match: {tables: ["*.t"]}
                    set: {tag: "'two'", big: "after.total > decimal('50')"}
                    drop: [w]
                    route: "{db}.all_t"
                """;
        Files.writeString(dir.resolve("v1.yaml"), v1, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("v2.yaml"), v2, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config =
                Harness.config(dir, "rprev", server.host(), server.port(), "", 9521, db, start, "rules: v1.yaml\n");
        Path out = dir.resolve("rprev-out");
        Path state = dir.resolve("rprev-state");
        Path log = dir.resolve("sluice.log");
        Instant phaseAFrom = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String[] endA;
        String[] fromB;
        String[] endB;
        String gtidFromB;
        String gtidEndB;
        try (SluiceProcess p = SluiceProcess.start(log, "run", "--config", config.toString())) {
            int a = write(db, 0); // phase A, under version 1
            endA = Harness.masterStatus(server);
            Harness.awaitLines(out, a, p);
            assertThat(rules(
                            dir,
                            config,
                            "deploy",
                            "deploy",
                            "--rules",
                            dir.resolve("v2.yaml").toString())[0])
                    .isEqualTo("0");
            // a marker transaction per round until one comes out shaped by version 2: the switch is behind us
            int marker = 100_000;
            while (true) {
                server.execute("INSERT INTO " + db + ".t VALUES (" + marker + ", 0, 'new', 0, 0)");
                Harness.awaitLines(out, a + marker - 99_999, p);
                List<JsonNode> all = Harness.events(out);
                if (all.get(all.size() - 1).path("rules").asInt() == 2) {
                    break;
                }
                marker++;
            }
            long before = Harness.lineCount(out);
            fromB = Harness.masterStatus(server);
            gtidFromB = gtidPos();
            int b = write(db, 1); // phase B, under version 2 (its test rows dropped)
            endB = Harness.masterStatus(server);
            gtidEndB = gtidPos();
            Harness.awaitLines(out, before + b - testRows(), p);
            p.terminate(60);
        }
        List<JsonNode> live = Harness.events(out);

        // the preview of phase B with v2 as the candidate: the same events, ids and values, as the live pipeline
        // wrote under v2; nothing of the pipeline's state changes
        Map<String, String> stateBefore = bytes(state);
        String[] preview = rules(
                dir,
                config,
                "preview",
                "preview",
                "--rules",
                dir.resolve("v2.yaml").toString(),
                "--from",
                fromB[0] + ":" + fromB[1],
                "--to",
                endB[0] + ":" + endB[1],
                "-o",
                "json");
        assertThat(preview[0]).as(preview[1]).isEqualTo("0");
        assertThat(bytes(state))
                .as("the pipeline's state directory, byte for byte")
                .isEqualTo(stateBefore);
        JsonNode doc = jsonLine(preview[1]);
        List<JsonNode> previewed = new ArrayList<>();
        doc.path("entries").forEach(e -> {
            if (!e.path("candidate_event").isNull()) {
                previewed.add(e.path("candidate_event"));
            }
        });
        assertThat(doc.path("events").asInt()).isEqualTo(rows(1));
        assertThat(doc.path("totals").path("kept").asInt()).isEqualTo(rows(1) - testRows());
        assertThat(doc.path("totals").path("dropped").asInt()).isEqualTo(testRows());
        List<JsonNode> liveB = inRange(live, fromB, endB);
        assertThat(liveB).hasSize(rows(1) - testRows());
        assertThat(values(previewed)).isEqualTo(values(liveB));

        // the same range named by GTID sets
        String[] byGtid = rules(
                dir,
                config,
                "preview-gtid",
                "preview",
                "--rules",
                dir.resolve("v2.yaml").toString(),
                "--from",
                gtidFromB,
                "--to",
                gtidEndB,
                "-o",
                "json");
        assertThat(byGtid[0]).as(byGtid[1]).isEqualTo("0");
        assertThat(outcomes(jsonLine(byGtid[1]))).isEqualTo(outcomes(doc));

        // --last 5: the last five row events before the pipeline's checkpoint, which is phase B's end
        String[] last = rules(
                dir,
                config,
                "preview-last",
                "preview",
                "--rules",
                dir.resolve("v2.yaml").toString(),
                "--last",
                "5",
                "-o",
                "json");
        assertThat(last[0]).as(last[1]).isEqualTo("0");
        List<String> allIds = new ArrayList<>();
        doc.path("entries").forEach(e -> allIds.add(e.path("id").asText()));
        List<String> lastIds = new ArrayList<>();
        jsonLine(last[1]).path("entries").forEach(e -> lastIds.add(e.path("id").asText()));
        assertThat(lastIds).isEqualTo(allIds.subList(allIds.size() - 5, allIds.size()));
        assertThat(bytes(state)).isEqualTo(stateBefore);

        // v1 as the candidate against the deployed v2: the test rows come back, the rest change
        String[] back = rules(
                dir,
                config,
                "preview-v1",
                "preview",
                "--rules",
                dir.resolve("v1.yaml").toString(),
                "--from",
                fromB[0] + ":" + fromB[1],
                "--to",
                endB[0] + ":" + endB[1]);
        assertThat(back[0]).as(back[1]).isEqualTo("0");
        assertThat(back[1])
                .contains("against deployed version 2")
                .contains(rows(1) + " events: 0 kept, " + (rows(1) - testRows()) + " changed, 0 dropped, " + testRows()
                        + " restored, 0 failed")
                .contains("-> " + db + ".all_t => " + db + ".t +w -big ~tag");
        assertThat(bytes(state)).isEqualTo(stateBefore);

        // the replay of phase A (from its start time) under version 1 into a directory of its own equals the live
        // output of phase A, which version 1 shaped
        Path into = dir.resolve("replay-v1");
        String[] replay = rules(
                dir,
                config,
                "replay",
                "replay",
                "--from",
                phaseAFrom.toString(),
                "--to",
                endA[0] + ":" + endA[1],
                "--rules",
                "v1",
                "--into",
                into.toString());
        assertThat(replay[0]).as(replay[1]).isEqualTo("0");
        assertThat(bytes(state)).isEqualTo(stateBefore);
        List<JsonNode> replayed = rowEvents(Harness.events(into.resolve("events")));
        List<JsonNode> liveA = rowEvents(live).subList(0, rows(0));
        assertThat(liveA).allSatisfy(e -> assertThat(e.path("rules").asInt()).isEqualTo(1));
        assertThat(replayed).allSatisfy(e -> assertThat(e.path("rules").asInt()).isEqualTo(1));
        assertThat(values(replayed)).isEqualTo(values(liveA));
        assertThat(Harness.checkpoint(into.resolve("state"))[0]).isNotNull();

        // the same range from its position into another pipeline file's sink and state (its source is not used)
        Path rebuild = Harness.config(dir, "rebuild", server.host(), server.port(), "", 9523, db, start, null);
        String[] viaFile = rules(
                dir,
                config,
                "replay-file",
                "replay",
                "--from",
                start[0] + ":" + start[1],
                "--to",
                endA[0] + ":" + endA[1],
                "--rules",
                "1",
                "--into",
                rebuild.toString());
        assertThat(viaFile[0]).as(viaFile[1]).isEqualTo("0");
        assertThat(values(rowEvents(Harness.events(dir.resolve("rebuild-out")))))
                .isEqualTo(values(liveA));
        assertThat(bytes(state)).isEqualTo(stateBefore);

        // a replay into the live pipeline's own state is refused
        String[] own = rules(
                dir, config, "replay-own", "replay", "--from", start[0] + ":" + start[1], "--into", config.toString());
        assertThat(own[0]).isEqualTo("2");
        assertThat(own[1]).contains("own state directory");
    }

    @Test
    void aRangeTheBinlogNoLongerReachesIsRefusedNamingTheOldestPosition() throws Exception {
        Path dir = Harness.workDir("rules-purged");
        String db = server.createDatabase("rpurged");
        Files.writeString(dir.resolve("v1.yaml"), """
                rules:
                  - name: tag
                    match: {tables: ["*.t"]}
                    set: {tag: "'one'"}
                """, StandardCharsets.UTF_8);
        Path config = Harness.config(
                dir,
                "rpurged",
                server.host(),
                server.port(),
                "",
                9522,
                db,
                Harness.masterStatus(server),
                "rules: v1.yaml\n");
        String oldest = Harness.binlogs(server).get(0);
        String gone = oldest.substring(0, oldest.lastIndexOf('.') + 1) + "000000";
        for (String cmd : new String[] {"preview", "replay"}) {
            String[] r = rules(
                    dir,
                    config,
                    cmd,
                    cmd,
                    cmd.equals("preview") ? "--rules" : "--into",
                    dir.resolve(cmd.equals("preview") ? "v1.yaml" : "replay-out")
                            .toString(),
                    "--from",
                    gone + ":4");
            assertThat(r[0]).as(r[1]).isEqualTo("2");
            assertThat(r[1])
                    .contains("no longer has that binlog (purged)")
                    .contains("the oldest position it has is " + oldest + ":4")
                    .contains("start: snapshot");
        }
    }

    private String gtidPos() throws Exception {
        try (java.sql.Connection c = server.rootConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs {@code sluice rules <command> --config <config> <args>} to its end: {exit code, log text}. */
    private static String[] rules(Path dir, Path config, String log, String command, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "rules";
        all[1] = command;
        all[2] = "--config";
        all[3] = config.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return Harness.cli(dir, log, all);
    }

    /** Phase {@code phase}'s rows: WRITERS x TXNS inserts of two rows, every third id a test row, and updates. */
    private int write(String db, int phase) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int k = 0; k < TXNS; k++) {
                    int base = ((phase * WRITERS + writer) * TXNS + k) * 2;
                    String s1 = base % 3 == 0 ? "test" : "new";
                    String s2 = (base + 1) % 3 == 0 ? "test" : "new";
                    server.execute("INSERT INTO " + db + ".t VALUES (" + base + ", " + writer + ", '" + s1 + "', 0, "
                            + base + ".25), (" + (base + 1) + ", " + writer + ", '" + s2 + "', 0, 12.5)");
                    server.execute("UPDATE " + db + ".t SET n = n + 1 WHERE id = " + base);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return rows(phase);
    }

    /** Row events of a phase: two inserts and one update per transaction pair. */
    private static int rows(int phase) {
        return WRITERS * TXNS * 3;
    }

    /** Row events of phase B on test rows: the insert of each test row and the update of each test base row. */
    private static int testRows() {
        int n = 0;
        for (int writer = 0; writer < WRITERS; writer++) {
            for (int k = 0; k < TXNS; k++) {
                int base = ((WRITERS + writer) * TXNS + k) * 2;
                n += base % 3 == 0 ? 2 : 0; // its insert and its update
                n += (base + 1) % 3 == 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static List<JsonNode> rowEvents(List<JsonNode> events) {
        return events.stream()
                .filter(e -> List.of("c", "u", "d").contains(e.path("op").asText()))
                .toList();
    }

    /** The events whose transaction begins in [from, to). */
    private static List<JsonNode> inRange(List<JsonNode> events, String[] from, String[] to) {
        return events.stream()
                .filter(e -> at(e).compareTo(pos(from)) >= 0 && at(e).compareTo(pos(to)) < 0)
                .toList();
    }

    private static String at(JsonNode e) {
        return e.path("source").path("file").asText() + ":"
                + String.format("%012d", e.path("source").path("pos").asLong());
    }

    private static String pos(String[] p) {
        return p[0] + ":" + String.format("%012d", Long.parseLong(p[1]));
    }

    /** Per event id, what a consumer sees of it besides the version number and the emit time. */
    private static Map<String, String> values(List<JsonNode> events) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : events) {
            com.fasterxml.jackson.databind.node.ObjectNode c = e.deepCopy();
            c.remove("rules");
            c.remove("ts_ms");
            assertThat(out.put(e.path("id").asText(), c.toString())).isNull();
        }
        return out;
    }

    /** Per entry of a preview document, {@code id outcome}. */
    private static List<String> outcomes(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.path("entries")
                .forEach(e ->
                        out.add(e.path("id").asText() + " " + e.path("outcome").asText()));
        return out;
    }

    private static JsonNode jsonLine(String text) throws Exception {
        for (String line : text.split("\n")) {
            if (line.startsWith("{\"deployed\"")) {
                return Harness.JSON.readTree(line);
            }
        }
        throw new AssertionError("no JSON document in:\n" + text);
    }

    /** Every file under {@code dir} with its bytes. */
    private static Map<String, String> bytes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(
                        dir.relativize(p).toString(),
                        java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
