package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.sink.Sink;
import java.util.Optional;

/**
 * A sink for the pipeline's tests: it opens with no checkpoint, and each flush makes the last commit durable ({@link
 * #durableCheckpoint}). Subclasses say what a write keeps.
 */
abstract class TestSink implements Sink {
    /** The checkpoint the last flush made durable; null before the first. */
    volatile Checkpoint durableCheckpoint;

    private Checkpoint last;

    @Override
    public Optional<Checkpoint> open() {
        return Optional.empty();
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        last = checkpoint;
    }

    @Override
    public boolean flush() {
        durableCheckpoint = last;
        return true;
    }

    @Override
    public void close() {}
}
