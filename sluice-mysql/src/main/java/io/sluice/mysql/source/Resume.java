package io.sluice.mysql.source;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.ServerIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a stream picks up a checkpoint. A binlog file position means something only on the server that wrote it: a
 * replica promoted after a failover has a binlog of its own, where the same {@code file:pos} is another transaction
 * or the middle of one, and the same server after {@code RESET MASTER} has new files under the old names. So the
 * checkpoint's position is used only where the server is the one it was taken on (its {@link ServerIdentity}, and on
 * MariaDB the GTID state the server itself finds at that position); anywhere else Sluice resumes after the
 * checkpoint's GTID set, which names the same place in every binlog of a replication topology, and where the
 * checkpoint has no GTID set it refuses to guess.
 *
 * <p>A GTID set to resume after is the checkpoint's own, or, while XA transactions are held, the set before the
 * earliest held PREPARE group, so those groups are read again (as a restart on the same server reads them again
 * from their file positions).
 *
 * @param gtids    null to resume at the checkpoint's file position; else the GTID set to resume after
 * @param reason   why the file position does not apply on this server, for the log; null where it does
 * @param verified whether the file position was checked against this server (false for a checkpoint that names
 *                 no server, on a server that cannot tell the GTID state at a position)
 */
record Resume(String gtids, String reason, boolean verified) {

    /**
     * What Sluice learns about the server before it connects to its binlog.
     *
     * @param identity        its server id and (MySQL) server uuid
     * @param mariaDb         true for MariaDB
     * @param gtidsAtPosition MariaDB's {@code BINLOG_GTID_POS} at the checkpoint's position: the GTID state there
     *                        ({@code ""} for none), {@code null} where the server has no event boundary there (or no
     *                        such file); not asked (and null) unless {@code probed}
     * @param probed          whether {@code gtidsAtPosition} was asked
     */
    record Server(ServerIdentity identity, boolean mariaDb, String gtidsAtPosition, boolean probed) {}

    /** Resuming at the checkpoint's file position. */
    static Resume atPosition(boolean verified) {
        return new Resume(null, null, verified);
    }

    boolean byGtid() {
        return gtids != null;
    }

    /**
     * Decides how to resume from {@code from} on the server {@code here} (at {@code where}, host:port, for messages).
     *
     * @throws SluiceException (fatal) where the position does not apply here and the checkpoint gives no GTID set
     */
    static Resume decide(Checkpoint from, Server here, String where) {
        BinlogPosition at = from.position();
        String sets = at.gtids() == null || at.gtids().isBlank() ? null : at.gtids();
        String reason = null;
        if (from.server() != null && !from.server().sameAs(here.identity())) {
            reason = "the checkpoint was taken on " + from.server() + ", and the server at " + where + " is "
                    + here.identity();
        } else if (here.probed()
                && sets != null
                && (here.gtidsAtPosition() == null || !new GtidTracker(sets).agreesWith(here.gtidsAtPosition()))) {
            reason = "at " + at.file() + ":" + at.pos() + " the binlog of the server at " + where + " ("
                    + here.identity() + ") is "
                    + (here.gtidsAtPosition() == null
                            ? "not at the start of an event (or has no such file)"
                            : "after GTIDs " + (here.gtidsAtPosition().isEmpty() ? "(none)" : here.gtidsAtPosition()))
                    + ", where the checkpoint is after GTIDs " + sets;
        }
        if (reason == null) {
            return atPosition(from.server() != null || here.probed() && sets != null);
        }
        if (sets == null) {
            throw SluiceException.fatal("The checkpoint's position " + at.file() + ":" + at.pos() + " is a place in"
                    + " another server's binlog: " + reason + ". Here the same file position is another transaction,"
                    + " or the middle of one (after a failover to a replica, or a reset of the binlog), and the"
                    + " checkpoint has no GTID set to find its place by (the server it was taken on had no GTIDs),"
                    + " so Sluice does not resume here. Point source.host back at the server the checkpoint was taken on; or start"
                    + " over on this server: move the pipeline's state directory away and choose source.start"
                    + " (snapshot, to read the tables again). With GTIDs on (MySQL: gtid_mode=ON), Sluice resumes"
                    + " on another server by itself.");
        }
        List<String> unplaced = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        for (HeldXa x : from.heldXa()) {
            if (x.at().gtids() == null) {
                unplaced.add(x.xid());
            } else {
                starts.add(x.at().gtids());
            }
        }
        if (!unplaced.isEmpty()) {
            throw SluiceException.fatal("The checkpoint's position " + at + " is a place in another server's"
                    + " binlog: " + reason
                    + ". Sluice would resume after its GTID set, but the checkpoint holds prepared XA"
                    + " transaction(s) " + unplaced + " whose PREPARE must be read again and records no GTID set"
                    + " for them (it was written by an older Sluice). Point source.host back at the server the"
                    + " checkpoint was taken on until those XA transactions are committed or rolled back and Sluice"
                    + " has read that, then fail over again.");
        }
        starts.add(sets);
        String after = GtidTracker.earliest(starts);
        if (after == null) {
            throw SluiceException.fatal("The checkpoint's GTID sets do not follow one another (position " + sets
                    + ", held XA PREPARE groups " + starts.subList(0, starts.size() - 1) + "), so Sluice cannot tell"
                    + " where to resume on another server: " + reason + ".");
        }
        return new Resume(after, reason, true);
    }
}
