package io.sluice.mysql.ddl;

import java.util.List;

/** One specification of an ALTER TABLE statement, in statement order. */
public sealed interface AlterAction {

    /** ADD [COLUMN] [IF NOT EXISTS] col [FIRST|AFTER x], or ADD (col, col, ...). */
    record AddColumns(List<ColumnSpec> columns, ColumnPosition position, boolean ifNotExists) implements AlterAction {
        public AddColumns {
            columns = List.copyOf(columns);
        }
    }

    /** DROP [COLUMN] [IF EXISTS] name. */
    record DropColumn(String name, boolean ifExists) implements AlterAction {}

    /** MODIFY [COLUMN] [IF EXISTS] col [FIRST|AFTER x]: a new definition, same name. */
    record ModifyColumn(ColumnSpec column, ColumnPosition position, boolean ifExists) implements AlterAction {}

    /** CHANGE [COLUMN] [IF EXISTS] old col [FIRST|AFTER x]: a new name and definition. */
    record ChangeColumn(String oldName, ColumnSpec column, ColumnPosition position, boolean ifExists)
            implements AlterAction {}

    /** RENAME COLUMN a TO b. */
    record RenameColumn(String from, String to) implements AlterAction {}

    /** ALTER [COLUMN] c SET DEFAULT v (value non-null) or DROP DEFAULT (value null). */
    record AlterColumnDefault(String column, DefaultValue value) implements AlterAction {}

    /** ADD PRIMARY KEY / UNIQUE / INDEX / KEY / FULLTEXT / SPATIAL / FOREIGN KEY [IF NOT EXISTS]. */
    record AddKey(KeySpec key, boolean ifNotExists) implements AlterAction {}

    /** ADD [CONSTRAINT [name]] CHECK (expr). */
    record AddCheck(String name, String expression) implements AlterAction {}

    /** DROP PRIMARY KEY. */
    record DropPrimaryKey() implements AlterAction {}

    /** DROP INDEX|KEY [IF EXISTS] name. */
    record DropKey(String name, boolean ifExists) implements AlterAction {}

    /** DROP FOREIGN KEY [IF EXISTS] name. */
    record DropForeignKey(String name, boolean ifExists) implements AlterAction {}

    /** DROP CONSTRAINT|CHECK [IF EXISTS] name: a check, unique key or foreign key of that name. */
    record DropConstraint(String name, boolean ifExists) implements AlterAction {}

    /** RENAME INDEX|KEY a TO b. */
    record RenameKey(String from, String to) implements AlterAction {}

    /** RENAME [TO|AS] t. */
    record RenameTo(TableName table) implements AlterAction {}

    /** CONVERT TO CHARACTER SET cs [COLLATE c]: every character column converted (charset "DEFAULT" possible). */
    record ConvertCharset(String charset, String collation) implements AlterAction {}

    /** [DEFAULT] CHARACTER SET / COLLATE table options: the default for columns added later. */
    record TableCharset(String charset, String collation) implements AlterAction {}

    /**
     * A specification that adds or removes rows without logging them as row events: TRUNCATE, DROP, EXCHANGE,
     * CONVERT or IMPORT of partitions (or of the tablespace), ENGINE=BLACKHOLE, or a primary or unique key added
     * under {@code ALTER IGNORE}, which deletes the rows that duplicate a key.
     *
     * @param operation  what it does, as a short phrase of the statement's keywords, e.g. {@code TRUNCATE PARTITION}
     * @param partitions the partitions it names (empty when it names none, or all)
     * @param all        every row of the table is concerned ({@code TRUNCATE PARTITION ALL}, {@code IMPORT
     *                   TABLESPACE}, {@code ENGINE=BLACKHOLE})
     * @param other      the other table whose rows change too (EXCHANGE, CONVERT), else null
     */
    record RowsChanged(String operation, List<String> partitions, boolean all, TableName other) implements AlterAction {
        public RowsChanged {
            partitions = List.copyOf(partitions);
        }

        /** True when the table loses every row and gains none: {@code TRUNCATE PARTITION ALL}. */
        public boolean truncatesAll() {
            return all && operation.equals("TRUNCATE PARTITION");
        }
    }

    /**
     * A specification that does not change columns or keys: ENGINE and other table options, ALGORITHM, LOCK,
     * FORCE, ORDER BY, partitioning, ENABLE/DISABLE KEYS, index or column visibility, system versioning, ...
     *
     * @param what a short description (e.g. {@code ALGORITHM=INPLACE}, {@code partitioning})
     */
    record Ignored(String what) implements AlterAction {}
}
