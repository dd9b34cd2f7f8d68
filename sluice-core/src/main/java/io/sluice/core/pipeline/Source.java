package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;

/**
 * Where changes come from. One call to {@link #stream} reads from a checkpoint (or, with none, from the
 * configured start) and hands events and transaction ends to the emitter in commit order, until
 * {@link #stop()} is called or it fails with a {@link io.sluice.core.SluiceException}.
 */
public interface Source {

    /** Streams changes; returns after {@link #stop()}, throws on failure. */
    void stream(Checkpoint from, Emitter out) throws InterruptedException;

    /** Asks a running {@link #stream} to return soon; callable from any thread. */
    void stop();
}
