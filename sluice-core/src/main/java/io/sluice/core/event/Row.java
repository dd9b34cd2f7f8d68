package io.sluice.core.event;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An ordered set of named column values of a table's columns. Names and columns are shared with the table's schema
 * (never copied per row). Immutable; no encoded bytes: the encoder ({@code io.sluice.core.encode}) turns rows into
 * JSON, outside them.
 *
 * <p>Values are typed, of the value model ({@link io.sluice.core.value.Values}): {@code null}, {@link Long},
 * {@link Integer}, {@link java.math.BigInteger}, {@link java.math.BigDecimal}, {@link Float}, {@link Double},
 * {@link String}, {@link AsciiText} (a string kept as its bytes), {@link io.sluice.core.value.Bytes},
 * the temporal values ({@link io.sluice.core.value.TemporalValue}) or {@link JsonText} (embedded as JSON).
 *
 * <p>A row made with {@link #deferred} gets its values from a supplier the first time one is asked for ({@link
 * #value}, {@link #get}, equality, {@link #toString}), and keeps them: the snapshot's fast path makes its rows so,
 * their values read from what it read (a sink that writes JSON never asks for them).
 */
public final class Row {
    private final String[] names;
    /** The columns the names are of ({@link TableSchema#columns()} or its key's), or null where not known. */
    private final List<Column> columns;
    /** The values, or null for a deferred row until they are supplied (then {@link #supplied}). */
    private final Object[] values;

    private final Supplier<Object[]> supplier;
    private volatile Object[] supplied;

    /** A row of values under the given names, its columns' types not known (tests and tools). */
    public Row(String[] names, Object[] values) {
        this(names, null, values);
    }

    /**
     * A row of a table schema's columns: {@code names} and {@code columns} are the schema's ({@link
     * TableSchema#names()} and {@link TableSchema#columns()}, or the key's), shared by every row, not copied.
     */
    public Row(String[] names, List<Column> columns, Object[] values) {
        this(names, columns, Objects.requireNonNull(values, "values"), null);
    }

    private Row(String[] names, List<Column> columns, Object[] values, Supplier<Object[]> supplier) {
        if (values != null && names.length != values.length) {
            throw new IllegalArgumentException(
                    "names and values differ in length: " + names.length + " vs " + values.length);
        }
        if (columns != null && columns.size() != names.length) {
            throw new IllegalArgumentException(names.length + " names for " + columns.size() + " columns");
        }
        this.names = names;
        this.columns = columns;
        this.values = values;
        this.supplier = supplier;
    }

    /**
     * A row of the given columns whose values {@code values} supplies when first asked for (once, or twice when two
     * threads race: it must give equal values each time).
     */
    public static Row deferred(String[] names, List<Column> columns, Supplier<Object[]> values) {
        return new Row(names, columns, null, Objects.requireNonNull(values, "values"));
    }

    /** This row's names and values as a row of the given columns (this row when they are its columns already). */
    public Row withColumns(List<Column> columns) {
        return columns == this.columns
                ? this
                : values != null ? new Row(names, columns, values, null) : new Row(names, columns, null, supplier);
    }

    public int size() {
        return names.length;
    }

    /**
     * The names array itself, shared with the schema, not a copy: for the encoder, which keys its pre-quoted names
     * by it. Callers must not change it.
     */
    public String[] namesArray() {
        return names;
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
        v = supplied;
        if (v == null) {
            v = supplier.get();
            if (v.length != names.length) {
                throw new IllegalStateException("supplied " + v.length + " values for " + names.length + " columns");
            }
            supplied = v;
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
