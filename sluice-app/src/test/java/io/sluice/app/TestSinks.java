package io.sluice.app;

import io.sluice.core.config.ConfigValues;
import io.sluice.core.sink.FileSinkProvider;
import io.sluice.core.sink.SinkConfig;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import java.nio.file.Path;

/** Configured sinks for tests that build a {@code PipelineConfig} without a YAML file. */
public final class TestSinks {
    private TestSinks() {}

    /** A file sink as {@code sink: {type: file, path: out, segment-bytes: …, fsync: …}} loads. */
    public static SinkConfig<?> file(Path out, long segmentBytes, boolean fsync) {
        return file(out, segmentBytes, fsync, true);
    }

    /** A file sink with every setting given. */
    public static SinkConfig<?> file(Path out, long segmentBytes, boolean fsync, boolean directIo) {
        return SinkConfig.of(
                provider("file"),
                new ConfigValues("test")
                        .put(FileSinkProvider.PATH, out)
                        .put(FileSinkProvider.SEGMENT_BYTES, segmentBytes)
                        .put(FileSinkProvider.FSYNC, fsync)
                        .put(FileSinkProvider.DIRECT_IO, directIo)
                        .put(FileSinkProvider.RETENTION_MAX_AGE, java.time.Duration.ZERO)
                        .put(FileSinkProvider.RETENTION_MAX_BYTES, 0L));
    }

    /** The stdout sink. */
    public static SinkConfig<?> stdout() {
        return SinkConfig.of(provider("stdout"), new ConfigValues("test"));
    }

    private static SinkProvider<?> provider(String type) {
        return SinkProviders.find(type).orElseThrow();
    }
}
