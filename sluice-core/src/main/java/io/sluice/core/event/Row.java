package io.sluice.core.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * An ordered set of named column values. Names are shared with the table's schema (never copied per row).
 *
 * <p>Values are already in their contract representation: {@code null}, {@link Long}, {@link Integer},
 * {@link java.math.BigInteger}, {@link Float}, {@link Double}, {@link String}, {@link AsciiText} (a string kept as
 * its bytes), {@code byte[]} (written as base64) or {@link JsonText} (embedded as JSON).
 */
public final class Row {
    private final String[] names;
    private final Object[] values;
    /** The row as JSON, when {@link #render()} made it (a cache of a pure function of names and values). */
    private byte[] json;

    public Row(String[] names, Object[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("names and values differ in length: " + names.length + " vs " + values.length);
        }
        this.names = names;
        this.values = values;
    }

    /**
     * Renders the row's JSON now, on the calling thread, so the sink's thread only copies the bytes. A pipeline
     * calls it on its reader thread to share the encoding work between its two threads. Returns this row.
     */
    public Row render() {
        json = EventCodec.renderRow(this);
        return this;
    }

    /** The rendered JSON, or null. */
    byte[] rendered() {
        return json;
    }

    /**
     * The row as its compact JSON object's UTF-8 bytes, exactly as an event holds it: what {@link #render()} made,
     * else rendered now (and not kept). The array may be shared: callers must not change it.
     */
    public byte[] json() {
        byte[] j = json;
        return j != null ? j : EventCodec.renderRow(this);
    }

    /** Bytes of the rendered JSON, or -1 when the row was not rendered. */
    public int renderedSize() {
        return json == null ? -1 : json.length;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public Object value(int i) {
        return values[i];
    }

    /** The value of the named column, or null when there is no such column. */
    public Object get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** True when both rows hold byte-for-byte equal values under the same names. */
    public boolean sameValues(Row other) {
        if (other == null || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!names[i].equals(other.names[i]) || !valueEquals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
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
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(names[i]).append('=').append(v instanceof byte[] b ? Arrays.toString(b) : v);
        }
        return sb.append('}').toString();
    }
}
