package io.sluice.core.pipeline;

/**
 * When the sink makes its writes durable (one fsync and checkpoint per batch). A batch ends as soon as the
 * pipeline has nothing more to hand over, or when any bound is reached; a batch holding only snapshot rows ends at a
 * bound (its next chunk is on its way).
 *
 * @param maxEvents events written since the last flush
 * @param maxBytes  bytes written since the last flush
 * @param maxMillis time since the first unflushed commit
 */
public record BatchPolicy(int maxEvents, long maxBytes, long maxMillis) {
    /**
     * Large bounds, so time ends most batches under load: each flush costs the file sink an fdatasync and an atomic
     * checkpoint write (three journal commits) and the Kafka sink a transaction commit, whatever its size; an idle
     * pipeline flushes as soon as its queue runs dry, so the bounds do not add latency to a trickle of commits.
     */
    public static final BatchPolicy DEFAULT = new BatchPolicy(100_000, 64L << 20, 200);

    public BatchPolicy {
        if (maxEvents < 1 || maxBytes < 1 || maxMillis < 0) {
            throw new IllegalArgumentException(
                    "batch bounds must be positive: " + maxEvents + ", " + maxBytes + ", " + maxMillis);
        }
    }
}
