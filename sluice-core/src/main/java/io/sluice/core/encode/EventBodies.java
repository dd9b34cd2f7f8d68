package io.sluice.core.encode;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Renders ahead the JSON of events that share everything but their id, key, after image and {@code source.row}: the
 * {@code r} events of one snapshot chunk. The shared parts are encoded once; each event then takes a few array copies
 * on the thread that makes it, instead of a pass of the JSON generator on the sink's thread: from the chunk's
 * {@link RenderedRows} (row JSON, key JSON and quoted id rendered when the rows were read), or from the given rows.
 * The result is an {@link Encoded} made whole, which the sink writes and stamps with the emit time; the bytes are
 * exactly those the generator would write ({@code EventBodiesTest} compares them). The typed events of the same rows
 * come from {@link #event(RenderedRows, int, int)}, for sinks that do not write JSON.
 */
public final class EventBodies {
    private static final byte[] HEAD = "{\"v\":1,\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final Op op;
    private final SourceInfo source;
    private final TableSchema schema;
    /** {@code ,"op":..,"source":{..,"pos":N,"row":} */
    private final byte[] beforeRow;
    /** {@code ,"ts_ms":N,"db":..,"table":..,"snapshot":B},"key":} */
    private final byte[] afterRow;

    private static final byte[] BEFORE_AFTER = ",\"before\":null,\"after\":".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of every arena-rendered body that depend on neither the chunk nor the row. */
    private static final int FIXED = HEAD.length + BEFORE_AFTER.length;
    /** {@code ,"schema":N} */
    private final byte[] tail;

    /** The ids' shared start, and its quoted form without the closing quote. */
    private final String idPrefix;

    private final byte[] idPrefixQuoted;
    /** {@link #HEAD} and {@link #idPrefixQuoted}: one copy per event where the sink writes runs. */
    private final byte[] headAndPrefix;

    /**
     * @param op       the events' op
     * @param source   their source block (its {@code row} is replaced per event)
     * @param schema   their table's schema (its version is the events' {@code schema})
     * @param idPrefix the start their ids share ({@link #event} takes the rest)
     */
    public EventBodies(Op op, SourceInfo source, TableSchema schema, String idPrefix) {
        if (!idPrefix.isEmpty() && Character.isHighSurrogate(idPrefix.charAt(idPrefix.length() - 1))) {
            throw new IllegalArgumentException("an id prefix cannot end inside a surrogate pair: " + idPrefix);
        }
        this.idPrefix = idPrefix;
        byte[] q = quote(idPrefix);
        this.idPrefixQuoted = Arrays.copyOf(q, q.length - 1);
        this.headAndPrefix = Arrays.copyOf(HEAD, HEAD.length + idPrefixQuoted.length);
        System.arraycopy(idPrefixQuoted, 0, headAndPrefix, HEAD.length, idPrefixQuoted.length);
        this.op = op;
        this.source = source;
        this.schema = schema;
        this.beforeRow = ascii(",\"op\":" + quoted(op.code()) + ",\"source\":{\"name\":" + quoted(source.name())
                + ",\"server_id\":" + source.serverId() + ",\"gtid\":" + quoted(source.gtid()) + ",\"file\":"
                + quoted(source.file()) + ",\"pos\":" + source.pos() + ",\"row\":");
        this.afterRow = ascii(",\"ts_ms\":" + source.tsMs() + ",\"db\":" + quoted(source.db()) + ",\"table\":"
                + quoted(source.table()) + ",\"snapshot\":" + source.snapshot() + "},\"key\":");
        this.tail = ascii(",\"schema\":" + schema.version());
    }

    /**
     * The event whose id is the prefix and {@code idRest}, with the given key, after image and row index, encoded
     * whole.
     *
     * @param keyJson the key as compact JSON exactly as {@link EventCodec#compact} writes it, or null to encode it
     *                here
     */
    public Encoded event(String idRest, Row key, String keyJson, Row after, int row) {
        String id = idPrefix + idRest;
        // escaping works character by character (and no surrogate pair spans the cut), so the parts are quoted apart
        byte[] rest = quote(idRest);
        byte[] keyBytes = key == null
                ? NULL
                : keyJson != null ? keyJson.getBytes(StandardCharsets.UTF_8) : EventCodec.renderRow(key);
        byte[] a = after == null ? NULL : EventCodec.renderRow(after);
        int rowDigits = digits(row);
        byte[] body = new byte
                [HEAD.length
                        + idPrefixQuoted.length
                        + rest.length
                        - 1
                        + beforeRow.length
                        + rowDigits
                        + afterRow.length
                        + keyBytes.length
                        + BEFORE_AFTER.length
                        + a.length
                        + tail.length];
        int at = put(body, 0, HEAD);
        at = put(body, at, idPrefixQuoted);
        at = put(body, at, rest, 1, rest.length - 1);
        at = put(body, at, beforeRow);
        at = RenderedRows.putInt(body, at, row);
        at = put(body, at, afterRow);
        int keyAt = at;
        at = put(body, at, keyBytes);
        at = put(body, at, BEFORE_AFTER);
        put(body, at, a);
        put(body, at + a.length, tail);
        ChangeEvent e =
                new ChangeEvent(id, op, source.withRow(row), key, null, after, schema.version(), null, null, schema);
        return new Encoded(e, body, key == null ? null : body, keyAt, keyBytes.length);
    }

    /**
     * The event of the i-th of a chunk's rows rendered as read (their id prefix this one's), as the {@code row}-th
     * event, encoded whole: its JSON is copied together from the rows' arena and the parts the chunk's events share.
     */
    public Encoded encoded(RenderedRows rows, int i, int row) {
        checkRows(rows);
        byte[] body = new byte[length(rows, i, row)];
        render(rows, i, row, body, 0);
        int[] marks = rows.marks();
        return new Encoded(
                event(rows, i, row), body, rows.arena(i), marks[4 * i + 1], marks[4 * i + 2] - marks[4 * i + 1]);
    }

    /**
     * The typed event of the i-th of a chunk's rows of a table without a key (its values read when asked for), as the
     * {@code row}-th event, its id the prefix and {@code idRest}.
     */
    public ChangeEvent event(RenderedRows rows, String idRest, int i, int row) {
        return new ChangeEvent(
                idPrefix + idRest,
                op,
                source.withRow(row),
                null,
                null,
                rows.after(i, schema.columns()),
                schema.version(),
                null,
                null,
                schema);
    }

    /** The typed event of the i-th of a chunk's rows, as the {@code row}-th event (its values read when asked for). */
    public ChangeEvent event(RenderedRows rows, int i, int row) {
        checkRows(rows);
        return new ChangeEvent(
                rows.id(i),
                op,
                source.withRow(row),
                rows.key(i, schema.keyColumns()),
                null,
                rows.after(i, schema.columns()),
                schema.version(),
                null,
                null,
                schema);
    }

    /** The schema of the events' table. */
    public TableSchema schema() {
        return schema;
    }

    /** The source block the events share (their {@code row} aside). */
    public SourceInfo source() {
        return source;
    }

    void checkRows(RenderedRows rows) {
        if (!rows.keyed()) {
            throw new IllegalArgumentException("rows without a key are numbered: use event(idRest, ...)");
        }
        if (rows.idPrefix() != idPrefix && !rows.idPrefix().equals(idPrefix)) {
            throw new IllegalArgumentException("the rows' ids start with " + rows.idPrefix() + ", not " + idPrefix);
        }
    }

    /** The length of the body of {@link #event(RenderedRows, int, int)}. */
    int length(RenderedRows rows, int i, int row) {
        int[] marks = rows.marks();
        int m = 4 * i;
        return FIXED
                + idPrefixQuoted.length
                + beforeRow.length
                + afterRow.length
                + tail.length
                + digits(row)
                + marks[m + 3]
                - marks[m];
    }

    /** Writes the body of {@link #event(RenderedRows, int, int)} into {@code into} at {@code at}; returns its end. */
    int render(RenderedRows rows, int i, int row, byte[] into, int at) {
        return render(rows, i, row, into, at, tail);
    }

    /**
     * {@link #render(RenderedRows, int, int, byte[], int)} with {@code ending} (from {@link #ending}: the body's last
     * bytes and what the sink writes after them) in place of the body's last bytes. Returns where it ends.
     */
    int render(RenderedRows rows, int i, int row, byte[] into, int at, byte[] ending) {
        byte[] a = rows.arena(i);
        int[] marks = rows.marks();
        int m = 4 * i;
        int afterAt = marks[m];
        int keyAt = marks[m + 1];
        int idAt = marks[m + 2];
        int end = marks[m + 3];
        at = put(into, at, headAndPrefix);
        at = put(into, at, a, idAt, end - idAt);
        at = put(into, at, beforeRow);
        at = RenderedRows.putInt(into, at, row);
        at = put(into, at, afterRow);
        at = put(into, at, a, keyAt, idAt - keyAt);
        at = put(into, at, BEFORE_AFTER);
        at = put(into, at, a, afterAt, keyAt - afterAt);
        return put(into, at, ending);
    }

    /** The bytes every body ends with ({@code ,"schema":N}) and then {@code then}. */
    byte[] ending(byte[] then) {
        byte[] e = Arrays.copyOf(tail, tail.length + then.length);
        System.arraycopy(then, 0, e, tail.length, then.length);
        return e;
    }

    private static int put(byte[] into, int at, byte[] b, int off, int len) {
        System.arraycopy(b, off, into, at, len);
        return at + len;
    }

    private static int put(byte[] into, int at, byte[] b) {
        System.arraycopy(b, 0, into, at, b.length);
        return at + b.length;
    }

    private static int digits(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("a row index is never negative: " + v);
        }
        // comparisons, not divisions: this runs twice per snapshot event on the sink's thread
        return v < 10
                ? 1
                : v < 100
                        ? 2
                        : v < 1000
                                ? 3
                                : v < 10_000
                                        ? 4
                                        : v < 100_000
                                                ? 5
                                                : v < 1_000_000
                                                        ? 6
                                                        : v < 10_000_000
                                                                ? 7
                                                                : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return s == null ? "null" : new String(quote(s), StandardCharsets.UTF_8);
    }

    /**
     * A string as a quoted JSON string's UTF-8 bytes, escaped as the generator escapes it: printable ASCII takes a
     * short path (only {@code "} and {@code \} escaped), anything else goes through Jackson's encoder.
     */
    static byte[] quote(String s) {
        char[] chars = s.toCharArray(); // indexing an array is cheaper than charAt under the C1 compiler
        int n = chars.length;
        int escapes = 0;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c < 0x20 || c > 0x7E) {
                byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(s);
                byte[] out = new byte[inner.length + 2];
                out[0] = '"';
                System.arraycopy(inner, 0, out, 1, inner.length);
                out[out.length - 1] = '"';
                return out;
            }
            if (c == '"' || c == '\\') {
                escapes++;
            }
        }
        byte[] out = new byte[n + escapes + 2];
        out[0] = '"';
        int at = 1;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c == '"' || c == '\\') {
                out[at++] = '\\';
            }
            out[at++] = (byte) c;
        }
        out[at] = '"';
        return out;
    }
}
