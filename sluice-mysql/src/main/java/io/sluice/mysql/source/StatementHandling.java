package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.QueryEventData;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.ddl.AlterAction;
import io.sluice.mysql.ddl.DdlParser;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.SqlMode;
import io.sluice.mysql.ddl.TableName;
import io.sluice.mysql.decode.StatementEventData;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableDefinitions;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements other than BEGIN/COMMIT/XA, each parsed once ({@link DdlParser}): a schema change of a captured table
 * gives the {@code s} events {@link SchemaTracker} returns for it; TRUNCATE (and what else removes all of a captured
 * table's rows) a {@code t} event with the table's current version number; a statement that changed captured rows
 * without row events is halted on, let through or snapshotted again ({@link StatementChanges}); the snapshot hook
 * learns which tables a statement touched.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class StatementHandling {
    private static final Logger LOG = LoggerFactory.getLogger(StatementHandling.class);

    private final String name;
    private final TableFilter filter;
    private final TableDefinitions definitions;
    private final SchemaTracker schema;
    private final TransactionBoundaries boundaries;
    /** Statements that changed captured rows without row events, and what they do (source.on-statement-changes). */
    private StatementChanges statementChanges;

    private SnapshotTracker snapshots;
    private SnapshotConfig snapshotConfig;

    StatementHandling(
            String name,
            TableFilter filter,
            TableDefinitions definitions,
            SchemaTracker schema,
            TransactionBoundaries boundaries) {
        this.name = name;
        this.filter = filter;
        this.definitions = definitions;
        this.schema = schema;
        this.boundaries = boundaries;
        this.statementChanges = new StatementChanges(name, StatementPolicy.HALT, null, null);
    }

    /** What statements that changed captured rows without row events do (see {@link StatementChanges}). */
    void statementChanges(
            StatementPolicy policy,
            String configOption,
            BiPredicate<String, Long> approvedAt,
            Consumer<String> counted) {
        this.statementChanges = new StatementChanges(name, policy, approvedAt, counted, configOption);
    }

    /** Turns on the snapshot hook (see {@link SnapshotTracker}). */
    void snapshots(SnapshotTracker tracker, SnapshotConfig config) {
        this.snapshots = tracker;
        this.snapshotConfig = config;
    }

    /**
     * MySQL 8.0.21+ logs an atomic CREATE TABLE ... SELECT as one transaction: the CREATE TABLE with {@code START
     * TRANSACTION} among its options, the new table's rows, then an XID.
     */
    static boolean startsTransaction(String upper, String sql, QueryEventData q) {
        return upper.startsWith("CREATE")
                && DdlParser.parse(sql, null, sqlMode(q)) instanceof DdlStatement.CreateTable c
                && c.startsTransaction();
    }

    /**
     * A statement other than BEGIN/COMMIT/XA of a transaction not read before, at the reader's position: DDL and
     * the like, or DML logged as text ({@code sql} is its text, stripped). Returns it as parsed.
     */
    DdlStatement statement(QueryEventData q, String sql) throws InterruptedException {
        DdlStatement st = DdlParser.parse(sql, q.getDatabase(), sqlMode(q));
        String ddl = q.getSql();
        if (st instanceof DdlStatement.Dml dml) {
            signalRowsAsText(dml);
            rowsWithoutEvents(st, q, ddl);
            return st;
        }
        definitions.invalidate(null, null);
        if (snapshots != null) {
            snapshotsSee(st);
        }
        if (st instanceof DdlStatement.TruncateTable t) {
            if (captured(t.table())) {
                truncated(t.table());
            }
        } else if (st instanceof DdlStatement.CreateTable c) {
            if (!c.temporary() && c.orReplace() && captured(c.table())) {
                truncated(c.table()); // MariaDB's CREATE OR REPLACE drops the table's rows with the table
            }
        } else if (st instanceof DdlStatement.AlterTable a) {
            if (captured(a.table()) && a.rowsChanged().stream().anyMatch(AlterAction.RowsChanged::truncatesAll)) {
                truncated(a.table()); // TRUNCATE PARTITION ALL
            }
        }
        for (SchemaTracker.SchemaEvent s : schema.statement(st, ddl, boundaries.file(), boundaries.eventPos())) {
            boundaries.emit(s.event(), s.table().db(), s.table().table());
        }
        rowsWithoutEvents(st, q, ddl);
        return st;
    }

    /** The statement's sql_mode as recorded in its QUERY event (the default where the event does not say). */
    private static SqlMode sqlMode(QueryEventData q) {
        return q instanceof StatementEventData s && s.getSqlMode() != null
                ? SqlMode.of(s.getSqlMode())
                : SqlMode.DEFAULT;
    }

    /**
     * A statement that changed captured rows without row events ({@link StatementChanges}): halts, or lets it
     * through with a warning, or emits a {@code t} for each table concerned and snapshots it again, by policy.
     * Chunks of those tables in flight are dropped either way (they may hold rows of before the statement).
     */
    private void rowsWithoutEvents(DdlStatement st, QueryEventData q, String sql) throws InterruptedException {
        StatementChanges.Found found = statementChanges.find(
                st, q.getThreadId(), this::captured, t -> definitions.currentPartition(t.db(), t.table()));
        if (found == null) {
            return;
        }
        changedWithoutEvents(found, sql);
    }

    /** Applies the policy to changes of captured tables that have no row events (see {@link #rowsWithoutEvents}). */
    void changedWithoutEvents(StatementChanges.Found found, String sql) throws InterruptedException {
        if (snapshots != null && !found.tables().isEmpty()) {
            found.tables().forEach(t -> snapshots.tableChanged(t.db(), t.table()));
        }
        String file = boundaries.file();
        long eventPos = boundaries.eventPos();
        for (TableName t : statementChanges.decide(found, sql, file, eventPos)) {
            truncated(t);
            if (snapshots != null) {
                snapshots.requestFromBinlog("auto-" + file + "-" + eventPos, qualified(t));
            } else {
                LOG.warn("[{}] {} cannot be snapshotted here (no snapshot support in this source)", name, t);
            }
        }
    }

    /**
     * Signal rows written as text (a session with binlog_format STATEMENT or MIXED): the snapshot hook never sees
     * them, so a request is lost or a chunk's watermark missed; says so.
     */
    private void signalRowsAsText(DdlStatement.Dml dml) {
        if (snapshotConfig == null) {
            return;
        }
        for (TableName t : dml.tables()) {
            if (t.db() != null && snapshotConfig.isSignal(t.db(), t.table())) {
                LOG.warn(
                        "[{}] a row of the signal table {} was logged as a statement at {}:{} (binlog_format"
                                + " STATEMENT or MIXED for its session): Sluice cannot read it, so the snapshot request or"
                                + " watermark it carries is lost; write signal rows from a session with binlog_format=ROW",
                        name,
                        t,
                        boundaries.file(),
                        boundaries.eventPos());
            }
        }
    }

    /** A {@code t} event for a captured table, with its current version number (and schema, where known). */
    private void truncated(TableName t) throws InterruptedException {
        int version = schema.version(qualified(t));
        TableSchema current = schema.currentSchema(qualified(t));
        boundaries.emit(
                new ChangeEvent(null, Op.TRUNCATE, null, null, null, null, version, null)
                        .withTable(current != null && current.version() == version ? current : null),
                t.db(),
                t.table());
    }

    /**
     * Tells the snapshot hook which tables a DDL statement touched ({@link DdlStatement#tables()}; a temporary
     * table's creation or drop touches no captured one, and DROP DATABASE all tables of the database): their chunks
     * in flight are read again.
     */
    private void snapshotsSee(DdlStatement st) {
        if (st instanceof DdlStatement.DropDatabase d) {
            snapshots.tableChanged(d.name(), null);
            return;
        }
        if (st instanceof DdlStatement.CreateTable c && c.temporary()
                || st instanceof DdlStatement.DropTable d && d.temporary()) {
            return;
        }
        for (TableName t : st.tables()) {
            if (t.db() != null) {
                snapshots.tableChanged(t.db(), t.table());
            }
        }
    }

    private boolean captured(TableName t) {
        return t.db() != null && filter.captures(t.db(), t.table());
    }

    private static String qualified(TableName t) {
        return t.db() + "." + t.table();
    }
}
