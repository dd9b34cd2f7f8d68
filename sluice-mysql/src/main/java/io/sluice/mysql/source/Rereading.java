package io.sluice.mysql.source;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import java.util.HashSet;
import java.util.Set;

/**
 * What a restart reads again, and must not emit again: a checkpoint with held XA groups is read from the first of
 * them, and everything between that and the checkpoint's own position was emitted before (only the held groups are
 * wanted again). After a resume by GTID (see {@link Resume}) the transactions inside the checkpoint's own GTID set
 * are the ones skipped, and the first transaction of each domain must follow the checkpoint's set directly.
 */
final class Rereading {
    private BinlogPosition skipBefore;
    /** Resumed by GTID from before held XA groups: the checkpoint's own set, whose transactions are skipped. */
    private GtidTracker skipWithin;
    /** Resumed by GTID: the set asked for, against which each domain's first transaction is checked for a gap. */
    private GtidTracker resumedAfter;

    private final Set<String> resumedStreams = new HashSet<>();

    Rereading(Checkpoint from) {
        if (from != null && from.readFrom().compareTo(from.position()) < 0) {
            skipBefore = from.position();
        }
    }

    /**
     * Reading resumes after the GTID set {@code requested} instead of at the checkpoint's file position: the
     * transactions inside the checkpoint's own set, read again from before its held XA groups, are skipped; and the
     * first transaction of each domain (MySQL: server uuid) the set knows must follow it directly.
     */
    void resumeAfter(String requested, String checkpointGtids) {
        skipBefore = null;
        resumedAfter = new GtidTracker(requested);
        GtidTracker own = new GtidTracker(checkpointGtids);
        skipWithin = own.containedIn(resumedAfter) ? null : own;
    }

    /** Resumed by GTID (positions are another server's). */
    boolean byGtid() {
        return resumedAfter != null;
    }

    /** Whether a transaction beginning at {@code file:pos} was read before (emitted, or held, before the checkpoint). */
    boolean readBefore(String file, long pos, String gtid) {
        if (skipBefore != null) {
            return new BinlogPosition(file, pos, null).compareTo(skipBefore) < 0;
        }
        if (skipWithin != null) {
            if (gtid != null && skipWithin.contains(gtid)) {
                return true;
            }
            skipWithin = null; // past the checkpoint's set: every transaction from here on is new
        }
        return false;
    }

    /**
     * After a resume by GTID, the first transaction of each domain must follow the requested set directly, else this
     * server lacks transactions after the checkpoint: reading stops before anything of this server is emitted.
     */
    void checkFollows(String gtid, String file, long pos) {
        if (resumedAfter != null && gtid != null && resumedStreams.add(GtidTracker.stream(gtid))) {
            String missing = resumedAfter.missingBefore(gtid);
            if (missing != null) {
                throw SluiceException.fatal("This server's binlog does not hold the transactions that follow the"
                        + " checkpoint's GTID set " + resumedAfter + ": after it comes " + gtid + " at " + file + ":"
                        + pos + ", so " + missing + " are missing (its binlog was reset or purged after them, or"
                        + " they never reached it). Sluice stopped before emitting anything from this server. Point"
                        + " source.host at a server whose binlog holds them (the server the checkpoint was taken on,"
                        + " or another replica); or start over on this server: move the pipeline's state directory"
                        + " away and set source.start (snapshot, to read the tables again).");
            }
        }
    }

    /**
     * True while transactions before the checkpoint are read again, and after a resume by GTID until the first
     * transaction has shown that this server's binlog goes on where the checkpoint ends: no checkpoint (of the file's
     * opening events) is passed on meanwhile.
     */
    boolean active() {
        return skipBefore != null || skipWithin != null || resumedAfter != null && resumedStreams.isEmpty();
    }

    /** An event outside transactions at {@code file:pos} read before the checkpoint's position: not applied again. */
    boolean skipping(String file, long pos) {
        if (skipBefore == null) {
            return false;
        }
        if (new BinlogPosition(file, pos, null).compareTo(skipBefore) < 0) {
            return true;
        }
        skipBefore = null;
        return false;
    }
}
