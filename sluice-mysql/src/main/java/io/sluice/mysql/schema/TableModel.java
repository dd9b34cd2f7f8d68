package io.sluice.mysql.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's definition at one version of the schema history.
 *
 * @param db         database
 * @param table      table name
 * @param columns    columns in table order
 * @param primaryKey primary key column names in key order, empty when there is none
 * @param uniqueKeys unique keys (other than the primary key) in the server's order
 * @param charset    the table's default character set where known (for columns added later), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableModel(
        String db,
        String table,
        List<ColumnModel> columns,
        @JsonProperty("primary_key") List<String> primaryKey,
        @JsonProperty("unique_keys") List<UniqueKey> uniqueKeys,
        String charset) {

    /** A named unique key. */
    public record UniqueKey(String name, List<String> columns) {
        public UniqueKey {
            columns = List.copyOf(columns);
        }
    }

    public TableModel {
        columns = List.copyOf(columns);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys == null ? List.of() : List.copyOf(uniqueKeys);
    }

    @JsonIgnore
    public String qualifiedName() {
        return db + "." + table;
    }

    /** The named column (case-insensitive, as MySQL compares column names), else null. */
    public ColumnModel column(String name) {
        int i = indexOf(name);
        return i < 0 ? null : columns.get(i);
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    @JsonIgnore
    public List<String> columnNames() {
        return columns.stream().map(ColumnModel::name).toList();
    }

    /**
     * The event key's columns: the primary key, else the first unique key whose columns are all NOT NULL (as the
     * contract defines {@code key}), else empty.
     */
    @JsonIgnore
    public List<String> eventKey() {
        if (!primaryKey.isEmpty()) {
            return primaryKey;
        }
        for (UniqueKey u : uniqueKeys) {
            if (u.columns().stream()
                    .allMatch(c -> column(c) != null && !column(c).nullable())) {
                return u.columns();
            }
        }
        return List.of();
    }

    public TableModel renamed(String newDb, String newTable) {
        return new TableModel(newDb, newTable, columns, primaryKey, uniqueKeys, charset);
    }

    public TableModel withColumns(List<ColumnModel> cols) {
        return new TableModel(db, table, cols, primaryKey, uniqueKeys, charset);
    }

    public TableModel withKeys(List<String> pk, List<UniqueKey> unique) {
        return new TableModel(db, table, columns, pk, unique, charset);
    }

    public TableModel withCharset(String cs) {
        return new TableModel(db, table, columns, primaryKey, uniqueKeys, cs);
    }

    /** Columns as a mutable list, for building the next version. */
    List<ColumnModel> columnsCopy() {
        return new ArrayList<>(columns);
    }
}
