package io.sluice.core.event;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An ordered set of named column values. Names are shared with the table's schema (never copied per row).
 *
 * <p>Values are typed, of the value model ({@link io.sluice.core.value.Values}): {@code null}, {@link Long},
 * {@link Integer}, {@link java.math.BigInteger}, {@link java.math.BigDecimal}, {@link Float}, {@link Double},
 * {@link String}, {@link AsciiText} (a string kept as its bytes), {@link io.sluice.core.value.Bytes},
 * the temporal values ({@link io.sluice.core.value.TemporalValue}) or {@link JsonText} (embedded as JSON).
 *
 * <p>A row may also carry its rendered JSON (what {@link EventCodec} writes for it), possibly as a slice of a larger
 * array that other rows share (a snapshot chunk's arena, {@link RenderedRows}). A row made with {@link #ofJson} holds
 * only that JSON: its values are decoded from it by the given {@link Decoder} the first time one is asked for
 * ({@link #value}, {@link #get}, equality, {@link #toString}), and kept. Rows of snapshot chunks are made so: their
 * events carry a rendered body, and nothing but tests and logs looks at their values.
 */
public final class Row {
    /** Decodes a row's values back from its rendered JSON ({@code json[off, off + len)}). */
    @FunctionalInterface
    public interface Decoder {
        Object[] decode(byte[] json, int off, int len);
    }

    private final String[] names;
    /** The columns the names are of ({@link TableSchema#columns()} or its key's), or null where not known. */
    private final List<Column> columns;
    /** The values, or null for a row made from its JSON until they are decoded (then {@link #decoded}). */
    private final Object[] values;

    private final Decoder decoder;
    private volatile Object[] decoded;
    /** The row as JSON ({@code json[jsonOff, jsonOff + jsonLen)}), when rendered: a cache of names and values. */
    private byte[] json;

    private int jsonOff;
    private int jsonLen;

    /** A row of values under the given names, its columns' types not known. */
    public Row(String[] names, Object[] values) {
        this(names, null, values);
    }

    /**
     * A row of a table schema's columns: {@code names} and {@code columns} are the schema's ({@link
     * TableSchema#names()} and {@link TableSchema#columns()}, or the key's), shared by every row, not copied.
     */
    public Row(String[] names, List<Column> columns, Object[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(
                    "names and values differ in length: " + names.length + " vs " + values.length);
        }
        if (columns != null && columns.size() != names.length) {
            throw new IllegalArgumentException(names.length + " names for " + columns.size() + " columns");
        }
        this.names = names;
        this.columns = columns;
        this.values = values;
        this.decoder = null;
    }

    private Row(String[] names, List<Column> columns, byte[] json, int off, int len, Decoder decoder) {
        if (columns != null && columns.size() != names.length) {
            throw new IllegalArgumentException(names.length + " names for " + columns.size() + " columns");
        }
        this.names = names;
        this.columns = columns;
        this.values = null;
        this.decoder = decoder;
        this.json = json;
        this.jsonOff = off;
        this.jsonLen = len;
    }

    /**
     * A row of the given columns known by its rendered JSON, {@code json[off, off + len)} exactly as
     * {@link EventCodec} writes the row (the array is shared, not copied: it must not change); its values are
     * decoded on first use.
     */
    public static Row ofJson(String[] names, List<Column> columns, byte[] json, int off, int len, Decoder decoder) {
        return new Row(names, columns, json, off, len, Objects.requireNonNull(decoder));
    }

    /** This row's names and values as a row of the given columns (this row when they are its columns already). */
    Row withColumns(List<Column> columns) {
        return columns == this.columns ? this : new Row(names, columns, values());
    }

    /**
     * Renders the row's JSON now, on the calling thread, so the sink's thread only copies the bytes. A pipeline
     * calls it on its reader thread to share the encoding work between its two threads. Returns this row.
     */
    public Row render() {
        byte[] j = EventCodec.renderRow(this);
        return rendered(j, 0, j.length);
    }

    /**
     * Takes {@code json[off, off + len)} as the row's rendered JSON: the caller vouches that these are exactly the
     * bytes {@link #render()} would make (the array is shared, not copied: it must not change). Returns this row.
     */
    public Row rendered(byte[] json, int off, int len) {
        this.json = json;
        this.jsonOff = off;
        this.jsonLen = len;
        return this;
    }

    /** The array holding the rendered JSON (from {@link #renderedOffset()}, {@link #renderedSize()} bytes), or null. */
    byte[] rendered() {
        return json;
    }

    int renderedOffset() {
        return jsonOff;
    }

    /**
     * The row as its compact JSON object's UTF-8 bytes, exactly as an event holds it: what {@link #render()} made,
     * else rendered now (and not kept). The array may be shared: callers must not change it.
     */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            return EventCodec.renderRow(this);
        }
        return jsonOff == 0 && jsonLen == j.length ? j : Arrays.copyOfRange(j, jsonOff, jsonOff + jsonLen);
    }

    /** Bytes of the rendered JSON, or -1 when the row was not rendered. */
    public int renderedSize() {
        return json == null ? -1 : jsonLen;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** The column the i-th value is of (its SQL type, charset, ...), or null where the row was made without one. */
    public Column column(int i) {
        return columns == null ? null : columns.get(i);
    }

    public Object value(int i) {
        return values()[i];
    }

    private Object[] values() {
        Object[] v = values;
        if (v != null) {
            return v;
        }
        v = decoded;
        if (v == null) {
            v = decoder.decode(json, jsonOff, jsonLen);
            if (v.length != names.length) {
                throw new IllegalStateException("decoded " + v.length + " values for " + names.length + " columns");
            }
            decoded = v;
        }
        return v;
    }

    /** The value of the named column, or null when there is no such column. */
    public Object get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values()[i];
            }
        }
        return null;
    }

    /** True when both rows hold byte-for-byte equal values under the same names. */
    public boolean sameValues(Row other) {
        if (other == null || other.size() != size()) {
            return false;
        }
        Object[] mine = values();
        Object[] theirs = other.values();
        for (int i = 0; i < mine.length; i++) {
            if (!names[i].equals(other.names[i]) || !valueEquals(mine[i], theirs[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        return Objects.equals(a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && Arrays.equals(names, r.names) && sameValues(r);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        Object[] vs = values();
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = vs[i];
            sb.append(names[i]).append('=').append(v);
        }
        return sb.append('}').toString();
    }
}
