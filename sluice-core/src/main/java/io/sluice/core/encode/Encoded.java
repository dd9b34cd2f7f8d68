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
    /** How the parts encoded when the event is written write 64-bit integers ({@code encoding.bigint}). */
    private final BigintEncoding bigint;
    /** The last event of its transaction, marked {@code "txn":{"last":true}} ({@code encoding.transaction-markers}). */
    private final boolean last;

    Encoded(ChangeEvent event, byte[] body, byte[] key, int keyOff, int keyLen) {
        this(event, body, key, keyOff, keyLen, BigintEncoding.NUMBER, false);
    }

    private Encoded(
            ChangeEvent event, byte[] body, byte[] key, int keyOff, int keyLen, BigintEncoding bigint, boolean last) {
        this.event = Objects.requireNonNull(event, "event");
        this.body = body;
        this.key = key;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
        this.bigint = bigint;
        this.last = last;
    }

    /** An event with nothing encoded ahead: everything is encoded when it is written. */
    static Encoded plain(ChangeEvent event) {
        return new Encoded(event, null, null, 0, 0);
    }

    /** An event encoded whole when it is written, its 64-bit integers as {@code bigint} says. */
    static Encoded plain(ChangeEvent event, BigintEncoding bigint) {
        return new Encoded(event, null, null, 0, 0, bigint, false);
    }

    /**
     * This event marked as the last of its transaction ({@code "txn":{"last":true}}); an event made ahead whole
     * (a snapshot's) is encoded again when written, as its bytes end without the mark.
     */
    public Encoded lastOfTransaction() {
        return body == null
                ? new Encoded(event, null, key, keyOff, keyLen, bigint, true)
                : new Encoded(event, null, null, 0, 0, bigint, true);
    }

    /** True for the last event of its transaction under {@code encoding.transaction-markers}. */
    public boolean last() {
        return last;
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
     * Writes the event's JSON straight to {@code out}, past the generator, and returns true: copied when it was made
     * ahead whole (a snapshot event), else rendered now into bytes; returns false, having written nothing, when it
     * must go through {@link #write} (an {@code s} event).
     *
     * @param pending the generator writing to {@code out}, flushed first when it holds bytes (or null)
     */
    public boolean writeWhole(OutputStream out, long emitTsMs, JsonGenerator pending) throws IOException {
        if (body == null) {
            // a streamed event: rendered now, on this (the sink's) thread, straight into bytes (EventWriter)
            EventWriter w = EventCodec.writer();
            if (!w.render(this, emitTsMs)) {
                return false;
            }
            if (pending != null && pending.getOutputBuffered() > 0) {
                pending.flush();
            }
            out.write(w.bytes(), 0, w.length());
            return true;
        }
        if (pending != null && pending.getOutputBuffered() > 0) {
            pending.flush();
        }
        out.write(body, 0, body.length);
        byte[] end = EventCodec.emitSuffix(emitTsMs);
        out.write(end, 0, end.length);
        return true;
    }

    /**
     * The event's JSON and its key's JSON, as {@link #toJson} and {@link #keyJson} make them (what a sink writing a
     * record per event with a key, such as Kafka's, needs): where the event is rendered straight into bytes, the key
     * is copied out of them rather than rendered a second time.
     *
     * @param json the event's JSON object (no newline)
     * @param key  the key's compact JSON, or null when the event has none
     */
    public record WithKey(byte[] json, byte[] key) {}

    /** The event's JSON ({@link #toJson}) and its key's ({@link #keyJson}) together; see {@link WithKey}. */
    public WithKey toJsonWithKey(long emitTsMs) {
        if (body == null) {
            EventWriter w = EventCodec.writer();
            if (w.render(this, emitTsMs)) {
                byte[] b = w.bytes();
                return new WithKey(
                        Arrays.copyOf(b, w.length()),
                        event.key() == null ? null : Arrays.copyOfRange(b, w.keyFrom(), w.keyTo()));
            }
        }
        return new WithKey(toJson(emitTsMs), keyJson());
    }

    /**
     * The event's JSON line's bytes (no newline), in an array of exactly that length: a streamed row event rendered
     * straight into bytes ({@link EventWriter}) and copied once, an event made ahead whole copied with its emit time,
     * anything else (an {@code s} event, one past the writer's bound) through the generator.
     */
    public byte[] toJson(long emitTsMs) {
        if (body == null) {
            EventWriter w = EventCodec.writer();
            if (w.render(this, emitTsMs)) {
                return Arrays.copyOf(w.bytes(), w.length());
            }
        } else {
            byte[] end = EventCodec.emitSuffix(emitTsMs);
            byte[] whole = Arrays.copyOf(body, body.length + end.length);
            System.arraycopy(end, 0, whole, body.length, end.length);
            return whole;
        }
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
            return EventCodec.renderRow(event.key(), bigint);
        }
        return keyOff == 0 && keyLen == key.length ? key : Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
    }

    // ---- for EventCodec ----

    byte[] body() {
        return body;
    }

    BigintEncoding bigint() {
        return bigint;
    }

    /** The array holding the key's JSON made ahead ({@link #keyOff}, {@link #keyLen}), or null when none was. */
    byte[] keyBytes() {
        return key;
    }

    int keyOff() {
        return keyOff;
    }

    int keyLen() {
        return keyLen;
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
