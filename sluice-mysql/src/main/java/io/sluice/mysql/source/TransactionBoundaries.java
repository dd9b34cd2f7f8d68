package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidListEventData;
import com.github.shyiko.mysql.binlog.event.PreviousGtidSetEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Emitter;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the binlog is read and which transaction is open: files (ROTATE), GTIDs, the begin and end of each
 * transaction, and the checkpoint after it. A transaction begins at a GTID event (MariaDB's stands in for BEGIN
 * unless flagged standalone; MySQL's, anonymous or not, is followed by BEGIN for DML) or at a {@code BEGIN} query,
 * and ends at {@link #commit} (an XID, {@code COMMIT} or {@code ROLLBACK}, or the end of a standalone statement).
 * Events of the open transaction get their ids and source block here ({@link #emit}); an XA transaction's are held
 * in it until its PREPARE.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class TransactionBoundaries {
    private static final int FL_STANDALONE = 1;
    private static final int FL_PREPARED_XA = 64;

    private final String name;
    private final Emitter out;
    private final GtidTracker gtids;
    private final Rereading rereading;
    private final HeldXaGroups held;
    private final SchemaTracker schema;
    private SnapshotTracker snapshots;
    private ServerIdentity server;
    private String file;
    private long eventPos;
    private Transaction txn;

    /**
     * @param from      the checkpoint read from, or null
     * @param rereading what of the binlog is read again after it
     * @param held      the held XA groups, listed in every checkpoint
     * @param schema    the version numbers every checkpoint records
     */
    TransactionBoundaries(
            String name, Emitter out, Checkpoint from, Rereading rereading, HeldXaGroups held, SchemaTracker schema) {
        this.name = name;
        this.out = out;
        this.gtids = new GtidTracker(from == null ? null : from.position().gtids());
        this.rereading = rereading;
        this.held = held;
        this.schema = schema;
        this.file = from == null ? null : from.readFrom().file();
    }

    /** The server read from, named in every checkpoint (its file positions are that server's). */
    void server(ServerIdentity identity) {
        this.server = identity;
    }

    /** The GTID state at the start position, from the server, where the checkpoint has none. */
    void gtidsAtStart(String state) {
        if (gtids.isEmpty() && state != null) {
            gtids.reset(state);
        }
    }

    /** The snapshot hook: a transaction may wait for, or let pass, a snapshot chunk at its position. */
    void snapshots(SnapshotTracker tracker) {
        this.snapshots = tracker;
    }

    /** The GTID set executed so far. */
    String gtidSet() {
        return gtids.toString();
    }

    /** The binlog file being read. */
    String file() {
        return file;
    }

    /** The position of the event being handled. */
    long eventPos() {
        return eventPos;
    }

    /** The next event handled is at {@code pos} of the file being read. */
    void at(long pos) {
        eventPos = pos;
    }

    /** The open transaction, or null between transactions. */
    Transaction current() {
        return txn;
    }

    /**
     * A server-written ROTATE (timestamp set; the one a server fakes at connect has none) ends a file: the
     * checkpoint moves to the next file's start, so an idle source's position stays comparable with the server's.
     */
    void rotate(Event e) throws InterruptedException {
        RotateEventData r = e.getData();
        boolean real = e.getHeader().getTimestamp() != 0 && file != null && !file.equals(r.getBinlogFilename());
        file = r.getBinlogFilename();
        if (real && txn == null && !rereading.active()) {
            out.commit(checkpointAt(file, r.getBinlogPosition()));
        }
    }

    /** A file's GTID list (MariaDB) or previous GTIDs (MySQL): completes the executed set, a housekeeping event. */
    void gtidList(Event e, long end) throws InterruptedException {
        if (rereading.skipping(file, ((EventHeaderV4) e.getHeader()).getPosition())) {
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
    void housekeeping(long end) throws InterruptedException {
        if (txn == null && !rereading.active() && file != null && end > 0) {
            out.commit(checkpointAt(file, end));
        }
    }

    void mariaDbGtid(Event e) throws InterruptedException {
        MariadbGtidEventData g = e.getData();
        // the GTID's server id is the event header's: the library leaves the data's field unset
        String gtid = g.getDomainId() + "-" + e.getHeader().getServerId() + "-" + g.getSequence();
        Transaction t = begin(e, gtid);
        t.standalone = (g.getFlags() & FL_STANDALONE) != 0;
        t.explicitBegin = !t.standalone;
        t.xa = (g.getFlags() & FL_PREPARED_XA) != 0;
    }

    /** MySQL's GTID event, or its anonymous one (gtid_mode OFF), whose data the library leaves unread (null). */
    void mysqlGtid(Event e) throws InterruptedException {
        GtidEventData g = e.getData();
        String gtid = e.getHeader().getEventType() == EventType.ANONYMOUS_GTID || g == null ? null : g.getGtid();
        Transaction t = begin(e, gtid);
        if (g != null && g.getImmediateCommitTimestamp() > 0) {
            t.tsMs = g.getImmediateCommitTimestamp() / 1000;
        }
    }

    /** The open transaction, or one begun at this event (an anonymous one) when none is open. */
    Transaction beginIfNone(Event e) throws InterruptedException {
        return txn != null ? txn : begin(e, null);
    }

    /**
     * Begins a transaction at this event. A snapshot chunk waiting at its position is emitted first (with a
     * checkpoint at the transaction's start), unless it was read before the checkpoint.
     */
    Transaction begin(Event e, String gtid) throws InterruptedException {
        EventHeaderV4 h = e.getHeader();
        Transaction t = new Transaction();
        t.gtid = gtid;
        t.file = file;
        t.pos = h.getPosition();
        t.id = gtid != null ? gtid : file + ":" + t.pos;
        t.idPrefix = name + ':' + t.id + ':'; // the ids' start (ChangeEvent.id), made once per transaction
        t.tsMs = h.getTimestamp();
        t.serverId = h.getServerId();
        t.replayOnly = rereading.readBefore(file, t.pos, gtid);
        rereading.checkFollows(gtid, file, t.pos);
        if (snapshots != null && !t.replayOnly && txn == null && snapshots.beforeTransaction(file, t.pos)) {
            out.commit(checkpointAt(file, t.pos));
        }
        txn = t;
        return t;
    }

    /**
     * A heartbeat of an idle server: the binlog reader has read everything up to {@code end} of the current file. A
     * snapshot chunk read at a position up to there (read-only mode), or a request made in this process, takes
     * effect here, with a checkpoint at that point, as it would before the next transaction.
     */
    void heartbeat(long end) throws InterruptedException {
        if (snapshots != null
                && txn == null
                && !rereading.active()
                && file != null
                && end > 0
                && snapshots.beforeTransaction(file, end)) {
            out.commit(checkpointAt(file, end));
        }
    }

    /** Ends the open transaction (if any): unless it was read before, its GTID is executed and a checkpoint follows. */
    void commit(long end) throws InterruptedException {
        Transaction t = txn;
        txn = null;
        if (t == null || t.replayOnly) {
            return;
        }
        gtids.add(t.gtid);
        if (t.heartbeatTsMs > 0) {
            out.sourceTime(t.heartbeatTsMs); // no event, but the binlog was read up to then
        }
        out.commit(checkpointAt(file, end));
    }

    /**
     * Completes the event with its id ({@code <source>:<gtid or file:pos of the first event>:<row>}: the same binlog
     * always yields the same ids) and source block, then emits it, or holds it in an XA transaction.
     */
    void emit(ChangeEvent partial, String db, String table) throws InterruptedException {
        Transaction t = txn;
        if (t.replayOnly && !t.xa) {
            return;
        }
        int row = t.row++;
        SourceInfo s = new SourceInfo(name, t.serverId, t.gtid, t.file, t.pos, row, t.tsMs, db, table, false);
        ChangeEvent e = partial.withSource(t.idPrefix + row, s);
        if (t.xa) {
            if (t.held == null) {
                t.held = new ArrayList<>();
            }
            t.held.add(e);
        } else {
            out.event(e);
        }
    }

    /**
     * Emits an {@code s} event that announces a version before the row about to be emitted: it takes no row number
     * of its own (its {@code source.row} is that row's, its id {@code <source>:<txn>:s<row>}), so the rows' ids and
     * numbers do not depend on where reading began (docs/change-event.md, Announcing a version).
     */
    void announce(ChangeEvent partial, String db, String table) throws InterruptedException {
        Transaction t = txn;
        int row = t.row;
        SourceInfo s = new SourceInfo(name, t.serverId, t.gtid, t.file, t.pos, row, t.tsMs, db, table, false);
        out.event(partial.withSource(t.idPrefix + "s" + row, s));
    }

    /**
     * Where an XA group held from now on is read again: the open transaction's position with the GTID set before it
     * (it is not in it yet), for a resume by GTID.
     */
    BinlogPosition heldAt() {
        return new BinlogPosition(txn.file, txn.pos, gtids.isEmpty() ? null : gtids.toString());
    }

    private Checkpoint checkpointAt(String atFile, long pos) {
        List<HeldXa> heldXa = held.positions();
        return new Checkpoint(
                new BinlogPosition(atFile, pos, gtids.toString()),
                heldXa,
                schema.versions(),
                null,
                snapshots == null ? null : snapshots.progress(),
                server);
    }
}
