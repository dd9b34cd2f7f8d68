package io.sluice.app.it;

import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The fault soaks' second writer, beside {@link Workload}: XA transactions on {@code t_xa} (PREPARE, then COMMIT or ROLLBACK after a pause),
 * backward-compatible DDL on {@code t_ddl} between its rows, and single-row changes to the snapshotted
 * {@code t_snap}; each unit of work holds the gate's read lock and reconnects after a source restart.
 */
final class SoakSideWriter implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong xaCommitted = new AtomicLong();
    final AtomicLong xaRolledBack = new AtomicLong();
    final AtomicLong ddl = new AtomicLong();
    final AtomicLong snapChanges = new AtomicLong();
    final AtomicLong snapshots = new AtomicLong();
    final Map<String, Integer> defaults = new ConcurrentHashMap<>();
    private final MariaDbServer server;
    private final String db;
    private final String pipeline;
    private final ReadWriteLock gate;
    private final Random random;
    private final List<Integer> xaIds = new ArrayList<>();
    private int nextXaId = 1;
    private int nextDdlId = 1;
    private int nextSnapId;
    private int xid = 1;
    private volatile Throwable failure;

    SoakSideWriter(MariaDbServer server, String db, String pipeline, int snapRows, ReadWriteLock gate, Random random) {
        this.server = server;
        this.db = db;
        this.pipeline = pipeline;
        this.gate = gate;
        this.random = random;
        this.nextSnapId = snapRows;
    }

    /** Creates {@code t_xa}, {@code t_ddl} and {@code t_snap} with {@code snapRows} rows in {@code t_snap}. */
    static void createTables(MariaDbServer server, String db, int snapRows) throws SQLException {
        server.execute(
                "CREATE TABLE " + db + ".t_xa (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)",
                "CREATE TABLE " + db + ".t_ddl (id INT NOT NULL PRIMARY KEY, a INT NOT NULL)",
                "CREATE TABLE " + db + ".t_snap (id INT NOT NULL PRIMARY KEY, v VARCHAR(30) NOT NULL, n INT NOT NULL)");
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement()) {
            for (int base = 0; base < snapRows; base += 1000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".t_snap VALUES ");
                for (int i = base; i < Math.min(snapRows, base + 1000); i++) {
                    sql.append(i == base ? "" : ",")
                            .append("(")
                            .append(i)
                            .append(",'s")
                            .append(i)
                            .append("',0)");
                }
                st.execute(sql.toString());
            }
        }
    }

    /** What it committed, for the soak's summary line. */
    String summary() {
        return xaCommitted.get() + " XA committed, " + xaRolledBack.get() + " XA rolled back, " + ddl.get()
                + " DDL, " + snapChanges.get() + " changes to t_snap, " + snapshots.get()
                + " on-demand snapshots requested";
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
                Thread.sleep(random.nextInt(40)); // the subject: pacing the workload
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
            Thread.sleep(random.nextInt(300)); // the subject: a prepared XA transaction left open a while
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
            st.execute("INSERT INTO sluice.sluice_signal (id, pipeline, kind, tables, filter) VALUES (UUID()," + " '"
                    + pipeline + "', 'snapshot', '" + db + ".t_snap," + db + ".t_pk', NULL)");
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
