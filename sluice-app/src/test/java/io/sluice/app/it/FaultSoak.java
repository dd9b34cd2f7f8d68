package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fault soak of issue 13: not part of {@code mvn verify}; run it with {@code mvn -B verify -Psoak -pl sluice-app
 * -am} (see RELIABILITY.md). {@code sluice run} (file sink) reads a private MariaDB through a {@link TcpProxy} while
 * two writers commit a mixed workload, and the soak injects {@code sluice.soak.faults} (default 100) random faults:
 * SIGKILL and restart, SIGTERM and restart, every connection cut (sometimes refusing reconnects for a while), and a
 * restart of the source server. The workload: the {@link Workload} tables (inserts, updates, key changes, deletes in
 * multi-row transactions), XA transactions committed or rolled back after PREPARE, backward-compatible DDL
 * ({@code ADD COLUMN … DEFAULT}) between rows, and changes to a 20,000-row table that the pipeline snapshots
 * ({@code start: snapshot}) while the faults come.
 *
 * <p>The verdict, after the writers stop and the pipeline caught up: no event id twice; replaying the events
 * (r/c/u/d, with every update's and delete's before image equal to the replayed row) reproduces every table exactly;
 * every {@link Workload} transaction appears, complete and in commit order.
 */
class FaultSoak extends WithOwnMariaDb {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());
    private static final int FAULTS = Integer.getInteger("sluice.soak.faults", 100);
    private static final int SNAP_ROWS = 20_000;
    private static final Pattern ADD_COLUMN = Pattern.compile("ADD COLUMN (c\\d+) INT NOT NULL DEFAULT (\\d+)");

    enum Fault { KILL, TERM, CUT, SOURCE_RESTART }

    @Test
    void randomFaultsUnderAMixedWorkloadLoseAndRepeatNothing() throws Exception {
        Random random = new Random(SEED);
        System.out.println("FaultSoak seed " + SEED + ", " + FAULTS + " faults");
        Path dir = Harness.workDir("soak");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("soak");
        Workload.createTables(server, db);
        server.execute("CREATE TABLE " + db + ".t_xa (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)",
                "CREATE TABLE " + db + ".t_ddl (id INT NOT NULL PRIMARY KEY, a INT NOT NULL)",
                "CREATE TABLE " + db + ".t_snap (id INT NOT NULL PRIMARY KEY, v VARCHAR(30) NOT NULL, n INT NOT NULL)");
        try (Connection c = server.rootConnection(); Statement st = c.createStatement()) {
            for (int base = 0; base < SNAP_ROWS; base += 1000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".t_snap VALUES ");
                for (int i = base; i < base + 1000; i++) {
                    sql.append(i == base ? "" : ",").append("(").append(i).append(",'s").append(i).append("',0)");
                }
                st.execute(sql.toString());
            }
        }

        ReadWriteLock gate = new ReentrantReadWriteLock();
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        List<String> unexpectedExits = new ArrayList<>();
        try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            Path config = Harness.config(dir, "soak", proxy.host(), proxy.port(), "", 9601, db,
                    Harness.masterStatus(server), "snapshot:\n  chunk-size: 250\n");
            Files.writeString(config, Files.readString(config).replaceAll("start: \\{file: [^}]*}", "start: snapshot"),
                    StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            Workload writer = new Workload(server, db, 1, 40, 20, SEED).gated(gate).start();
            SideWriter side = new SideWriter(server, db, gate, new Random(SEED + 1));
            Thread sideThread = new Thread(side, "side-writer");
            sideThread.start();
            KillLoop sluice = KillLoop.start(log, config);
            try {
                for (int i = 0; i < FAULTS; i++) {
                    Thread.sleep(300 + random.nextInt(2200));
                    writer.assertNoFailure();
                    side.assertNoFailure();
                    if (!sluice.current().isAlive()) {
                        unexpectedExits.add("before fault " + i + ": exit " + sluice.current().process().exitValue());
                        sluice.killAndRestartDead();
                    }
                    Fault f = pick(random);
                    injected.merge(f, 1, Integer::sum);
                    switch (f) {
                        case KILL -> sluice.killAndRestart();
                        case TERM -> sluice.terminateAndRestart(60);
                        case CUT -> {
                            proxy.cutAll();
                            if (random.nextInt(3) == 0) {
                                proxy.setRefusing(true);
                                Thread.sleep(500 + random.nextInt(2500));
                                proxy.setRefusing(false);
                            }
                        }
                        case SOURCE_RESTART -> {
                            gate.writeLock().lock();
                            try {
                                server.restart();
                            } finally {
                                gate.writeLock().unlock();
                            }
                        }
                    }
                }
                writer.stopAndJoin();
                side.stop.set(true);
                sideThread.join();
                side.assertNoFailure();
                System.out.println("FaultSoak: faults " + injected + ", " + writer.committed().size()
                        + " workload transactions (" + writer.rows() + " rows), " + side.xaCommitted.get()
                        + " XA committed, " + side.xaRolledBack.get() + " XA rolled back, " + side.ddl.get()
                        + " DDL, " + side.snapChanges.get() + " changes to the snapshotted table, " + side.snapshots.get()
                        + " on-demand snapshots requested, wrote for "
                        + (System.nanoTime() - t0) / 1_000_000_000L + " s");
                if (!sluice.current().isAlive()) {
                    unexpectedExits.add("after the faults: exit " + sluice.current().process().exitValue());
                    sluice.killAndRestartDead();
                }
                long c0 = System.nanoTime();
                awaitCaughtUp(dir.resolve("soak-out"), dir.resolve("soak-state"), sluice.current(),
                        Duration.ofSeconds(300));
                System.out.println("FaultSoak: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
                sluice.current().terminate(60);

                List<JsonNode> events = Harness.events(dir.resolve("soak-out"));
                List<String> problems = verdict(db, events, writer.committed(), side.defaults);
                Files.write(dir.resolve("problems.txt"), problems, StandardCharsets.UTF_8);
                System.out.println("FaultSoak: " + events.size() + " events, " + problems.size() + " problems, "
                        + unexpectedExits.size() + " unexpected exits; log " + log);
                assertThat(unexpectedExits).as("sluice exits nobody asked for; log " + log).isEmpty();
                assertThat(problems).as("verdict over " + events.size() + " events; log " + log).isEmpty();
                assertThat(injected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(FAULTS);
            } finally {
                writer.close();
                side.stop.set(true);
                sideThread.join(10_000);
                sluice.close();
            }
        }
    }

    private static Fault pick(Random random) {
        int r = random.nextInt(10);
        return r < 4 ? Fault.KILL : r < 5 ? Fault.TERM : r < 8 ? Fault.CUT : Fault.SOURCE_RESTART;
    }

    /** Waits until the checkpoint equals SHOW MASTER STATUS and the output stopped growing (no event count known). */
    private static void awaitCaughtUp(Path out, Path state, SluiceProcess p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        int stable = 0;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("sluice exited (" + p.process().exitValue() + ") while catching up; log "
                        + p.log());
            }
            long n = Harness.lineCount(out);
            String[] master = Harness.masterStatus(server);
            String[] cp = Harness.checkpoint(state);
            stable = n == last ? stable + 1 : 0;
            last = n;
            if (stable >= 5 && cp != null && cp[0].equals(master[0]) && cp[1].equals(master[1])) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("sluice did not catch up within " + timeout + "; log " + p.log());
    }

    /** All problems found in the output; empty when the output is exactly the workload. */
    private static List<String> verdict(String db, List<JsonNode> events, List<Workload.Txn> committed,
                                        Map<String, Integer> defaults) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode e : events) {
            if (!ids.add(e.path("id").asText())) {
                problems.add("duplicate event id " + e.path("id").asText());
            }
        }
        Map<String, Workload.Table> tables = new LinkedHashMap<>();
        for (Workload.Table t : Workload.TABLES) {
            tables.put(t.name(), t);
        }
        for (String t : List.of("t_xa", "t_ddl", "t_snap")) {
            tables.put(t, new Workload.Table(t, List.of("id")));
        }
        Map<String, Map<String, JsonNode>> replay = new HashMap<>();
        tables.keySet().forEach(t -> replay.put(t, new TreeMap<>()));
        // a change to a row that its table's snapshot has not read yet comes before the row's r event (or instead of
        // it, for a delete): until a table's last r event, an update or delete of an unseen row is expected
        Map<String, Integer> lastR = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).path("op").asText().equals("r")) {
                lastR.put(events.get(i).path("source").path("table").asText(), i);
            }
        }
        List<String> txnOrder = new ArrayList<>();
        Set<String> workloadGtids = new HashSet<>();
        committed.forEach(t -> workloadGtids.add(t.gtid()));
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            String table = e.path("source").path("table").asText();
            Workload.Table t = tables.get(table);
            if (t == null || !db.equals(e.path("source").path("db").asText())) {
                problems.add("event for an unexpected table: " + e.path("id"));
                continue;
            }
            Map<String, JsonNode> rows = replay.get(table);
            String op = e.path("op").asText();
            if (op.equals("s")) {
                Matcher m = ADD_COLUMN.matcher(e.toString());
                while (m.find()) {
                    for (JsonNode row : rows.values()) {
                        ((ObjectNode) row).put(m.group(1), Integer.parseInt(m.group(2)));
                    }
                }
                continue;
            }
            String gtid = e.path("source").path("gtid").asText();
            if (workloadGtids.contains(gtid) && (txnOrder.isEmpty() || !txnOrder.get(txnOrder.size() - 1).equals(gtid))) {
                txnOrder.add(gtid);
            }
            JsonNode before = e.get("before");
            JsonNode after = e.get("after");
            switch (op) {
                case "c", "r" -> rows.put(Harness.key(after, t.key()), after.deepCopy());
                case "u", "d" -> {
                    String k = Harness.key(before, t.key());
                    JsonNode had = rows.remove(k);
                    if (had == null) {
                        if (i > lastR.getOrDefault(table, -1)) {
                            problems.add(op + " of a row not seen before: " + e.path("id"));
                        }
                    } else if (!had.equals(before)) {
                        problems.add(op + "'s before image " + before + " differs from replayed " + had + ": "
                                + e.path("id"));
                    }
                    if (op.equals("u")) {
                        rows.put(Harness.key(after, t.key()), after.deepCopy());
                    }
                }
                default -> problems.add("unexpected op " + op + ": " + e.path("id"));
            }
        }
        // the workload's transactions committed before the snapshot's start position are in its r events; all after
        // it appear, each once, in commit order
        List<String> expectedOrder = committed.stream().map(Workload.Txn::gtid).toList();
        int from = txnOrder.isEmpty() ? expectedOrder.size() : expectedOrder.indexOf(txnOrder.get(0));
        List<String> expectedTail = from < 0 ? expectedOrder : expectedOrder.subList(from, expectedOrder.size());
        if (!txnOrder.equals(expectedTail)) {
            int i = 0;
            while (i < Math.min(txnOrder.size(), expectedTail.size()) && txnOrder.get(i).equals(expectedTail.get(i))) {
                i++;
            }
            problems.add("workload transactions differ from commit order at index " + i + " of the output (output "
                    + txnOrder.size() + ", committed after the start " + expectedTail.size() + ")");
        }
        for (Workload.Table t : tables.values()) {
            Map<String, JsonNode> actual = Harness.tableContent(server, db, t);
            Map<String, JsonNode> replayed = replay.get(t.name());
            int shown = 0;
            Set<String> keys = new java.util.TreeSet<>(actual.keySet());
            keys.addAll(replayed.keySet());
            for (String k : keys) {
                JsonNode a = actual.get(k);
                JsonNode r = replayed.get(k);
                if (a == null ? r != null : !a.equals(r)) {
                    if (shown++ < 5) {
                        problems.add(t.name() + " key " + k + ": table has " + a + ", replay has " + r);
                    }
                }
            }
            if (shown > 0) {
                problems.add(t.name() + ": " + shown + " rows differ (table " + actual.size() + ", replay "
                        + replayed.size() + ")");
            }
        }
        return problems;
    }

    /**
     * The second writer: XA transactions on {@code t_xa} (PREPARE, then COMMIT or ROLLBACK after a pause),
     * backward-compatible DDL on {@code t_ddl} between its rows, and single-row changes to the snapshotted
     * {@code t_snap}; each unit of work holds the gate's read lock and reconnects after a source restart.
     */
    private static final class SideWriter implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong xaCommitted = new AtomicLong();
        final AtomicLong xaRolledBack = new AtomicLong();
        final AtomicLong ddl = new AtomicLong();
        final AtomicLong snapChanges = new AtomicLong();
        final AtomicLong snapshots = new AtomicLong();
        final Map<String, Integer> defaults = new ConcurrentHashMap<>();
        private final MariaDbServer server;
        private final String db;
        private final ReadWriteLock gate;
        private final Random random;
        private final List<Integer> xaIds = new ArrayList<>();
        private int nextXaId = 1;
        private int nextDdlId = 1;
        private int nextSnapId = SNAP_ROWS;
        private int xid = 1;
        private volatile Throwable failure;

        SideWriter(MariaDbServer server, String db, ReadWriteLock gate, Random random) {
            this.server = server;
            this.db = db;
            this.gate = gate;
            this.random = random;
        }

        void assertNoFailure() {
            if (failure != null) {
                throw new AssertionError("side writer failed", failure);
            }
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                while (!stop.get()) {
                    gate.readLock().lock();
                    try {
                        if (c == null || !c.isValid(2)) {
                            Workload.closeQuietly(c);
                            c = server.rootConnection();
                            c.setCatalog(db);
                        }
                        int kind = random.nextInt(10);
                        if (random.nextInt(400) == 0) {
                            requestSnapshot(c);
                        } else if (kind < 4) {
                            xa(c);
                        } else if (kind < 8) {
                            snap(c);
                        } else {
                            ddlTable(c);
                        }
                    } finally {
                        gate.readLock().unlock();
                    }
                    Thread.sleep(random.nextInt(40));
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                Workload.closeQuietly(c);
            }
        }

        private void xa(Connection c) throws Exception {
            String x = "'soak" + (xid++) + "'";
            List<Integer> inserted = new ArrayList<>();
            Integer deleted = null;
            try (Statement st = c.createStatement()) {
                st.execute("XA START " + x);
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    int id = nextXaId++;
                    st.execute("INSERT INTO t_xa VALUES (" + id + ", " + random.nextInt(1000) + ")");
                    inserted.add(id);
                }
                if (!xaIds.isEmpty()) {
                    int id = xaIds.get(random.nextInt(xaIds.size()));
                    if (random.nextBoolean()) {
                        st.execute("UPDATE t_xa SET v = v + 1 WHERE id = " + id);
                    } else {
                        st.execute("DELETE FROM t_xa WHERE id = " + id);
                        deleted = id;
                    }
                }
                st.execute("XA END " + x);
                st.execute("XA PREPARE " + x);
                Thread.sleep(random.nextInt(300));
                if (random.nextInt(4) == 0) {
                    st.execute("XA ROLLBACK " + x);
                    xaRolledBack.incrementAndGet();
                } else {
                    st.execute("XA COMMIT " + x);
                    xaCommitted.incrementAndGet();
                    xaIds.addAll(inserted);
                    if (deleted != null) {
                        xaIds.remove(deleted);
                    }
                }
            }
        }

        /** Asks the pipeline for an on-demand snapshot of two tables (once the signal table exists). */
        private void requestSnapshot(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO sluice.sluice_signal (id, pipeline, kind, tables, filter) VALUES (UUID(),"
                        + " 'soak', 'snapshot', '" + db + ".t_snap," + db + ".t_pk', NULL)");
                snapshots.incrementAndGet();
            } catch (SQLException e) {
                if (e.getErrorCode() != 1146 && e.getErrorCode() != 1049) { // no signal table yet: skip this one
                    throw e;
                }
            }
        }

        private void snap(Connection c) throws SQLException {
            int r = random.nextInt(10);
            try (Statement st = c.createStatement()) {
                if (r < 6) {
                    st.execute("UPDATE t_snap SET n = n + 1 WHERE id = " + random.nextInt(nextSnapId));
                } else if (r < 8) {
                    st.execute("DELETE FROM t_snap WHERE id = " + random.nextInt(nextSnapId));
                } else {
                    st.execute("INSERT INTO t_snap VALUES (" + (nextSnapId++) + ", 'new', 1)");
                }
            }
            snapChanges.incrementAndGet();
        }

        private void ddlTable(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                if (random.nextInt(8) == 0 && defaults.size() < 25) {
                    String col = "c" + (defaults.size() + 1);
                    int dflt = random.nextInt(100);
                    st.execute("ALTER TABLE t_ddl ADD COLUMN " + col + " INT NOT NULL DEFAULT " + dflt);
                    defaults.put(col, dflt);
                    ddl.incrementAndGet();
                } else if (nextDdlId > 1 && random.nextBoolean()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE t_ddl SET a = a + 1 WHERE id = ?")) {
                        ps.setInt(1, 1 + random.nextInt(nextDdlId - 1));
                        ps.executeUpdate();
                    }
                } else {
                    st.execute("INSERT INTO t_ddl (id, a) VALUES (" + (nextDdlId++) + ", " + random.nextInt(9) + ")");
                }
            }
        }
    }
}
