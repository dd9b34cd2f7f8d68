package io.sluice.core.pipeline;

/**
 * When the sink makes its writes durable (one fsync and checkpoint per batch). A batch ends as soon as the
 * pipeline has nothing more to hand over, or when any bound is reached.
 *
 * @param maxEvents events written since the last flush
 * @param maxBytes  bytes written since the last flush
 * @param maxMillis time since the first unflushed commit
 */
public record BatchPolicy(int maxEvents, long maxBytes, long maxMillis) {
    public static final BatchPolicy DEFAULT = new BatchPolicy(10_000, 8L << 20, 200);

    public BatchPolicy {
        if (maxEvents < 1 || maxBytes < 1 || maxMillis < 0) {
            throw new IllegalArgumentException("batch bounds must be positive: " + maxEvents + ", " + maxBytes + ", " + maxMillis);
        }
    }
}
