package io.sluice.core.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table's columns and key at one version of its schema, as a source built it from its schema history. Immutable;
 * rows decoded with it refer to it (its {@link #names()} and {@link #keyNames()} are shared by every row, never
 * copied), and {@code s} events carry it.
 *
 * <p>The version is the contract's {@code schema} number: 1, 2, 3, … per table name, growing with each change of the
 * table's columns or key.
 */
public final class TableSchema {
    private final String db;
    private final String table;
    private final int version;
    private final List<Column> columns;
    private final int[] key;
    private final List<Column> keyColumns;
    private final String[] names;
    private final String[] keyNames;

    /**
     * @param db      database
     * @param table   table name
     * @param version the contract's schema version number
     * @param columns the columns in table order
     * @param key     indexes into {@code columns} of the event key (the primary key, else the first unique key whose
     *                columns are all NOT NULL), in key order; empty when the table has neither
     */
    public TableSchema(String db, String table, int version, List<Column> columns, int[] key) {
        this.db = db;
        this.table = table;
        this.version = version;
        this.columns = List.copyOf(columns);
        this.key = key.clone();
        List<Column> kc = new ArrayList<>(key.length);
        this.names = new String[columns.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = this.columns.get(i).name();
        }
        this.keyNames = new String[key.length];
        for (int k = 0; k < key.length; k++) {
            if (key[k] < 0 || key[k] >= names.length) {
                throw new IllegalArgumentException("key column " + key[k] + " of " + names.length + " columns");
            }
            kc.add(this.columns.get(key[k]));
            keyNames[k] = names[key[k]];
        }
        this.keyColumns = List.copyOf(kc);
    }

    public String db() {
        return db;
    }

    public String table() {
        return table;
    }

    public String qualifiedName() {
        return db + "." + table;
    }

    public int version() {
        return version;
    }

    /** The same columns and key under another version number (this one when it is that version already). */
    public TableSchema withVersion(int version) {
        return version == this.version ? this : new TableSchema(db, table, version, columns, key);
    }

    /** The indexes of the key's columns in {@link #columns()}, in key order (a copy). */
    public int[] keyIndexes() {
        return key.clone();
    }

    public List<Column> columns() {
        return columns;
    }

    /** The event key's columns, in key order; empty when the table has no key. */
    public List<Column> keyColumns() {
        return keyColumns;
    }

    /** The index of the k-th key column in {@link #columns()}. */
    public int keyIndex(int k) {
        return key[k];
    }

    /** The named column (case-insensitive, as MySQL compares column names), else null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The column names in table order, the array rows share (see {@link io.sluice.core.event.Row}): callers must not
     * change it.
     */
    public String[] names() {
        return names;
    }

    /** The key columns' names in key order, shared likewise: callers must not change it. */
    public String[] keyNames() {
        return keyNames;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema s
                && version == s.version
                && db.equals(s.db)
                && table.equals(s.table)
                && columns.equals(s.columns)
                && Arrays.equals(key, s.key);
    }

    @Override
    public int hashCode() {
        return (db.hashCode() * 31 + table.hashCode()) * 31 + version;
    }

    @Override
    public String toString() {
        return "TableSchema[" + qualifiedName() + " v" + version + " " + columns + " key " + Arrays.toString(key) + "]";
    }
}
