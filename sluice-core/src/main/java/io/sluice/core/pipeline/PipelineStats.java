package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import java.util.concurrent.atomic.AtomicLong;

/** Live figures of one pipeline, written by its writer thread, readable from any thread. */
public final class PipelineStats {
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong eventsCommitted = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile long lastSourceTsMs;
    private volatile Checkpoint lastCommitted;

    void read(long sourceTsMs) {
        read(1, sourceTsMs);
    }

    void read(int events, long sourceTsMs) {
        eventsWritten.addAndGet(events);
        lastSourceTsMs = sourceTsMs;
    }

    void committed(Checkpoint cp, int events) {
        lastCommitted = cp;
        commits.incrementAndGet();
        eventsCommitted.addAndGet(events);
    }

    void retried() {
        retries.incrementAndGet();
    }

    public long eventsWritten() {
        return eventsWritten.get();
    }

    public long commits() {
        return commits.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Source commit time of the last event handed to the sink, ms since the epoch (0 before the first). */
    public long lastSourceTsMs() {
        return lastSourceTsMs;
    }

    /** The last checkpoint the sink made durable, or null. */
    public Checkpoint lastCommitted() {
        return lastCommitted;
    }
}
