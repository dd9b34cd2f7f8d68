package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XA transactions. The rows of an XA PREPARE group are held (in memory) instead of emitted; they are emitted when
 * {@code XA COMMIT} arrives, with the ids, GTID, position and time of the PREPARE group, and dropped at
 * {@code XA ROLLBACK}. While held, every checkpoint lists the group's position, so a restart reads it again:
 * between that earlier position and the checkpoint's own position only held groups are re-read, everything else
 * is skipped (it was emitted before). Each held group is recorded with the GTID set before it, so a resume by GTID
 * on another server (a failover, see {@link Resume}) reads it again too: there, the transactions inside the
 * checkpoint's GTID set are the ones skipped.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class XaHolding {
    private static final Logger LOG = LoggerFactory.getLogger(XaHolding.class);

    private final String name;
    private final Emitter out;
    private final TransactionBoundaries boundaries;
    private final HeldXaGroups held;
    private final Rereading rereading;
    private SnapshotTracker snapshots;

    XaHolding(String name, Emitter out, TransactionBoundaries boundaries, HeldXaGroups held, Rereading rereading) {
        this.name = name;
        this.out = out;
        this.boundaries = boundaries;
        this.held = held;
        this.rereading = rereading;
    }

    /** The snapshot hook: an XA group's keys are marked in a chunk's window at its commit. */
    void snapshots(SnapshotTracker tracker) {
        this.snapshots = tracker;
    }

    /** An {@code XA ...} statement ({@code sql}, stripped) ending at {@code end}. */
    void query(Event e, String sql, long end) throws InterruptedException {
        String upper = sql.toUpperCase();
        if (upper.startsWith("XA START") || upper.startsWith("XA BEGIN")) {
            Transaction txn = boundaries.beginIfNone(e);
            txn.xa = true;
            txn.explicitBegin = true;
            return;
        }
        if (upper.startsWith("XA END")) {
            return;
        }
        if (upper.startsWith("XA COMMIT") && upper.contains("ONE PHASE")) {
            Transaction txn = boundaries.current();
            if (txn != null && txn.xa && txn.held != null) {
                List<ChangeEvent> events = txn.held;
                txn.held = null;
                txn.xa = false;
                release(events);
            }
            boundaries.commit(end);
            return;
        }
        boolean commit = upper.startsWith("XA COMMIT");
        if (commit || upper.startsWith("XA ROLLBACK")) {
            Transaction txn = boundaries.beginIfNone(e);
            String xid = Xid.normalize(sql.substring(commit ? 9 : 11));
            List<ChangeEvent> group = held.take(xid);
            if (txn.replayOnly) {
                boundaries.commit(end); // read before: nothing of it is emitted, no checkpoint follows
                return;
            }
            if (group == null) {
                LOG.warn(
                        "[{}] {} for an XA transaction whose PREPARE was not read (it began before the start"
                                + " position); its rows cannot be emitted",
                        name,
                        sql);
            } else if (commit) {
                release(group);
            }
            boundaries.commit(end);
        }
    }

    /** An XA_PREPARE event (MySQL): the group's rows are held, or emitted for a one-phase commit. */
    void prepare(Event e, long end) throws InterruptedException {
        XAPrepareEventData x = e.getData();
        Transaction txn = boundaries.current();
        if (txn == null) {
            return;
        }
        if (x.isOnePhase()) {
            if (txn.held != null) {
                release(txn.held);
            }
            boundaries.commit(end);
            return;
        }
        String xid = Xid.of(x.getFormatID(), x.getData(), x.getGtridLength(), x.getBqualLength());
        List<ChangeEvent> events = txn.held == null ? List.of() : txn.held;
        if (txn.replayOnly) {
            HeldXa before = held.heldBefore(xid, txn.file, txn.pos, rereading.byGtid());
            if (before != null) {
                held.hold(
                        new HeldXa(
                                xid,
                                new BinlogPosition(
                                        txn.file, txn.pos, before.at().gtids())),
                        events);
            }
            boundaries.commit(end); // read before: no checkpoint follows
            return;
        }
        held.hold(new HeldXa(xid, boundaries.heldAt()), events);
        boundaries.commit(end);
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
        Transaction txn = boundaries.current();
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
}
