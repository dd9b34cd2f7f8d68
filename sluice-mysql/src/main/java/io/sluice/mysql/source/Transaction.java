package io.sluice.mysql.source;

import io.sluice.core.event.ChangeEvent;
import java.util.List;
import java.util.Set;

/**
 * The transaction being read ({@link TransactionBoundaries} begins and ends it): where it began, what kind it is,
 * and the rows emitted so far. Read and written on the binlog reader thread only.
 */
final class Transaction {
    /** Its GTID; null for an anonymous one. */
    String gtid;
    /** What its events' ids are made of: the GTID, or {@code file:pos} of its first event. */
    String id;
    /** Its events' ids up to their row: {@code <source>:<id>:}, made once for all its events. */
    String idPrefix;

    String file;
    long pos;
    long tsMs;
    /** When the heartbeat row it wrote was written (the row's {@code ts}, in ms), or 0: it wrote none. */
    long heartbeatTsMs;

    long serverId;
    /** Begun by {@code BEGIN} (or a GTID standing for it): it ends at its XID or {@code COMMIT}, not a statement. */
    boolean explicitBegin;
    /** A statement on its own (DDL): it ends with that statement. */
    boolean standalone;
    /** An XA transaction: its rows are held until XA COMMIT ({@link XaHolding}). */
    boolean xa;
    /** Read before the checkpoint (only held XA groups among such are wanted again): nothing of it is emitted. */
    boolean replayOnly;
    /** The number of the next event's row in its id. */
    int row;
    /** An XA transaction's events, held until its XA PREPARE. */
    List<ChangeEvent> held;
    /** Captured tables a foreign key's action changed in this transaction, already handled. */
    Set<String> cascaded;
}
