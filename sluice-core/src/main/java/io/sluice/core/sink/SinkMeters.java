package io.sluice.core.sink;

import io.sluice.core.event.Op;

/**
 * The meters a sink that applies rows to a target of its own feeds (the JDBC sink): rows applied per target table and
 * op, and each target transaction's duration and lag. The application's metrics give an implementation through
 * {@link io.sluice.core.pipeline.PipelineListener#sinkMeters()}, which the pipeline hands its sink
 * ({@link Sink#meters}); a sink reports only what the target has committed. Called on the pipeline's writer thread.
 */
public interface SinkMeters {
    /** Meters that record nothing. */
    SinkMeters NONE = new SinkMeters() {};

    /** {@code rows} rows of the change kind {@code op} were committed into the target table {@code table}. */
    default void applied(String table, Op op, long rows) {}

    /**
     * A target transaction was committed: its statements and its commit took {@code nanos} (time spent in the
     * target), and the newest change in it was committed at the source at {@code newestSourceTsMs} (0: none), the
     * target's commit being at {@code committedAtMs}.
     */
    default void committed(long nanos, long newestSourceTsMs, long committedAtMs) {}
}
