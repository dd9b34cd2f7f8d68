package io.sluice.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordLog} as a file of lines, one record each. A last line without its {@code '\n'} (a crash while
 * appending) is not a record, and the next append cuts it off before writing.
 *
 * <p>A <em>held</em> log (the schema history, which only the pipeline writes) is read from the file once and then
 * served from memory; if the file is deleted or cut short behind the running pipeline's back, the next append writes
 * it again, whole, from memory (a temporary file renamed over it). Any other log is read from the file at each
 * {@link #read()}, so what another process appended (an approval) is seen.
 */
final class FileRecordLog implements RecordLog {
    private static final Logger LOG = LoggerFactory.getLogger(FileRecordLog.class);

    private final Path file;
    private final boolean held;
    private final boolean existedAtOpen;
    /** The records, for a held log once read. */
    private List<byte[]> records;
    /** Bytes of the file that hold complete records; -1 until the file was read. */
    private long validBytes = -1;

    private FileChannel channel;
    private boolean dirty;

    FileRecordLog(Path file, boolean held) {
        this.file = file;
        this.held = held;
        this.existedAtOpen = Files.exists(file);
    }

    @Override
    public synchronized List<byte[]> read() throws IOException {
        if (held && records != null) {
            return List.copyOf(records);
        }
        List<byte[]> out = load();
        if (held) {
            records = new ArrayList<>(out);
        }
        return out;
    }

    private List<byte[]> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            validBytes = 0;
            return List.of();
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                byte[] record = new byte[i - start];
                System.arraycopy(bytes, start, record, 0, record.length);
                out.add(record);
                start = i + 1;
            }
        }
        validBytes = start;
        if (start < bytes.length) {
            LOG.warn("{} ends in a torn line (a crash while appending); it is ignored", file);
        }
        return out;
    }

    @Override
    public synchronized void append(byte[] record) throws IOException {
        if (validBytes < 0) {
            read();
        }
        if (held && validBytes > 0 && (Files.notExists(file) || Files.size(file) < validBytes)) {
            rewrite();
        }
        if (channel == null) {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(validBytes); // drops a torn line left by a crash
            channel.position(validBytes);
        }
        ByteBuffer buf = ByteBuffer.allocate(record.length + 1)
                .put(record)
                .put((byte) '\n')
                .flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        validBytes += record.length + 1;
        dirty = true;
        if (held) {
            records.add(record.clone());
        }
    }

    /** Writes the held records again, whole, over a file that was deleted or cut short. */
    private void rewrite() throws IOException {
        LOG.warn(
                "{} was deleted or cut short while the pipeline ran; writing it again from memory ({} records)",
                file,
                records.size());
        closeChannel();
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        long length = 0;
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] r : records) {
                ByteBuffer buf = ByteBuffer.allocate(r.length + 1)
                        .put(r)
                        .put((byte) '\n')
                        .flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                length += r.length + 1;
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        validBytes = length;
    }

    @Override
    public synchronized void sync() throws IOException {
        if (dirty) {
            channel.force(true);
            dirty = false;
        }
    }

    @Override
    public synchronized boolean existed() {
        return existedAtOpen || validBytes > 0 || channel != null;
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** The log's file. */
    Path file() {
        return file;
    }

    synchronized void close() {
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("close of {} failed", file, e);
            }
            channel = null;
        }
    }
}
