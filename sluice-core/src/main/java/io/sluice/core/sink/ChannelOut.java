package io.sluice.core.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A segment's output: bytes collect in one direct buffer and go to the file channel when it is full or on
 * {@link #drain()}, and are counted. A heap buffer would be copied once more by the JDK into a temporary direct one
 * on every channel write; {@code BufferedOutputStream} over {@code Channels.newOutputStream} copies twice.
 *
 * <p>{@link #flush()} does nothing: the JSON generator flushes its own buffer into this stream (for instance before a
 * pre-rendered event is appended) without forcing a system call; only {@link #drain()} writes to the channel.
 */
final class ChannelOut extends OutputStream {
    private final FileChannel channel;
    private final ByteBuffer buf;
    private long count;

    ChannelOut(FileChannel channel, int bufferBytes) {
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Bytes written to this stream so far (drained or not). */
    long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            drain();
        }
        buf.put((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        count += len;
        while (len > 0) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes everything buffered to the channel. */
    void drain() throws IOException {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } finally {
            buf.clear();
        }
    }

    @Override
    public void flush() {
        // see the class comment: draining is explicit
    }

    @Override
    public void close() {
        // the segment closes its channel
    }
}
