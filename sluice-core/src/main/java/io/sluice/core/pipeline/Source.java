package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;

/**
 * Where changes come from. One call to {@link #stream} reads from a checkpoint (or, with none, from the
 * configured start) and hands events and transaction ends to the emitter in commit order, until
 * {@link #stop()} is called or it fails with a {@link io.sluice.core.SluiceException}.
 */
public interface Source {

    /**
     * Fixes where reading begins when the sink has no checkpoint yet, for a configured start that names no fixed
     * position (the server's current end, its oldest binlog, a snapshot): the pipeline makes the returned checkpoint
     * the sink's first durable one before it calls {@link #stream} with it, so every retry and every restart begins
     * at this same place, however long the first real commit takes. Null (the default): {@code stream(null, ...)}
     * begins at the same place every time anyway.
     */
    default Checkpoint resolveStart() throws InterruptedException {
        return null;
    }

    /** Streams changes; returns after {@link #stop()}, throws on failure. */
    void stream(Checkpoint from, Emitter out) throws InterruptedException;

    /** Asks a running {@link #stream} to return soon; callable from any thread. */
    void stop();

    /** What this source shows beyond the pipeline's own status; {@link SourceStatus#NONE} by default. */
    default SourceStatus status() {
        return SourceStatus.NONE;
    }
}
