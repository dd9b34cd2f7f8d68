package io.sluice.core.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a sink or a state file makes bytes durable. Production code uses {@link #FSYNC} (or {@link #NONE} when fsync is switched
 * off); tests may wrap {@link #FSYNC} to record the order of the calls.
 */
public interface Durability {

    /** Forces the file's content and size to the device. */
    void force(FileChannel channel, Path file) throws IOException;

    /** Forces a directory's entries (renames, creations, deletions) to the device, where the OS allows it. */
    void forceDirectory(Path dir) throws IOException;

    /**
     * Real fsync. Files get {@code force(false)} (fdatasync): their content and size reach the device, which is
     * all a reader needs; timestamps are not worth a second disk write per flush. Directories get a full fsync.
     */
    Durability FSYNC = new Durability() {
        @Override
        public void force(FileChannel channel, Path file) throws IOException {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new IOException("fsync of " + file + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(dir, StandardOpenOption.READ);
            } catch (IOException | UnsupportedOperationException e) {
                return; // the OS refuses to open directories (Windows): nothing more we can do
            }
            try (ch) {
                ch.force(true);
            } catch (IOException e) {
                throw new IOException("fsync of directory " + dir + " failed: " + e.getMessage(), e);
            }
        }
    };

    /** No fsync at all: data reaches the OS, but a power loss may lose what the checkpoint claims. */
    Durability NONE = new Durability() {
        @Override
        public void force(FileChannel channel, Path file) {}

        @Override
        public void forceDirectory(Path dir) {}
    };
}
