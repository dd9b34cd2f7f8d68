package io.sluice.core.sink;

import static io.sluice.core.config.ValueType.bool;
import static io.sluice.core.config.ValueType.path;
import static io.sluice.core.config.ValueType.size;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import java.nio.file.Path;
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
        return List.of(PATH, SEGMENT_BYTES, FSYNC, DIRECT_IO);
    }

    /** The settings with the checkpoint next to the data; {@link #create} moves it to the state directory. */
    @Override
    public FileSinkConfig settings(ConfigValues values) {
        return new FileSinkConfig(
                values.get(PATH), null, values.get(SEGMENT_BYTES), values.get(FSYNC), values.get(DIRECT_IO));
    }

    @Override
    public Sink create(FileSinkConfig settings, SinkContext context) {
        return Sinks.file(settings.withStateDir(context.stateDir()), context.clock());
    }
}
