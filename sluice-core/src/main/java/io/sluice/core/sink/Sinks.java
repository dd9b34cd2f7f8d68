package io.sluice.core.sink;

import io.sluice.core.state.Durability;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;

/** The built-in sinks that need no external system. */
public final class Sinks {
    private Sinks() {}

    /**
     * Exactly-once JSON Lines into size-rotated segment files: data is fsynced before the checkpoint that covers
     * it is atomically replaced, and {@link Sink#open()} cuts off anything past that checkpoint. See
     * {@link FileSinkConfig}. {@code clock} stamps each event's {@code ts_ms}.
     */
    public static Sink file(FileSinkConfig config, Clock clock) {
        return new FileSink(config, clock, config.fsync() ? Durability.FSYNC : Durability.NONE);
    }

    /**
     * JSON Lines to {@code out} (not closed by the sink), at least once: the checkpoint in
     * {@code <stateDir>/checkpoint.json} is replaced after the output is flushed, so after a crash the events
     * printed since the last checkpoint are printed again. A source failure that the pipeline retries prints no
     * transaction twice unless that transaction was larger than the sink holds back in memory (4 MiB).
     */
    public static Sink stdout(OutputStream out, Path stateDir, Clock clock) {
        return new StdoutSink(out, stateDir, clock, Durability.FSYNC);
    }

    /** {@link #stdout(OutputStream, Path, Clock)} to {@link System#out}. */
    public static Sink stdout(Path stateDir, Clock clock) {
        return stdout(System.out, stateDir, clock);
    }
}
