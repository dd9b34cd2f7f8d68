package io.sluice.mysql.ddl;

/**
 * A table named by a DDL statement.
 *
 * @param db    database: as written, else the statement's default database (may be null when neither is known)
 * @param table table name as written (quotes removed, case kept)
 */
public record TableName(String db, String table) {

    public TableName {
        if (table == null) {
            throw new IllegalArgumentException("table is required");
        }
    }

    public String qualifiedName() {
        return db == null ? table : db + "." + table;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
