package io.sluice.core.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A segment's output: bytes collect in one direct buffer and go to the file when it is full or on {@link #drain()},
 * and are counted. A heap buffer would be copied once more by the JDK into a temporary direct one on every channel
 * write; {@code BufferedOutputStream} over {@code Channels.newOutputStream} copies twice.
 *
 * <p><b>Direct I/O.</b> Given a second channel opened with {@code O_DIRECT}, whole blocks go through it, past the
 * page cache: on the machine of BENCHMARKS.md, writing 2.7 GB through the page cache cost the kernel 2.7–6.6 cpu s,
 * through {@code O_DIRECT} 0.2 s. {@code O_DIRECT} takes only whole, aligned blocks, so the buffer always starts at a
 * block boundary of the file. A drain writes the whole blocks directly and the partial last block through the
 * ordinary channel (the file's content is right at every moment: nothing is padded); that block stays at the start
 * of the buffer, and the next direct write covers it again (the kernel writes back and drops the cached page before a
 * direct write over it).
 *
 * <p>{@link #flush()} does nothing: the JSON generator flushes its own buffer into this stream (for instance before a
 * pre-rendered event is appended) without forcing a system call; only {@link #drain()} writes to the file.
 */
final class ChannelOut extends OutputStream {
    private final FileChannel channel;
    /** The same file opened for direct I/O, or null (also once a direct write failed). */
    private FileChannel direct;
    /** Alignment of direct writes (1 without them). */
    private int block;

    private final ByteBuffer buf;
    /** File position of the buffer's first byte (a multiple of {@link #block}). */
    private long bufStart;

    private long count;
    private IOException fallback;

    /**
     * @param channel     the segment, open for reading and writing
     * @param direct      the segment opened with {@code O_DIRECT}, or null to write through {@code channel} only
     * @param block       direct writes' alignment, a power of two (ignored without {@code direct})
     * @param length      the segment's length so far: writing goes on from there
     * @param bufferBytes buffer size (rounded up to a multiple of {@code block})
     */
    ChannelOut(FileChannel channel, FileChannel direct, int block, long length, int bufferBytes) throws IOException {
        this.channel = channel;
        this.direct = direct;
        this.block = direct == null ? 1 : block;
        int size = (bufferBytes + this.block - 1) / this.block * this.block;
        this.buf = direct == null
                ? ByteBuffer.allocateDirect(size)
                : ByteBuffer.allocateDirect(size + this.block).alignedSlice(this.block);
        this.bufStart = length - length % this.block;
        // the partial block before the end, if any, is written again with the next whole block: read it back
        while (bufStart + buf.position() < length) {
            if (channel.read(buf, bufStart + buf.position()) < 0) {
                throw new IOException("segment ended before its length " + length);
            }
        }
    }

    /** Bytes written to this stream so far (drained or not). */
    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            spill();
        }
        buf.put((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        count += len;
        while (len > 0) {
            if (!buf.hasRemaining()) {
                spill();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes the full buffer (whole blocks) and empties it. */
    private void spill() throws IOException {
        buf.flip();
        if (direct == null) {
            writeAt(channel, buf, bufStart);
        } else {
            writeBlocks(buf, bufStart);
        }
        bufStart += buf.limit();
        buf.clear();
    }

    /**
     * Writes whole blocks with direct I/O. Should that fail (a file system that takes {@code O_DIRECT} at open but
     * not in writes, or any I/O error), the rest goes through the ordinary channel and so does everything after:
     * an error that is not about direct I/O (a full disk) fails there again and is thrown.
     */
    private void writeBlocks(ByteBuffer src, long position) throws IOException {
        int start = src.position();
        try {
            writeAt(direct, src, position);
        } catch (IOException e) {
            FileChannel d = direct;
            direct = null;
            block = 1;
            try {
                d.close();
            } catch (IOException ignored) {
                // the direct channel is given up either way
            }
            writeAt(channel, src, position + (src.position() - start));
            fallback = e;
        }
    }

    /** The direct write that failed and made this output write through the page cache, or null. */
    IOException fallback() {
        return fallback;
    }

    /** Writes everything buffered to the file (a partial last block stays buffered, to be written again). */
    void drain() throws IOException {
        int n = buf.position();
        if (direct == null) {
            spill();
            return;
        }
        int whole = n - n % block;
        if (whole > 0) {
            writeBlocks(buf.duplicate().position(0).limit(whole), bufStart);
        }
        if (n > whole) {
            writeAt(channel, buf.duplicate().position(whole).limit(n), bufStart + whole);
        }
        buf.position(whole).limit(n);
        buf.compact();
        bufStart += whole;
    }

    private static void writeAt(FileChannel ch, ByteBuffer src, long position) throws IOException {
        while (src.hasRemaining()) {
            position += ch.write(src, position);
        }
    }

    /** True when whole blocks go past the page cache. */
    boolean directIo() {
        return direct != null;
    }

    @Override
    public void flush() {
        // see the class comment: draining is explicit
    }

    /** Closes the direct channel, if any; the segment closes its own. */
    @Override
    public void close() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }
}
