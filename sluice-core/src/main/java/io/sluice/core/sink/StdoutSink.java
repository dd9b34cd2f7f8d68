package io.sluice.core.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.state.CheckpointFile;
import io.sluice.core.state.Durability;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * JSON Lines to a stream, at least once. {@link #flush} writes the committed events out, flushes the stream, and
 * then atomically replaces {@code <stateDir>/checkpoint.json}; a crash in between prints the events after the last
 * checkpoint again on restart (consumers can deduplicate on {@code id}).
 *
 * <p>The open transaction is held back in memory (up to {@value #HOLD_BYTES} bytes) and leaves only once committed,
 * so a source failure that the pipeline retries does not print half a transaction and then all of it again.
 * Committed bytes leave early once {@value #SPILL_BYTES} are buffered. The stream is never closed by the sink.
 */
final class StdoutSink implements JsonSink {
    static final String KIND = "stdout";
    static final int SPILL_BYTES = 256 << 10;
    static final int HOLD_BYTES = 4 << 20;

    /** A byte buffer whose committed prefix can be cut off. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(64 << 10);
        }

        void writePrefixTo(OutputStream out, int n) throws IOException {
            out.write(buf, 0, n);
            System.arraycopy(buf, n, buf, 0, count - n);
            count -= n;
            if (count == 0 && buf.length > 2 * HOLD_BYTES) {
                buf = new byte[64 << 10];
            }
        }
    }

    private final OutputStream out;
    private final Clock clock;
    private final CheckpointFile state;
    private final Buffer buffer = new Buffer();
    private JsonGenerator gen;
    /** Bytes at the start of the buffer that the last commit covers. */
    private int committed;

    private Checkpoint pending;
    private boolean opened;
    private boolean broken;

    StdoutSink(OutputStream out, Path stateDir, Clock clock, Durability durability) {
        this.out = out;
        this.clock = clock;
        this.state = new CheckpointFile(stateDir, KIND, durability);
    }

    @Override
    public Optional<Checkpoint> open() throws IOException {
        opened = false;
        buffer.reset();
        committed = 0;
        pending = null;
        broken = false;
        gen = EventCodec.generator(buffer);
        Path dir = state.path().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create state directory " + dir + ": " + FileSink.describe(e), e);
        }
        Optional<CheckpointFile.Stored> stored = state.readDocument();
        opened = true;
        return stored.map(CheckpointFile.Stored::checkpoint);
    }

    @Override
    public long write(Encoded event) throws IOException {
        ensureUsable();
        int before = buffer.size();
        try {
            event.write(gen, clock.millis());
            gen.writeRaw('\n');
            gen.flush();
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
        long n = buffer.size() - before;
        if (buffer.size() - committed > HOLD_BYTES) {
            emit(buffer.size()); // a huge transaction: let it go, at least once
        } else if (committed >= SPILL_BYTES) {
            emit(committed);
        }
        return n;
    }

    @Override
    public void commit(Checkpoint checkpoint) throws IOException {
        ensureUsable();
        committed = buffer.size();
        pending = checkpoint;
    }

    @Override
    public boolean flush() throws IOException {
        ensureUsable();
        if (pending == null) {
            return true;
        }
        try {
            emit(committed);
            out.flush();
            if (out instanceof PrintStream ps && ps.checkError()) {
                throw new IOException("writing events to the output stream failed");
            }
        } catch (IOException e) {
            broken = true;
            throw new IOException("writing events to the output stream failed: " + FileSink.describe(e), e);
        }
        try {
            state.write(pending, doc -> {});
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
        pending = null;
        return true;
    }

    private void emit(int n) throws IOException {
        try {
            buffer.writePrefixTo(out, n);
        } catch (IOException e) {
            broken = true;
            throw new IOException("writing events to the output stream failed: " + FileSink.describe(e), e);
        }
        committed = Math.max(0, committed - n);
    }

    /** Drops what is not flushed; the stream stays open (it is the caller's). */
    @Override
    public void close() {
        opened = false;
        buffer.reset();
        committed = 0;
        pending = null;
    }

    private void ensureUsable() throws IOException {
        if (!opened) {
            throw new IllegalStateException("the stdout sink is not open");
        }
        if (broken) {
            throw new IOException("the stdout sink failed earlier; open it again to resume from its last checkpoint");
        }
    }
}
