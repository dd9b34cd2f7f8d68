package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;

/** What a {@link Source} hands its output to. Blocks when the pipeline is full (back-pressure). */
public interface Emitter {

    void event(ChangeEvent event) throws InterruptedException;

    /** The run's events, in order; by default made and passed one by one to {@link #event}. */
    default void events(EventRun run) throws InterruptedException {
        for (int k = 0; k < run.size(); k++) {
            event(run.event(k));
        }
    }

    /** The end of a source transaction: the checkpoint to resume after it. */
    void commit(Checkpoint checkpoint) throws InterruptedException;

    /**
     * The source has read up to a point in its log written at {@code sourceTsMs} (its own clock, in ms) without an
     * event to show for it: a heartbeat row the source wrote to itself. Call it before the {@link #commit} of the
     * transaction that carried it; the pipeline hands no event to the sink, but its lag counts from this time (once
     * the commit that follows is durable, for the sink's lag). An emitter that wraps another passes it on; by
     * default it is dropped, which leaves lag as it would be without a heartbeat.
     */
    default void sourceTime(long sourceTsMs) throws InterruptedException {}
}
