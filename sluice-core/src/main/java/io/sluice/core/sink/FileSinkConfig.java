package io.sluice.core.sink;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of the file sink.
 *
 * @param dir          where the segment files ({@code events-000000000001.jsonl}, …) go
 * @param stateDir     where {@code checkpoint.json} goes; null means {@code dir} (then a reader finds, next to the
 *                     data, how far it is committed)
 * @param segmentBytes a segment is closed and the next begun once it holds at least this many bytes (rotation
 *                     happens between events only, so a segment may exceed it by one event)
 * @param fsync        fsync data and checkpoint on every flush; switch off only where losing the last seconds on a
 *                     power failure is acceptable (the checkpoint may then point past data that was lost)
 */
public record FileSinkConfig(Path dir, Path stateDir, long segmentBytes, boolean fsync) {
    /** 128 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;

    public FileSinkConfig {
        Objects.requireNonNull(dir, "dir");
        if (stateDir == null) {
            stateDir = dir;
        }
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be positive, not " + segmentBytes);
        }
    }

    /** Segments of {@value #DEFAULT_SEGMENT_BYTES} bytes in {@code dir}, the checkpoint next to them, fsync on. */
    public static FileSinkConfig of(Path dir) {
        return new FileSinkConfig(dir, dir, DEFAULT_SEGMENT_BYTES, true);
    }

    public FileSinkConfig withStateDir(Path newStateDir) {
        return new FileSinkConfig(dir, newStateDir, segmentBytes, fsync);
    }

    public FileSinkConfig withSegmentBytes(long newSegmentBytes) {
        return new FileSinkConfig(dir, stateDir, newSegmentBytes, fsync);
    }

    public FileSinkConfig withFsync(boolean newFsync) {
        return new FileSinkConfig(dir, stateDir, segmentBytes, newFsync);
    }
}
