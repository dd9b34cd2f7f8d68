package io.sluice.mysql.ddl;

import java.util.List;

/**
 * A table as CREATE TABLE declares it.
 *
 * @param db              database (as written or the default database)
 * @param table           table name
 * @param columns         columns in order
 * @param keys            keys in declaration order, inline PRIMARY KEY / UNIQUE column attributes included
 * @param checks          CHECK constraint expressions (table and column level)
 * @param charset         table default character set, else null
 * @param collation       table default collation, else null
 * @param engine          storage engine, else null
 * @param comment         table comment, else null
 * @param systemVersioned MariaDB WITH SYSTEM VERSIONING
 */
public record TableSpec(
        String db,
        String table,
        List<ColumnSpec> columns,
        List<KeySpec> keys,
        List<String> checks,
        String charset,
        String collation,
        String engine,
        String comment,
        boolean systemVersioned) {

    public TableSpec {
        columns = List.copyOf(columns);
        keys = List.copyOf(keys);
        checks = List.copyOf(checks);
    }

    public TableName name() {
        return new TableName(db, table);
    }

    /** The named column (case-insensitive, as MySQL compares column names), else null. */
    public ColumnSpec column(String name) {
        for (ColumnSpec c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    /** The primary key, else null. */
    public KeySpec primaryKey() {
        return keys.stream()
                .filter(k -> k.kind() == KeySpec.Kind.PRIMARY)
                .findFirst()
                .orElse(null);
    }

    public List<KeySpec> uniqueKeys() {
        return keys.stream().filter(k -> k.kind() == KeySpec.Kind.UNIQUE).toList();
    }
}
