package io.sluice.jdbc;

import io.sluice.core.schema.Column;
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

    String qualifiedName() {
        return db + "." + table;
    }
}
