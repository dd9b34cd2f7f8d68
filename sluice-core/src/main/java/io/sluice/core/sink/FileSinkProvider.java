package io.sluice.core.sink;

import static io.sluice.core.config.ValueType.bool;
import static io.sluice.core.config.ValueType.duration;
import static io.sluice.core.config.ValueType.path;
import static io.sluice.core.config.ValueType.size;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code sink.type: file}: {@link Sinks#file}, its checkpoint in the pipeline's state directory. */
public final class FileSinkProvider implements SinkProvider<FileSinkConfig> {
    public static final ConfigKey<Path> PATH = ConfigKey.required(
                    "path",
                    path(),
                    "Directory the segment files are written to; one pipeline per directory (locked while it runs).")
            .outputDirectory();

    public static final ConfigKey<Long> SEGMENT_BYTES = ConfigKey.optional(
            "segment-bytes",
            size(1),
            FileSinkConfig.DEFAULT_SEGMENT_BYTES,
            "Size after which a new segment file is started.");

    public static final ConfigKey<Boolean> FSYNC = ConfigKey.optional(
            "fsync",
            bool(),
            true,
            "Whether each batch is fsynced before it is checkpointed; false trades durability for speed.");

    public static final ConfigKey<Boolean> DIRECT_IO = ConfigKey.optional(
            "direct-io",
            bool(),
            true,
            "Whether whole blocks of the segment files are written with direct I/O (O_DIRECT), past the page cache:"
                    + " far less CPU for large outputs. Where the file system refuses it, Sluice logs a warning and"
                    + " writes through the page cache; the files' content is the same either way.");

    public static final ConfigKey<Duration> RETENTION_MAX_AGE = ConfigKey.optional(
            "retention.max-age",
            duration(Duration.ZERO),
            Duration.ZERO,
            "Segments whose last event was written longer ago than this (a duration with its unit: 7d, 12h, 30m)"
                    + " are deleted, oldest first; 0 keeps them. Only segments wholly before the committed"
                    + " checkpoint go, never the one being written.");

    public static final ConfigKey<Long> RETENTION_MAX_BYTES = ConfigKey.optional(
            "retention.max-bytes",
            size(0),
            0L,
            "While the segments together hold more than this (64MiB, 10GiB), the oldest are deleted; 0 keeps them."
                    + " Only segments wholly before the committed checkpoint go, never the one being written, so the"
                    + " directory can hold more for a while.");

    @Override
    public String type() {
        return "file";
    }

    @Override
    public String description() {
        return "rolling segment files in a directory";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(PATH, SEGMENT_BYTES, FSYNC, DIRECT_IO, RETENTION_MAX_AGE, RETENTION_MAX_BYTES);
    }

    /** The settings with the checkpoint next to the data; {@link #create} moves it to the state directory. */
    @Override
    public FileSinkConfig settings(ConfigValues values) {
        return new FileSinkConfig(
                values.get(PATH),
                null,
                values.get(SEGMENT_BYTES),
                values.get(FSYNC),
                values.get(DIRECT_IO),
                new FileSinkConfig.Retention(values.get(RETENTION_MAX_AGE), values.get(RETENTION_MAX_BYTES)));
    }

    @Override
    public Sink create(FileSinkConfig settings, SinkContext context) {
        return Sinks.file(settings.withStateDir(context.stateDir()), context.clock());
    }
}
