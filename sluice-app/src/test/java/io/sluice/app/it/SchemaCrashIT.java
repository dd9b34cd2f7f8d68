package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Schema changes across crashes: while a writer interleaves DDL (columns added, dropped, retyped) with DML,
 * {@code sluice run} is SIGKILLed at random moments and restarted. Afterwards every event appears once, every
 * row event's columns are those of the version its {@code schema} names (as the writer's DDL sequence defines
 * them, and as the history and the {@code s} events say), and applying the output in order reproduces the table.
 */
class SchemaCrashIT extends WithOwnMariaDb {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    /** Writes DDL and DML to db.t and remembers each version's columns and how many events to expect. */
    static final class Writer implements Runnable {
        final String db;
        final Random rnd;
        final List<List<String>> versions = new ArrayList<>();
        final AtomicLong expected = new AtomicLong();
        volatile boolean stop;
        volatile Throwable failure;

        Writer(String db, long seed) {
            this.db = db;
            this.rnd = new Random(seed);
        }

        @Override
        public void run() {
            List<String> cols = new ArrayList<>(List.of("id", "v0"));
            List<Integer> ids = new ArrayList<>();
            int nextCol = 1;
            int nextId = 1;
            try (Connection c = server.rootConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v0 INT)");
                versions.add(List.copyOf(cols));
                expected.incrementAndGet();
                boolean big = false;
                while (!stop) {
                    int r = rnd.nextInt(100);
                    String ddl = null;
                    if (r < 5 && cols.size() < 6) {
                        String col = "v" + nextCol++;
                        int at = 1 + rnd.nextInt(cols.size());
                        ddl = "ALTER TABLE " + db + ".t ADD COLUMN " + col + " INT NULL AFTER " + cols.get(at - 1);
                        cols.add(at, col);
                    } else if (r < 9 && cols.size() > 2) {
                        String col = cols.remove(1 + rnd.nextInt(cols.size() - 1));
                        ddl = "ALTER TABLE " + db + ".t DROP COLUMN " + col;
                    } else if (r < 11) {
                        big = !big;
                        ddl = "ALTER TABLE " + db + ".t MODIFY " + cols.get(cols.size() - 1)
                                + (big ? " BIGINT" : " INT");
                    }
                    if (ddl != null) {
                        st.execute(ddl);
                        versions.add(List.copyOf(cols));
                        expected.incrementAndGet();
                        continue;
                    }
                    c.setAutoCommit(false);
                    int n = 1 + rnd.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        int op = rnd.nextInt(10);
                        if (op < 5 || ids.isEmpty()) {
                            StringBuilder values = new StringBuilder().append(nextId);
                            for (int i = 1; i < cols.size(); i++) {
                                values.append(", ").append(rnd.nextInt(5) == 0 ? "NULL" : "" + rnd.nextInt(1000));
                            }
                            st.executeUpdate("INSERT INTO " + db + ".t (" + String.join(", ", cols) + ") VALUES ("
                                    + values + ")");
                            ids.add(nextId++);
                        } else if (op < 8 && cols.size() > 1) {
                            String col = cols.get(1 + rnd.nextInt(cols.size() - 1));
                            st.executeUpdate("UPDATE " + db + ".t SET " + col + " = COALESCE(" + col + ", 0) + 1"
                                    + " WHERE id = " + ids.get(rnd.nextInt(ids.size())));
                        } else {
                            st.executeUpdate(
                                    "DELETE FROM " + db + ".t WHERE id = " + ids.remove(rnd.nextInt(ids.size())));
                        }
                        expected.incrementAndGet();
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    Thread.sleep(rnd.nextInt(15)); // the subject: pacing the workload
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @Test
    void killedDuringDdlAndDmlEveryEventMatchesItsVersion() throws Exception {
        Random random = new Random(SEED);
        System.out.println("SchemaCrashIT seed " + SEED);
        Path dir = Harness.workDir("schema-crash");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("schemacrash");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir, "sc", server.host(), server.port(), "", 9301, db, start, "schema:\n  compatibility: none\n");
        Writer writer = new Writer(db, SEED);
        Thread writerThread = new Thread(writer, "ddl-writer");
        writerThread.start();
        KillLoop crashes = KillLoop.start(log, config);
        try {
            crashes.killRepeatedly(
                    System.nanoTime() + Duration.ofSeconds(25).toNanos(), 8, () -> 300 + random.nextInt(2200), code -> {
                        assertThat(code).isEqualTo(137);
                        if (writer.failure != null) {
                            throw new AssertionError("writer failed", writer.failure);
                        }
                    });
            writer.stop = true;
            writerThread.join();
            if (writer.failure != null) {
                throw new AssertionError("writer failed", writer.failure);
            }
            int kills = crashes.kills();
            long expected = writer.expected.get();
            System.out.println("SchemaCrashIT: " + kills + " kills, " + writer.versions.size() + " versions, "
                    + expected + " events expected");
            Harness.awaitCaughtUp(
                    server,
                    dir.resolve("sc-out"),
                    dir.resolve("sc-state"),
                    expected,
                    Duration.ofSeconds(120),
                    crashes.current());
            crashes.current().terminate(60);

            List<JsonNode> events = Harness.events(dir.resolve("sc-out"));
            assertThat(events).hasSize((int) expected);
            Set<String> ids = new HashSet<>();
            Map<Integer, ObjectNode> rows = new TreeMap<>();
            int version = 0;
            List<String> current = List.of();
            for (JsonNode e : events) {
                assertThat(ids.add(e.get("id").asText()))
                        .as("event %s once", e.get("id"))
                        .isTrue();
                int v = e.get("schema").asInt();
                String op = e.get("op").asText();
                if (op.equals("s")) {
                    assertThat(v).as("versions count up by one").isEqualTo(version + 1);
                    version = v;
                    current = writer.versions.get(v - 1);
                    assertThat(e.get("columns").findValuesAsText("name"))
                            .as("s event of version " + v)
                            .isEqualTo(current);
                    for (ObjectNode row : rows.values()) {
                        Iterator<String> names = row.fieldNames();
                        List<String> drop = new ArrayList<>();
                        names.forEachRemaining(n -> {
                            if (!writer.versions.get(v - 1).contains(n)) {
                                drop.add(n);
                            }
                        });
                        row.remove(drop);
                        for (String c : current) {
                            if (!row.has(c)) {
                                row.putNull(c);
                            }
                        }
                    }
                    continue;
                }
                assertThat(v)
                        .as("row event %s decoded with the current version", e.get("id"))
                        .isEqualTo(version);
                JsonNode image = op.equals("d") ? e.get("before") : e.get("after");
                List<String> names = new ArrayList<>();
                image.fieldNames().forEachRemaining(names::add);
                assertThat(names)
                        .as("columns of %s (version %d)", e.get("id"), v)
                        .isEqualTo(current);
                int id = image.get("id").asInt();
                if (op.equals("d")) {
                    rows.remove(id);
                } else {
                    rows.put(id, (ObjectNode) image.deepCopy());
                }
            }
            assertThat(version).isEqualTo(writer.versions.size());
            Map<Integer, JsonNode> table = new TreeMap<>();
            try (Connection c = server.rootConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM " + db + ".t")) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    ObjectNode row = Harness.JSON.createObjectNode();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        long x = rs.getLong(i);
                        if (rs.wasNull()) {
                            row.putNull(md.getColumnLabel(i));
                        } else {
                            row.put(md.getColumnLabel(i), x);
                        }
                    }
                    table.put(
                            rs.getInt(1),
                            Harness.JSON.readTree(row.toString())); // number nodes as parsed JSON has them
                }
            }
            // members compared by name (a row read before a column was added AFTER another has it at the end)
            assertThat(rows.keySet()).isEqualTo(table.keySet());
            for (Map.Entry<Integer, JsonNode> e : table.entrySet()) {
                assertThat((JsonNode) rows.get(e.getKey()))
                        .as("row %d", e.getKey())
                        .isEqualTo(e.getValue());
            }

            // the durable history agrees with the DDL sequence
            SchemaHistory history = SchemaHistory.open(dir.resolve("sc-state"));
            List<SchemaVersion> versions = history.versions(db + ".t");
            assertThat(versions)
                    .extracting(SchemaVersion::version)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, writer.versions.size())
                            .boxed()
                            .toList());
            for (SchemaVersion sv : versions) {
                assertThat(sv.model().columnNames())
                        .as("history version " + sv.version())
                        .isEqualTo(writer.versions.get(sv.version() - 1));
            }
        } finally {
            writer.stop = true;
            writerThread.join(10_000);
            crashes.close();
        }
    }
}
