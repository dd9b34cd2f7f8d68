package io.sluice.mysql.snapshot;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.encode.RenderedRows;
import io.sluice.mysql.server.ErrorClassifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading side of the watermark snapshot: on its own thread and JDBC connection (autocommit, no locks, no long
 * transaction), for each chunk of the current table it writes a low watermark to the signal table, reads the chunk
 * ({@code WHERE key > last ORDER BY key LIMIT n}, streamed and rendered as it arrives), hands it to the
 * {@link SnapshotTracker} and writes a high watermark, which is also the next chunk's low one while the table goes
 * on. The binlog reader emits a chunk when it passes its high watermark; meanwhile the next chunk is read (at most
 * {@value #MAX_IN_FLIGHT} wait for the binlog reader).
 *
 * <p>A table with no primary key and no unique NOT NULL index (or with a key of a type whose order and comparison
 * disagree, such as ENUM) is read whole in one REPEATABLE READ consistent snapshot whose binlog position MariaDB
 * reports ({@code binlog_snapshot_file/position}); its rows are emitted when the binlog reader reaches that
 * position. Such a table is held in memory while read, and the binlog reader waits for it.
 */
public final class SnapshotCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCoordinator.class);

    /**
     * Opens a JDBC connection of the coordinator: over the text protocol (client-side prepared statements), or the
     * binary one (server-side prepared statements) for tables with FLOAT or DOUBLE columns, whose exact values only
     * the binary protocol carries. The text protocol costs the server about a quarter less CPU per row (measured on a
     * 5,000,000-row table: 4.7 against 6.3-6.5 s) and the driver less to decode.
     */
    @FunctionalInterface
    public interface Jdbc {
        Connection connect(boolean binaryProtocol) throws SQLException;
    }

    private final String name;
    private final SnapshotConfig config;
    private final SnapshotTracker tracker;
    private final Jdbc jdbc;
    private final Consumer<Throwable> onFailure;
    /** The connection of watermarks, plans and chunk reads over the text protocol, or null until there is work. */
    private volatile Connection mainConn;
    /** The binary-protocol connection (used on the coordinator thread only), or null until a table needs it. */
    private volatile Connection binaryConn;
    /** A second text-protocol connection, for whole-table reads ({@link #side}), or null. */
    private volatile Connection textConn;

    private final SignalTable signal;
    /**
     * True when this run writes nothing ({@code snapshot.mode} read-only, or auto with a signal table the user cannot
     * write): each chunk is read in a consistent snapshot at the binlog position the server reports and emitted
     * there, with no watermark.
     */
    private volatile boolean readOnly;
    /** Rows of a table's first chunk, before its row width is known. */
    static final int FIRST_CHUNK_ROWS = 16;

    /** Chunks read but not yet emitted at most: one waits for the binlog reader while the next is read. */
    private static final int MAX_IN_FLIGHT = 2;

    private final Map<String, TablePlan> plans = new HashMap<>();
    /** Per plan, the tracker's count of DDL statements on its table when it was described ({@link #plan}). */
    private final Map<String, Integer> planDdlCounts = new HashMap<>();
    /** Plans whose key changed its columns or kinds under a DDL: their reading starts over from the first row. */
    private final Set<String> restart = new HashSet<>();

    private final Map<String, Long> estimates = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    /** Rows to read in the next chunk of a run's table: adapted to the row width. */
    private final Map<String, Integer> limits = new HashMap<>();
    /**
     * A chunk announced and opened by the last watermark, which closed the chunk before it (one write: that chunk's
     * high watermark and this one's low), or null: the next chunk read goes on from it.
     */
    private String opened;

    private String nonce;
    private long seq;
    private volatile boolean stopped;
    private Thread thread;
    /** Where this thread's time went while reading the current table, logged when the table's reading ends. */
    private final Timing timing = new Timing();

    private static final class Timing {
        long chunks;
        long queryNanos;
        long watermarkNanos;
        long waitNanos;
    }

    public SnapshotCoordinator(
            String name, SnapshotConfig config, SnapshotTracker tracker, Jdbc jdbc, Consumer<Throwable> onFailure) {
        this.name = name;
        this.config = config;
        this.tracker = tracker;
        this.jdbc = jdbc;
        this.onFailure = onFailure;
        this.signal = new SignalTable(config);
    }

    public void start() {
        thread = new Thread(this::run, "sluice-" + name + "-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the thread and releases the binlog reader from any wait for it. Returns at once: a query in progress (a
     * whole-table read holding its consistent snapshot open, a statement waiting for a lock) is ended on the server
     * by aborting the connections, on a thread of its own.
     */
    public void stop() {
        stopped = true;
        tracker.stop();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        List<Connection> open = new java.util.ArrayList<>();
        for (Connection c : new Connection[] {mainConn, binaryConn, textConn}) {
            if (c != null) {
                open.add(c);
            }
        }
        if (!open.isEmpty()) {
            Thread abort = new Thread(() -> abort(open), "sluice-" + name + "-snapshot-abort");
            abort.setDaemon(true);
            abort.start();
        }
    }

    private static void abort(List<Connection> connections) {
        for (Connection c : connections) {
            try {
                c.abort(Runnable::run); // the driver kills a statement in progress from a connection of its own
            } catch (SQLException | RuntimeException ignored) {
                // closed already, or the server is gone: nothing runs on it any more
            }
        }
    }

    private void run() {
        try {
            // a pipeline without snapshot work needs neither the connection nor the signal table
            while (!stopped && tracker.awaitJob(1000) == null) {
                // waiting for a snapshot request in the binlog
            }
            if (stopped) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (Connection conn = session(jdbc.connect(false))) {
            mainConn = conn;
            try (Statement st = conn.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT @@server_id")) {
                    rs.next();
                    tracker.serverId(rs.getLong(1));
                }
            }
            readOnly = readOnly(conn);
            nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
            SnapshotProgress.Job reading = null; // the job this thread reads ahead in, with its own lower bound
            String lastKey = null;
            while (!stopped) {
                SnapshotProgress.Job job = tracker.awaitJob(1000);
                if (job == null || stopped) {
                    abandonOpened(); // paused, or the job ended (cancelled)
                    reading = null;
                    continue;
                }
                if (reading == null || !same(reading, job)) {
                    abandonOpened();
                    reading = job;
                    lastKey = restart.remove(job.run() + "/" + job.table()) ? null : job.lastKey();
                }
                // one chunk may wait for the binlog reader while the next is read: reading, emitting and writing
                // overlap (an opened chunk counts too, without rows yet)
                long t0 = System.nanoTime();
                boolean room = tracker.awaitRoom(MAX_IN_FLIGHT + (opened == null ? 0 : 1), 1000);
                timing.waitNanos += System.nanoTime() - t0;
                if (!room || tracker.paused() || !same(reading, tracker.current())) {
                    continue;
                }
                String next = chunk(conn, job, lastKey);
                if (next == null) {
                    reading = null;
                } else {
                    lastKey = next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            failed(e instanceof SluiceException se ? se : ErrorClassifier.classify(e));
        } catch (Error e) {
            failed(SluiceException.fatal("the snapshot thread of pipeline " + name + " failed: " + e, e));
        } finally {
            mainConn = null;
            closeReadConnections();
        }
    }

    /**
     * This thread ends with {@code e}: the binlog reader must wait for none of its chunks (a whole-table read's rows
     * above all), and the pipeline fails with {@code e}, to retry from its checkpoint when {@code e} is retriable.
     */
    private void failed(SluiceException e) {
        tracker.fail(e);
        if (!stopped) {
            onFailure.accept(e);
        }
    }

    /**
     * The next chunk's row count after reading {@code rows} rows of {@code bytes} rendered bytes in all: {@code
     * budget} bytes of rendered rows at their average width, at least 1 and at most {@code max} (the configured chunk
     * size).
     */
    static int nextLimit(int rows, long bytes, int max, long budget) {
        if (rows == 0 || bytes == 0) {
            return max;
        }
        long fit = budget * rows / Math.max(bytes, rows);
        return (int) Math.max(1, Math.min(max, fit));
    }

    private static boolean same(SnapshotProgress.Job a, SnapshotProgress.Job b) {
        return b != null && a.run().equals(b.run()) && a.table().equals(b.table());
    }

    private String newToken() {
        return nonce + "-" + ++seq;
    }

    /** Forgets the opened chunk, if any: it will not be read (the tracker ignores its watermarks). */
    private void abandonOpened() {
        if (opened != null) {
            tracker.abandon(opened);
            opened = null;
        }
    }

    /**
     * Reads one chunk of the job after {@code lastKey} between its watermarks, rendering the rows as they arrive, and
     * hands them to the tracker. Returns the next chunk's lower bound, or null when the job's reading ended (its last
     * chunk, a whole-table read, a cancellation): the next job is then taken from the progress once the binlog
     * reader has passed this chunk. When the job goes on, the high watermark also opens the next chunk ({@link
     * #opened}): one watermark write per chunk instead of two.
     */
    private String chunk(Connection conn, SnapshotProgress.Job job, String lastKey)
            throws SQLException, InterruptedException {
        String planKey = job.run() + "/" + job.table();
        if (plans.containsKey(planKey) && planDdlCounts.get(planKey) != tracker.ddlCount(job.table())) {
            replan(conn, job, planKey);
            return null;
        }
        if (!plans.containsKey(planKey)) {
            if (job.chunks() > 0) {
                LOG.info(
                        "[{}] snapshot {} of {} resumes after {} chunks ({} rows), from key {}",
                        name,
                        job.run(),
                        job.table(),
                        job.chunks(),
                        job.rows(),
                        job.lastKey());
            } else {
                LOG.info(
                        "[{}] snapshot {} of {} starts{}",
                        name,
                        job.run(),
                        job.table(),
                        job.filter() == null ? "" : " (rows where " + job.filter() + ")");
            }
        }
        TablePlan plan = plan(conn, job);
        String idPrefix = SnapshotTracker.idPrefix(name, job);
        boolean whole = plan != null && !plan.chunkable;
        // rows are read over the text protocol, or the binary one where the table has FLOAT/DOUBLE columns; the
        // watermarks are always written on this connection, before and after the read (the statements complete in
        // order, so the read falls between them whichever connection carries it)
        // a whole-table read holds its transaction open on a connection of its own: the watermarks (and the marker
        // of its position, see readWhole) are written on this one meanwhile
        Connection read =
                plan == null ? conn : whole ? side(plan.binaryProtocol) : plan.binaryProtocol ? binary() : conn;
        String token = opened;
        opened = null;
        long t0 = System.nanoTime();
        if (token == null) {
            token = newToken();
            tracker.expect(token, job, plan, whole, readOnly, estimate(conn, job.table()), planDdlCounts.get(planKey));
            if (!readOnly) {
                signal.watermark(conn, name, SignalTable.LOW, token);
            }
        }
        long t1 = System.nanoTime();
        timing.watermarkNanos += t1 - t0;
        TablePlan.Chunk chunk;
        if (plan == null) {
            LOG.warn("[{}] snapshot {}: table {} does not exist (any more); skipped", name, job.run(), job.table());
            if (readOnly) {
                // the binlog reader waits for the chunk's position: the (empty) chunk still needs one
                tracker.position(token, consistentSnapshotOrFail(conn, job));
                conn.setAutoCommit(true);
            }
            chunk = new TablePlan.Chunk(RenderedRows.empty(idPrefix), lastKey, true, null);
        } else {
            try {
                if (whole) {
                    chunk = readWhole(conn, read, plan, job, token, idPrefix);
                } else {
                    if (readOnly) {
                        // the chunk's rows are the table's state at this position: emitted there, nothing left out
                        tracker.position(token, consistentSnapshotOrFail(read, job));
                    }
                    try {
                        chunk = plan.readChunk(
                                read,
                                lastKey,
                                job.filter(),
                                limits.getOrDefault(planKey, Math.min(config.chunkSize(), FIRST_CHUNK_ROWS)),
                                idPrefix);
                    } finally {
                        if (readOnly) {
                            read.setAutoCommit(true); // ends the chunk's snapshot transaction
                        }
                    }
                    limits.put(
                            planKey,
                            nextLimit(
                                    chunk.rows().size(),
                                    chunk.rows().afterBytes(),
                                    config.chunkSize(),
                                    config.chunkBytes()));
                    failures.remove(planKey); // a later failure (another DDL) gets its retry too
                }
            } catch (SQLException e) {
                if (ErrorClassifier.classify(e).retriable()) {
                    throw e;
                }
                // the table changed under the run (a column dropped or renamed, the table dropped) or the filter is
                // not valid SQL: describe the table again and retry once, then give the table up, not the pipeline
                read.setAutoCommit(true);
                tracker.abandon(token, ErrorClassifier.classify(e));
                plans.remove(planKey);
                planDdlCounts.remove(planKey);
                tracker.awaitRoom(1, 60_000); // the chunk before must be emitted before reading on from the progress
                if (failures.merge(planKey, 1, Integer::sum) == 1) {
                    LOG.warn(
                            "[{}] snapshot {} of {}: reading a chunk failed ({}); describing the table again and"
                                    + " retrying",
                            name,
                            job.run(),
                            job.table(),
                            e.getMessage());
                    return null;
                }
                LOG.error(
                        "[{}] snapshot {} of {} cannot be read{}: {}; the table's snapshot is cancelled (request it"
                                + " again once the table or condition is right)",
                        name,
                        job.run(),
                        job.table(),
                        job.filter() == null ? "" : " with the filter '" + job.filter() + "'",
                        e.getMessage());
                if (readOnly) {
                    tracker.submit(SignalTable.CANCEL, job.table(), null, job.run());
                } else {
                    signal.cancelRun(conn, name, job.table(), job.run());
                }
                tracker.awaitNotCurrent(job, 60_000); // until the binlog reader has seen the cancel request
                return null;
            }
        }
        long t2 = System.nanoTime();
        timing.queryNanos += t2 - t1;
        timing.chunks++;
        tracker.publish(token, chunk);
        if (readOnly) {
            if (!chunk.last()) {
                return chunk.lastKey(); // no watermark: the chunk is emitted at its snapshot's position
            }
        } else if (!chunk.last()) {
            if (!stopped && !tracker.paused() && same(job, tracker.current())) {
                // the next chunk's window opens where this one's closes
                String nextToken = newToken();
                tracker.expect(
                        nextToken, job, plan, false, false, estimate(conn, job.table()), planDdlCounts.get(planKey));
                signal.watermark(conn, name, SignalTable.HIGH_LOW, token + " " + nextToken);
                opened = nextToken;
            } else {
                signal.watermark(conn, name, SignalTable.HIGH, token);
            }
            timing.watermarkNanos += System.nanoTime() - t2;
            return chunk.lastKey();
        }
        if (!readOnly) {
            signal.watermark(conn, name, SignalTable.HIGH, token);
            timing.watermarkNanos += System.nanoTime() - t2;
        }
        LOG.info(
                "[{}] snapshot {} of {}: {} chunks read; time in chunk queries {} s, writing watermarks"
                        + " {} s, waiting for the binlog reader to emit earlier chunks {} s",
                name,
                job.run(),
                job.table(),
                timing.chunks,
                seconds(timing.queryNanos),
                seconds(timing.watermarkNanos),
                seconds(timing.waitNanos));
        timing.chunks = 0;
        timing.queryNanos = 0;
        timing.watermarkNanos = 0;
        timing.waitNanos = 0;
        while (!tracker.awaitDone(token, 30_000) && !stopped) {
            LOG.info(
                    "[{}] snapshot of {}: waiting for the binlog reader to reach {}",
                    name,
                    job.table(),
                    readOnly ? "the position of the last chunk's snapshot" : "the high watermark " + token);
        }
        return null;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    /**
     * The whole table (within the filter) in one consistent snapshot, with the binlog position it matches, read on
     * {@code read} (a connection of its own). The rows stream: each part of about {@code snapshot.chunk-bytes} goes
     * to the tracker as soon as it is rendered, and the binlog reader, which waits at the snapshot's position, emits
     * it there and takes the next, so memory holds a few parts whatever the table's size. The binlog reader can only
     * wait at a transaction, so once the position is known a marker (the watermark row, kind {@code at}) is written
     * on {@code conn}: a transaction at or after the position even on an idle server. Returns the last part.
     */
    private TablePlan.Chunk readWhole(
            Connection conn, Connection read, TablePlan plan, SnapshotProgress.Job job, String token, String idPrefix)
            throws SQLException, InterruptedException {
        LOG.info(
                "[{}] snapshot {} of {}: the table has {}; reading it whole in one consistent snapshot (REPEATABLE"
                        + " READ) at its binlog position, while the binlog reader waits at that position",
                name,
                job.run(),
                job.table(),
                plan.key.length == 0
                        ? "no primary key and no unique NOT NULL index"
                        : "a key Sluice cannot read in chunks (ENUM, SET, BIT, YEAR or JSON columns)");
        boolean done = false;
        try {
            BinlogPosition at = consistentSnapshot(read);
            if (at == null) {
                throw SluiceException.fatal("table " + job.table() + " has no primary key and no unique NOT NULL"
                        + " index, and this server does not report the binlog position of a consistent snapshot"
                        + " (binlog_snapshot_file, a MariaDB status variable); add a primary key to the table, or"
                        + " exclude it from the snapshot");
            }
            tracker.position(token, at);
            if (!readOnly) {
                signal.watermark(conn, name, SignalTable.AT, token);
            }
            RenderedRows last = plan.readAll(
                    read,
                    job.filter(),
                    idPrefix,
                    config.chunkBytes(),
                    config.chunkSize(),
                    part -> tracker.publish(token, new TablePlan.Chunk(part, null, false, at)));
            read.commit();
            done = true;
            return new TablePlan.Chunk(last == null ? RenderedRows.empty(idPrefix) : last, null, true, at);
        } finally {
            if (!done) {
                try {
                    read.rollback();
                } catch (SQLException ignored) {
                    // the read failed or stopped: the connection's state is reset below or the connection dropped
                }
            }
            read.setAutoCommit(true);
        }
    }

    /**
     * Starts a consistent-snapshot transaction on {@code read} (autocommit off; the caller ends it) and returns the
     * binlog position it is consistent with, which MariaDB reports ({@code binlog_snapshot_file/position}); null
     * where the server does not (MySQL).
     */
    private static BinlogPosition consistentSnapshot(Connection read) throws SQLException {
        read.setAutoCommit(false);
        String file = null;
        long pos = -1;
        try (Statement st = read.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            try (ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                        file = rs.getString(2);
                    } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                        pos = Long.parseLong(rs.getString(2));
                    }
                }
            }
        }
        return file == null || file.isEmpty() || pos < 0 ? null : new BinlogPosition(file, pos, null);
    }

    /** {@link #consistentSnapshot} for a chunk of a read-only snapshot, which cannot go on without the position. */
    private static BinlogPosition consistentSnapshotOrFail(Connection read, SnapshotProgress.Job job)
            throws SQLException {
        BinlogPosition at = consistentSnapshot(read);
        if (at == null) {
            read.setAutoCommit(true);
            throw SluiceException.fatal("the read-only snapshot of " + job.table() + " needs the binlog position of"
                    + " a consistent snapshot (binlog_snapshot_file, a MariaDB status variable), which this server"
                    + " does not report; let the pipeline's user write the signal table and set snapshot.mode to auto"
                    + " or signal-table (docs/snapshots.md)");
        }
        return at;
    }

    /**
     * Decides whether this run's snapshots write the signal table or run read-only ({@code snapshot.mode}), and
     * says which in the log. Auto takes the signal table when it can be created and written (a write tried and
     * rolled back: nothing reaches the binlog), else read-only where the server reports consistent snapshots'
     * positions.
     */
    private boolean readOnly(Connection conn) throws SQLException {
        SnapshotConfig.Mode mode = config.mode();
        if (mode == SnapshotConfig.Mode.SIGNAL_TABLE) {
            signal.ensure(conn);
            LOG.info(
                    "[{}] snapshots write watermarks to the signal table {} (snapshot.mode: signal-table)",
                    name,
                    config.signalTable());
            return false;
        }
        String why = "snapshot.mode: read-only";
        if (mode == SnapshotConfig.Mode.AUTO) {
            String unusable = signal.unusable(conn, name);
            if (unusable == null) {
                LOG.info(
                        "[{}] snapshots write watermarks to the signal table {} (snapshot.mode: auto; the user can"
                                + " write it)",
                        name,
                        config.signalTable());
                return false;
            }
            why = "snapshot.mode: auto, and " + unusable;
        }
        BinlogPosition probe = consistentSnapshot(conn);
        conn.setAutoCommit(true);
        if (probe == null) {
            throw SluiceException.fatal("snapshots cannot run read-only here (" + why + "): this server does not"
                    + " report the binlog position of a consistent snapshot (binlog_snapshot_file, MariaDB only). Let"
                    + " the pipeline's user write the signal table, as an administrator:\n  "
                    + String.join(";\n  ", signal.adminStatements(SignalTable.account(conn))) + ";");
        }
        LOG.info(
                "[{}] snapshots run read-only ({}): each chunk is read in a consistent snapshot at the binlog"
                        + " position the server reports and emitted at that position; nothing is written",
                name,
                why);
        return true;
    }

    /** Whether this run's snapshots are read-only (known once the first snapshot work started). */
    public boolean readOnly() {
        return readOnly;
    }

    /** Sets a new connection up for reading: UTC (TIMESTAMP text), REPEATABLE READ (whole-table reads). */
    private static Connection session(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The binary-protocol connection, opened on first use. */
    private Connection binary() throws SQLException {
        if (binaryConn == null) {
            binaryConn = session(jdbc.connect(true));
        }
        return binaryConn;
    }

    /** A connection besides the coordinator's for whole-table reads: the binary one, or a text one made on first use. */
    private Connection side(boolean binaryProtocol) throws SQLException {
        if (binaryProtocol) {
            return binary();
        }
        if (textConn == null) {
            textConn = session(jdbc.connect(false));
        }
        return textConn;
    }

    /** Closes the connections opened besides the coordinator's own (binary-protocol and whole-table reads). */
    private void closeReadConnections() {
        for (Connection c : new Connection[] {binaryConn, textConn}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing after the run: nothing to save
                }
            }
        }
        binaryConn = null;
        textConn = null;
    }

    /**
     * The table as it is described when its run starts reading it, or again after a DDL statement on it (the
     * tracker's count of those is taken first: a DDL committed while describing makes the plan stale, not lost).
     */
    private TablePlan plan(Connection conn, SnapshotProgress.Job job) throws SQLException {
        String k = job.run() + "/" + job.table();
        if (!plans.containsKey(k)) {
            int ddl = tracker.ddlCount(job.table());
            int dot = job.table().indexOf('.');
            plans.put(
                    k,
                    TablePlan.describe(
                            conn, job.table().substring(0, dot), job.table().substring(dot + 1)));
            planDdlCounts.put(k, ddl);
        }
        return plans.get(k);
    }

    /**
     * The binlog reader passed a DDL statement on the table since its plan was described: the chunks read with that
     * plan are dropped (by the tracker), so once they are out of flight the table is described again and read on
     * from the last emitted chunk's key. Where the key itself changed (other columns, or a type whose order differs),
     * that key means nothing in the new order: the table's reading starts over from its first row (rows emitted
     * already come again, as upserts of the new version).
     */
    private void replan(Connection conn, SnapshotProgress.Job job, String planKey)
            throws SQLException, InterruptedException {
        abandonOpened();
        TablePlan old = plans.remove(planKey);
        planDdlCounts.remove(planKey);
        limits.remove(planKey);
        while (!tracker.awaitRoom(1, 1000) && !stopped) {
            // the stale chunks' high watermarks are in the binlog already: the reader drops them as it passes
        }
        TablePlan now = plan(conn, job);
        boolean sameKey = old != null
                && now != null
                && Arrays.equals(old.keyNames, now.keyNames)
                && Arrays.equals(old.keyKinds, now.keyKinds);
        if (!sameKey && now != null) {
            restart.add(planKey);
        }
        LOG.info(
                "[{}] snapshot {} of {}: the table changed under a DDL statement; chunks read before it are read"
                        + " again with its new columns{}",
                name,
                job.run(),
                job.table(),
                sameKey || now == null
                        ? ", from the last emitted chunk on"
                        : "; its key changed, so its reading starts over from the first row");
    }

    private long estimate(Connection conn, String table) throws SQLException {
        Long e = estimates.get(table);
        if (e == null) {
            int dot = table.indexOf('.');
            try (PreparedStatement ps = conn.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, table.substring(0, dot));
                ps.setString(2, table.substring(dot + 1));
                try (ResultSet rs = ps.executeQuery()) {
                    e = rs.next() ? rs.getLong(1) : -1L;
                }
            }
            estimates.put(table, e);
        }
        return e;
    }
}
