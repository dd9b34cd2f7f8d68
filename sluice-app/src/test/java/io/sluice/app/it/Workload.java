package io.sluice.app.it;

import io.sluice.testkit.MariaDbServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A known workload over three tables, committed by one JDBC writer: inserts, updates (also of key columns) and
 * deletes, each statement touching exactly one row, in transactions of {@code minRows..maxRows} statements.
 * After each commit it records the transaction's GTID ({@code @@last_gtid}) and how many events it must yield
 * (a key-changing update yields two: a d and a c), so the verdict can check completeness and commit order.
 *
 * <ul>
 *   <li>{@code t_pk}: INT primary key, VARCHAR, DECIMAL(10,2)</li>
 *   <li>{@code t_comp}: composite primary key (INT, INT), VARCHAR, INT</li>
 *   <li>{@code t_uk}: no primary key, UNIQUE NOT NULL VARCHAR key, INT, nullable VARCHAR</li>
 * </ul>
 */
final class Workload implements Runnable, AutoCloseable {
    /** Tables and their key columns, in key order. */
    static final List<Table> TABLES = List.of(
            new Table("t_pk", List.of("id")),
            new Table("t_comp", List.of("a", "b")),
            new Table("t_uk", List.of("code")));

    record Table(String name, List<String> key) {}

    /** A committed transaction: its GTID and the number of events it must yield. */
    record Txn(String gtid, int events) {}

    private final MariaDbServer server;
    private final String db;
    private final int minRows;
    private final int maxRows;
    private final long pauseMs;
    private final Random random;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Txn> committed = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong rows = new AtomicLong();
    private volatile Throwable failure;
    private Thread thread;
    /** Held (read side) around each transaction when set: a fault test takes the write side to pause the writer. */
    private ReadWriteLock gate;

    private final List<Integer> pkIds = new ArrayList<>();
    private final List<int[]> compKeys = new ArrayList<>();
    private final List<String> ukCodes = new ArrayList<>();
    private int nextId;

    Workload(MariaDbServer server, String db, int minRows, int maxRows, long pauseMs, long seed) {
        this(server, db, minRows, maxRows, pauseMs, seed, 1);
    }

    /**
     * A writer whose new keys start at {@code firstId}: a second writer on the same tables (on a promoted replica, say)
     * touches only its own rows when its range is apart from the first one's.
     */
    Workload(MariaDbServer server, String db, int minRows, int maxRows, long pauseMs, long seed, int firstId) {
        this.nextId = firstId;
        this.server = server;
        this.db = db;
        this.minRows = minRows;
        this.maxRows = maxRows;
        this.pauseMs = pauseMs;
        this.random = new Random(seed);
    }

    static void createTables(MariaDbServer server, String db) {
        server.execute(
                "CREATE TABLE " + db + ".t_pk (id INT NOT NULL PRIMARY KEY, v VARCHAR(40), amt DECIMAL(10,2))",
                "CREATE TABLE " + db + ".t_comp (a INT NOT NULL, b INT NOT NULL, name VARCHAR(30) NOT NULL,"
                        + " qty INT, PRIMARY KEY (a, b))",
                "CREATE TABLE " + db + ".t_uk (code VARCHAR(20) NOT NULL, n INT NOT NULL, note VARCHAR(30) NULL,"
                        + " UNIQUE KEY uk_code (code))");
    }

    void stop() {
        stop.set(true);
    }

    List<Txn> committed() {
        synchronized (committed) {
            return List.copyOf(committed);
        }
    }

    long rows() {
        return rows.get();
    }

    Throwable failure() {
        return failure;
    }

    /** Fails when the writer has failed. */
    void assertNoFailure() {
        if (failure != null) {
            throw new AssertionError("writer failed", failure);
        }
    }

    /**
     * Makes the writer hold {@code gate}'s read lock around each transaction and reconnect when its connection was
     * closed between two of them (a source server restarted while the write lock was held); returns this.
     */
    Workload gated(ReadWriteLock gate) {
        this.gate = gate;
        return this;
    }

    /** Runs the writer on a thread of its own (named "writer"); returns this. */
    Workload start() {
        thread = new Thread(this, "writer");
        thread.start();
        return this;
    }

    /** Stops the writer, waits for its thread to end and fails when the writer failed. */
    void stopAndJoin() throws InterruptedException {
        stop();
        thread.join();
        assertNoFailure();
    }

    /** Stops the writer and waits at most 10 s for its thread to end (for a test's finally). */
    @Override
    public void close() throws InterruptedException {
        stop();
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** How many events the transactions committed so far must yield. */
    long expectedEvents() {
        return committed().stream().mapToLong(Txn::events).sum();
    }

    @Override
    public void run() {
        Connection c = null;
        try {
            while (!stop.get()) {
                if (gate != null) {
                    gate.readLock().lock();
                }
                try {
                    if (c == null || !c.isValid(2)) {
                        c = connect(c);
                    }
                    transaction(c);
                } finally {
                    if (gate != null) {
                        gate.readLock().unlock();
                    }
                }
                if (pauseMs > 0) {
                    Thread.sleep(random.nextInt((int) pauseMs + 1)); // the subject: pacing the workload
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            closeQuietly(c);
        }
    }

    private Connection connect(Connection old) throws SQLException {
        closeQuietly(old);
        Connection c = server.rootConnection();
        c.setCatalog(db);
        c.setAutoCommit(false);
        return c;
    }

    /** Closes a writer's connection, which may be broken already (the server restarted) or null. */
    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken already, or the writer is done
            }
        }
    }

    /** One transaction of {@code minRows..maxRows} statements, committed and recorded with its GTID. */
    private void transaction(Connection c) throws SQLException {
        int n = minRows + random.nextInt(maxRows - minRows + 1);
        int events = 0;
        for (int i = 0; i < n; i++) {
            events += statement(c);
        }
        c.commit();
        String gtid;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@last_gtid")) {
            rs.next();
            gtid = rs.getString(1);
        }
        c.commit();
        committed.add(new Txn(gtid, events));
        rows.addAndGet(n);
    }

    /** Runs one statement changing exactly one row; returns the number of events it must yield. */
    private int statement(Connection c) throws SQLException {
        int table = random.nextInt(3);
        int kind = random.nextInt(10); // 0-4 insert, 5-6 update, 7 key update, 8-9 delete
        if (table == 0) {
            if (kind < 5 || pkIds.size() < 5) {
                int id = nextId++;
                exec(c, "INSERT INTO t_pk (id, v, amt) VALUES (?, ?, ?)", id, text(), amount());
                pkIds.add(id);
                return 1;
            }
            int idx = random.nextInt(pkIds.size());
            int id = pkIds.get(idx);
            if (kind < 7) {
                exec(c, "UPDATE t_pk SET v = ?, amt = ? WHERE id = ?", text(), amount(), id);
                return 1;
            }
            if (kind == 7) {
                int nid = nextId++;
                exec(c, "UPDATE t_pk SET id = ? WHERE id = ?", nid, id);
                pkIds.set(idx, nid);
                return 2;
            }
            exec(c, "DELETE FROM t_pk WHERE id = ?", id);
            pkIds.remove(idx);
            return 1;
        }
        if (table == 1) {
            if (kind < 5 || compKeys.size() < 5) {
                int[] k = {random.nextInt(20), nextId++};
                exec(
                        c,
                        "INSERT INTO t_comp (a, b, name, qty) VALUES (?, ?, ?, ?)",
                        k[0],
                        k[1],
                        text(),
                        random.nextBoolean() ? null : random.nextInt(1000) - 500);
                compKeys.add(k);
                return 1;
            }
            int idx = random.nextInt(compKeys.size());
            int[] k = compKeys.get(idx);
            if (kind < 7) {
                exec(
                        c,
                        "UPDATE t_comp SET name = ?, qty = ? WHERE a = ? AND b = ?",
                        text(),
                        random.nextInt(99999),
                        k[0],
                        k[1]);
                return 1;
            }
            if (kind == 7) {
                int[] nk = {k[0], nextId++};
                exec(c, "UPDATE t_comp SET b = ? WHERE a = ? AND b = ?", nk[1], k[0], k[1]);
                compKeys.set(idx, nk);
                return 2;
            }
            exec(c, "DELETE FROM t_comp WHERE a = ? AND b = ?", k[0], k[1]);
            compKeys.remove(idx);
            return 1;
        }
        if (kind < 5 || ukCodes.size() < 5) {
            String code = "k" + (nextId++);
            exec(
                    c,
                    "INSERT INTO t_uk (code, n, note) VALUES (?, ?, ?)",
                    code,
                    random.nextInt(1_000_000),
                    random.nextBoolean() ? null : text());
            ukCodes.add(code);
            return 1;
        }
        int idx = random.nextInt(ukCodes.size());
        String code = ukCodes.get(idx);
        if (kind < 7) {
            exec(c, "UPDATE t_uk SET n = n + 1, note = ? WHERE code = ?", random.nextBoolean() ? null : text(), code);
            return 1;
        }
        if (kind == 7) {
            String nc = "k" + (nextId++);
            exec(c, "UPDATE t_uk SET code = ? WHERE code = ?", nc, code);
            ukCodes.set(idx, nc);
            return 2;
        }
        exec(c, "DELETE FROM t_uk WHERE code = ?", code);
        ukCodes.remove(idx);
        return 1;
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new IllegalStateException(sql + " changed " + n + " rows");
            }
        }
    }

    private String text() {
        String[] words = {"alpha", "naïve", "grüße", "😀", "x", "", "O'Brien", "tab\there", "q\"uote"};
        return words[random.nextInt(words.length)] + random.nextInt(1000);
    }

    private BigDecimal amount() {
        return BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2);
    }
}
