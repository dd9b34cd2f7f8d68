package io.sluice.core.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The one place that turns a {@link ChangeEvent} into the contract's JSON envelope (version {@value #VERSION}).
 *
 * <p>Floats are written with the shortest decimal that round-trips at the value's own width (Jackson's
 * Schubfach writer), binary values as standard base64 with padding, {@link JsonText} embedded raw, characters
 * outside the BMP as their 4-byte UTF-8 sequence (not as escaped surrogate pairs).
 */
public final class EventCodec {
    /** Envelope version written in the {@code v} field. */
    public static final int VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private EventCodec() {
    }

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

    /** Writes one event as a JSON object (no newline). */
    public static void write(JsonGenerator g, ChangeEvent e, long emitTsMs) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", VERSION);
        g.writeStringField("id", e.id());
        g.writeStringField("op", e.op().code());
        SourceInfo s = e.source();
        g.writeObjectFieldStart("source");
        g.writeStringField("name", s.name());
        g.writeNumberField("server_id", s.serverId());
        g.writeStringField("gtid", s.gtid());
        g.writeStringField("file", s.file());
        g.writeNumberField("pos", s.pos());
        g.writeNumberField("row", s.row());
        g.writeNumberField("ts_ms", s.tsMs());
        g.writeStringField("db", s.db());
        g.writeStringField("table", s.table());
        g.writeBooleanField("snapshot", s.snapshot());
        g.writeEndObject();
        writeRow(g, "key", e.key());
        writeRow(g, "before", e.before());
        writeRow(g, "after", e.after());
        g.writeNumberField("schema", e.schema());
        if (e.ddl() != null) {
            g.writeStringField("ddl", e.ddl());
        }
        g.writeNumberField("ts_ms", emitTsMs);
        g.writeEndObject();
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

    private static void writeRow(JsonGenerator g, String field, Row row) throws IOException {
        g.writeFieldName(field);
        if (row == null) {
            g.writeNull();
        } else {
            writeRowObject(g, row);
        }
    }

    private static void writeRowObject(JsonGenerator g, Row row) throws IOException {
        g.writeStartObject();
        for (int i = 0, n = row.size(); i < n; i++) {
            g.writeFieldName(row.name(i));
            writeValue(g, row.value(i));
        }
        g.writeEndObject();
    }

    /** Writes one column value in its contract representation. */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof AsciiText t) {
            byte[] b = t.bytes();
            g.writeRawUTF8String(b, 0, b.length);
        } else if (v instanceof String str) {
            g.writeString(str);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof byte[] b) {
            g.writeBinary(b);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else if (v instanceof JsonText j) {
            g.writeRawValue(j.json());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal bd) {
            g.writeString(bd.toPlainString());
        } else {
            throw new IllegalArgumentException("no JSON representation for " + v.getClass().getName());
        }
    }
}
