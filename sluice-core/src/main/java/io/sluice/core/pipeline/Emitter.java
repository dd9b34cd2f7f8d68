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
}
