package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Preview and replay ranges given by time on a MariaDB of its own (its binlog starts at file 1, and the test rotates
 * it): {@code --from TIME} starts reading at the last binlog file begun before the time, not at the oldest, {@code
 * --to TIME} ends the range before the first transaction at or after it, and a time older than the oldest binlog
 * left after a purge is refused naming the oldest position.
 */
class RulesReplayByTimeIT extends WithOwnMariaDb {

    @Test
    void timesFindTheirBinlogFileAndBoundTheRange() throws Exception {
        String db = server.createDatabase("rtime");
        Path dir = Harness.workDir("rules-by-time");
        Path config = pipeline(dir, db);

        phase(db, 1); // in the first file
        Instant b = rotateAndWaitASecond();
        String fileB = Harness.masterStatus(server)[0];
        phase(db, 2);
        Instant c = rotateAndWaitASecond();
        String fileC = Harness.masterStatus(server)[0];
        phase(db, 3);
        server.execute("FLUSH BINARY LOGS");
        phase(db, 4);
        assertThat(Harness.binlogs(server)).hasSizeGreaterThanOrEqualTo(4);

        // from B's time to C's: phase 2 only, read from B's file (the search), not from the oldest
        JsonNode bc = preview(dir, config, "b-to-c", "--from", b.toString(), "--to", c.toString());
        assertThat(ids(bc)).containsExactly(21, 22, 23);
        assertThat(bc.get("range").asText()).startsWith(b + " (reading from " + fileB + ":4) to " + c);
        // from C's time to the end: phases 3 and 4, from C's file
        JsonNode fromC = preview(dir, config, "from-c", "--from", c.toString());
        assertThat(ids(fromC)).containsExactly(31, 32, 33, 41, 42, 43);
        assertThat(fromC.get("range").asText()).contains("(reading from " + fileC + ":4)");
        // to a time only: everything before it
        JsonNode upToC =
                preview(dir, config, "to-c", "--from", Harness.binlogs(server).get(0) + ":4", "--to", c.toString());
        assertThat(ids(upToC)).containsExactly(11, 12, 13, 21, 22, 23);

        // a replay of B's time to C's time writes phase 2 only, under the rule file (version 1: none deployed yet)
        Path into = dir.resolve("replay-b-c");
        String[] replayArgs = {"--into", into.toString(), "--from", b.toString(), "--to", c.toString()};
        String[] replay = rules(dir, config, "replay-by-time", "replay", replayArgs);
        assertThat(replay[0]).as(replay[1]).isEqualTo("0");
        List<Integer> replayed = new ArrayList<>();
        for (JsonNode e : Harness.events(into.resolve("events"))) {
            assertThat(e.path("rules").asInt()).isEqualTo(1);
            replayed.add(e.path("after").path("id").asInt());
        }
        assertThat(replayed).containsExactly(21, 22, 23);

        // a time the binlog no longer reaches after a purge: refused, naming the oldest position left
        server.execute("PURGE BINARY LOGS TO '" + fileC + "'");
        String[] gone = rules(dir, config, "purged", "preview", "--from", b.toString());
        assertThat(gone[0]).as(gone[1]).isEqualTo("2");
        assertThat(gone[1])
                .contains("no longer reaches back")
                .contains("the oldest position it has is " + fileC + ":4")
                .contains("start: snapshot");
        // and an empty range by time is said to be one
        String[] empty = rules(dir, config, "empty", "preview", "--from", c.toString(), "--to", c.toString());
        assertThat(empty[0]).isEqualTo("2");
        assertThat(empty[1]).contains("is not after --from");
    }

    /** A pipeline file on {@code db.t} (not run) with a rule file {@code v1.yaml} that adds a column. */
    private static Path pipeline(Path dir, String db) throws Exception {
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, phase INT)");
        Files.writeString(
                dir.resolve("v1.yaml"),
                "rules:\n  - name: seen\n    match: {tables: [\"" + db + ".t\"]}\n    set: {seen: \"true\"}\n",
                StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        return Harness.config(dir, "rtime", server.host(), server.port(), "", 9531, db, start, "rules: v1.yaml\n");
    }

    /** {@code sluice rules <command> --config <config> [--rules v1.yaml] <args>}: {exit code, log}. */
    private static String[] rules(Path dir, Path config, String log, String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("rules", command, "--config", config.toString()));
        if (command.equals("preview")) {
            all.addAll(List.of("--rules", dir.resolve("v1.yaml").toString()));
        }
        all.addAll(List.of(args));
        return Harness.cli(dir, log, all.toArray(String[]::new));
    }

    /** Three single-row transactions of phase p: ids p1, p2, p3. */
    private static void phase(String db, int p) {
        for (int k = 1; k <= 3; k++) {
            server.execute("INSERT INTO " + db + ".t VALUES (" + (p * 10 + k) + ", " + p + ")");
        }
    }

    /**
     * Opens a new binlog file a second after the last write, then waits another second on the server's clock and
     * returns that time: the new file began before it, and every earlier event was before it (binlog times are
     * whole seconds).
     */
    private static Instant rotateAndWaitASecond() throws Exception {
        long wrote = serverSecond();
        awaitSecondAfter(wrote);
        server.execute("FLUSH BINARY LOGS");
        long rotated = serverSecond();
        awaitSecondAfter(rotated);
        return Instant.ofEpochSecond(serverSecond());
    }

    private static long serverSecond() throws Exception {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT UNIX_TIMESTAMP()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitSecondAfter(long second) {
        Awaitility.await("the server's clock past " + second)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> serverSecond() > second);
    }

    private static JsonNode preview(Path dir, Path config, String log, String... range) throws Exception {
        List<String> args = new ArrayList<>(List.of(range));
        args.addAll(List.of("-o", "json"));
        String[] r = rules(dir, config, log, "preview", args.toArray(String[]::new));
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        for (String line : r[1].split("\n")) {
            if (line.startsWith("{\"deployed\"")) {
                return Harness.JSON.readTree(line);
            }
        }
        throw new AssertionError("no JSON document in:\n" + r[1]);
    }

    private static List<Integer> ids(JsonNode doc) {
        List<Integer> ids = new ArrayList<>();
        doc.path("entries")
                .forEach(e -> ids.add(
                        e.path("candidate_event").path("after").path("id").asInt()));
        return ids;
    }
}
