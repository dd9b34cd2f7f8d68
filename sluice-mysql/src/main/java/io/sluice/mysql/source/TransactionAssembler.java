package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidListEventData;
import com.github.shyiko.mysql.binlog.event.PreviousGtidSetEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SchemaChange;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.ddl.AlterAction;
import io.sluice.mysql.ddl.DdlParser;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.KeySpec;
import io.sluice.mysql.ddl.SqlMode;
import io.sluice.mysql.ddl.TableName;
import io.sluice.mysql.decode.ColumnDecoder;
import io.sluice.mysql.schema.CoreSchemas;
import io.sluice.mysql.decode.StatementEventData;
import io.sluice.mysql.schema.ColumnDef;
import io.sluice.mysql.schema.ForeignKeyCascades;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableDef;
import io.sluice.mysql.schema.TableDefinitions;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the binlog event stream into change events grouped by transaction, and the checkpoint after each.
 *
 * <p><b>Transactions.</b> A transaction begins at a GTID event (MariaDB's stands in for BEGIN unless flagged
 * standalone; MySQL's, anonymous or not, is followed by BEGIN for DML) or at a {@code BEGIN} query, and ends at an
 * XID event, a {@code COMMIT} (or {@code ROLLBACK}) query, or — for a standalone statement such as DDL — at that
 * statement (but MySQL's atomic CREATE TABLE ... SELECT is followed by its rows and an XID). Row events between
 * stream out as they are decoded, so a transaction of any size passes in bounded memory; the sink makes the whole
 * transaction durable only with the checkpoint that follows its last event.
 *
 * <p><b>XA.</b> The rows of an XA PREPARE group are held (in memory) instead of emitted; they are emitted when
 * {@code XA COMMIT} arrives, with the ids, GTID, position and time of the PREPARE group, and dropped at
 * {@code XA ROLLBACK}. While held, every checkpoint lists the group's position, so a restart reads it again:
 * between that earlier position and the checkpoint's own position only held groups are re-read, everything else
 * is skipped (it was emitted before). Each held group is recorded with the GTID set before it, so a resume by GTID
 * on another server (a failover, see {@link Resume}) reads it again too: there, the transactions inside the
 * checkpoint's GTID set are the ones skipped.
 *
 * <p><b>Ids.</b> {@code <source>:<gtid or file:pos of the first event>:<row>}: the same binlog always yields the
 * same ids. An update that changes the key becomes a delete of the old key and an insert of the new one.
 *
 * <p>Runs on the binlog reader thread only; not thread-safe.
 */
final class TransactionAssembler {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionAssembler.class);
    private static final int FL_STANDALONE = 1;
    private static final int FL_PREPARED_XA = 64;
    /** Fingerprint of a version announced by DDL whose layout no TABLE_MAP has shown yet. */
    private static final String PENDING = TableVersion.PENDING;

    @FunctionalInterface
    private interface Handler {
        void handle(Event event, long endPos) throws InterruptedException;
    }

    /**
     * A captured table as mapped by its latest TABLE_MAP event. {@code cells} is the number of columns the
     * binlog's rows hold, {@code rowEnd} the index of a system-versioned table's row-end column there (else -1).
     */
    private record Mapped(TableDef def, TableSchema schema, String[] names, String[] keyNames, int[] key,
                          ColumnDecoder[] decoders, int version, int cells, int rowEnd) {
    }

    /** The transaction being read. */
    private static final class Txn {
        String gtid;
        String id;
        String file;
        long pos;
        long tsMs;
        long serverId;
        boolean explicitBegin;
        boolean standalone;
        boolean xa;
        boolean replayOnly;
        int row;
        List<ChangeEvent> held;
        /** Captured tables a foreign key's action changed in this transaction, already handled. */
        Set<String> cascaded;
    }

    /**
     * A table whose rows' deletes or updates change rows of captured tables through foreign keys' actions
     * ({@link ForeignKeyCascades}).
     *
     * @param qualifiedName the table
     * @param onDelete      the captured tables a delete of its rows may change
     * @param referenced    the columns keys with an ON UPDATE action reference, and their index in its rows
     *                      (-1 where the binlog does not name its columns: any update counts)
     */
    private record Parent(String qualifiedName, List<TableName> onDelete, Map<String, Integer> referenced) {
    }

    private record HeldGroup(HeldXa at, List<ChangeEvent> events) {
    }

    private final String name;
    private final TableFilter filter;
    private final TableDefinitions definitions;
    private final Emitter out;
    private final Map<EventType, Handler> handlers = new EnumMap<>(EventType.class);
    private final Map<Long, Mapped> mapped = new HashMap<>();
    private final Set<Long> ignoredTables = new HashSet<>();
    private final Map<String, HeldGroup> held = new LinkedHashMap<>();
    /** The held XA groups of the checkpoint read from, whose PREPARE groups are read again. */
    private final List<HeldXa> checkpointHeld;
    private final GtidTracker gtids;
    private final SchemaTracker schema;
    private long eventPos;
    private Map<String, TableVersion> versions;
    private BinlogPosition skipBefore;
    /** Resumed by GTID from before held XA groups: the checkpoint's own set, whose transactions are skipped. */
    private GtidTracker skipWithin;
    /** Resumed by GTID: the set asked for, against which each domain's first transaction is checked for a gap. */
    private GtidTracker resumedAfter;
    private final Set<String> resumedStreams = new HashSet<>();
    private ServerIdentity server;
    private String file;
    private Txn txn;
    /** The snapshot hook: signal-table rows go to it, captured rows mark keys in its window. Null when off. */
    private SnapshotTracker snapshots;
    private SnapshotConfig snapshotConfig;
    private final Set<Long> signalTables = new HashSet<>();
    /** Statements that changed captured rows without row events, and what they do (source.on-statement-changes). */
    private StatementChanges statementChanges;
    /** The server's cascading foreign keys, read at the first need after table DDL (null until then). */
    private ForeignKeyCascades cascades;
    /** By table id, the tables of the latest TABLE_MAPs whose changes reach captured tables through keys' actions. */
    private final Map<Long, Parent> parents = new HashMap<>();

    TransactionAssembler(String name, TableFilter filter, TableDefinitions definitions, Emitter out, Checkpoint from) {
        this(name, filter, definitions, out, from, null);
    }

    /** With a schema tracker: models, history, column lists of {@code s} events and the compatibility policy. */
    TransactionAssembler(String name, TableFilter filter, TableDefinitions definitions, Emitter out, Checkpoint from,
                         SchemaTracker schema) {
        this.name = name;
        this.schema = schema;
        this.filter = filter;
        this.definitions = definitions;
        this.out = out;
        this.gtids = new GtidTracker(from == null ? null : from.position().gtids());
        this.versions = from == null ? Map.of() : from.schemas();
        this.checkpointHeld = from == null ? List.of() : from.heldXa();
        this.statementChanges = new StatementChanges(name, StatementPolicy.HALT, null, null);
        if (from != null) {
            this.file = from.readFrom().file();
            if (from.readFrom().compareTo(from.position()) < 0) {
                skipBefore = from.position();
            }
        }
        handlers.put(EventType.ROTATE, this::rotate);
        handlers.put(EventType.MARIADB_GTID, this::mariaDbGtid);
        handlers.put(EventType.GTID, this::mysqlGtid);
        handlers.put(EventType.ANONYMOUS_GTID, this::mysqlGtid);
        handlers.put(EventType.MARIADB_GTID_LIST, this::gtidList);
        handlers.put(EventType.PREVIOUS_GTIDS, this::gtidList);
        handlers.put(EventType.BINLOG_CHECKPOINT, (e, end) -> housekeeping(end));
        handlers.put(EventType.QUERY, this::query);
        handlers.put(EventType.EXECUTE_LOAD_QUERY, this::query);
        handlers.put(EventType.TABLE_MAP, this::tableMap);
        handlers.put(EventType.XID, (e, end) -> commit(end));
        handlers.put(EventType.XA_PREPARE, this::xaPrepare);
        handlers.put(EventType.TRANSACTION_PAYLOAD, this::payload);
        for (EventType t : List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS,
                EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS)) {
            handlers.put(t, this::rows);
        }
    }

    /**
     * Version numbers from the schema history at the start position, for names the checkpoint does not know (all
     * of them when reading starts without one): a checkpoint's own numbers always win.
     */
    void seedVersions(Map<String, TableVersion> seed) {
        Map<String, TableVersion> merged = new HashMap<>(seed);
        merged.putAll(versions);
        versions = Map.copyOf(merged);
    }

    /** The server read from, named in every checkpoint (its file positions are that server's). */
    void server(ServerIdentity identity) {
        this.server = identity;
    }

    /**
     * The GTID state at the start position, from the server, where the checkpoint has none (reading starts without
     * one, or in the middle of a file): checkpoints then carry the full set a resume by GTID needs.
     */
    void gtidsAtStart(String state) {
        if (gtids.isEmpty() && state != null) {
            gtids.reset(state);
        }
    }

    /**
     * Reading resumes after the GTID set {@code requested} instead of at the checkpoint's file position (see
     * {@link Resume}): the transactions inside the checkpoint's own set, read again from before its held XA groups,
     * are skipped (their groups held again); and the first transaction of each domain (MySQL: server uuid) the set
     * knows must follow it directly, else this server lacks transactions after the checkpoint and reading stops.
     */
    void resumeAfter(String requested, String checkpointGtids) {
        skipBefore = null;
        resumedAfter = new GtidTracker(requested);
        GtidTracker own = new GtidTracker(checkpointGtids);
        skipWithin = own.containedIn(resumedAfter) ? null : own;
    }

    /**
     * What statements that changed captured rows without row events do ({@code source.on-statement-changes});
     * {@code approvedAt} tells statements an operator accepted at their position, {@code counted} receives the
     * {@code db.table} of each change let through. Halting is the default.
     */
    void statementChanges(StatementPolicy policy, java.util.function.BiPredicate<String, Long> approvedAt,
                          java.util.function.Consumer<String> counted) {
        this.statementChanges = new StatementChanges(name, policy, approvedAt, counted);
    }

    /** Turns on the snapshot hook (see {@link SnapshotTracker}). */
    void snapshots(SnapshotTracker tracker, SnapshotConfig config) {
        this.snapshots = tracker;
        this.snapshotConfig = config;
    }

    /**
     * The schema version number of a table for its snapshot rows; a table not seen yet starts at 1 (or continues
     * its name's sequence, when a table of that name was dropped or renamed away). The history gets the version's
     * model here where no table map has shown it yet ({@link SchemaTracker#snapshotted}).
     */
    int snapshotVersion(String qualifiedName) {
        TableVersion v = versions.get(qualifiedName);
        if (v == null || v.gone()) {
            v = new TableVersion(v == null ? 1 : v.version() + 1, PENDING); // the next TABLE_MAP adopts it
            putVersion(qualifiedName, v);
        }
        if (schema != null) {
            int dot = qualifiedName.indexOf('.');
            schema.snapshotted(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1), v.version(), file,
                    eventPos);
        }
        return v.version();
    }

    /** The GTID set executed so far. */
    String gtidSet() {
        return gtids.toString();
    }

    /** Hands an event to its handler; an event without one is passed over only if {@link SkippedEvents} allows. */
    void handle(Event event) throws InterruptedException {
        EventHeaderV4 header = event.getHeader();
        Handler h = handlers.get(header.getEventType());
        if (h == null) {
            SkippedEvents.check(header, file, header.getPosition());
            return;
        }
        eventPos = header.getPosition();
        h.handle(event, header.getNextPosition());
    }

    /**
     * A server-written ROTATE (timestamp set; the one a server fakes at connect has none) ends a file: the
     * checkpoint moves to the next file's start, so an idle source's position stays comparable with the server's.
     */
    private void rotate(Event e, long end) throws InterruptedException {
        RotateEventData r = e.getData();
        boolean real = e.getHeader().getTimestamp() != 0 && file != null && !file.equals(r.getBinlogFilename());
        file = r.getBinlogFilename();
        if (real && txn == null && !rereading()) {
            out.commit(checkpointAt(file, r.getBinlogPosition()));
        }
    }

    private void gtidList(Event e, long end) throws InterruptedException {
        if (skipping(e)) {
            return;
        }
        Object d = e.getData();
        if (d instanceof MariadbGtidListEventData list && list.getMariaGTIDSet() != null) {
            gtids.complete(list.getMariaGTIDSet().toSeenString());
        } else if (d instanceof PreviousGtidSetEventData prev) {
            gtids.complete(prev.getGtidSet());
        }
        housekeeping(end);
    }

    /**
     * A file's opening events (GTID list, binlog checkpoint) belong to no transaction: the checkpoint moves past
     * them, so a caught-up pipeline's position equals the server's end of binlog.
     */
    private void housekeeping(long end) throws InterruptedException {
        if (txn == null && !rereading() && file != null && end > 0) {
            out.commit(checkpointAt(file, end));
        }
    }

    private void mariaDbGtid(Event e, long end) throws InterruptedException {
        MariadbGtidEventData g = e.getData();
        // the GTID's server id is the event header's: the library leaves the data's field unset
        String gtid = g.getDomainId() + "-" + e.getHeader().getServerId() + "-" + g.getSequence();
        Txn t = begin(e, gtid);
        t.standalone = (g.getFlags() & FL_STANDALONE) != 0;
        t.explicitBegin = !t.standalone;
        t.xa = (g.getFlags() & FL_PREPARED_XA) != 0;
    }

    private void mysqlGtid(Event e, long end) throws InterruptedException {
        GtidEventData g = e.getData();
        String gtid = e.getHeader().getEventType() == EventType.ANONYMOUS_GTID ? null : g.getGtid();
        Txn t = begin(e, gtid);
        if (g.getImmediateCommitTimestamp() > 0) {
            t.tsMs = g.getImmediateCommitTimestamp() / 1000;
        }
    }

    private Txn begin(Event e, String gtid) throws InterruptedException {
        EventHeaderV4 h = e.getHeader();
        Txn t = new Txn();
        t.gtid = gtid;
        t.file = file;
        t.pos = h.getPosition();
        t.id = gtid != null ? gtid : file + ":" + t.pos;
        t.tsMs = h.getTimestamp();
        t.serverId = h.getServerId();
        t.replayOnly = readBefore(t);
        if (resumedAfter != null && gtid != null && resumedStreams.add(GtidTracker.stream(gtid))) {
            String missing = resumedAfter.missingBefore(gtid);
            if (missing != null) {
                throw SluiceException.fatal("This server's binlog does not hold the transactions that follow the"
                        + " checkpoint's GTID set " + resumedAfter + ": after it comes " + gtid + " at " + file + ":"
                        + t.pos + ", so " + missing + " are missing (its binlog was reset or purged after them, or"
                        + " they never reached it). Sluice stopped before emitting anything from this server. Point"
                        + " source.host at a server whose binlog holds them (the server the checkpoint was taken on,"
                        + " or another replica); or start over on this server: move the pipeline's state directory"
                        + " away and set source.start (snapshot, to read the tables again).");
            }
        }
        if (snapshots != null && !t.replayOnly && txn == null && snapshots.beforeTransaction(file, t.pos)) {
            out.commit(checkpointAt(file, t.pos));
        }
        txn = t;
        return t;
    }

    /** Whether a transaction beginning now was read before (emitted, or held, before the checkpoint). */
    private boolean readBefore(Txn t) {
        if (skipBefore != null) {
            return new BinlogPosition(file, t.pos, null).compareTo(skipBefore) < 0;
        }
        if (skipWithin != null) {
            if (t.gtid != null && skipWithin.contains(t.gtid)) {
                return true;
            }
            skipWithin = null; // past the checkpoint's set: every transaction from here on is new
        }
        return false;
    }

    /**
     * True while transactions before the checkpoint are read again, and after a resume by GTID until the first
     * transaction has shown that this server's binlog goes on where the checkpoint ends: no checkpoint (of the file's
     * opening events) is passed on meanwhile.
     */
    private boolean rereading() {
        return skipBefore != null || skipWithin != null || resumedAfter != null && resumedStreams.isEmpty();
    }

    private boolean skipping(Event e) {
        if (skipBefore == null) {
            return false;
        }
        EventHeaderV4 h = e.getHeader();
        if (new BinlogPosition(file, h.getPosition(), null).compareTo(skipBefore) < 0) {
            return true;
        }
        skipBefore = null;
        return false;
    }

    private void query(Event e, long end) throws InterruptedException {
        QueryEventData q = e.getData();
        if (q == null) {
            throw SluiceException.fatal("the " + e.getHeader().getEventType() + " event at " + file + ":"
                    + ((EventHeaderV4) e.getHeader()).getPosition() + " could not be read: the binlog stream is not"
                    + " one Sluice understands");
        }
        String sql = q.getSql().strip();
        String upper = sql.length() > 24 ? sql.substring(0, 24).toUpperCase() : sql.toUpperCase();
        if (upper.equals("BEGIN") || upper.startsWith("START TRANSACTION")) {
            if (txn == null) {
                begin(e, null);
            }
            txn.explicitBegin = true;
            return;
        }
        if (upper.equals("COMMIT") || upper.equals("ROLLBACK")) {
            commit(end);
            return;
        }
        if (upper.startsWith("XA ")) {
            xaQuery(e, sql, end);
            return;
        }
        if (txn == null) {
            begin(e, null);
            txn.standalone = true;
        }
        if (!txn.replayOnly) {
            statement(q, sql);
        }
        if (startsTransaction(upper, sql, sqlMode(q))) {
            txn.standalone = false;
            txn.explicitBegin = true; // the table's rows and the XID that commits them follow
            return;
        }
        if (txn.standalone || !txn.explicitBegin) {
            commit(end);
        }
    }

    /**
     * MySQL 8.0.21+ logs an atomic CREATE TABLE ... SELECT as one transaction: the CREATE TABLE with {@code START
     * TRANSACTION} among its options, the new table's rows, then an XID.
     */
    private static boolean startsTransaction(String upper, String sql, SqlMode mode) {
        return upper.startsWith("CREATE") && DdlParser.parse(sql, null, mode) instanceof DdlStatement.CreateTable c
                && c.startsTransaction();
    }

    /**
     * A statement other than BEGIN/COMMIT/XA: DDL and the like. TRUNCATE of a captured table gives a {@code t}
     * event; a schema change of a captured table (created, columns or primary key altered, renamed, dropped) gives
     * an {@code s} event with the table's new version number (the last one for a drop). The DDL is parsed
     * ({@link DdlParser}); the next TABLE_MAP of the table then adopts that number for its new layout instead of
     * counting again. Changes the parser cannot read are still numbered, at the next TABLE_MAP.
     */
    private void statement(QueryEventData q, String sql) throws InterruptedException {
        DdlStatement st = DdlParser.parse(sql, q.getDatabase(), sqlMode(q));
        String ddl = q.getSql();
        if (st instanceof DdlStatement.Dml dml) {
            signalRowsAsText(dml);
            rowsWithoutEvents(st, q, ddl);
            return;
        }
        definitions.invalidate(null, null);
        if (schema != null) {
            schema.statement(st, ddl, file, eventPos);
        }
        if (snapshots != null && !(txn != null && txn.replayOnly)) {
            snapshotsSee(st);
        }
        if (st instanceof DdlStatement.TruncateTable t) {
            if (captured(t.table())) {
                truncated(t.table());
            }
        } else if (st instanceof DdlStatement.CreateTable c) {
            if (!c.temporary() && captured(c.table())) {
                if (c.orReplace()) {
                    truncated(c.table()); // MariaDB's CREATE OR REPLACE drops the table's rows with the table
                }
                schemaEvent(c.table(), nextVersion(qualified(c.table())), ddl);
            }
        } else if (st instanceof DdlStatement.AlterTable a) {
            if (captured(a.table()) && a.rowsChanged().stream().anyMatch(AlterAction.RowsChanged::truncatesAll)) {
                truncated(a.table()); // TRUNCATE PARTITION ALL
            }
            TableName target = a.renamedTo() != null ? a.renamedTo() : a.table();
            if (a.renamedTo() != null) {
                moveVersion(qualified(a.table()), qualified(target));
            }
            if (captured(target)) {
                boolean layout = a.actions().stream().anyMatch(TransactionAssembler::changesColumnsOrKey);
                if (layout || a.renamedTo() != null) {
                    TableVersion v = versions.get(qualified(target));
                    schemaEvent(target, layout || v == null || v.gone() ? nextVersion(qualified(target))
                            : v.version(), ddl);
                }
            }
        } else if (st instanceof DdlStatement.RenameTable r) {
            for (DdlStatement.RenameTable.Rename rename : r.renames()) {
                moveVersion(qualified(rename.from()), qualified(rename.to()));
                if (captured(rename.to())) {
                    TableVersion v = versions.get(qualified(rename.to()));
                    schemaEvent(rename.to(), v == null || v.gone() ? nextVersion(qualified(rename.to()))
                            : v.version(), ddl);
                }
            }
        } else if (st instanceof DdlStatement.DropTable d) {
            if (!d.temporary()) {
                for (TableName t : d.tables()) {
                    dropped(t, ddl);
                }
            }
        } else if (st instanceof DdlStatement.DropDatabase d) {
            for (String qn : versions.entrySet().stream().filter(e -> e.getKey().startsWith(d.name() + ".")
                    && !e.getValue().gone()).map(Map.Entry::getKey).sorted().toList()) {
                dropped(new TableName(d.name(), qn.substring(d.name().length() + 1)), ddl);
            }
        } else if (schema == null && st instanceof DdlStatement.Unparseable u
                && u.tables().stream().anyMatch(this::captured)) {
            LOG.warn("[{}] a statement touching a captured table could not be parsed ({} at {}): {}; its schema"
                    + " change is numbered when the table's next rows arrive", name, u.reason(), u.position(), ddl);
        }
        rowsWithoutEvents(st, q, ddl);
    }

    /** The statement's sql_mode as recorded in its QUERY event (the default where the event does not say). */
    private static SqlMode sqlMode(QueryEventData q) {
        return q instanceof StatementEventData s && s.getSqlMode() != null ? SqlMode.of(s.getSqlMode())
                : SqlMode.DEFAULT;
    }

    /**
     * A statement that changed captured rows without row events ({@link StatementChanges}): halts, or lets it
     * through with a warning, or emits a {@code t} for each table concerned and snapshots it again, by policy.
     * Chunks of those tables in flight are dropped either way (they may hold rows of before the statement).
     */
    private void rowsWithoutEvents(DdlStatement st, QueryEventData q, String sql) throws InterruptedException {
        if (st.isTableDdl() || st instanceof DdlStatement.DropDatabase) {
            cascades = null; // keys may have changed: read again at the next TABLE_MAP
            parents.clear();
        }
        StatementChanges.Found found = statementChanges.find(st, q.getThreadId(), this::captured,
                t -> definitions.currentPartition(t.db(), t.table()));
        if (found == null) {
            return;
        }
        changedWithoutEvents(found, sql);
    }

    /** Applies the policy to changes of captured tables that have no row events (see {@link #rowsWithoutEvents}). */
    private void changedWithoutEvents(StatementChanges.Found found, String sql) throws InterruptedException {
        if (snapshots != null && !found.tables().isEmpty()) {
            found.tables().forEach(t -> snapshots.tableChanged(t.db(), t.table()));
        }
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
                LOG.warn("[{}] a row of the signal table {} was logged as a statement at {}:{} (binlog_format"
                        + " STATEMENT or MIXED for its session): Sluice cannot read it, so the snapshot request or"
                        + " watermark it carries is lost; write signal rows from a session with binlog_format=ROW",
                        name, t, file, eventPos);
            }
        }
    }

    /** A {@code t} event for a captured table, with its current version number. */
    private void truncated(TableName t) throws InterruptedException {
        TableVersion v = versions.get(qualified(t));
        emit(new ChangeEvent(null, Op.TRUNCATE, null, null, null, null, v == null ? 1 : v.version(), null),
                t.db(), t.table());
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

    private static boolean changesColumnsOrKey(AlterAction a) {
        return a instanceof AlterAction.AddColumns || a instanceof AlterAction.DropColumn
                || a instanceof AlterAction.ModifyColumn || a instanceof AlterAction.ChangeColumn
                || a instanceof AlterAction.RenameColumn || a instanceof AlterAction.ConvertCharset
                || a instanceof AlterAction.DropPrimaryKey
                || a instanceof AlterAction.AddKey k && k.key().kind() == KeySpec.Kind.PRIMARY;
    }

    private boolean captured(TableName t) {
        return t.db() != null && filter.captures(t.db(), t.table());
    }

    private static String qualified(TableName t) {
        return t.db() + "." + t.table();
    }

    /** A dropped table: its last version's {@code s} event; the name keeps its number for a table created later. */
    private void dropped(TableName t, String ddl) throws InterruptedException {
        TableVersion v = versions.get(qualified(t));
        if (v == null || v.gone()) {
            return;
        }
        if (captured(t)) {
            schemaEvent(t, v.version(), ddl);
        }
        putVersion(qualified(t), new TableVersion(v.version(), TableVersion.GONE));
    }

    private void schemaEvent(TableName t, int version, String ddl) throws InterruptedException {
        SchemaChange change = schema == null ? null : schema.announce(t.db(), t.table(), version, ddl);
        emit(new ChangeEvent(null, Op.SCHEMA, null, null, null, null, version, ddl, change), t.db(), t.table());
    }

    /**
     * Starts the next version of a table whose new layout the next TABLE_MAP will show (after the name's last
     * number, also when its table was dropped or renamed away).
     */
    private int nextVersion(String qn) {
        if (txn != null && txn.replayOnly) {
            TableVersion v = versions.get(qn);
            return v == null ? 1 : v.version();
        }
        TableVersion v = versions.get(qn);
        TableVersion next = new TableVersion(v == null ? 1 : v.version() + 1, PENDING);
        putVersion(qn, next);
        return next.version();
    }

    /**
     * A renamed table continues its sequence under the new name; where that name had a table before (dropped or
     * renamed away), past that one's numbers, so a {@code (table, version)} pair never means two column sets. The
     * old name keeps its number, for a table created under it later.
     */
    private void moveVersion(String from, String to) {
        TableVersion v = versions.get(from);
        if (v == null || v.gone() || from.equals(to) || (txn != null && txn.replayOnly)) {
            return;
        }
        Map<String, TableVersion> copy = new HashMap<>(versions);
        copy.put(from, new TableVersion(v.version(), TableVersion.GONE));
        TableVersion old = copy.get(to);
        copy.put(to, old == null || old.version() < v.version() ? v
                : new TableVersion(old.version() + 1, v.fingerprint()));
        versions = Map.copyOf(copy);
    }

    private void putVersion(String qn, TableVersion v) {
        Map<String, TableVersion> copy = new HashMap<>(versions);
        copy.put(qn, v);
        versions = Map.copyOf(copy);
    }

    private void xaQuery(Event e, String sql, long end) throws InterruptedException {
        String upper = sql.toUpperCase();
        if (upper.startsWith("XA START") || upper.startsWith("XA BEGIN")) {
            if (txn == null) {
                begin(e, null);
            }
            txn.xa = true;
            txn.explicitBegin = true;
            return;
        }
        if (upper.startsWith("XA END")) {
            return;
        }
        if (upper.startsWith("XA COMMIT") && upper.contains("ONE PHASE")) {
            if (txn != null && txn.xa && txn.held != null) {
                List<ChangeEvent> events = txn.held;
                txn.held = null;
                txn.xa = false;
                release(events);
            }
            commit(end);
            return;
        }
        boolean commit = upper.startsWith("XA COMMIT");
        if (commit || upper.startsWith("XA ROLLBACK")) {
            if (txn == null) {
                begin(e, null);
            }
            String xid = Xid.normalize(sql.substring(commit ? 9 : 11));
            HeldGroup group = held.remove(xid);
            if (txn.replayOnly) {
                txn = null;
                return;
            }
            if (group == null) {
                LOG.warn("[{}] {} for an XA transaction whose PREPARE was not read (it began before the start"
                        + " position); its rows cannot be emitted", name, sql);
            } else if (commit) {
                release(group.events);
            }
            commit(end);
        }
    }

    private void xaPrepare(Event e, long end) throws InterruptedException {
        XAPrepareEventData x = e.getData();
        if (txn == null) {
            return;
        }
        if (x.isOnePhase()) {
            if (txn.held != null) {
                release(txn.held);
            }
            commit(end);
            return;
        }
        String xid = Xid.of(x.getFormatID(), x.getData(), x.getGtridLength(), x.getBqualLength());
        List<ChangeEvent> events = txn.held == null ? List.of() : txn.held;
        if (txn.replayOnly) {
            HeldXa before = heldBefore(xid);
            if (before != null) {
                held.put(xid, new HeldGroup(new HeldXa(xid, new BinlogPosition(txn.file, txn.pos,
                        before.at().gtids())), events));
            }
            txn = null;
            return;
        }
        // the set before this group (it is not in it yet): where a resume by GTID reads the group again
        BinlogPosition at = new BinlogPosition(txn.file, txn.pos, gtids.isEmpty() ? null : gtids.toString());
        held.put(xid, new HeldGroup(new HeldXa(xid, at), events));
        commit(end);
    }

    /**
     * The checkpoint's held XA group that a PREPARE group read again is: the one at its position, or after a resume by
     * GTID (on a server with other positions) the one of its xid; null for a group resolved before the checkpoint.
     */
    private HeldXa heldBefore(String xid) {
        for (HeldXa x : checkpointHeld) {
            boolean same = resumedAfter != null ? x.xid().equals(xid)
                    : x.at().file().equals(txn.file) && x.at().pos() == txn.pos;
            if (same) {
                return x;
            }
        }
        return null;
    }

    private void payload(Event e, long end) throws InterruptedException {
        TransactionPayloadEventData p = e.getData();
        for (Event inner : p.getUncompressedEvents()) {
            Handler h = handlers.get(inner.getHeader().getEventType());
            if (h == null) {
                SkippedEvents.check(inner.getHeader(), file, eventPos);
            } else {
                h.handle(inner, end);
            }
        }
    }

    private void tableMap(Event e, long end) {
        TableMapEventData tm = e.getData();
        long id = tm.getTableId();
        parent(tm);
        if (snapshots != null && snapshotConfig.isSignal(tm.getDatabase(), tm.getTable())) {
            signalTables.add(id);
            ignoredTables.remove(id);
            mapped.put(id, map(definitions.resolve(tm), 0));
            return;
        }
        signalTables.remove(id);
        if (!filter.captures(tm.getDatabase(), tm.getTable())) {
            ignoredTables.add(id);
            mapped.remove(id);
            return;
        }
        ignoredTables.remove(id);
        Mapped m = mapped.get(id);
        TableDef def = definitions.resolve(tm);
        if (m != null && m.def == def) {
            return;
        }
        mapped.put(id, map(def));
    }

    private Mapped map(TableDef def) {
        return map(def, -1);
    }

    /** The mapping of a table; its version is counted unless given. */
    private Mapped map(TableDef def, int fixedVersion) {
        List<ColumnDef> cols = def.columns();
        ColumnDecoder[] decoders = new ColumnDecoder[cols.size()];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = ColumnDecoder.of(cols.get(i));
        }
        int version = fixedVersion >= 0 ? fixedVersion : version(def);
        TableSchema schema = CoreSchemas.of(def, version);
        String[] names = schema.names();
        TableDef.Versioning v = def.versioning();
        return new Mapped(def, schema, names, schema.keyNames(), def.key(), decoders, version,
                v == null ? names.length : v.binlogColumns(), v == null ? -1 : v.rowEnd());
    }

    /**
     * The table's version number for this definition: the next one when its layout changed. While re-reading
     * held XA groups before the checkpoint's position, the numbering is not advanced (those table maps were
     * counted when first read).
     */
    private int version(TableDef def) {
        String qn = def.qualifiedName();
        String fp = def.fingerprint();
        TableVersion v = versions.get(qn);
        if (v != null && (v.fingerprint().equals(fp) || txn != null && txn.replayOnly)) {
            tracked(def, v.version(), SchemaTracker.Mapping.SAME);
            return v.version();
        }
        if (v != null && v.fingerprint().equals(PENDING)) {
            putVersion(qn, new TableVersion(v.version(), fp)); // the layout a schema event announced
            tracked(def, v.version(), SchemaTracker.Mapping.ANNOUNCED);
            return v.version();
        }
        TableVersion next = new TableVersion(v == null ? 1 : v.version() + 1, fp);
        putVersion(qn, next);
        tracked(def, next.version(), SchemaTracker.Mapping.NEW);
        if (v != null) {
            LOG.info("[{}] table {} now at schema version {}", name, qn, next.version());
        }
        return next.version();
    }

    private void tracked(TableDef def, int version, SchemaTracker.Mapping mapping) {
        if (schema != null && (txn == null || !txn.replayOnly)) {
            schema.mapped(def, version, mapping, file, eventPos);
        }
    }

    private void rows(Event e, long end) throws InterruptedException {
        if (txn == null) {
            throw SluiceException.fatal("row event at " + file + ":" + ((EventHeaderV4) e.getHeader()).getPosition()
                    + " outside a transaction: the binlog stream is not one Sluice understands");
        }
        Object d = e.getData();
        if (!signalTables.isEmpty() && signalRows(d)) {
            return;
        }
        if (!parents.isEmpty() && !txn.replayOnly) {
            cascaded(d);
        }
        if (d instanceof WriteRowsEventData w) {
            Mapped m = mappedFor(w.getTableId(), w.getIncludedColumns());
            if (m == null) {
                return;
            }
            for (Serializable[] r : w.getRows()) {
                if (!current(m, r)) {
                    continue; // a system-versioned table's history row: the row's old state, kept by the server
                }
                Row after = row(m, r);
                emit(m, Op.CREATE, key(m, after), null, after);
            }
        } else if (d instanceof UpdateRowsEventData u) {
            Mapped m = mappedFor(u.getTableId(), u.getIncludedColumnsBeforeUpdate());
            if (m == null) {
                return;
            }
            checkFull(m, u.getIncludedColumns());
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                updated(m, r.getKey(), r.getValue());
            }
        } else if (d instanceof DeleteRowsEventData del) {
            Mapped m = mappedFor(del.getTableId(), del.getIncludedColumns());
            if (m == null) {
                return;
            }
            for (Serializable[] r : del.getRows()) {
                if (!current(m, r)) {
                    continue; // history removed (DELETE HISTORY): no current row changes
                }
                Row before = row(m, r);
                emit(m, Op.DELETE, key(m, before), before, null);
            }
        }
    }

    /**
     * An updated row: a {@code u}, or a {@code d} and a {@code c} when its key changed. In a system-versioned table
     * the server ends a current row by updating its row end (a DELETE): that is a {@code d}; a history row made
     * current again is a {@code c}; a history row's update changes no current row.
     */
    private void updated(Mapped m, Serializable[] beforeCells, Serializable[] afterCells) throws InterruptedException {
        boolean wasCurrent = current(m, beforeCells);
        boolean isCurrent = current(m, afterCells);
        if (!wasCurrent && !isCurrent) {
            return;
        }
        Row before = wasCurrent ? row(m, beforeCells) : null;
        Row after = isCurrent ? row(m, afterCells) : null;
        Row oldKey = before == null ? null : key(m, before);
        Row newKey = after == null ? null : key(m, after);
        if (after == null) {
            emit(m, Op.DELETE, oldKey, before, null);
        } else if (before == null) {
            emit(m, Op.CREATE, newKey, null, after);
        } else if (oldKey != null && !oldKey.sameValues(newKey)) {
            emit(m, Op.DELETE, oldKey, before, null);
            emit(m, Op.CREATE, newKey, null, after);
        } else {
            emit(m, Op.UPDATE, newKey, before, after);
        }
    }

    /** True unless the row is a system-versioned table's history row. */
    private static boolean current(Mapped m, Serializable[] cells) {
        return m.rowEnd < 0 || TableDef.Versioning.current(cells[m.rowEnd]);
    }

    /**
     * Notes a table whose deletes or updates change captured tables through foreign keys' actions, from its
     * TABLE_MAP (captured or not: the parent need not be).
     */
    private void parent(TableMapEventData tm) {
        if (cascades == null) {
            cascades = definitions.cascades(filter::mayCapture);
        }
        String qn = tm.getDatabase() + "." + tm.getTable();
        if (cascades.none(qn)) {
            parents.remove(tm.getTableId());
            return;
        }
        List<TableName> onDelete = capturedOf(cascades.changedByDelete(qn));
        Map<String, Integer> referenced = new HashMap<>();
        List<String> names = tm.getEventMetadata() == null ? null : tm.getEventMetadata().getColumnNames();
        for (String column : cascades.referencedOnUpdate(qn)) {
            int at = -1;
            for (int i = 0; names != null && i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(column)) {
                    at = i;
                }
            }
            referenced.put(column, at);
        }
        parents.put(tm.getTableId(), new Parent(qn, onDelete, referenced));
    }

    private List<TableName> capturedOf(java.util.Collection<String> tables) {
        List<TableName> out = new ArrayList<>();
        for (String t : tables) {
            int dot = t.indexOf('.');
            TableName name = new TableName(t.substring(0, dot), t.substring(dot + 1));
            if (captured(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * A rows event of a table whose deletes or updates change captured tables through foreign keys' actions, which
     * the binlog does not log (InnoDB makes them): the policy for statement changes applies to those tables, once
     * per transaction.
     */
    private void cascaded(Object d) throws InterruptedException {
        List<TableName> reached;
        String what;
        Parent p;
        if (d instanceof DeleteRowsEventData del && (p = parents.get(del.getTableId())) != null) {
            reached = p.onDelete();
            what = "a delete of rows of " + p.qualifiedName() + " cascades through a foreign key (ON DELETE)";
        } else if (d instanceof UpdateRowsEventData u && (p = parents.get(u.getTableId())) != null
                && !p.referenced().isEmpty()) {
            Set<String> changed = new HashSet<>();
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                p.referenced().forEach((column, at) -> {
                    if (at < 0 || at >= r.getKey().length
                            || !java.util.Objects.deepEquals(r.getKey()[at], r.getValue()[at])) {
                        changed.add(column.toLowerCase());
                    }
                });
            }
            reached = changed.isEmpty() ? List.of()
                    : capturedOf(cascades.changedByUpdate(p.qualifiedName(), c -> changed.contains(c.toLowerCase())));
            what = "an update of rows of " + p.qualifiedName() + " cascades through a foreign key (ON UPDATE)";
        } else {
            return;
        }
        if (txn.cascaded == null) {
            txn.cascaded = new HashSet<>();
        }
        List<TableName> fresh = reached.stream().filter(t -> txn.cascaded.add(qualified(t))).toList();
        if (!fresh.isEmpty()) {
            changedWithoutEvents(new StatementChanges.Found(what, fresh, false, false),
                    "(the rows event of " + p.qualifiedName() + ")");
        }
    }

    /** Hands the signal table's written rows to the snapshot hook; false for other tables' rows. */
    private boolean signalRows(Object d) throws InterruptedException {
        List<Serializable[]> images = new ArrayList<>();
        long tableId;
        if (d instanceof WriteRowsEventData w) {
            tableId = w.getTableId();
            images.addAll(w.getRows());
        } else if (d instanceof UpdateRowsEventData u) {
            tableId = u.getTableId();
            u.getRows().forEach(r -> images.add(r.getValue()));
        } else if (d instanceof DeleteRowsEventData del) {
            tableId = del.getTableId();
        } else {
            return false;
        }
        if (!signalTables.contains(tableId)) {
            return false;
        }
        if (!txn.replayOnly) {
            Mapped m = mapped.get(tableId);
            for (Serializable[] image : images) {
                snapshots.signal(row(m, image), txn.file, txn.pos);
            }
        }
        return true;
    }

    private Mapped mappedFor(long tableId, BitSet included) {
        if (ignoredTables.contains(tableId)) {
            return null;
        }
        Mapped m = mapped.get(tableId);
        if (m == null) {
            throw SluiceException.fatal("row event for table id " + tableId + " at " + file
                    + " without its TABLE_MAP event: the binlog stream is not one Sluice understands");
        }
        checkFull(m, included);
        return m;
    }

    private static void checkFull(Mapped m, BitSet included) {
        if (included.cardinality() != m.cells) {
            throw SluiceException.fatal("table " + m.def.qualifiedName() + " was logged with partial rows ("
                    + included.cardinality() + " of " + m.cells + " columns); Sluice needs full row images:"
                    + " SET GLOBAL binlog_row_image = 'FULL' (and in my.cnf), then restart Sluice");
        }
    }

    /** The row's values; of a system-versioned table's cells, those of its columns (not the implicit period). */
    private static Row row(Mapped m, Serializable[] cells) {
        int n = m.names.length;
        Object[] values = new Object[n];
        ColumnDecoder[] dec = m.decoders;
        for (int i = 0; i < n; i++) {
            Serializable c = cells[i];
            if (c != null) {
                try {
                    values[i] = dec[i].decode(c);
                } catch (SluiceException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw SluiceException.fatal("column " + m.def.qualifiedName() + "." + m.names[i]
                            + " could not be decoded (" + c.getClass().getSimpleName() + " cell, definition "
                            + m.def.columns().get(i) + "): " + ex + "; please report it with the column's"
                            + " definition", ex);
                }
            }
        }
        return new Row(m.names, m.schema.columns(), values);
    }

    private static Row key(Mapped m, Row row) {
        if (m.key.length == 0) {
            return null;
        }
        Object[] values = new Object[m.key.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = row.value(m.key[k]);
        }
        return new Row(m.keyNames, m.schema.keyColumns(), values);
    }

    private void emit(Mapped m, Op op, Row key, Row before, Row after) throws InterruptedException {
        // typed only: the pipeline's encoder stage renders the event ahead, on this same thread
        if (snapshots != null && !txn.replayOnly && !txn.xa) {
            snapshots.changed(m.def.qualifiedName(), key); // an XA group's keys: at its commit (see release)
        }
        emit(new ChangeEvent(null, op, null, key, before, after, m.version, null), m.def.db(), m.def.table());
    }

    /**
     * Emits the rows of an XA group at its commit. Their keys are marked in a snapshot chunk's window here, where the
     * rows change for a chunk's read, not where the group was prepared: a group prepared before a chunk's low
     * watermark and committed inside its window supersedes the chunk's (older) rows, and one prepared inside a window
     * and then rolled back changes nothing. On a restart, held groups read again before the checkpoint mark nothing;
     * their commit does, when it comes. A one-phase group read again before the checkpoint (for a held group before
     * it) was emitted before: it is not released again.
     */
    private void release(List<ChangeEvent> events) throws InterruptedException {
        if (txn != null && txn.replayOnly) {
            return;
        }
        for (ChangeEvent ev : events) {
            if (snapshots != null) {
                snapshots.changed(ev.source().db() + "." + ev.source().table(), ev.key());
            }
            out.event(ev);
        }
    }

    /** Completes the event with its id and source block, then emits or holds it. */
    private void emit(ChangeEvent partial, String db, String table) throws InterruptedException {
        Txn t = txn;
        if (t.replayOnly && !t.xa) {
            return;
        }
        int row = t.row++;
        SourceInfo s = new SourceInfo(name, t.serverId, t.gtid, t.file, t.pos, row, t.tsMs, db, table, false);
        ChangeEvent e = new ChangeEvent(ChangeEvent.id(name, t.id, row), partial.op(), s, partial.key(),
                partial.before(), partial.after(), partial.schema(), partial.ddl(), partial.change());
        if (t.xa) {
            if (t.held == null) {
                t.held = new ArrayList<>();
            }
            t.held.add(e);
        } else {
            out.event(e);
        }
    }

    private void commit(long end) throws InterruptedException {
        Txn t = txn;
        txn = null;
        if (t == null || t.replayOnly) {
            return;
        }
        gtids.add(t.gtid);
        out.commit(checkpointAt(file, end));
    }

    private Checkpoint checkpointAt(String atFile, long pos) {
        List<HeldXa> heldXa = held.isEmpty() ? List.of() : held.values().stream().map(HeldGroup::at).toList();
        return new Checkpoint(new BinlogPosition(atFile, pos, gtids.toString()), heldXa, versions, null,
                snapshots == null ? null : snapshots.progress(), server);
    }
}
