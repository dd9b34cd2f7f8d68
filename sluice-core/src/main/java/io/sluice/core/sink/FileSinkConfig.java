package io.sluice.core.sink;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param directIo     write the segments' whole blocks with direct I/O ({@code O_DIRECT}), past the page cache: far
 *                     less kernel CPU for large outputs; where the file system refuses it, the sink falls back to
 *                     ordinary writes (and logs so). The files' content is the same either way
 * @param retention    which old segments the sink deletes ({@code sink.retention.*}); {@link Retention#KEEP} keeps all
 */
public record FileSinkConfig(
        Path dir, Path stateDir, long segmentBytes, boolean fsync, boolean directIo, Retention retention) {

    /**
     * Deletes whole segments, oldest first, once they are older than {@code maxAge} (their last write; null: no age
     * limit) or while all segments together hold more than {@code maxBytes} (0: no size limit). A segment that holds
     * events after the committed checkpoint, or is being written, is never deleted: only those before the
     * checkpoint's segment go.
     */
    public record Retention(Duration maxAge, long maxBytes) {
        public static final Retention KEEP = new Retention(null, 0);

        public Retention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                maxAge = null;
            }
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes must not be negative, not " + maxBytes);
            }
        }

        /** True when some segments may be deleted. */
        public boolean deletes() {
            return maxAge != null || maxBytes > 0;
        }
    }

    /** Keeping every segment. */
    public FileSinkConfig(Path dir, Path stateDir, long segmentBytes, boolean fsync, boolean directIo) {
        this(dir, stateDir, segmentBytes, fsync, directIo, Retention.KEEP);
    }
    /** 128 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 128L << 20;

    public FileSinkConfig {
        Objects.requireNonNull(dir, "dir");
        if (stateDir == null) {
            stateDir = dir;
        }
        retention = retention == null ? Retention.KEEP : retention;
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be positive, not " + segmentBytes);
        }
    }

    /** With direct I/O, the default. */
    public FileSinkConfig(Path dir, Path stateDir, long segmentBytes, boolean fsync) {
        this(dir, stateDir, segmentBytes, fsync, true);
    }

    /**
     * Segments of {@value #DEFAULT_SEGMENT_BYTES} bytes in {@code dir}, the checkpoint next to them, fsync and direct
     * I/O on.
     */
    public static FileSinkConfig of(Path dir) {
        return new FileSinkConfig(dir, dir, DEFAULT_SEGMENT_BYTES, true, true);
    }

    public FileSinkConfig withStateDir(Path newStateDir) {
        return new FileSinkConfig(dir, newStateDir, segmentBytes, fsync, directIo, retention);
    }

    public FileSinkConfig withSegmentBytes(long newSegmentBytes) {
        return new FileSinkConfig(dir, stateDir, newSegmentBytes, fsync, directIo, retention);
    }

    public FileSinkConfig withFsync(boolean newFsync) {
        return new FileSinkConfig(dir, stateDir, segmentBytes, newFsync, directIo, retention);
    }

    public FileSinkConfig withDirectIo(boolean newDirectIo) {
        return new FileSinkConfig(dir, stateDir, segmentBytes, fsync, newDirectIo, retention);
    }

    public FileSinkConfig withRetention(Retention newRetention) {
        return new FileSinkConfig(dir, stateDir, segmentBytes, fsync, directIo, newRetention);
    }
}
