package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;

/**
 * Observes one pipeline: the seam metrics plug into without the core knowing any metrics library. Callbacks come
 * from the pipeline's writer thread (except where noted) and must be cheap; they must not throw.
 */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    /** An event was handed to the sink ({@code bytes} it took there). */
    default void written(ChangeEvent event, long bytes) {}

    /**
     * A run of snapshot events was handed to the sink ({@code bytes} they took there in all). By default each of its
     * events is reported to {@link #written(ChangeEvent, long)}, the bytes shared out evenly.
     */
    default void written(EventRun run, long bytes) {
        int n = run.size();
        for (int k = 0; k < n; k++) {
            written(run.event(k), bytes / n + (k < bytes % n ? 1 : 0));
        }
    }

    /**
     * The sink made everything up to {@code checkpoint} durable: {@code events} events, the oldest and newest of
     * which happened at the source at {@code oldestSourceTsMs} / {@code newestSourceTsMs}; {@code durableAtMs} is
     * when the flush finished. Each event's end-to-end latency is {@code durableAtMs - its source.ts_ms}; the
     * {@code sourceTsMs} array holds every committed event's {@code source.ts_ms} (length {@code events}).
     */
    default void committed(Checkpoint checkpoint, int events, long[] sourceTsMs, long durableAtMs, long flushNanos) {}

    /**
     * The source reached a point in its log written at {@code sourceTsMs} without an event (see
     * {@link Emitter#sourceTime}): handed to the sink ({@code durable} false), then made durable with the checkpoint
     * that follows it ({@code durable} true). Lag counts from the newer of this and the last event's source time.
     */
    default void sourceTime(long sourceTsMs, boolean durable) {}

    /** The reader waited {@code nanos} for room in the full queue (back-pressure). Called on the reader thread. */
    default void blocked(long nanos) {}

    /** The source failed in a way a retry can fix; the pipeline retries after {@code backoffMs}. */
    default void retrying(Throwable error, long backoffMs) {}

    /** The pipeline stopped on an error. */
    default void failed(Throwable error) {}

    /** The pipeline moved to another state. */
    default void stateChanged(PipelineState state) {}

    /** The meters the pipeline hands its sink ({@link io.sluice.core.sink.Sink#meters}); none by default. */
    default io.sluice.core.sink.SinkMeters sinkMeters() {
        return io.sluice.core.sink.SinkMeters.NONE;
    }
}
