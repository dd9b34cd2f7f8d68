package io.sluice.core.encode;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.TemporalValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * Writes a typed event's contract JSON straight into a byte array, the streamed events' path: the field names and
 * punctuation are constant bytes (a row's column names quoted once per table layout), and the values the binlog
 * gives most (integers, printable ASCII text, temporal values, decimals, floats, binary) are written without the
 * JSON generator. What needs the generator's care (control characters, surrogates, embedded JSON) is written by
 * one, into a scratch buffer, then copied: so every byte is what {@link EventCodec#writeValue} writes
 * ({@code EventWriterTest} compares both over the value model). One writer per thread; {@link EventCodec} and
 * {@link Encoded} keep it.
 */
final class EventWriter {
    private static final byte[] V_ID = ascii("{\"v\":1,\"id\":");
    private static final byte[] OP = ascii(",\"op\":");
    private static final byte[] SOURCE_NAME = ascii(",\"source\":{\"name\":");
    private static final byte[] SERVER_ID = ascii(",\"server_id\":");
    private static final byte[] GTID = ascii(",\"gtid\":");
    private static final byte[] FILE = ascii(",\"file\":");
    private static final byte[] POS = ascii(",\"pos\":");
    private static final byte[] ROW = ascii(",\"row\":");
    private static final byte[] TS_MS = ascii(",\"ts_ms\":");
    private static final byte[] DB = ascii(",\"db\":");
    private static final byte[] TABLE = ascii(",\"table\":");
    private static final byte[] SNAPSHOT_TRUE = ascii(",\"snapshot\":true},\"key\":");
    private static final byte[] SNAPSHOT_FALSE = ascii(",\"snapshot\":false},\"key\":");
    private static final byte[] BEFORE = ascii(",\"before\":");
    private static final byte[] AFTER = ascii(",\"after\":");
    private static final byte[] SCHEMA = ascii(",\"schema\":");
    private static final byte[] DDL = ascii(",\"ddl\":");
    private static final byte[] RULES = ascii(",\"rules\":");
    private static final byte[] ROUTE = ascii(",\"route\":");
    private static final byte[] TXN_LAST = ascii(",\"txn\":{\"last\":true}");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[][] OPS = new byte[Op.values().length][];

    static {
        for (Op op : Op.values()) {
            OPS[op.ordinal()] = ascii("\"" + op.code() + "\"");
        }
    }

    private static final byte[] BASE64 = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    /** The layouts' pre-quoted column names: {@code {"a":}, {@code ,"b":}, ... per names array of a table schema. */
    private final IdentityHashMap<String[], byte[][]> layouts = new IdentityHashMap<>();

    private final Scratch scratchOut = new Scratch();
    private JsonGenerator scratch;
    /** Past this size the buffer of a past big event is dropped at the next render. */
    private static final int KEPT_BYTES = 1 << 20;
    /**
     * An event that would take more bytes than this is left to the generator, which streams it to the sink: a row of
     * tens of MiB rendered here would take several times its size in heap (the array grown by doubling, then copied).
     */
    static final int MAX_BYTES = 1 << 20;

    /** Thrown by {@link #ensure} past {@link #MAX_BYTES}; no stack trace: it only steers {@link #render}. */
    private static final class TooBig extends RuntimeException {
        static final TooBig INSTANCE = new TooBig();

        private TooBig() {
            super(null, null, false, false);
        }
    }

    private final char[] digits = new char[ShortestDecimal.MAX_CHARS];
    private byte[] buf = new byte[4096];
    private int at;
    /** The key's JSON in {@link #buf} after the last render: {@code [keyFrom, keyTo)}. */
    private int keyFrom;

    private int keyTo;

    /** The bytes written by the last {@link #render}: {@code bytes()[0, length())}; reused by the next render. */
    byte[] bytes() {
        return buf;
    }

    int length() {
        return at;
    }

    /** Where the last {@link #render} put the key's JSON: {@code bytes()[keyFrom(), keyTo())}. */
    int keyFrom() {
        return keyFrom;
    }

    int keyTo() {
        return keyTo;
    }

    /**
     * Renders the event's JSON object (no newline), ending with the emit time, exactly as the contract's envelope
     * (the field order of {@link EventCodec#write(JsonGenerator, ChangeEvent, long)}). An {@code s} event (or any carrying
     * a statement or schema change) is left to the generator: they are rare.
     *
     * @return false when the event is not one this writer renders (the caller writes it with the generator)
     */
    boolean render(Encoded enc, long emitTsMs) {
        ChangeEvent e = enc.event();
        if (e.change() != null || e.ddl() != null || e.op() == Op.SCHEMA) {
            return false;
        }
        try {
            return renderSmall(enc, e, emitTsMs);
        } catch (TooBig big) {
            at = 0;
            return false; // a big event: the generator streams it to the sink without a second copy in memory
        }
    }

    private boolean renderSmall(Encoded enc, ChangeEvent e, long emitTsMs) {
        if (buf.length > KEPT_BYTES) {
            buf = new byte[4096]; // a big row's room is not kept by the thread for ever
        }
        at = 0;
        BigintEncoding bigint = enc.bigint();
        SourceInfo s = e.source();
        text(V_ID, e.id());
        put(OP);
        put(OPS[e.op().ordinal()]);
        text(SOURCE_NAME, s.name());
        number(SERVER_ID, s.serverId());
        text(GTID, s.gtid());
        text(FILE, s.file());
        number(POS, s.pos());
        number(ROW, s.row());
        number(TS_MS, s.tsMs());
        text(DB, s.db());
        text(TABLE, s.table());
        put(s.snapshot() ? SNAPSHOT_TRUE : SNAPSHOT_FALSE);
        keyFrom = at;
        byte[] key = enc.keyBytes();
        if (key != null) {
            int len = enc.keyLen();
            ensure(len);
            System.arraycopy(key, enc.keyOff(), buf, at, len);
            at += len;
        } else {
            row(e.key(), bigint);
        }
        keyTo = at;
        put(BEFORE);
        row(e.before(), bigint);
        put(AFTER);
        row(e.after(), bigint);
        number(SCHEMA, e.schema());
        if (e.shaping() != null) {
            number(RULES, e.shaping().version());
            if (e.shaping().route() != null) {
                text(ROUTE, e.shaping().route());
            }
        }
        if (enc.last()) {
            put(TXN_LAST);
        }
        number(TS_MS, emitTsMs);
        ensure(1);
        buf[at++] = '}';
        return true;
    }

    private void row(Row row, BigintEncoding bigint) {
        if (row == null) {
            put(NULL);
            return;
        }
        int n = row.size();
        if (n == 0) {
            ensure(2);
            buf[at++] = '{';
            buf[at++] = '}';
            return;
        }
        byte[][] names = layout(row);
        for (int i = 0; i < n; i++) {
            put(names[i]);
            Object v = row.value(i);
            if (bigint != BigintEncoding.NUMBER && bigint.asString(row, i, v)) {
                string(v.toString()); // encoding.bigint: the integer's decimal digits as a string
            } else {
                value(v);
            }
        }
        ensure(1);
        buf[at++] = '}';
    }

    /** The row's column names as written before each value: the first after the brace, the others after a comma. */
    private byte[][] layout(Row row) {
        String[] key = row.namesArray();
        byte[][] names = layouts.get(key);
        if (names == null) {
            if (layouts.size() >= 4096) {
                layouts.clear(); // bounded: schemas come and go over a long run
            }
            names = EventCodec.namePrefixes(key);
            layouts.put(key, names);
        }
        return names;
    }

    /** One column value, as {@link EventCodec#writeValue} writes it. */
    private void value(Object v) {
        if (v == null) {
            put(NULL);
        } else if (v instanceof AsciiText t) {
            byte[] b = t.bytes();
            ensure(b.length + 2);
            buf[at++] = '"';
            System.arraycopy(b, 0, buf, at, b.length);
            at += b.length;
            buf[at++] = '"';
        } else if (v instanceof Integer i) {
            number(i);
        } else if (v instanceof Long l) {
            number(l);
        } else if (v instanceof String str) {
            string(str);
        } else if (v instanceof TemporalValue t) {
            ensure(TemporalValue.MAX_TEXT + 2);
            buf[at++] = '"';
            at = t.writeText(buf, at);
            buf[at++] = '"';
        } else if (v instanceof BigDecimal bd) {
            ascii('"', bd.toPlainString());
        } else if (v instanceof Bytes b) {
            base64(b);
        } else if (v instanceof Double d && Double.isFinite(d)) {
            floating(d, false);
        } else if (v instanceof Float f && Float.isFinite(f)) {
            floating(f, true);
        } else if (v instanceof BigInteger bi) {
            ascii((char) 0, bi.toString());
        } else if (v instanceof Boolean b) {
            put(b ? TRUE : FALSE);
        } else {
            generated(v); // embedded JSON, a non-finite float: as the generator writes them
        }
    }

    /** An ASCII string (a decimal's digits), quoted when {@code quote} is {@code "}. */
    private void ascii(char quote, String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = buf;
        int i = at;
        if (quote != 0) {
            b[i++] = '"';
        }
        for (int k = 0; k < n; k++) {
            b[i++] = (byte) s.charAt(k);
        }
        if (quote != 0) {
            b[i++] = '"';
        }
        at = i;
    }

    private void floating(double v, boolean asFloat) {
        char[] chars = digits;
        int n = asFloat ? ShortestDecimal.write((float) v, chars, 0) : ShortestDecimal.write(v, chars, 0);
        ensure(n);
        for (int k = 0; k < n; k++) {
            buf[at++] = (byte) chars[k];
        }
    }

    /** Standard base64 with padding, quoted (Jackson's default variant, as the generator's {@code writeBinary}). */
    private void base64(Bytes b) {
        int n = b.length();
        ensure(4 * ((n + 2) / 3) + 2);
        byte[] o = buf;
        int i = at;
        o[i++] = '"';
        int k = 0;
        for (; k + 2 < n; k += 3) {
            int x = (b.at(k) & 0xFF) << 16 | (b.at(k + 1) & 0xFF) << 8 | (b.at(k + 2) & 0xFF);
            o[i++] = BASE64[x >>> 18];
            o[i++] = BASE64[(x >>> 12) & 0x3F];
            o[i++] = BASE64[(x >>> 6) & 0x3F];
            o[i++] = BASE64[x & 0x3F];
        }
        if (k < n) {
            int x = (b.at(k) & 0xFF) << 16 | (k + 1 < n ? (b.at(k + 1) & 0xFF) << 8 : 0);
            o[i++] = BASE64[x >>> 18];
            o[i++] = BASE64[(x >>> 12) & 0x3F];
            o[i++] = k + 1 < n ? BASE64[(x >>> 6) & 0x3F] : (byte) '=';
            o[i++] = '=';
        }
        o[i++] = '"';
        at = i;
    }

    private void number(long v) {
        ensure(20);
        at = RenderedRows.putLong(buf, at, v);
    }

    /**
     * A string value, quoted, as the generator writes it: UTF-8 with {@code "} and {@code \} escaped; a string
     * with a control character or a surrogate goes through the generator.
     */
    private void string(String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        int n = s.length();
        ensure(3 * n + 2);
        byte[] b = buf;
        int i = at;
        b[i++] = '"';
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                if (c < 0x20) {
                    generated(s); // a control character: the generator's escapes
                    return;
                }
                if (c == '"' || c == '\\') {
                    b[i++] = '\\';
                }
                b[i++] = (byte) c;
            } else if (c < 0x800) {
                b[i++] = (byte) (0xC0 | (c >> 6));
                b[i++] = (byte) (0x80 | (c & 0x3F));
            } else if (c < 0xD800 || c > 0xDFFF) {
                b[i++] = (byte) (0xE0 | (c >> 12));
                b[i++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[i++] = (byte) (0x80 | (c & 0x3F));
            } else {
                generated(s); // a surrogate: the generator's way with pairs and lone halves
                return;
            }
        }
        b[i++] = '"';
        at = i;
    }

    /** A value written by the generator (into the scratch buffer, then copied): text to escape, embedded JSON. */
    private void generated(Object v) {
        try {
            if (scratch == null) {
                scratch = EventCodec.generator(scratchOut);
            }
            scratchOut.reset();
            EventCodec.writeValue(scratch, v);
            scratch.flush();
        } catch (IOException | RuntimeException ex) {
            scratch = null; // mid-value: the next one starts with a fresh generator
            if (ex instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) ex;
        }
        int n = scratchOut.size();
        ensure(n);
        System.arraycopy(scratchOut.array(), 0, buf, at, n);
        at += n;
    }

    /** Constant bytes: a field's name and what comes before it, punctuation, a literal. */
    private void put(byte[] b) {
        int n = b.length;
        ensure(n);
        System.arraycopy(b, 0, buf, at, n);
        at += n;
    }

    /** A field whose value is text (or null), after its name's bytes. */
    private void text(byte[] name, String value) {
        put(name);
        string(value);
    }

    /** A field whose value is a number, after its name's bytes. */
    private void number(byte[] name, long value) {
        put(name);
        number(value);
    }

    private void ensure(int more) {
        if ((long) at + more > MAX_BYTES) {
            throw TooBig.INSTANCE;
        }
        if (at + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The generator's scratch output, its array read in place. */
    private static final class Scratch extends ByteArrayOutputStream {
        Scratch() {
            super(256);
        }

        byte[] array() {
            return buf;
        }
    }
}
