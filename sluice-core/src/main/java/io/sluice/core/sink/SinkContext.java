package io.sluice.core.sink;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What a sink is made with besides its own settings ({@link SinkProvider#create}).
 *
 * @param pipeline the pipeline's name
 * @param stateDir the pipeline's state directory: where a sink that keeps its checkpoint locally puts it
 * @param clock    stamps each event's {@code ts_ms} and times the sink's own deadlines
 * @param nanoTime the monotonic time the sink measures durations with (the pipeline's scheduler's)
 */
public record SinkContext(String pipeline, Path stateDir, Clock clock, LongSupplier nanoTime) {
    public SinkContext {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A context measuring durations with {@link System#nanoTime()}. */
    public SinkContext(String pipeline, Path stateDir, Clock clock) {
        this(pipeline, stateDir, clock, System::nanoTime);
    }
}
