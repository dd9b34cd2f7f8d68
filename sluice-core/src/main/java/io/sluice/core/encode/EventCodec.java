package io.sluice.core.encode;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SchemaChange;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.TemporalValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that turns a {@link ChangeEvent} into the contract's JSON envelope (version {@value #VERSION}).
 *
 * <p>Floats are written with the shortest decimal that round-trips at the value's own width
 * ({@link ShortestDecimal}), binary values as standard base64 with padding, {@link JsonText} embedded raw, characters
 * outside the BMP as their 4-byte UTF-8 sequence (not as escaped surrogate pairs).
 */
public final class EventCodec {
    /** Envelope version written in the {@code v} field. */
    public static final int VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private EventCodec() {}

    /** A generator writing UTF-8 JSON to {@code out}; callers reuse it for many events. */
    public static JsonGenerator generator(OutputStream out) {
        try {
            JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Field names are written from pre-encoded UTF-8 (Jackson's SerializedString): no per-event encoding.
    private static final SerializedString V = name("v"),
            ID = name("id"),
            OP = name("op"),
            SOURCE = name("source"),
            NAME = name("name"),
            SERVER_ID = name("server_id"),
            GTID = name("gtid"),
            FILE = name("file"),
            POS = name("pos"),
            ROW = name("row"),
            TS_MS = name("ts_ms"),
            DB = name("db"),
            TABLE = name("table"),
            SNAPSHOT = name("snapshot"),
            KEY = name("key"),
            BEFORE = name("before"),
            AFTER = name("after"),
            SCHEMA = name("schema"),
            DDL = name("ddl"),
            COLUMNS = name("columns"),
            OLD_COLUMNS = name("old_columns"),
            BREAKING = name("breaking"),
            RULES = name("rules"),
            ROUTE = name("route"),
            TXN = name("txn"),
            LAST = name("last");
    /** Column names seen so far, pre-encoded; bounded by the captured tables' columns. */
    private static final ConcurrentHashMap<String, SerializedString> COLUMN_NAMES = new ConcurrentHashMap<>();

    private static SerializedString name(String n) {
        SerializedString s = new SerializedString(n);
        s.asQuotedUTF8(); // encode once, now
        return s;
    }

    /** Writes one event as a JSON object (no newline), encoding all of it now. */
    public static void write(JsonGenerator g, ChangeEvent e, long emitTsMs) throws IOException {
        write(g, Encoded.plain(e), emitTsMs);
    }

    /** Writes one event as a JSON object (no newline), copying what was encoded ahead. */
    static void write(JsonGenerator g, Encoded enc, long emitTsMs) throws IOException {
        if (enc.body() != null) {
            // made ahead whole (EventBodies): the same bytes up to the emit time, which is stamped now
            g.writeRaw(new RenderedJson(enc.body()));
            g.writeRaw(EMIT_SUFFIX.get().of(emitTsMs).json);
            return;
        }
        EventWriter w = WRITERS.get();
        if (w.render(enc, emitTsMs)) {
            // a row event: rendered into bytes past the generator (EventWriter), copied into its buffer
            g.writeRaw(new RenderedJson(w.bytes(), 0, w.length()));
            return;
        }
        writeGenerated(g, enc, emitTsMs);
    }

    /** One {@link EventWriter} per thread (its buffer reused event after event). */
    private static final ThreadLocal<EventWriter> WRITERS = ThreadLocal.withInitial(EventWriter::new);

    /** The calling thread's writer. */
    static EventWriter writer() {
        return WRITERS.get();
    }

    /**
     * Writes one event with the generator, field by field: the {@code s} events' path, and the reference the row
     * events' {@link EventWriter} is compared with ({@code EventWriterTest}).
     */
    static void writeGenerated(JsonGenerator g, Encoded enc, long emitTsMs) throws IOException {
        if (enc.body() != null) {
            g.writeRaw(new RenderedJson(enc.body()));
            g.writeRaw(EMIT_SUFFIX.get().of(emitTsMs).json);
            return;
        }
        ChangeEvent e = enc.event();
        g.writeStartObject();
        g.writeFieldName(V);
        g.writeNumber(VERSION);
        g.writeFieldName(ID);
        g.writeString(e.id());
        g.writeFieldName(OP);
        g.writeString(e.op().code());
        SourceInfo s = e.source();
        g.writeFieldName(SOURCE);
        g.writeStartObject();
        g.writeFieldName(NAME);
        g.writeString(s.name());
        g.writeFieldName(SERVER_ID);
        g.writeNumber(s.serverId());
        g.writeFieldName(GTID);
        g.writeString(s.gtid());
        g.writeFieldName(FILE);
        g.writeString(s.file());
        g.writeFieldName(POS);
        g.writeNumber(s.pos());
        g.writeFieldName(ROW);
        g.writeNumber(s.row());
        g.writeFieldName(TS_MS);
        g.writeNumber(s.tsMs());
        g.writeFieldName(DB);
        g.writeString(s.db());
        g.writeFieldName(TABLE);
        g.writeString(s.table());
        g.writeFieldName(SNAPSHOT);
        g.writeBoolean(s.snapshot());
        g.writeEndObject();
        BigintEncoding bigint = enc.bigint();
        g.writeFieldName(KEY);
        if (!enc.writeKey(g)) {
            writeRow(g, e.key(), bigint);
        }
        g.writeFieldName(BEFORE);
        writeRow(g, e.before(), bigint);
        g.writeFieldName(AFTER);
        writeRow(g, e.after(), bigint);
        g.writeFieldName(SCHEMA);
        g.writeNumber(e.schema());
        if (e.ddl() != null || e.op() == Op.SCHEMA) {
            // every s event has it (the contract): null where no statement made the version (docs/change-event.md)
            g.writeFieldName(DDL);
            g.writeString(e.ddl());
        }
        if (e.change() != null) {
            writeChange(g, e.change());
        }
        if (e.shaping() != null) {
            // added to v1 by issue 15 (docs/change-event.md): absent where no rule applied
            g.writeFieldName(RULES);
            g.writeNumber(e.shaping().version());
            if (e.shaping().route() != null) {
                g.writeFieldName(ROUTE);
                g.writeString(e.shaping().route());
            }
        }
        if (enc.last()) {
            // encoding.transaction-markers (docs/change-event.md, Options): the last event of its transaction
            g.writeFieldName(TXN);
            g.writeStartObject();
            g.writeFieldName(LAST);
            g.writeBoolean(true);
            g.writeEndObject();
        }
        g.writeFieldName(TS_MS);
        g.writeNumber(emitTsMs);
        g.writeEndObject();
    }

    /** The schema-change fields of an {@code s} event (never reached by row events). */
    private static void writeChange(JsonGenerator g, SchemaChange c) throws IOException {
        if (c.columns() != null) {
            g.writeFieldName(COLUMNS);
            g.writeRawValue(c.columns().json());
        }
        if (c.oldColumns() != null) {
            g.writeFieldName(OLD_COLUMNS);
            g.writeRawValue(c.oldColumns().json());
        }
        if (!c.breaking().isEmpty()) {
            g.writeFieldName(BREAKING);
            g.writeStartArray();
            for (String reason : c.breaking()) {
                g.writeString(reason);
            }
            g.writeEndArray();
        }
    }

    /** The event as one JSON line's bytes, without the newline. For tests and small tools. */
    public static byte[] toJson(ChangeEvent e, long emitTsMs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = generator(out)) {
            write(g, e, emitTsMs);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Writes a key or row as a compact JSON object, as used in snapshot ids. */
    public static String compact(Row row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = generator(out)) {
            writeRowObject(g, row);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeRow(JsonGenerator g, Row row, BigintEncoding bigint) throws IOException {
        if (row == null) {
            g.writeNull();
        } else {
            writeRowObject(g, row, bigint);
        }
    }

    /**
     * The closing {@code ,"ts_ms":N}} of an event whose JSON was made ahead whole ({@link Encoded}), for a
     * sink that writes bodies itself. The array is the calling thread's, kept while the millisecond lasts: callers
     * must not change it.
     */
    public static byte[] emitSuffix(long emitTsMs) {
        return EMIT_SUFFIX.get().of(emitTsMs).bytes;
    }

    /** The closing {@code ,"ts_ms":N}} of a rendered-ahead event, per thread, kept while the millisecond lasts. */
    private static final ThreadLocal<EmitSuffix> EMIT_SUFFIX = ThreadLocal.withInitial(EmitSuffix::new);

    private static final class EmitSuffix {
        long ts = Long.MIN_VALUE;
        byte[] bytes;
        RenderedJson json;

        EmitSuffix of(long emitTsMs) {
            if (emitTsMs != ts) {
                ts = emitTsMs;
                bytes = (",\"ts_ms\":" + emitTsMs + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                json = new RenderedJson(bytes);
            }
            return this;
        }
    }

    /** One reusable generator per thread for {@link #renderRow}. */
    private static final ThreadLocal<Renderer> RENDERERS = ThreadLocal.withInitial(Renderer::new);

    private static final class Renderer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        final JsonGenerator g = generator(out);
    }

    /** The row as its JSON object's UTF-8 bytes, exactly as {@link #write} would put it in an event. */
    public static byte[] renderRow(Row row) {
        return renderRow(row, BigintEncoding.NUMBER);
    }

    /** The row as its JSON object's UTF-8 bytes, its 64-bit integers written as {@code bigint} says. */
    public static byte[] renderRow(Row row, BigintEncoding bigint) {
        Renderer r = RENDERERS.get();
        try {
            r.out.reset();
            writeRowObject(r.g, row, bigint);
            r.g.flush();
            return r.out.toByteArray();
        } catch (IOException e) {
            RENDERERS.remove(); // its generator is mid-object: the next row starts with a fresh one
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            RENDERERS.remove();
            throw e;
        }
    }

    /**
     * A column name as {@link #writeRowObject} writes it, between its quotes: the UTF-8 bytes of the name escaped
     * as the generator escapes it. A fresh array.
     */
    public static byte[] quotedName(String column) {
        return COLUMN_NAMES
                .computeIfAbsent(column, EventCodec::name)
                .asQuotedUTF8()
                .clone();
    }

    /**
     * What a row object writes before each value: {@code {"a":} for the first column, {@code ,"b":} for the others
     * (names quoted as {@link #quotedName}). Fresh arrays.
     */
    public static byte[][] namePrefixes(String[] names) {
        byte[][] p = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            byte[] q = quotedName(names[i]);
            byte[] b = new byte[q.length + 4];
            b[0] = (byte) (i == 0 ? '{' : ',');
            b[1] = '"';
            System.arraycopy(q, 0, b, 2, q.length);
            b[b.length - 2] = '"';
            b[b.length - 1] = ':';
            p[i] = b;
        }
        return p;
    }

    /** Writes a key or row as a JSON object. */
    public static void writeRowObject(JsonGenerator g, Row row) throws IOException {
        writeRowObject(g, row, BigintEncoding.NUMBER);
    }

    /** Writes a key or row as a JSON object, its 64-bit integers as {@code bigint} says. */
    public static void writeRowObject(JsonGenerator g, Row row, BigintEncoding bigint) throws IOException {
        g.writeStartObject();
        for (int i = 0, n = row.size(); i < n; i++) {
            String column = row.name(i);
            SerializedString pre = COLUMN_NAMES.get(column);
            if (pre == null) {
                pre = COLUMN_NAMES.computeIfAbsent(column, EventCodec::name);
            }
            g.writeFieldName(pre);
            Object v = row.value(i);
            if (bigint != BigintEncoding.NUMBER && bigint.asString(row, i, v)) {
                g.writeString(v.toString()); // encoding.bigint: the integer's decimal digits as a string
            } else {
                writeValue(g, v);
            }
        }
        g.writeEndObject();
    }

    /** A FLOAT (at its width) or DOUBLE as its shortest round-trip decimal ({@link ShortestDecimal}). */
    private static void writeFloat(JsonGenerator g, double v, boolean asFloat) throws IOException {
        if (!Double.isFinite(v)) {
            g.writeNumber(v); // no MySQL column holds one; Jackson's way, as ever
            return;
        }
        char[] buf = new char[ShortestDecimal.MAX_CHARS];
        int n = asFloat ? ShortestDecimal.write((float) v, buf, 0) : ShortestDecimal.write(v, buf, 0);
        g.writeNumber(buf, 0, n);
    }

    /** Per thread: room for a temporal value's text ({@link TemporalValue#writeText}). */
    private static final ThreadLocal<byte[]> TEXT_SCRATCH =
            ThreadLocal.withInitial(() -> new byte[TemporalValue.MAX_TEXT]);

    /** Writes one column value ({@link io.sluice.core.value.Values the value model}) in its contract representation. */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof AsciiText t) {
            byte[] b = t.bytes();
            g.writeRawUTF8String(b, 0, b.length);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof String str) {
            g.writeString(str);
        } else if (v instanceof TemporalValue t) {
            byte[] b = TEXT_SCRATCH.get();
            g.writeRawUTF8String(b, 0, t.writeText(b, 0));
        } else if (v instanceof BigDecimal bd) {
            g.writeString(bd.toPlainString());
        } else if (v instanceof Bytes b) {
            g.writeBinary(b.stream(), b.length());
        } else if (v instanceof Double d) {
            writeFloat(g, d, false);
        } else if (v instanceof Float f) {
            writeFloat(g, f, true);
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else if (v instanceof JsonText j) {
            g.writeRawValue(j.json());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            throw new IllegalArgumentException(
                    "no JSON representation for " + v.getClass().getName());
        }
    }
}
