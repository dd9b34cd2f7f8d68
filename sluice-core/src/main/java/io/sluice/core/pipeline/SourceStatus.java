package io.sluice.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What a running source shows beyond the pipeline's own status, for the HTTP API, the console and the metrics: the
 * application learns it here, never by knowing the source's class. Read from any thread; every method returns the
 * current state and never blocks.
 */
public interface SourceStatus {

    /** A source that has nothing to show beyond the pipeline's status. */
    SourceStatus NONE = new SourceStatus() {};

    /**
     * Snapshot progress per table and run read in this process, oldest first; empty when none ran. The objects
     * are live: they show the current values whenever they are read.
     */
    default List<SnapshotTableStatus> snapshots() {
        return List.of();
    }

    /**
     * Per captured table ({@code db.table}), how many statements changed its rows without row events and were let
     * through; empty when none did or the source has no such notion.
     */
    default Map<String, Long> statementChanges() {
        return Map.of();
    }

    /** True while the source's snapshots are paused (until resumed); false when it has none. */
    default boolean snapshotsPaused() {
        return false;
    }

    /**
     * The source's heartbeat writes ({@code source.heartbeat.table}) since the source was built, or empty when it
     * writes none (the heartbeat is off, or the source has no such notion).
     */
    default java.util.Optional<HeartbeatStatus> heartbeat() {
        return java.util.Optional.empty();
    }

    /** How the source's heartbeat writes went; its getters read the current values. */
    interface HeartbeatStatus {
        /** Heartbeat rows written so far. */
        long writes();

        /** Heartbeat writes that failed so far. */
        long errors();

        /** When the last heartbeat was written (epoch milliseconds), or -1 before the first. */
        long lastWriteEpochMillis();
    }

    /** One table's snapshot in one run; its getters read the current values. */
    interface SnapshotTableStatus {
        /** The run's name. */
        String run();

        /** {@code db.table}. */
        String table();

        /** Rows emitted so far (op r). */
        long rows();

        /** The server's estimate of the table's rows, or -1. */
        long totalEstimate();

        /** Chunks read so far. */
        long chunks();

        /** Rows left out because the binlog changed them inside their chunk's window. */
        long superseded();

        /** Rows per second since this process started on the table. */
        double rate();

        /** Seconds left at the current rate; 0 when done, -1 when unknown. */
        long etaSeconds();

        boolean done();

        boolean cancelled();
    }
}
