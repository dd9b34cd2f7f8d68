package io.sluice.jdbc;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.List;

/**
 * A source table as the events show it: its columns (from the rows, or from an {@code s} event's schema) and the
 * names of its key columns.
 *
 * @param db       the source database
 * @param table    the source table
 * @param columns  its columns in table order
 * @param keyNames its key's column names in key order; empty when it has no key
 */
record SourceTable(String db, String table, List<Column> columns, List<String> keyNames) {
    SourceTable {
        columns = List.copyOf(columns);
        keyNames = List.copyOf(keyNames);
    }

    /** The source table of a typed schema: its columns and its key's names. */
    static SourceTable of(TableSchema schema) {
        List<String> key = new java.util.ArrayList<>();
        for (Column k : schema.keyColumns()) {
            key.add(k.name());
        }
        return new SourceTable(schema.db(), schema.table(), schema.columns(), key);
    }

    /** The column of that name (case-insensitive), or null. */
    Column column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    String qualifiedName() {
        return db + "." + table;
    }
}
