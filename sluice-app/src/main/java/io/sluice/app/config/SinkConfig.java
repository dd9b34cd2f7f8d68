package io.sluice.app.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where a pipeline writes its change events: one record per {@link SinkType}. */
public sealed interface SinkConfig {

    /** The sink family of these settings. */
    SinkType type();

    /**
     * Segment files in a directory.
     *
     * @param path         the directory (absolute: relative paths were resolved against the config file's directory)
     * @param segmentBytes size after which a new segment file is started
     * @param fsync        whether each batch is fsynced before it is checkpointed
     */
    record FileSinkSettings(Path path, long segmentBytes, boolean fsync) implements SinkConfig {
        public FileSinkSettings {
            Objects.requireNonNull(path, "path");
            if (segmentBytes < 1) {
                throw new IllegalArgumentException("segmentBytes must be positive: " + segmentBytes);
            }
        }

        @Override
        public SinkType type() {
            return SinkType.FILE;
        }
    }

    /** One JSON line per event on standard output. */
    record StdoutSinkSettings() implements SinkConfig {
        @Override
        public SinkType type() {
            return SinkType.STDOUT;
        }
    }
}
