package io.sluice.core.encode;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.event.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed event and the parts of its contract JSON made ahead, if any: what the pipeline hands a sink that writes
 * JSON ({@link io.sluice.core.sink.JsonSink}), which writes it with {@link #write} or {@link #writeWhole}. The event
 * itself holds no bytes; they are here, made by this package only.
 *
 * <p>What is made ahead: the whole JSON up to the emit time of a snapshot event, on the snapshot's thread
 * ({@link EventBodies}, {@link EventRun}); nothing of a streamed event ({@link Encoder#json()}), which the sink's
 * thread encodes whole when it writes it. Either way the bytes are exactly the contract's.
 */
public final class Encoded {
    private final ChangeEvent event;
    /** The event's JSON up to its emit time, or null. */
    private final byte[] body;
    /** The key's compact JSON, {@code key[keyOff, keyOff + keyLen)}, or null. */
    private final byte[] key;

    private final int keyOff;
    private final int keyLen;

    Encoded(ChangeEvent event, byte[] body, byte[] key, int keyOff, int keyLen) {
        this.event = Objects.requireNonNull(event, "event");
        this.body = body;
        this.key = key;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
    }

    /** An event with nothing encoded ahead: everything is encoded when it is written. */
    static Encoded plain(ChangeEvent event) {
        return new Encoded(event, null, null, 0, 0);
    }

    /** The typed event. */
    public ChangeEvent event() {
        return event;
    }

    /** Writes the event as its contract JSON object (no newline), stamped with the emit time. */
    public void write(JsonGenerator g, long emitTsMs) throws IOException {
        EventCodec.write(g, this, emitTsMs);
    }

    /**
     * Writes the event's JSON straight to {@code out}, past the generator, when it was made ahead whole (a snapshot
     * event), and returns true; returns false, having written nothing, when it must go through {@link #write}.
     *
     * @param pending the generator writing to {@code out}, flushed first when it holds bytes (or null)
     */
    public boolean writeWhole(OutputStream out, long emitTsMs, JsonGenerator pending) throws IOException {
        if (body == null) {
            return false;
        }
        if (pending != null && pending.getOutputBuffered() > 0) {
            pending.flush();
        }
        out.write(body, 0, body.length);
        byte[] end = EventCodec.emitSuffix(emitTsMs);
        out.write(end, 0, end.length);
        return true;
    }

    /** The event's JSON line's bytes (no newline). */
    public byte[] toJson(long emitTsMs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body != null ? body.length + 32 : 512);
        try (JsonGenerator g = EventCodec.generator(out)) {
            write(g, emitTsMs);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * The key as compact JSON (exactly as the event's {@code key} field), or null when the event has none: what
     * was made ahead, else encoded now. A fresh array or one the caller must not change.
     */
    public byte[] keyJson() {
        if (event.key() == null) {
            return null;
        }
        if (key == null) {
            return EventCodec.renderRow(event.key());
        }
        return keyOff == 0 && keyLen == key.length ? key : Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
    }

    // ---- for EventCodec ----

    byte[] body() {
        return body;
    }

    /** Writes the key's JSON made ahead as a raw value; false when none was. */
    boolean writeKey(JsonGenerator g) throws IOException {
        if (key == null) {
            return false;
        }
        g.writeRawValue(new RenderedJson(key, keyOff, keyLen));
        return true;
    }
}
