package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A multi-table initial snapshot ({@code start: snapshot}) of {@code sluice run} SIGKILLed at random moments while a
 * writer changes the tables, restarted each time. The output, applied in order (c, u and r set a key's row, d
 * removes it), must equal the tables' final content; every r id must appear once (a chunk completed before a kill
 * is never read again: its rows would repeat their ids); every table is read in one run; and restarts resume
 * after completed chunks (the log says from which key).
 */
class SnapshotCrashIT {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());
    private static final Pattern RESUMES = Pattern.compile("snapshot (\\S+) of (\\S+) resumes after (\\d+) chunks");
    private static final MariaDbServer server = MariaDbServer.shared();

    @Test
    void killedDuringASnapshotResumesFromTheLastCompletedChunk() throws Exception {
        killedDuringASnapshot(null);
    }

    /**
     * The same as a user with only SELECT on the tables, REPLICATION SLAVE and BINLOG MONITOR: snapshot.mode auto runs
     * read-only (no signal-table write), and resumes from the last completed chunk just the same.
     */
    @Test
    void readOnlyKilledDuringASnapshotResumesFromTheLastCompletedChunk() throws Exception {
        killedDuringASnapshot("snapcrash_ro");
    }

    /** The test, as {@code user} (made here with read-only grants) or as root when null. */
    private void killedDuringASnapshot(String user) throws Exception {
        Random random = new Random(SEED);
        System.out.println("SnapshotCrashIT seed " + SEED);
        Path dir = Harness.workDir("snapcrash");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("snapcrash");
        server.execute(
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "CREATE TABLE " + db + ".b (k INT, s VARCHAR(20), bin VARBINARY(4), dt DATETIME, v INT,"
                        + " PRIMARY KEY (k, s, bin, dt))",
                "CREATE TABLE " + db + ".c (v INT, w VARCHAR(10))");
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement()) {
            for (int batch = 0; batch < 10; batch++) {
                StringBuilder a = new StringBuilder();
                StringBuilder b = new StringBuilder();
                for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
                    a.append(a.length() == 0 ? "" : ",")
                            .append("(")
                            .append(i * 2)
                            .append(",'v")
                            .append(i)
                            .append("',0)");
                    b.append(b.length() == 0 ? "" : ",")
                            .append("(")
                            .append(i / 10)
                            .append(",'")
                            .append((char) ('a' + i % 4))
                            .append("',X'0")
                            .append(i % 3)
                            .append("','2024-01-0")
                            .append(1 + i % 9)
                            .append(" 10:00:00',")
                            .append(i)
                            .append(")");
                }
                st.execute("INSERT IGNORE INTO " + db + ".a VALUES " + a);
                st.execute("INSERT IGNORE INTO " + db + ".b VALUES " + b);
            }
            st.execute("INSERT INTO " + db + ".c SELECT id % 7, CONCAT('w', id) FROM " + db + ".a WHERE id < 600");
        }
        Path config = Harness.config(
                dir,
                "snapcrash",
                server.host(),
                server.port(),
                "",
                user == null ? 9301 : 9302,
                db,
                Harness.masterStatus(server),
                "snapshot:\n  chunk-size: 5\n");
        String yaml = Files.readString(config).replaceAll("start: \\{file: [^}]*}", "start: snapshot");
        if (user != null) {
            server.createUser(user, "", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
            yaml = yaml.replace("  user: root\n", "  user: " + user + "\n");
        }
        Files.writeString(config, yaml, StandardCharsets.UTF_8);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        AtomicInteger writes = new AtomicInteger();
        Thread writer = new Thread(() -> write(db, stop, writes, writerError, new Random(SEED)), "writer");
        Path state = dir.resolve("snapcrash-state");
        Path out = dir.resolve("snapcrash-out");

        KillLoop crashes = KillLoop.start(log, config);
        writer.start();
        try {
            String seen = progress(state);
            while (crashes.kills() < 8 && Harness.snapshotRunning(state)) {
                // each kill comes after this process completed a chunk (a JVM slow to start on a loaded machine
                // would otherwise be killed before it read anything, and no restart would resume mid-table)
                seen = awaitProgress(state, seen, crashes.current());
                Thread.sleep(random.nextInt(1500)); // the subject: a kill at a random moment of the next chunk
                crashes.assertAlive();
                if (!Harness.snapshotRunning(state)) {
                    break;
                }
                assertThat(crashes.killAndRestart()).isEqualTo(137);
            }
            int kills = crashes.kills();
            SluiceProcess sluice = crashes.current();
            Harness.waiting("the snapshot done", Duration.ofSeconds(300), sluice)
                    .until(() -> !Harness.snapshotRunning(state));
            stop.set(true);
            writer.join();
            assertThat(writerError.get()).isNull();
            server.execute(
                    "CREATE TABLE " + db + ".marker (id INT PRIMARY KEY)", "INSERT INTO " + db + ".marker VALUES (1)");
            awaitMarker(out, sluice);
            Harness.awaitCaughtUp(server, out, state, 0, Duration.ofSeconds(120), sluice);
            sluice.terminate(60);
            System.out.println("SnapshotCrashIT: " + kills + " kills, " + writes.get() + " concurrent writes");
            assertThat(kills).as("kills during the snapshot").isGreaterThanOrEqualTo(3);

            List<JsonNode> events = Harness.events(out);
            verdict(db, events);
            String logText = Files.readString(log);
            Matcher m = RESUMES.matcher(logText);
            int resumedAfterChunks = 0;
            while (m.find()) {
                resumedAfterChunks = Math.max(resumedAfterChunks, Integer.parseInt(m.group(3)));
            }
            assertThat(resumedAfterChunks)
                    .as("a restart resumed after completed chunks; log " + log)
                    .isPositive();
            if (user != null) {
                assertThat(logText)
                        .as("the log says snapshots run read-only; log " + log)
                        .contains("snapshots run read-only (snapshot.mode: auto, and");
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
            crashes.close();
        }
    }

    /**
     * The checkpointed snapshot progress as "jobs left/chunks of the first job" ("" without a checkpoint or while it
     * is being replaced).
     */
    private static String progress(Path state) {
        try {
            JsonNode jobs = Harness.JSON
                    .readTree(Files.readAllBytes(state.resolve("checkpoint.json")))
                    .path("checkpoint")
                    .path("snapshot")
                    .path("jobs");
            return jobs.size() + "/" + jobs.path(0).path("chunks").asLong();
        } catch (Exception absentOrTorn) {
            return "";
        }
    }

    /** Waits until the checkpointed snapshot progress differs from {@code seen} (or the snapshot ended). */
    private static String awaitProgress(Path state, String seen, SluiceProcess p) {
        return Harness.waiting("a snapshot chunk completed after progress " + seen, Duration.ofSeconds(120), p)
                .until(
                        () -> progress(state),
                        now -> !now.isEmpty() && !now.equals(seen) && !now.endsWith("/0")
                                || !Harness.snapshotRunning(state));
    }

    private static void awaitMarker(Path out, SluiceProcess p) {
        Harness.waiting("the marker row delivered", Duration.ofSeconds(120), p)
                .until(() -> Harness.events(out).stream()
                        .anyMatch(e -> e.path("source").path("table").asText().equals("marker")
                                && e.path("op").asText().equals("c")));
    }

    private static void verdict(String db, List<JsonNode> events) throws Exception {
        Map<String, Map<String, JsonNode>> keyed = new HashMap<>();
        List<JsonNode> keyless = null;
        Set<String> readIds = new HashSet<>();
        Set<String> runs = new HashSet<>();
        Map<String, Integer> reads = new HashMap<>();
        for (JsonNode e : events) {
            String table = e.path("source").path("table").asText();
            String op = e.path("op").asText();
            if (op.equals("s") || op.equals("t") || table.equals("marker")) {
                continue;
            }
            if (op.equals("r")) {
                String id = e.path("id").asText();
                assertThat(readIds.add(id)).as("r id delivered twice: " + id).isTrue();
                runs.add(id.split(":")[2]);
                reads.merge(table, 1, Integer::sum);
                assertThat(e.path("source").path("snapshot").asBoolean()).isTrue();
            }
            if (e.path("key").isNull()) {
                if (op.equals("r") && keyless == null) {
                    keyless = new ArrayList<>();
                }
                if (keyless == null) {
                    continue; // before the keyless table's consistent read
                }
                if (!e.path("before").isNull()) {
                    assertThat(keyless.remove(e.path("before")))
                            .as("row to change exists: " + e)
                            .isTrue();
                }
                if (!e.path("after").isNull()) {
                    keyless.add(e.path("after"));
                }
            } else {
                Map<String, JsonNode> rows = keyed.computeIfAbsent(table, k -> new HashMap<>());
                if (op.equals("d")) {
                    rows.remove(e.path("key").toString());
                } else {
                    rows.put(e.path("key").toString(), e.path("after"));
                }
            }
        }
        assertThat(runs).as("one snapshot run, resumed across restarts").hasSize(1);
        assertThat(reads.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(new ArrayList<>(keyed.get("a").values()))
                .as("table a")
                .containsExactlyInAnyOrderElementsOf(content(db, "a", "JSON_OBJECT('id', id, 'v', v, 'n', n)"));
        assertThat(new ArrayList<>(keyed.get("b").values()))
                .as("table b")
                .containsExactlyInAnyOrderElementsOf(content(
                        db,
                        "b",
                        "JSON_OBJECT('k', k, 's', s, 'bin',"
                                + " TO_BASE64(bin), 'dt', DATE_FORMAT(dt, '%Y-%m-%dT%H:%i:%s'), 'v', v)"));
        assertThat(keyless)
                .as("table c")
                .containsExactlyInAnyOrderElementsOf(content(db, "c", "JSON_OBJECT('v', v, 'w', w)"));
    }

    private static List<JsonNode> content(String db, String table, String json) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + json + " FROM " + db + "." + table)) {
            while (rs.next()) {
                rows.add(Harness.JSON.readTree(rs.getString(1)));
            }
        }
        return rows;
    }

    private static void write(
            String db, AtomicBoolean stop, AtomicInteger writes, AtomicReference<Throwable> error, Random r) {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement()) {
            while (!stop.get()) {
                int id = r.nextInt(20_500);
                String sql = switch (r.nextInt(10)) {
                    case 0 -> "DELETE FROM " + db + ".a WHERE id = " + id;
                    case 1 -> "INSERT IGNORE INTO " + db + ".a VALUES (" + id + ", 'new', 0)";
                    case 2 -> "UPDATE IGNORE " + db + ".a SET id = id + 1 WHERE id = " + id;
                    case 3 -> "UPDATE " + db + ".b SET v = v + 1 WHERE k = " + id / 20;
                    case 4 -> "DELETE FROM " + db + ".b WHERE k = " + id / 20 + " AND s = 'a'";
                    case 5 -> "INSERT IGNORE INTO " + db + ".b VALUES (" + id / 20 + ", 'z', X'09', NOW(), -1)";
                    case 6 -> "UPDATE " + db + ".c SET w = 'x' WHERE v = " + r.nextInt(7) + " LIMIT 1";
                    case 7 -> "INSERT INTO " + db + ".c VALUES (" + r.nextInt(7) + ", 'n')";
                    default -> "UPDATE " + db + ".a SET v = 'u', n = n + 1 WHERE id = " + id;
                };
                try {
                    st.execute(sql);
                    writes.incrementAndGet();
                } catch (SQLTransactionRollbackException deadlock) {
                    // the next statement goes on
                }
                Thread.sleep(2); // the subject: a steady stream of writes during the snapshot
            }
        } catch (Throwable t) {
            error.set(t);
        }
    }
}
