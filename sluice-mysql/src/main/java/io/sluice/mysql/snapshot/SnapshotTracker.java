package io.sluice.mysql.snapshot;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.encode.EventBodies;
import io.sluice.core.encode.EventRun;
import io.sluice.core.encode.RenderedRows;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.schema.TableSchema;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binlog side of the watermark snapshot (DBLog): sees the signal table's rows as the binlog reader reaches
 * them, and reconciles each chunk with the changes logged between its low and high watermark.
 *
 * <p>For each chunk the {@link SnapshotCoordinator} writes a low watermark, reads the chunk, hands it over here and
 * writes a high watermark. Between the two watermarks, every change of the chunk's table marks its key (before and
 * after image); at the high watermark the chunk's rows whose key was not marked are emitted as {@code r} events
 * (the marked ones have their newer state in the stream already), and the progress moves past the chunk in the
 * same checkpoint. Snapshot requests and cancellations arriving as signal rows change the progress in the
 * checkpoint of their own transaction, so each takes effect exactly once.
 *
 * <p>{@link #signal}, {@link #changed} and {@link #beforeTransaction} run on the binlog reader thread; the
 * coordinator's calls come from its own thread.
 */
public final class SnapshotTracker {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTracker.class);
    private static final long PROGRESS_LOG_MS = 10_000;

    private final String name;
    private final Emitter out;
    private final Schemas schemas;

    /** The schema of a table's {@code r} events. */
    @FunctionalInterface
    public interface Schemas {
        /**
         * The schema (and so the version number) of a table's {@code r} events emitted now.
         *
         * @param qualifiedName {@code db.table}
         * @param described     the table as the snapshot described it when it read the rows (any version number)
         */
        TableSchema schema(String qualifiedName, TableSchema described);
    }

    private final Predicate<String> captured;
    private final Clock clock;
    private final Map<String, TableStatus> status = new LinkedHashMap<>();
    private volatile SnapshotProgress progress;
    private volatile long serverId;

    /** Chunks announced by the coordinator whose high watermark the binlog reader has not passed (guarded by this). */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    /** True while the head chunk's window is open (read without the lock on the binlog thread's fast path). */
    private volatile boolean windowOpen;

    private boolean stopped;
    /** Why the coordinator's thread ended, or null: no chunk it announced will get rows any more (guarded by this). */
    private SluiceException failure;

    private long lastLog;
    /**
     * Per table ({@code db.table}), how many DDL statements touching it the binlog reader has passed (guarded by this):
     * a chunk read with a plan described before the last of them is never emitted (see {@link #tableChanged}).
     */
    private final Map<String, Integer> ddlCounts = new java.util.HashMap<>();

    /** One chunk between its announcement and its high watermark. */
    private static final class InFlight {
        final String token;
        final SnapshotProgress.Job job;
        final TablePlan plan;
        final boolean whole;
        /**
         * Read in a consistent snapshot at a position the server reported (read-only mode): open from its announcement
         * on (no low watermark), emitted where the binlog reader reaches that position, no key left out.
         */
        final boolean positional;
        /** {@link #ddlCount} of the table when its plan was described. */
        final int ddlCount;

        final Set<String> changedKeys = new HashSet<>();
        TablePlan.Chunk chunk;
        BinlogPosition wholeTableAt;
        /** A whole-table read's part handed over and not yet taken by the binlog reader (one at a time). */
        TablePlan.Chunk part;
        /** Rows of the chunk's parts emitted so far (a whole-table read's numbering goes on from there). */
        int partRows;

        boolean open;
        boolean emitted;
        /** Why the coordinator gave the chunk up, or null. */
        SluiceException failure;

        InFlight(
                String token,
                SnapshotProgress.Job job,
                TablePlan plan,
                boolean whole,
                boolean positional,
                int ddlCount) {
            this.token = token;
            this.job = job;
            this.plan = plan;
            this.whole = whole;
            this.positional = positional;
            this.ddlCount = ddlCount;
            this.open = positional;
        }
    }

    /**
     * @param name     the pipeline (source) name
     * @param out      where {@code r} events go
     * @param schemas  the schema (and version number) of a table's {@code r} events
     * @param captured whether a table ({@code db.table}) is captured by the pipeline
     * @param progress the checkpointed progress, or null
     */
    public SnapshotTracker(
            String name,
            Emitter out,
            Schemas schemas,
            Predicate<String> captured,
            SnapshotProgress progress,
            Clock clock) {
        this.name = name;
        this.out = out;
        this.schemas = schemas;
        this.captured = captured;
        this.progress = progress == null ? new SnapshotProgress(List.of()) : progress;
        this.clock = clock;
    }

    /** The start of the ids of a job's {@code r} events: {@code <name>:snapshot:<run>:<db>.<table>:}. */
    static String idPrefix(String name, SnapshotProgress.Job job) {
        return name + ":snapshot:" + job.run() + ":" + job.table() + ":";
    }

    /** The progress to checkpoint now (null when idle). */
    public SnapshotProgress progress() {
        SnapshotProgress p = progress;
        return p.idle() ? null : p;
    }

    /** Per-table progress of the runs known to this process, for logs, metrics and the API. */
    public synchronized List<TableStatus> status() {
        return List.copyOf(status.values());
    }

    // ---- binlog reader thread ----

    /** A row of the signal table was written (its after image). */
    public void signal(Row row, String file, long pos) throws InterruptedException {
        if (row == null || !name.equals(text(row.get("pipeline")))) {
            return;
        }
        String kind = text(row.get("kind"));
        String id = text(row.get("id"));
        apply(id, kind, text(row.get("tables")), text(row.get("filter")), text(row.get("detail")), file, pos);
    }

    /** A signal (a row of the signal table, or a request made in this process) takes effect here. */
    private void apply(String id, String kind, String tables, String filter, String detail, String file, long pos)
            throws InterruptedException {
        if (SignalTable.LOW.equals(kind)) {
            low(detail);
        } else if (SignalTable.HIGH.equals(kind)) {
            high(detail, file, pos);
        } else if (SignalTable.HIGH_LOW.equals(kind)) {
            // the chunk's window closes and the next one's opens at the same point of the binlog
            int space = detail == null ? -1 : detail.indexOf(' ');
            if (space < 0) {
                LOG.warn("[{}] signal row {} has kind high-low but not two tokens ('{}'); ignored", name, id, detail);
            } else {
                high(detail.substring(0, space), file, pos);
                low(detail.substring(space + 1));
            }
        } else if (SignalTable.AT.equals(kind)) {
            // only a point in the binlog after a whole-table read's snapshot: beforeTransaction has used it
            return;
        } else if (SignalTable.SNAPSHOT.equalsIgnoreCase(kind)) {
            request(id, tables, filter);
        } else if (SignalTable.CANCEL.equalsIgnoreCase(kind)) {
            cancel(tables, detail);
        } else if (SignalTable.PAUSE.equalsIgnoreCase(kind) || SignalTable.RESUME.equalsIgnoreCase(kind)) {
            boolean pause = SignalTable.PAUSE.equalsIgnoreCase(kind);
            if (progress.paused() != pause) {
                LOG.info("[{}] snapshots {}", name, pause ? "paused (streaming goes on)" : "resumed");
            }
            progress = new SnapshotProgress(progress.jobs(), pause);
            synchronized (this) {
                notifyAll();
            }
        } else {
            LOG.warn(
                    "[{}] signal row {} has unknown kind '{}' (expected snapshot, cancel, pause or resume); ignored",
                    name,
                    id,
                    kind);
        }
    }

    /**
     * Queues a snapshot of one captured table as run {@code run}, asked for by the binlog reader itself (a statement
     * changed the table's rows without row events): like a request row, it enters the checkpoint with the
     * transaction being read, so it takes effect exactly once. The run name should be derived from the binlog
     * position, so that reading the transaction again asks for the same run.
     */
    public void requestFromBinlog(String run, String qualifiedTable) {
        if (progress.jobs().stream()
                .anyMatch(j -> j.run().equals(run) && j.table().equals(qualifiedTable))) {
            return;
        }
        request(run, qualifiedTable, null);
    }

    /**
     * Makes a request (snapshot, cancel, pause, resume) as a signal row would, without writing one: for a pipeline
     * whose user cannot write the signal table. The binlog reader applies it before the next transaction it reads,
     * or at the next heartbeat of an idle server, and it enters the checkpoint that follows; until then it is lost
     * if the process stops. Returns the request's id (a snapshot run's name).
     */
    public String submit(String kind, String tables, String filter, String detail) {
        String id = java.util.UUID.randomUUID().toString();
        submitted.add(new String[] {id, kind, tables, filter, detail});
        synchronized (this) {
            windowOpen = true; // the binlog reader's fast path looks at this flag first
            notifyAll();
        }
        return id;
    }

    /** Requests made in this process ({@link #submit}) that the binlog reader has not applied yet. */
    private final java.util.Queue<String[]> submitted = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Applies the requests made in this process; true when there were any. */
    private boolean applySubmitted(String file, long pos) throws InterruptedException {
        boolean any = false;
        for (String[] r; (r = submitted.poll()) != null; ) {
            apply(r[0], r[1], r[2], r[3], r[4], file, pos);
            any = true;
        }
        if (any) {
            synchronized (this) {
                reopen();
            }
        }
        return any;
    }

    /** Whether the binlog reader must look at the head chunk: it is open (its window, or its position pending). */
    private void reopen() {
        InFlight f = inFlight.peekFirst();
        windowOpen = f != null && f.open || !submitted.isEmpty();
    }

    /** A change of a captured table was read: inside a chunk's window, its key leaves the chunk. */
    public void changed(String qualifiedTable, Row key) {
        if (!windowOpen) {
            return;
        }
        synchronized (this) {
            InFlight f = inFlight.peekFirst();
            if (f != null && f.open && !f.positional && qualifiedTable.equals(f.job.table())) {
                f.changedKeys.add(key == null ? "" : TablePlan.keyJson(key));
            }
        }
    }

    /**
     * A DDL statement touching table {@code db.table} (every table of {@code db} when {@code table} is null) was read:
     * ALTER, RENAME, DROP, CREATE, TRUNCATE, index changes. A chunk of it not emitted yet was read, or will be read,
     * with the columns of before the statement (or holds rows a TRUNCATE removed, which the binlog does not log row
     * by row): it is dropped here or at its high watermark, never emitted, and the coordinator describes the table
     * again and reads on from the last emitted chunk. The statement's own events (s, t) come right after this call,
     * so the rows emitted later have the new version's columns and follow it.
     */
    public synchronized void tableChanged(String db, String table) {
        List<String> tables = tablesOf(db, table);
        if (tables.isEmpty()) {
            return;
        }
        for (String qn : tables) {
            ddlCounts.merge(qn, 1, Integer::sum);
        }
        int dropped = 0;
        for (var it = inFlight.iterator(); it.hasNext(); ) {
            InFlight f = it.next();
            if (f.ddlCount != ddlCount(f.job.table())) {
                it.remove();
                dropped++;
            }
        }
        reopen();
        if (dropped > 0) {
            LOG.info(
                    "[{}] a DDL statement changed {}.{} while it is snapshotted: {} chunk(s) read before it are dropped"
                            + " and read again with the table's new columns",
                    name,
                    db,
                    table == null ? "*" : table,
                    dropped);
        }
        notifyAll();
    }

    /** The tables of a DDL statement: one, or those of the database with a job or a chunk in flight. */
    private List<String> tablesOf(String db, String table) {
        if (table != null) {
            return List.of(db + "." + table);
        }
        Set<String> all = new java.util.TreeSet<>();
        for (SnapshotProgress.Job j : progress.jobs()) {
            all.add(j.table());
        }
        for (InFlight f : inFlight) {
            all.add(f.job.table());
        }
        all.removeIf(qn -> !qn.startsWith(db + "."));
        return List.copyOf(all);
    }

    /** How many DDL statements touching the table the binlog reader has passed. */
    synchronized int ddlCount(String qualifiedTable) {
        return ddlCounts.getOrDefault(qualifiedTable, 0);
    }

    /**
     * Called before a transaction that starts at {@code file:pos}: a whole-table read consistent with a position at
     * or before it is emitted here. Returns true when events were emitted (the caller then commits a checkpoint
     * at the transaction's start).
     */
    public boolean beforeTransaction(String file, long pos) throws InterruptedException {
        if (!windowOpen) {
            return false;
        }
        boolean any = applySubmitted(file, pos);
        BinlogPosition here = new BinlogPosition(file, pos, null);
        while (true) {
            InFlight f;
            synchronized (this) {
                f = inFlight.peekFirst();
                if (f == null || !f.open || f.emitted || !(f.whole || f.positional)) {
                    return any;
                }
                // the position comes right after the chunk's announcement: until then, this point may be past it
                while (f.wholeTableAt == null && inFlight.peekFirst() == f && !halted()) {
                    wait(1000);
                }
                if (inFlight.peekFirst() != f) {
                    continue; // dropped or cancelled meanwhile: look at the next one
                }
                if (f.wholeTableAt == null || here.compareTo(f.wholeTableAt) < 0) {
                    return any;
                }
                if (f.ddlCount != ddlCount(f.job.table())) {
                    // read with a plan of before a DDL the binlog reader passed since: the coordinator reads it again
                    inFlight.remove(f);
                    reopen();
                    notifyAll();
                    continue;
                }
                if (f.positional && !f.whole) {
                    awaitChunk(f);
                    if (inFlight.peekFirst() != f || f.chunk == null) {
                        continue; // given up (its read failed, or stopping): nothing of it was emitted
                    }
                }
            }
            if (!f.positional) {
                return emitWhole(f) || any; // the high watermark that follows removes it
            }
            try {
                any |= f.whole ? emitWhole(f) : emitAt(f);
            } finally {
                synchronized (this) {
                    inFlight.remove(f);
                    reopen();
                    notifyAll();
                }
            }
        }
    }

    /** Emits a chunk read at a reported position (read-only mode) at that position. */
    private boolean emitAt(InFlight f) throws InterruptedException {
        emitChunk(f, f.chunk, f.wholeTableAt.file(), f.wholeTableAt.pos());
        return true;
    }

    /**
     * Emits a whole-table read's parts at its position as the coordinator hands them over, until the last: the
     * binlog reader waits here meanwhile (the rows are consistent with this point of the stream), and memory holds
     * a few parts. Runs on the binlog reader thread, emitting without the lock like {@link #high}. Returns whether
     * anything was emitted. The wait ends when the read fails, its thread ends or the tracker stops: before any part,
     * the binlog reader goes on (the read may be tried again); after some, it throws ({@link #unfinished}), as the
     * parts emitted must never be checkpointed without the rest.
     */
    private boolean emitWhole(InFlight f) throws InterruptedException {
        boolean any = false;
        while (true) {
            TablePlan.Chunk part;
            synchronized (this) {
                while (f.part == null && inFlight.peekFirst() == f && !halted()) {
                    wait(1000);
                }
                if (inFlight.peekFirst() != f || f.part == null) {
                    if (any) {
                        throw unfinished(f);
                    }
                    return false; // abandoned (the read failed), or stopping: nothing of it was emitted
                }
                part = f.part;
                f.part = null;
                notifyAll();
            }
            emitChunk(f, part, f.wholeTableAt.file(), f.wholeTableAt.pos());
            any = true;
            if (part.last()) {
                return true;
            }
        }
    }

    /**
     * The error that ends the stream when a whole-table read ends after some of its parts were emitted and before its
     * last: those rows are in no checkpoint (the checkpoint moves past a whole-table read only with its last part),
     * so the pipeline goes back to its last checkpoint, the sink drops them, and the table is read again from its
     * first row with the same ids. Retriable when the read's failure is (a lost connection, a lock wait timeout) or
     * when the pipeline stops; else fatal, with the checkpoint still before the table's rows.
     */
    private SluiceException unfinished(InFlight f) {
        SluiceException cause = f.failure != null ? f.failure : failure;
        String what = "the snapshot " + f.job.run() + " of " + f.job.table() + ", read whole at " + f.wholeTableAt
                + ", ended after " + f.partRows + " of its rows were emitted";
        if (cause == null) {
            return SluiceException.retriable(
                    what + " because the pipeline stops; they are in no checkpoint, and the"
                            + " table is read again from its first row when the pipeline starts again",
                    null);
        }
        if (cause.retriable()) {
            return SluiceException.retriable(
                    what + " (" + cause.getMessage() + "); they are in no checkpoint: the"
                            + " pipeline goes back to its last checkpoint and reads the table again from its first row",
                    cause);
        }
        return SluiceException.fatal(
                what + " (" + cause.getMessage() + "); they are in no checkpoint, and the pipeline"
                        + " stops with its checkpoint before them. Fix the cause and start the pipeline again (the table is"
                        + " read again from its first row), or cancel that snapshot (sluice snapshot --cancel) first",
                cause);
    }

    /** True once the binlog reader must wait for no chunk any more: stopping, or the coordinator's thread ended. */
    private boolean halted() {
        return stopped || failure != null;
    }

    private synchronized void low(String t) {
        InFlight f = inFlight.peekFirst();
        if (t != null && f != null && t.equals(f.token)) {
            f.open = true;
            f.changedKeys.clear();
            windowOpen = true;
        }
    }

    private void high(String t, String file, long pos) throws InterruptedException {
        InFlight f;
        synchronized (this) {
            f = inFlight.peekFirst();
            if (t == null || f == null || !t.equals(f.token)) {
                return; // another process's (or an abandoned) chunk
            }
            if (!f.open) {
                throw SluiceException.retriable(
                        "the snapshot's high watermark " + t + " came without its low" + " watermark", null);
            }
            if (!f.whole) {
                awaitChunk(f);
            }
            windowOpen = false;
            // a chunk read with a plan of before a DDL on its table (announced after the DDL was read) is dropped
            if (inFlight.peekFirst() != f
                    || f.emitted
                    || (!f.whole && f.chunk == null)
                    || f.ddlCount != ddlCount(f.job.table())) {
                inFlight.remove(f);
                notifyAll();
                return;
            }
        }
        if (f.whole) {
            // not emitted before a transaction at its position (none came before this watermark): here
            try {
                emitWhole(f);
            } finally {
                synchronized (this) {
                    inFlight.remove(f);
                    notifyAll();
                }
            }
            return;
        }
        // emitted without the lock: the rows go into the bounded queue at the sink's pace, while the coordinator
        // announces and reads the next chunk (only this thread touches the head chunk now: changes and cancellations
        // arrive on this thread too, and the coordinator only adds chunks behind it)
        try {
            emitChunk(f, f.chunk, file, pos);
        } finally {
            synchronized (this) {
                inFlight.remove(f);
                notifyAll();
            }
        }
    }

    private void awaitChunk(InFlight f) throws InterruptedException {
        while (f.chunk == null && inFlight.peekFirst() == f && !halted()) {
            wait(1000);
        }
    }

    /**
     * Emits the chunk's rows whose key did not change in the window, and moves the progress past the chunk. A part of
     * a whole-table read that is not its last moves only the displayed progress: the checkpointed one moves past
     * the table at its last part (a whole-table read cannot resume inside the table).
     */
    private void emitChunk(InFlight f, TablePlan.Chunk chunk, String file, long pos) throws InterruptedException {
        SnapshotProgress.Job job = current();
        f.emitted = true;
        if (job == null || !job.run().equals(f.job.run()) || !job.table().equals(f.job.table())) {
            return;
        }
        RenderedRows rows = chunk.rows();
        String db = job.table().substring(0, job.table().indexOf('.'));
        String table = job.table().substring(db.length() + 1);
        // no rows (none left, or no table to read): no events, and no schema to ask for
        TableSchema schema = rows.isEmpty() ? null : schemas.schema(job.table(), f.plan.described);
        long readMs = clock.millis();
        String idPrefix = idPrefix(name, job);
        if (!rows.idPrefix().equals(idPrefix)) {
            throw new IllegalStateException("chunk rows with ids " + rows.idPrefix() + "... for " + idPrefix);
        }
        // the chunk's events share their source block: rendered here, once; each row's JSON, key JSON and id were
        // rendered when it was read, so an event is a few array copies here and the sink only copies its bytes
        EventBodies bodies = schema == null
                ? null
                : new EventBodies(
                        Op.READ,
                        new SourceInfo(name, serverId, null, file, pos, 0, readMs, db, table, true),
                        schema,
                        rows.idPrefix());
        // only rows whose key changed in the window are left out: none to look for in most windows
        Set<String> changed = f.whole || f.changedKeys.isEmpty() ? null : f.changedKeys;
        int first = f.partRows;
        int row = 0;
        long n = job.rows() + first;
        long superseded = 0;
        if (rows.keyed()) {
            // one run of events: a sink that writes bytes copies them from the arena without making events
            int[] picks = new int[rows.size()];
            for (int i = 0, size = rows.size(); i < size; i++) {
                if (changed != null && changed.contains(rows.keyJson(i))) {
                    superseded++;
                    continue;
                }
                picks[row++] = i;
            }
            if (row > 0) {
                out.events(new EventRun(bodies, rows, picks, row, first));
            }
        } else {
            for (int i = 0, size = rows.size(); i < size; i++) {
                // typed: the encoder stage encodes them (a table without a key is read whole, and seldom)
                out.event(bodies.event(rows, "#" + (n + i), i, first + row++));
            }
        }
        f.partRows = first + row;
        if (f.whole && !chunk.last()) {
            synchronized (this) {
                TableStatus st = statusOf(job);
                st.update(job.rows() + f.partRows, job.chunks(), false, clock.millis());
            }
            return;
        }
        List<SnapshotProgress.Job> jobs = new ArrayList<>(progress.jobs());
        SnapshotProgress.Job next = job.after(chunk.lastKey(), f.whole ? f.partRows : row);
        TableStatus st;
        synchronized (this) {
            st = statusOf(job);
            st.update(next.rows(), next.chunks(), chunk.last(), clock.millis());
            st.superseded += superseded;
        }
        if (chunk.last()) {
            jobs.remove(0);
            LOG.info(
                    "[{}] snapshot {} of {} done: {} rows in {} chunks{}",
                    name,
                    job.run(),
                    job.table(),
                    next.rows(),
                    next.chunks(),
                    doneNote(st.superseded));
        } else {
            jobs.set(0, next);
        }
        progress = progress.withJobs(jobs);
        long now = clock.millis();
        if (now - lastLog >= PROGRESS_LOG_MS && !chunk.last()) {
            lastLog = now;
            LOG.info("[{}] snapshot {} of {}: {}", name, job.run(), job.table(), st.describe());
        }
    }

    private void request(String run, String tables, String filter) {
        if (tables == null || tables.isBlank()) {
            LOG.warn(
                    "[{}] snapshot request {} names no table (set the tables column to db.table[,db.table...]);"
                            + " ignored",
                    name,
                    run);
            return;
        }
        List<SnapshotProgress.Job> jobs = new ArrayList<>(progress.jobs());
        for (String t : tables.split(",")) {
            String qn = t.strip();
            if (qn.isEmpty()) {
                continue;
            }
            if (qn.indexOf('.') <= 0 || !captured.test(qn)) {
                LOG.warn(
                        "[{}] snapshot request {}: {} is not a table this pipeline captures (db.table, matching"
                                + " source.include/exclude); skipped",
                        name,
                        run,
                        qn);
                continue;
            }
            jobs.add(new SnapshotProgress.Job(run, qn, filter == null || filter.isBlank() ? null : filter, null, 0, 0));
            LOG.info("[{}] snapshot {} of {} requested{}", name, run, qn, filter == null ? "" : " where " + filter);
        }
        progress = progress.withJobs(jobs);
        synchronized (this) {
            notifyAll();
        }
    }

    /** Cancels the jobs of the given tables (all when none), only those of one run when {@code run} is given. */
    private void cancel(String tables, String run) {
        Set<String> which = new HashSet<>();
        if (tables != null) {
            for (String t : tables.split(",")) {
                if (!t.isBlank()) {
                    which.add(t.strip());
                }
            }
        }
        List<SnapshotProgress.Job> jobs = new ArrayList<>();
        for (SnapshotProgress.Job j : progress.jobs()) {
            if ((which.isEmpty() || which.contains(j.table())) && (run == null || run.equals(j.run()))) {
                LOG.info("[{}] snapshot {} of {} cancelled after {} rows", name, j.run(), j.table(), j.rows());
                synchronized (this) {
                    statusOf(j).cancelled = true;
                }
            } else {
                jobs.add(j);
            }
        }
        progress = progress.withJobs(jobs);
        synchronized (this) {
            inFlight.removeIf(f ->
                    (which.isEmpty() || which.contains(f.job.table())) && (run == null || run.equals(f.job.run())));
            reopen();
            notifyAll();
        }
    }

    // ---- coordinator thread ----

    /** True while snapshots are paused. */
    public boolean paused() {
        return progress.paused();
    }

    /** The job to read next, or null when there is none. */
    SnapshotProgress.Job current() {
        List<SnapshotProgress.Job> jobs = progress.jobs();
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** Waits up to the given time for work. */
    synchronized SnapshotProgress.Job awaitJob(long ms) throws InterruptedException {
        if ((current() == null || progress.paused()) && !stopped) {
            wait(ms);
        }
        return progress.paused() ? null : current();
    }

    /** Announces the chunk about to be read under a new token (before its low watermark is written). */
    synchronized void expect(
            String newToken,
            SnapshotProgress.Job job,
            TablePlan tablePlan,
            boolean whole,
            boolean positional,
            long totalEstimate,
            int ddlCount) {
        inFlight.addLast(new InFlight(newToken, job, tablePlan, whole, positional, ddlCount));
        reopen(); // a positional chunk is open from here: the binlog reader waits for its position
        TableStatus st = statusOf(job);
        st.totalEstimate = totalEstimate;
        st.startIfNew(job.rows(), clock.millis());
    }

    private InFlight find(String token) {
        for (InFlight f : inFlight) {
            if (f.token.equals(token)) {
                return f;
            }
        }
        return null;
    }

    /** The position a whole-table read is consistent with, as soon as it is known. */
    synchronized void position(String forToken, BinlogPosition at) {
        InFlight f = find(forToken);
        if (f != null) {
            f.wholeTableAt = at;
            notifyAll();
        }
    }

    /**
     * Hands over the chunk's rows (before the high watermark is written). A whole-table read hands its rows over in
     * parts, the last one marked {@link TablePlan.Chunk#last}: each waits until the binlog reader has taken the one
     * before. Returns false when the chunk is gone (dropped, cancelled) or the tracker stopped: nothing was handed.
     */
    synchronized boolean publish(String forToken, TablePlan.Chunk rows) throws InterruptedException {
        InFlight f = find(forToken);
        if (f == null) {
            return false;
        }
        if (!f.whole) {
            f.chunk = rows;
            notifyAll();
            return true;
        }
        while (f.part != null && find(forToken) == f && !stopped) {
            wait(1000);
        }
        if (find(forToken) != f || stopped) {
            return false;
        }
        f.part = rows;
        if (rows.last()) {
            f.chunk = rows;
        }
        notifyAll();
        return true;
    }

    /** Waits until the binlog reader has passed the chunk's high watermark (or the chunk was cancelled). */
    synchronized boolean awaitDone(String forToken, long timeoutMs) throws InterruptedException {
        long deadline = clock.millis() + timeoutMs;
        while (find(forToken) != null && !stopped) {
            long left = deadline - clock.millis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 1000));
        }
        return true;
    }

    /** Waits until the job (run and table) is no longer the current one; false on timeout. */
    synchronized boolean awaitNotCurrent(SnapshotProgress.Job job, long timeoutMs) throws InterruptedException {
        long deadline = clock.millis() + timeoutMs;
        while (!stopped) {
            SnapshotProgress.Job c = current();
            if (c == null || !c.run().equals(job.run()) || !c.table().equals(job.table())) {
                return true;
            }
            long left = deadline - clock.millis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 1000));
        }
        return false;
    }

    /** Forgets a chunk that will never get its high watermark (given up before its read). */
    synchronized void abandon(String token) {
        abandon(token, null);
    }

    /** Forgets a chunk whose read failed with {@code cause}: it will never get rows or its high watermark. */
    synchronized void abandon(String token, SluiceException cause) {
        InFlight f = find(token);
        if (f != null) {
            f.failure = cause;
            inFlight.remove(f);
            reopen();
            notifyAll();
        }
    }

    /** Waits until fewer than {@code max} chunks are in flight; false on timeout. */
    synchronized boolean awaitRoom(int max, long timeoutMs) throws InterruptedException {
        long deadline = clock.millis() + timeoutMs;
        while (inFlight.size() >= max && !stopped) {
            long left = deadline - clock.millis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 1000));
        }
        return true;
    }

    /** The source server's id, for the {@code r} events' source block. */
    void serverId(long id) {
        serverId = id;
    }

    /**
     * The coordinator's thread ended with {@code cause}: no chunk in flight gets rows any more, and the binlog reader
     * waits for none (see {@link #emitWhole}).
     */
    synchronized void fail(SluiceException cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** Releases every waiting thread. */
    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    private TableStatus statusOf(SnapshotProgress.Job job) {
        return status.computeIfAbsent(job.run() + "/" + job.table(), k -> new TableStatus(job.run(), job.table()));
    }

    /**
     * What the {@code done} line adds so its count can be read against {@code COUNT(*)}: the count is the rows
     * emitted as {@code op: r}; a row the binlog changed while its chunk was read is not among them (its newest
     * value came as a binlog event), nor are rows written after their chunk was read (they came as binlog events).
     */
    static String doneNote(long superseded) {
        String changed = superseded == 0
                ? ""
                : superseded + (superseded == 1 ? " row" : " rows")
                        + " changed while its chunk was read came as binlog events instead; ";
        return " (emitted as op r; " + changed
                + "rows written after their chunk was read come as binlog events, so COUNT(*) may differ)";
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    /** Progress of one table of one run, as far as this process has seen it. */
    public static final class TableStatus implements SourceStatus.SnapshotTableStatus {
        /** Chunks, and milliseconds, a table's snapshot must have read in this process before it has an ETA. */
        static final int ETA_AFTER_CHUNKS = 3;

        static final long ETA_AFTER_MS = 2_000;

        public final String run;
        public final String table;
        volatile long rows;
        volatile long chunks;
        volatile long totalEstimate = -1;
        volatile boolean done;
        volatile boolean cancelled;
        volatile long superseded;
        private long startMs = -1;
        private long startRows;
        private volatile double rate;
        /** Chunks read and time spent in this process: an ETA is given only after enough of both. */
        private volatile int updates;

        private volatile long elapsedMs;

        TableStatus(String run, String table) {
            this.run = run;
            this.table = table;
        }

        void startIfNew(long atRows, long now) {
            if (startMs < 0) {
                startMs = now;
                startRows = atRows;
                rows = atRows;
            }
        }

        void update(long newRows, long newChunks, boolean finished, long now) {
            rows = newRows;
            chunks = newChunks;
            done = finished;
            long ms = Math.max(1, now - startMs);
            rate = (newRows - startRows) * 1000.0 / ms;
            elapsedMs = ms;
            updates++;
        }

        @Override
        public String run() {
            return run;
        }

        @Override
        public String table() {
            return table;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public long chunks() {
            return chunks;
        }

        /** information_schema's estimate of the table's rows, or -1. */
        @Override
        public long totalEstimate() {
            return totalEstimate;
        }

        /** Chunk rows left out because the binlog changed them inside their chunk's window. */
        @Override
        public long superseded() {
            return superseded;
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        /** Rows per second since this process started on the table. */
        @Override
        public double rate() {
            return rate;
        }

        /**
         * Seconds left at the current rate, or -1 when unknown: no estimate of the table's rows, or too little
         * progress yet ({@value #ETA_AFTER_CHUNKS} chunks and {@value #ETA_AFTER_MS} ms in this process) for a rate
         * that means anything (the first chunk's time includes the set-up, which made a 2-second snapshot's first
         * ETA read 7754 s).
         */
        @Override
        public long etaSeconds() {
            if (done) {
                return 0;
            }
            if (rate <= 0 || totalEstimate < 0 || updates < ETA_AFTER_CHUNKS || elapsedMs < ETA_AFTER_MS) {
                return -1;
            }
            return (long) Math.ceil(Math.max(0, totalEstimate - rows) / rate);
        }

        String describe() {
            String total = totalEstimate < 0 ? "?" : "~" + totalEstimate;
            long eta = etaSeconds();
            return rows + "/" + total + " rows, " + chunks + " chunks, " + Math.round(rate) + " rows/s"
                    + (eta < 0 ? "" : ", ETA " + eta + " s");
        }
    }
}
