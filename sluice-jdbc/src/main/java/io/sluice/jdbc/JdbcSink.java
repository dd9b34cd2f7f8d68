package io.sluice.jdbc;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkMeters;
import io.sluice.core.value.Bytes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once application of change events to a PostgreSQL or MySQL-family database, without XA.
 *
 * <p><b>The commit.</b> One connection, autocommit off. The rows of whole source transactions and, in the same
 * database transaction, the pipeline's row of the checkpoint table ({@link CheckpointTable}) are committed together
 * at {@link #flush()}: after any crash the target holds exactly the rows the checkpoint it holds says, and
 * {@link #open()} resumes from there. {@code open} also bumps the pipeline's generation, which fences every older
 * instance (its next commit finds the row taken and stops with a fatal error).
 *
 * <p><b>Whole source transactions.</b> The pipeline may flush while a source transaction is half written. The
 * changes written since the last {@link #commit} are therefore held in memory ({@link Steps}) and a flush
 * applies only what lies before them. A source transaction that outgrows {@code max-transaction-events} or
 * {@code max-transaction-bytes} is split: everything so far is applied and committed with the last checkpoint plus a
 * {@link PartialTxn} mark (how many of its events the target holds), so a restart resumes inside it and the source
 * suppresses the events before the mark. Where no mark can be made (snapshot rows) the transaction is applied as it
 * comes and a flush asked for meanwhile waits for its end.
 *
 * <p><b>Applying.</b> {@code c}, {@code r}, {@code u}: an upsert by key; {@code d}: a delete by key (or soft, or
 * nothing, by {@code delete-mode}); {@code t}: every row deleted (or nothing); {@code s}: the target is created or
 * given the columns it lacks. Consecutive changes of one table and kind go in one multi-row statement (one round trip
 * per batch) as long as no key repeats within it, so the order of each key's changes is kept. Where an upsert could
 * match a row by a second unique key of the target (MySQL's {@code ON DUPLICATE KEY UPDATE}), each row is applied as a
 * delete by key and an insert, in order: the second key then fails loudly instead of updating the wrong row.
 *
 * <p><b>Threads.</b> The pipeline's writer thread makes every call, as {@link Sink} requires; the statements run on
 * a {@link TargetWorker} of the sink, one piece of work at a time and in order, so the writer takes and encodes the
 * next batch while the target executes this one. A target commit is such a piece too: {@link #flush()} starts it
 * and returns false, {@link #awaitFlush()} waits for it. The writer touches the connection itself (reading and
 * changing target tables, rolling back) only when the worker is idle.
 */
final class JdbcSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    /** Bind parameters per statement at most (PostgreSQL takes 32,767, the MySQL family 65,535). */
    private static final int MAX_PARAMETERS = 30_000;

    private final JdbcSinkConfig config;
    private final Dialect dialect;
    private final Tables tables;
    private final CheckpointTable checkpoints;
    private final Clock clock;
    /** Where rows applied and target transactions are reported ({@link #meters}). */
    private SinkMeters meters = SinkMeters.NONE;
    /** Rows handed to the target, reported when committed. */
    private final Applied applied = new Applied();
    /** Runs the statements and commits on the connection, one piece at a time, behind the writer. */
    private final TargetWorker worker;
    /** The rows of the target commit in flight on the worker (null: none), reported when it is done. */
    private Applied.Batch inFlight;

    private Connection conn;
    /** MySQL family: an autocommit connection for CREATE TABLE, which would commit the data connection's transaction. */
    private Connection ddl;

    private boolean opened;
    private boolean broken;
    /** What the sink knows of each source table ({@code db.table}). */
    private final Map<String, Known> known = new HashMap<>();
    /** Changes not applied yet: those before the boundary are of committed source transactions. */
    private final Steps steps = new Steps();
    /** Events and bytes of the open source transaction in the target's open transaction (held or applied). */
    private int openTxnEvents;

    private long openTxnBytes;
    /** Events of the open source transaction were applied (it outgrew the bounds and could not be split). */
    private boolean spilled;
    /** A flush asked for while spilled: done at the transaction's end. */
    private boolean deferredFlush;
    /** The checkpoint of the last commit, not yet in the target. */
    private Checkpoint pending;
    /** The checkpoint of the last commit (or the one {@link #open()} read): where the open source transaction began. */
    private Checkpoint last;
    /** The last event written. */
    private ChangeEvent lastWritten;

    /**
     * A source table: its columns as the rows show them, and its target; {@code route} is the rules' route its rows
     * came with (null: none), which named the target instead of the source table.
     */
    private record Known(
            TableSchema schema, Column first, int width, SourceTable source, TargetTable target, String route) {}

    JdbcSink(JdbcSinkConfig config, Clock clock, LongSupplier nanoTime) {
        this.config = config;
        this.clock = clock;
        this.dialect = Dialect.of(config.dialect(), config.batchForm());
        this.tables = new Tables(config, dialect);
        this.checkpoints = new CheckpointTable(config.pipeline(), config.checkpointTable(), dialect);
        this.worker = new TargetWorker("sluice-" + config.pipeline() + "-jdbc", nanoTime);
    }

    @Override
    public Optional<Checkpoint> open() throws IOException {
        closeConnections();
        opened = false;
        broken = false;
        reset();
        try {
            conn = connect();
            checkpoints.ensure(conn);
            Optional<Checkpoint> cp = checkpoints.claim(conn);
            last = cp.orElse(null);
            opened = true;
            LOG.info(
                    "[{}] jdbc sink open on {} ({}), generation {}, checkpoint in {}: {}",
                    config.pipeline(),
                    config.url(),
                    dialect.kind(),
                    checkpoints.generation(),
                    checkpoints.qualified(),
                    cp.map(c -> c.position().toString()).orElse("none yet"));
            return cp;
        } catch (SQLException | RuntimeException e) {
            closeConnections();
            throw JdbcErrors.classify(config, "opening the sink", e);
        }
    }

    private Connection connect() throws SQLException {
        return connect(config, dialect);
    }

    /** A new session on the target, set up ({@link Dialect#prepare}), autocommit off. */
    static Connection connect(JdbcSinkConfig config, Dialect dialect) throws SQLException {
        Properties p = new Properties();
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
        }
        if (!config.password().isEmpty()) {
            p.setProperty("password", config.password());
        }
        Connection c = DriverManager.getConnection(dialect.driverUrl(config.url()), p);
        try {
            dialect.prepare(c);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void meters(SinkMeters m) {
        this.meters = m == null ? SinkMeters.NONE : m;
    }

    @Override
    public long write(ChangeEvent event) throws IOException {
        ensureUsable();
        try {
            long n = apply(event);
            lastWritten = event;
            openTxnEvents++;
            openTxnBytes += n;
            if (openTxnEvents >= config.transactionEvents() || openTxnBytes >= config.transactionBytes()) {
                Checkpoint mark = markAfter(event);
                if (mark != null) {
                    commitTarget(mark);
                    LOG.info(
                            "[{}] committed inside source transaction {} after {} of its events",
                            config.pipeline(),
                            mark.partial().txn(),
                            mark.partial().rows());
                } else if (steps.heldRows() >= config.batchEvents()) {
                    execute(true);
                    spilled = true;
                }
            }
            return n;
        } catch (SQLException | RuntimeException e) {
            throw fail("writing event " + event.id(), e);
        }
    }

    private long apply(ChangeEvent e) throws SQLException {
        SourceInfo s = e.source();
        switch (e.op()) {
            case SCHEMA -> {
                TableSchema schema = e.table() != null
                        ? e.table()
                        : e.change() == null ? null : e.change().schema();
                Known k = known.get(s.db() + "." + s.table());
                if (k != null && k.route() != null) {
                    // a routed table's target follows the rules' shaped schema, which its next row carries; the
                    // s event has the source's (the rules stage does not shape s events)
                    return 0;
                }
                if (schema != null) {
                    known.put(
                            s.db() + "." + s.table(),
                            fit(SourceTable.of(schema), schema, null, k == null ? null : k.source(), e));
                }
                return 0;
            }
            case TRUNCATE -> {
                if (config.truncateMode() == JdbcSinkConfig.TruncateMode.IGNORE) {
                    return 0;
                }
                Known k = known.get(s.db() + "." + s.table());
                if (k != null && k.route() != null) {
                    throw SluiceException.fatal("a TRUNCATE of " + s.db() + "." + s.table() + " (event " + e.id()
                            + "), whose rows a rule routes to " + k.route() + ": the sink cannot tell its rows there"
                            + " from those of other tables routed there. Delete them yourself (e.g. by the column the"
                            + " rule sets to source.table) and set sink.truncate-mode: ignore, then restart");
                }
                TargetTable t = k != null ? k.target() : existingTarget(s);
                if (t != null) {
                    steps.add(t, Steps.Kind.TRUNCATE, null, null, config.batchEvents());
                }
                return 0;
            }
            case CREATE, READ, UPDATE -> {
                Known k = known(e, e.after());
                TargetTable t = k.target();
                if (t.keyless()) {
                    if (e.op() == Op.UPDATE && config.keylessMode() == JdbcSinkConfig.KeylessMode.ALL_COLUMNS) {
                        add(t, Steps.Kind.DELETE_EQUAL, values(t, e, e.before(), false));
                    }
                    return counted(t, e, add(t, Steps.Kind.INSERT, values(t, e, e.after(), false)));
                }
                return counted(t, e, add(t, upsertKind(t), values(t, e, e.after(), false)));
            }
            case DELETE -> {
                Known k = known(e, e.before());
                TargetTable t = k.target();
                if (t.keyless()) {
                    if (config.keylessMode() == JdbcSinkConfig.KeylessMode.ALL_COLUMNS) {
                        return counted(t, e, add(t, Steps.Kind.DELETE_EQUAL, values(t, e, e.before(), false)));
                    }
                    return 0;
                }
                return switch (config.deleteMode()) {
                    case DELETE -> {
                        Object[] row = values(t, e, e.before(), false);
                        yield counted(t, e, add(t, Steps.Kind.DELETE_KEY, row));
                    }
                    case SOFT -> counted(t, e, add(t, upsertKind(t), values(t, e, e.before(), true)));
                    case IGNORE -> 0;
                };
            }
            default -> throw new IllegalStateException("unknown op " + e.op());
        }
    }

    private Steps.Kind upsertKind(TargetTable t) {
        return t.otherUniqueKey() && dialect.upsertMatchesAnyUniqueKey() ? Steps.Kind.REPLACE : Steps.Kind.UPSERT;
    }

    /** Counts the row of {@code e} applied to {@code t} (reported when the target commits it); returns {@code size}. */
    private long counted(TargetTable t, ChangeEvent e, long size) {
        applied.add(
                t.schema() == null ? t.name() : t.schema() + "." + t.name(),
                e.op(),
                e.source().tsMs());
        return size;
    }

    /**
     * Hands the statements of the changes before the boundary ({@code all}: every change) to the worker, after the
     * work before them.
     */
    private void execute(boolean all) throws SQLException {
        List<TargetWorker.Task> tasks = steps.take(dialect, all);
        sync();
        worker.submit(conn, c -> {
            for (TargetWorker.Task t : tasks) {
                t.run(c);
            }
        });
    }

    /**
     * Waits until the worker is idle (the connection is the writer's again), reporting the target commit it finished;
     * throws what went wrong with its work.
     */
    private void sync() throws SQLException {
        worker.sync();
        if (inFlight != null) {
            Applied.Batch rows = inFlight;
            inFlight = null;
            meters.committed(worker.takeNanos(), rows.report(meters), clock.millis());
        }
    }

    private long add(TargetTable t, Steps.Kind kind, Object[] row) {
        steps.add(t, kind, row, Steps.keyOf(t, row), config.batchEvents());
        return size(row);
    }

    /** The values of every column the sink writes: the row's, then the metadata columns'. */
    private Object[] values(TargetTable t, ChangeEvent e, Row row, boolean deleted) {
        Object[] v = new Object[t.width()];
        if (row == null) {
            throw new IllegalStateException("event " + e.id() + " (" + e.op().code() + ") has no row image");
        }
        if (row.size() != t.sourceWidth()) {
            throw new IllegalStateException(
                    "event " + e.id() + " has " + row.size() + " columns, its table " + t.sourceWidth());
        }
        for (int i = 0; i < row.size(); i++) {
            v[i] = row.value(i);
        }
        int i = t.sourceWidth();
        if (config.metadataColumns()) {
            v[i++] = e.op().code();
            v[i++] = e.source().tsMs();
            v[i++] = config.positionGuard()
                    ? JdbcSinkConfig.position(
                            e.source().file(), e.source().pos(), e.source().row())
                    : e.id();
        }
        if (config.deleteMode() == JdbcSinkConfig.DeleteMode.SOFT) {
            v[i] = deleted;
        }
        return v;
    }

    private static long size(Object[] row) {
        long n = 0;
        for (Object v : row) {
            if (v instanceof Bytes b) {
                n += b.length();
            } else if (v instanceof String s) {
                n += s.length();
            } else if (v instanceof AsciiText a) {
                n += a.toString().length();
            } else if (v instanceof JsonText j) {
                n += j.json().length();
            } else {
                n += 8;
            }
        }
        return n;
    }

    /** The table of a row event, fitted to the target the first time and whenever its columns change. */
    private Known known(ChangeEvent e, Row row) throws SQLException {
        SourceInfo s = e.source();
        String name = s.db() + "." + s.table();
        Known k = known.get(name);
        String route = e.shaping() == null ? null : e.shaping().route();
        if (k != null && !java.util.Objects.equals(route, k.route())) {
            k = null; // routed elsewhere now (another rule version): fitted to that target afresh
        }
        TableSchema schema = e.table();
        if (schema != null) {
            if (k != null && (k.schema() == schema || schema.equals(k.schema()))) {
                return k;
            }
            Known fitted = fit(SourceTable.of(schema), schema, null, k == null ? null : k.source(), e);
            known.put(name, fitted);
            return fitted;
        }
        // an event made without its table's schema (tests, older producers): the row's columns say it
        Column first = row.size() == 0 ? null : row.column(0);
        if (k != null && (first == null ? k.width() == row.size() : k.first() == first && k.width() == row.size())) {
            return k;
        }
        if (first == null) {
            if (k != null && k.width() == row.size()) {
                return k;
            }
            throw SluiceException.fatal("event " + e.id() + " of " + name + " carries no column types, and the sink"
                    + " has not seen the table's schema yet, so it cannot create or check its target table");
        }
        List<Column> columns = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            columns.add(row.column(i));
        }
        List<String> key = new ArrayList<>();
        if (e.key() != null) {
            for (int i = 0; i < e.key().size(); i++) {
                key.add(e.key().name(i));
            }
        } else if (k != null) {
            key.addAll(k.source().keyNames());
        }
        Known fitted =
                fit(new SourceTable(s.db(), s.table(), columns, key), null, first, k == null ? null : k.source(), e);
        known.put(name, fitted);
        return fitted;
    }

    /**
     * Makes the target of {@code src} fit it (create, add columns, widen types) and describes it; {@code previous} is
     * the source table as the sink knew it before (null: not seen yet), whose changes are checked against the policy.
     * The target is {@code sink.table} applied to the rules' route of {@code e} where a rule routed it ({@code {db}}
     * the route's part before its dot, or the source's database without one; {@code {table}} the rest), else to the
     * source table; several source tables routed to one destination share its target.
     */
    private Known fit(SourceTable src, TableSchema schema, Column first, SourceTable previous, ChangeEvent e)
            throws SQLException {
        sync();
        String route = e.shaping() == null ? null : e.shaping().route();
        String[] target = route == null
                ? config.target(src.db(), src.table())
                : config.target(
                        e.shaping().routeDb() == null ? src.db() : e.shaping().routeDb(),
                        e.shaping().routeTable());
        Tables.Existing existing = tables.read(conn, target[0], target[1]);
        if (existing == null) {
            runDdl(tables.create(target[0], target[1], src, tables.schemaExists(conn, target[0])), true);
            LOG.info("[{}] created target table {} for {}", config.pipeline(), target[1], src.qualifiedName());
        } else {
            List<String> ddl = tables.evolve(target[0], target[1], src, existing, previous);
            if (!ddl.isEmpty()) {
                runDdl(ddl, false);
                LOG.info("[{}] evolved target of {}: {}", config.pipeline(), src.qualifiedName(), ddl);
            }
        }
        existing = tables.read(conn, target[0], target[1]);
        if (existing == null) {
            throw SluiceException.fatal(
                    "the target table " + String.join(".", target[0] == null ? "" : target[0], target[1]) + " of "
                            + src.qualifiedName() + " was created but cannot be found; check sink.table");
        }
        TargetTable t = tables.describe(target[0], target[1], src, existing);
        return new Known(schema, first, src.columns().size(), src, t, route);
    }

    /** The target of a table not seen yet, if it exists (for a {@code t} event). */
    private TargetTable existingTarget(SourceInfo s) throws SQLException {
        sync();
        String[] target = config.target(s.db(), s.table());
        Tables.Existing existing = tables.read(conn, target[0], target[1]);
        if (existing == null) {
            return null;
        }
        return new TargetTable(
                target[0],
                target[1],
                dialect.qualified(target[0], target[1]),
                List.of(),
                List.of(),
                0,
                new int[0],
                false);
    }

    /**
     * Runs DDL. PostgreSQL's DDL is transactional: it runs in the open transaction. The MySQL family commits the open
     * transaction with any DDL: a new table is created on a connection of its own (the open transaction has not
     * touched it); before changing an existing one, what is applied so far is committed at a point a restart can
     * resume from.
     */
    private void runDdl(List<String> statements, boolean newTable) throws SQLException {
        if (dialect.kind() == Dialect.Kind.POSTGRESQL) {
            try (Statement st = conn.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
            }
            return;
        }
        if (newTable) {
            if (ddl == null) {
                ddl = connect();
                ddl.setAutoCommit(true);
            }
            try (Statement st = ddl.createStatement()) {
                for (String sql : statements) {
                    st.execute(sql);
                }
            }
            return;
        }
        Checkpoint at;
        if (openTxnEvents == 0 && steps.heldRows() == 0) {
            at = pending;
        } else {
            at = lastWritten == null ? null : markAfter(lastWritten);
            if (at == null) {
                throw SluiceException.fatal("the target of "
                        + lastWritten.source().db() + "."
                        + lastWritten.source().table() + " must change (" + statements + ") in the middle of a source"
                        + " transaction the sink cannot split; run the DDL on the target yourself and restart");
            }
        }
        if (at != null) {
            commitTarget(at);
        }
        sync();
        try (Statement st = conn.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
        conn.commit();
    }

    @Override
    public void commit(Checkpoint checkpoint) throws IOException {
        ensureUsable();
        try {
            steps.seal();
            applied.seal();
            endOpenTransaction();
            pending = checkpoint;
            last = checkpoint;
            if (deferredFlush) {
                deferredFlush = false;
                commitTarget(pending);
            } else if (steps.readyRows() >= config.batchEvents()) {
                execute(false);
            }
        } catch (SQLException | RuntimeException e) {
            throw fail("committing a source transaction", e);
        }
    }

    @Override
    public boolean flush() throws IOException {
        ensureUsable();
        if (pending == null) {
            return !worker.busy(); // a commit inside a source transaction may be under way: awaitFlush waits for it
        }
        if (spilled) {
            deferredFlush = true;
            return true;
        }
        try {
            commitTarget(pending);
        } catch (SQLException | RuntimeException e) {
            throw fail("committing a target transaction", e);
        }
        return false;
    }

    @Override
    public void awaitFlush() throws IOException {
        if (!opened || broken) {
            return;
        }
        try {
            sync();
        } catch (SQLException | RuntimeException e) {
            throw fail("committing a target transaction", e);
        }
    }

    /**
     * Hands the worker what lies before the boundary (everything, for a mark inside the open source transaction) and
     * the commit of it with {@code cp} in the checkpoint table; {@link #sync} waits for it.
     */
    private void commitTarget(Checkpoint cp) throws SQLException {
        List<TargetWorker.Task> tasks = steps.take(dialect, cp.partial() != null);
        Applied.Batch rows = applied.take(cp.partial() != null);
        sync();
        worker.submit(conn, c -> {
            for (TargetWorker.Task t : tasks) {
                t.run(c);
            }
            checkpoints.save(c, cp);
            c.commit();
        });
        inFlight = rows;
        if (cp == pending) {
            pending = null;
        }
        if (cp.partial() != null) {
            // the open source transaction's events so far are committed with the mark: the count starts again
            pending = null;
            endOpenTransaction();
        }
    }

    /**
     * The checkpoint with which the target may commit right after {@code event}, inside its source transaction: the
     * last checkpoint marked with how many of the transaction's events the target then holds. Null for snapshot
     * rows, whose chunks are bounded and never split.
     */
    private Checkpoint markAfter(ChangeEvent event) {
        SourceInfo s = event.source();
        if (s.snapshot()) {
            return null;
        }
        PartialTxn partial = new PartialTxn(PartialTxn.txnOf(s.name(), event.id()), s.row() + 1);
        Checkpoint base =
                last != null ? last : new Checkpoint(new BinlogPosition(s.file(), s.pos(), null), List.of(), Map.of());
        return base.withPartial(partial);
    }

    /** The open source transaction has nothing in the target's open transaction any more. */
    private void endOpenTransaction() {
        openTxnEvents = 0;
        openTxnBytes = 0;
        spilled = false;
    }

    private SluiceException fail(String doing, Exception e) {
        broken = true;
        worker.drain(); // the connection is the writer's again
        worker.takeNanos();
        inFlight = null;
        applied.clear();
        try {
            if (conn != null) {
                conn.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is gone: the target rolls the transaction back itself
        }
        if (e instanceof SchemaHalt halt) {
            return recorded(halt);
        }
        return JdbcErrors.classify(config, doing, e);
    }

    /**
     * Records a schema halt in the checkpoint table (after the rollback: the checkpoint stays before the change), so
     * it sticks across restarts; the halt returned says how to clear it.
     */
    private SluiceException recorded(SchemaHalt halt) {
        try {
            checkpoints.recordHalt(conn, halt.getMessage());
            return new SchemaHalt(halt.getMessage() + checkpoints.advice(halt.getMessage()));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("[{}] the halt could not be recorded in {}: {}", config.pipeline(), checkpoints.qualified(), e);
            return halt;
        }
    }

    private void ensureUsable() throws IOException {
        if (!opened) {
            throw new IllegalStateException("the jdbc sink of pipeline " + config.pipeline() + " is not open");
        }
        if (broken) {
            throw new IOException("the jdbc sink of pipeline " + config.pipeline() + " failed earlier; open it again"
                    + " to resume from its last checkpoint");
        }
    }

    private void reset() {
        known.clear();
        steps.clear();
        applied.clear();
        inFlight = null;
        endOpenTransaction();
        deferredFlush = false;
        pending = null;
        last = null;
        lastWritten = null;
    }

    /** Closes the connections; an open transaction is rolled back (nothing uncommitted is ever visible). */
    @Override
    public void close() {
        closeConnections();
        opened = false;
        reset();
    }

    private void closeConnections() {
        worker.stop(); // waits for the piece in flight: nothing else may use the connection meanwhile
        for (Connection c : new Connection[] {conn, ddl}) {
            if (c != null) {
                try {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                } catch (SQLException e) {
                    LOG.debug("[{}] rollback on close failed: {}", config.pipeline(), e.toString());
                }
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("[{}] closing a connection failed: {}", config.pipeline(), e.toString());
                }
            }
        }
        conn = null;
        ddl = null;
    }

    static int maxRows(TargetTable t, int batchEvents) {
        return Math.max(1, Math.min(batchEvents, MAX_PARAMETERS / Math.max(1, t.width())));
    }

    static void bindRow(PreparedStatement ps, Dialect d, int at, Object[] row, int width) throws SQLException {
        for (int c = 0; c < width; c++) {
            d.bind(ps, at + c, row[c]);
        }
    }
}
