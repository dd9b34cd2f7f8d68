package io.sluice.core.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * What a sink durably holds about the source: resuming from it yields the next transaction's events, each
 * exactly once.
 *
 * @param position resume point: the position after the last transaction the sink accepted, with the GTID set
 *                 executed so far
 * @param heldXa   prepared, unresolved XA transactions whose PREPARE groups a restart must read again
 * @param schemas  schema version per table ({@code db.table}), so numbering continues across restarts
 * @param partial  null, or the part of the next source transaction (the one after {@code position}, or a held XA
 *                 transaction) the sink already holds: a restart suppresses those events. Written by sinks that
 *                 split one huge source transaction over several commits of their own (Kafka)
 * @param snapshot snapshot work in progress (tables and the last completed chunk), or null when there is none
 * @param server   the server whose binlog {@code position} and the held XA positions are in, or null where it is not
 *                 known (checkpoints written before Sluice recorded it)
 * @param rules    the rule version in effect from {@code position} on (the one that shapes the next transaction and
 *                 the {@code partial} part of it), or null where no versioned rules run or the checkpoint was written
 *                 before Sluice recorded it (a restart then takes the newest deployed version). Only the rules stage
 *                 sets it; a restart resumes with it, so a transaction re-read after a crash is shaped as before
 */
public record Checkpoint(
        BinlogPosition position,
        List<HeldXa> heldXa,
        Map<String, TableVersion> schemas,
        PartialTxn partial,
        SnapshotProgress snapshot,
        ServerIdentity server,
        Integer rules) {

    public Checkpoint {
        heldXa = heldXa == null ? List.of() : List.copyOf(heldXa);
        schemas = schemas == null ? Map.of() : Map.copyOf(schemas);
        snapshot = snapshot == null || snapshot.idle() ? null : snapshot;
    }

    /** A checkpoint with no rule version recorded. */
    public Checkpoint(
            BinlogPosition position,
            List<HeldXa> heldXa,
            Map<String, TableVersion> schemas,
            PartialTxn partial,
            SnapshotProgress snapshot,
            ServerIdentity server) {
        this(position, heldXa, schemas, partial, snapshot, server, null);
    }

    /** A checkpoint on a server not named. */
    public Checkpoint(
            BinlogPosition position,
            List<HeldXa> heldXa,
            Map<String, TableVersion> schemas,
            PartialTxn partial,
            SnapshotProgress snapshot) {
        this(position, heldXa, schemas, partial, snapshot, null);
    }

    /** A checkpoint between two source transactions, with no snapshot in progress. */
    public Checkpoint(BinlogPosition position, List<HeldXa> heldXa, Map<String, TableVersion> schemas) {
        this(position, heldXa, schemas, null, null);
    }

    /** The same checkpoint, marking that the sink also holds part of the next transaction (null: none of it). */
    public Checkpoint withPartial(PartialTxn p) {
        return new Checkpoint(position, heldXa, schemas, p, snapshot, server, rules);
    }

    /** The same checkpoint with this snapshot progress (null or idle: none). */
    public Checkpoint withSnapshot(SnapshotProgress s) {
        return new Checkpoint(position, heldXa, schemas, partial, s, server, rules);
    }

    /** The same checkpoint, recording rule version {@code version} as the one in effect from here on. */
    public Checkpoint withRules(Integer version) {
        return new Checkpoint(position, heldXa, schemas, partial, snapshot, server, version);
    }

    /**
     * Where a restart on the same server must start reading: the earliest held XA PREPARE group, or the position.
     * Positions of different servers do not compare: a source on another server resumes by GTID instead.
     */
    public BinlogPosition readFrom() {
        BinlogPosition from = position;
        for (HeldXa x : heldXa) {
            if (x.at().compareTo(from) < 0) {
                from = x.at();
            }
        }
        return from;
    }
}
