package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.pipeline.Emitter;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableDefinitions;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Turns the binlog event stream into change events grouped by transaction, and the checkpoint after each: hands
 * each event to the part whose job it is.
 * <ul>
 *   <li>{@link TransactionBoundaries}: files, GTIDs, where each transaction begins and ends, ids, checkpoints;
 *   <li>{@link Rereading}: what a restart reads again and must not emit again;
 *   <li>{@link XaHolding} and {@link HeldXaGroups}: prepared XA groups, held until XA COMMIT or ROLLBACK;
 *   <li>{@link RowMapping}: TABLE_MAPs and rows events to change events;
 *   <li>{@link StatementHandling}: DDL and other statements ({@code s} and {@code t} events, statement changes);
 *   <li>{@link ForeignKeyParents}: rows events that change captured tables through foreign keys' actions;
 *   <li>{@link SchemaTracker}: the schema versions (numbers, models, history, compatibility), called by the parts.
 * </ul>
 *
 * <p>A transaction begins at a GTID event or a {@code BEGIN} query, and ends at an XID event, a {@code COMMIT} (or
 * {@code ROLLBACK}) query, or — for a standalone statement such as DDL — at that statement (but MySQL's atomic
 * CREATE TABLE ... SELECT is followed by its rows and an XID). Row events between stream out as they are decoded, so
 * a transaction of any size passes in bounded memory; the sink makes the whole transaction durable only with the
 * checkpoint that follows its last event.
 *
 * <p>Runs on the binlog reader thread only; not thread-safe.
 */
final class TransactionAssembler {
    @FunctionalInterface
    private interface Handler {
        void handle(Event event, long endPos) throws InterruptedException;
    }

    private final Map<EventType, Handler> handlers = new EnumMap<>(EventType.class);
    private final SchemaTracker schema;
    private final Rereading rereading;
    private final TransactionBoundaries boundaries;
    private final XaHolding xa;
    private final RowMapping rows;
    private final StatementHandling statements;
    private final ForeignKeyParents parents;
    /** The heartbeat table ({@code db}, {@code table}), or null: none; and its current table id (-1: not mapped). */
    private String[] heartbeatTable;

    private long heartbeatTableId = -1;

    /**
     * @param from   the checkpoint reading resumes from, or null
     * @param schema the owner of the schema versions, {@link SchemaTracker#start started} at the read position
     */
    TransactionAssembler(
            String name,
            TableFilter filter,
            TableDefinitions definitions,
            Emitter out,
            Checkpoint from,
            SchemaTracker schema) {
        this.schema = schema;
        HeldXaGroups held = new HeldXaGroups(from);
        this.rereading = new Rereading(from);
        this.boundaries = new TransactionBoundaries(name, out, from, rereading, held, schema);
        this.xa = new XaHolding(name, out, boundaries, held, rereading);
        this.rows = new RowMapping(filter, definitions, schema, boundaries);
        this.statements = new StatementHandling(name, filter, definitions, schema, boundaries);
        this.parents = new ForeignKeyParents(filter, definitions, statements);
        handlers.put(EventType.ROTATE, (e, end) -> boundaries.rotate(e));
        handlers.put(EventType.MARIADB_GTID, (e, end) -> boundaries.mariaDbGtid(e));
        handlers.put(EventType.GTID, (e, end) -> boundaries.mysqlGtid(e));
        handlers.put(EventType.ANONYMOUS_GTID, (e, end) -> boundaries.mysqlGtid(e));
        handlers.put(EventType.MARIADB_GTID_LIST, boundaries::gtidList);
        handlers.put(EventType.PREVIOUS_GTIDS, boundaries::gtidList);
        handlers.put(EventType.BINLOG_CHECKPOINT, (e, end) -> boundaries.housekeeping(end));
        handlers.put(EventType.QUERY, this::query);
        handlers.put(EventType.EXECUTE_LOAD_QUERY, this::query);
        handlers.put(EventType.TABLE_MAP, this::tableMap);
        handlers.put(EventType.XID, (e, end) -> boundaries.commit(end));
        handlers.put(EventType.XA_PREPARE, xa::prepare);
        handlers.put(EventType.TRANSACTION_PAYLOAD, this::payload);
        for (EventType t : List.of(
                EventType.WRITE_ROWS,
                EventType.EXT_WRITE_ROWS,
                EventType.UPDATE_ROWS,
                EventType.EXT_UPDATE_ROWS,
                EventType.DELETE_ROWS,
                EventType.EXT_DELETE_ROWS)) {
            handlers.put(t, this::rows);
        }
    }

    /** The server read from, named in every checkpoint (its file positions are that server's). */
    void server(ServerIdentity identity) {
        boundaries.server(identity);
    }

    /**
     * The GTID state at the start position, from the server, where the checkpoint has none (reading starts without
     * one, or in the middle of a file): checkpoints then carry the full set a resume by GTID needs.
     */
    void gtidsAtStart(String state) {
        boundaries.gtidsAtStart(state);
    }

    /**
     * Reading resumes after the GTID set {@code requested} instead of at the checkpoint's file position (see
     * {@link Resume} and {@link Rereading#resumeAfter}).
     */
    void resumeAfter(String requested, String checkpointGtids) {
        rereading.resumeAfter(requested, checkpointGtids);
    }

    /**
     * What statements that changed captured rows without row events do ({@code source.on-statement-changes});
     * {@code approvedAt} tells statements an operator accepted at their position, {@code counted} receives the
     * {@code db.table} of each change let through. Halting is the default.
     */
    void statementChanges(StatementPolicy policy, BiPredicate<String, Long> approvedAt, Consumer<String> counted) {
        statementChanges(policy, null, approvedAt, counted);
    }

    /** As above; {@code configOption} names the pipeline in the commands its messages give (null: a placeholder). */
    void statementChanges(
            StatementPolicy policy,
            String configOption,
            BiPredicate<String, Long> approvedAt,
            Consumer<String> counted) {
        statements.statementChanges(policy, configOption, approvedAt, counted);
    }

    /** Turns on the snapshot hook (see {@link SnapshotTracker}). */
    void snapshots(SnapshotTracker tracker, SnapshotConfig config) {
        boundaries.snapshots(tracker);
        xa.snapshots(tracker);
        rows.snapshots(tracker, config);
        statements.snapshots(tracker, config);
    }

    /**
     * The heartbeat table: a transaction writing its rows emits nothing for them, but tells the pipeline the source
     * time its row holds ({@link Emitter#sourceTime}) before its commit.
     */
    void heartbeatTable(String db, String table) {
        heartbeatTable = new String[] {db, table};
    }

    /** The GTID set executed so far. */
    String gtidSet() {
        return boundaries.gtidSet();
    }

    /** Hands an event to its handler; an event without one is passed over only if {@link SkippedEvents} allows. */
    void handle(Event event) throws InterruptedException {
        EventHeaderV4 header = event.getHeader();
        if (header.getEventType() == EventType.HEARTBEAT) {
            boundaries.heartbeat(header.getNextPosition());
            return;
        }
        Handler h = handlers.get(header.getEventType());
        if (h == null) {
            SkippedEvents.check(header, boundaries.file(), header.getPosition());
            return;
        }
        boundaries.at(header.getPosition());
        schema.at(boundaries.file(), header.getPosition());
        h.handle(event, header.getNextPosition());
    }

    /** A compressed transaction (MySQL): its events, each at the payload's position. */
    private void payload(Event e, long end) throws InterruptedException {
        TransactionPayloadEventData p = e.getData();
        for (Event inner : p.getUncompressedEvents()) {
            Handler h = handlers.get(inner.getHeader().getEventType());
            if (h == null) {
                SkippedEvents.check(inner.getHeader(), boundaries.file(), boundaries.eventPos());
            } else {
                h.handle(inner, end);
            }
        }
    }

    private void query(Event e, long end) throws InterruptedException {
        QueryEventData q = e.getData();
        if (q == null) {
            throw SluiceException.fatal("the " + e.getHeader().getEventType() + " event at " + boundaries.file()
                    + ":" + ((EventHeaderV4) e.getHeader()).getPosition() + " could not be read: the binlog stream is"
                    + " not one Sluice understands");
        }
        String sql = q.getSql().strip();
        String upper = sql.length() > 24 ? sql.substring(0, 24).toUpperCase() : sql.toUpperCase();
        if (upper.equals("BEGIN") || upper.startsWith("START TRANSACTION")) {
            boundaries.beginIfNone(e).explicitBegin = true;
            return;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
            boundaries.commit(end);
            return;
        }
        if (upper.startsWith("XA ")) {
            xa.query(e, sql, end);
            return;
        }
        Transaction txn = boundaries.current();
        if (txn == null) {
            txn = boundaries.begin(e, null);
            txn.standalone = true;
        }
        if (!txn.replayOnly) {
            DdlStatement st = statements.statement(q, sql);
            parents.after(st);
        }
        if (StatementHandling.startsTransaction(upper, sql, q)) {
            txn.standalone = false;
            txn.explicitBegin = true; // the table's rows and the XID that commits them follow
            return;
        }
        if (txn.standalone || !txn.explicitBegin) {
            boundaries.commit(end);
        }
    }

    private void tableMap(Event e, long end) {
        TableMapEventData tm = e.getData();
        if (heartbeatTable != null
                && heartbeatTable[0].equals(tm.getDatabase())
                && heartbeatTable[1].equals(tm.getTable())) {
            heartbeatTableId = tm.getTableId();
        }
        parents.tableMap(tm);
        rows.tableMap(tm);
    }

    private void rows(Event e, long end) throws InterruptedException {
        Transaction txn = boundaries.current();
        if (txn == null) {
            throw SluiceException.fatal("row event at " + boundaries.file() + ":"
                    + ((EventHeaderV4) e.getHeader()).getPosition() + " outside a transaction: the binlog stream is"
                    + " not one Sluice understands");
        }
        Object d = e.getData();
        if (rows.signalRows(d, txn)) {
            return;
        }
        if (heartbeatTableId >= 0 && !txn.replayOnly) {
            long at = Heartbeats.writtenAt(d, heartbeatTableId);
            if (at >= 0) {
                txn.heartbeatTsMs = Math.max(txn.heartbeatTsMs, at > 0 ? at : txn.tsMs);
            }
        }
        if (!txn.replayOnly) {
            parents.rows(d, txn);
        }
        rows.rows(d);
    }
}
