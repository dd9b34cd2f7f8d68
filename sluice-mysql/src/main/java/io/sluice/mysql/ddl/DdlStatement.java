package io.sluice.mysql.ddl;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed statement from a binlog QUERY event, as far as schema history needs it.
 * {@link DdlParser#parse} never throws: statements it cannot read become {@link Unparseable}.
 */
public sealed interface DdlStatement {

    /** The tables whose definition or content the statement changes (for Unparseable: those it named). */
    List<TableName> tables();

    /**
     * True for DDL that changes a table's definition or content (all but databases, Dml, Other, Unparseable).
     */
    default boolean isTableDdl() {
        return !(this instanceof Other
                || this instanceof Unparseable
                || this instanceof CreateDatabase
                || this instanceof AlterDatabase
                || this instanceof DropDatabase
                || this instanceof Dml);
    }

    /**
     * CREATE TABLE.
     *
     * @param table       the new table
     * @param orReplace   MariaDB CREATE OR REPLACE
     * @param temporary   CREATE TEMPORARY TABLE
     * @param ifNotExists IF NOT EXISTS
     * @param spec        declared columns and keys (empty columns for LIKE); for AS SELECT only the explicitly
     *                    declared ones
     * @param like        the source table of CREATE TABLE ... LIKE, else null
     * @param asSelect    the table is (also) created from a query: its full column list is not in the statement
     * @param startsTransaction {@code START TRANSACTION} among the options: how MySQL 8.0.21+ logs an atomic
     *                    CREATE TABLE ... SELECT, whose rows and XID follow in the same transaction
     */
    record CreateTable(
            TableName table,
            boolean orReplace,
            boolean temporary,
            boolean ifNotExists,
            TableSpec spec,
            TableName like,
            boolean asSelect,
            boolean startsTransaction)
            implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of(table);
        }

        /** The statement itself gives the complete column list (not LIKE, not AS SELECT). */
        public boolean columnsKnown() {
            return like == null && !asSelect;
        }
    }

    /**
     * ALTER TABLE.
     *
     * @param table    the table altered
     * @param ifExists MariaDB ALTER TABLE IF EXISTS
     * @param actions  the alter specifications in order (may be empty: {@code ALTER TABLE t} rebuilds)
     */
    record AlterTable(TableName table, boolean ifExists, List<AlterAction> actions) implements DdlStatement {
        public AlterTable {
            actions = List.copyOf(actions);
        }

        @Override
        public List<TableName> tables() {
            List<TableName> all = new ArrayList<>(List.of(table));
            TableName to = renamedTo();
            if (to != null) {
                all.add(to);
            }
            for (AlterAction a : actions) {
                if (a instanceof AlterAction.RowsChanged r && r.other() != null) {
                    all.add(r.other());
                }
            }
            return List.copyOf(all);
        }

        /** The actions that add or remove rows without row events (partition operations, ALTER IGNORE keys). */
        public List<AlterAction.RowsChanged> rowsChanged() {
            return actions.stream()
                    .filter(AlterAction.RowsChanged.class::isInstance)
                    .map(AlterAction.RowsChanged.class::cast)
                    .toList();
        }

        /** The table's new name when an action renames it, else null. */
        public TableName renamedTo() {
            TableName to = null;
            for (AlterAction a : actions) {
                if (a instanceof AlterAction.RenameTo r) {
                    to = r.table();
                }
            }
            return to;
        }

        /** True when at least one action can change columns or keys (not only ignored options). */
        public boolean changesLayout() {
            return actions.stream()
                    .anyMatch(a -> !(a instanceof AlterAction.Ignored
                            || a instanceof AlterAction.RenameTo
                            || a instanceof AlterAction.TableCharset
                            || a instanceof AlterAction.RowsChanged));
        }
    }

    /** DROP [TEMPORARY] TABLE [IF EXISTS] a, b. */
    record DropTable(List<TableName> tables, boolean temporary, boolean ifExists) implements DdlStatement {
        public DropTable {
            tables = List.copyOf(tables);
        }
    }

    /** RENAME TABLE a TO b, c TO d (applied in order). */
    record RenameTable(List<Rename> renames) implements DdlStatement {
        public RenameTable {
            renames = List.copyOf(renames);
        }

        public record Rename(TableName from, TableName to) {}

        @Override
        public List<TableName> tables() {
            List<TableName> all = new ArrayList<>();
            for (Rename r : renames) {
                all.add(r.from());
                all.add(r.to());
            }
            return List.copyOf(all);
        }
    }

    /** TRUNCATE [TABLE] t. */
    record TruncateTable(TableName table) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of(table);
        }
    }

    /** CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name ON table (parts). */
    record CreateIndex(TableName table, KeySpec key, boolean orReplace, boolean ifNotExists) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of(table);
        }
    }

    /** DROP INDEX name ON table ({@code PRIMARY} drops the primary key). */
    record DropIndex(TableName table, String name, boolean ifExists) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of(table);
        }
    }

    /** CREATE DATABASE|SCHEMA. */
    record CreateDatabase(String name, boolean orReplace, boolean ifNotExists, String charset, String collation)
            implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of();
        }
    }

    /** ALTER DATABASE|SCHEMA (name is the default database when the statement names none). */
    record AlterDatabase(String name, String charset, String collation) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of();
        }
    }

    /** DROP DATABASE|SCHEMA: drops every table in it. */
    record DropDatabase(String name, boolean ifExists) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of();
        }
    }

    /**
     * A statement that changes rows and was logged as text, not as row events (binlog_format STATEMENT or MIXED,
     * or a table the server always logs so): INSERT, REPLACE, UPDATE, DELETE (also multi-table), LOAD DATA/XML, and
     * SELECT or DO, which the server logs only when a stored function they called changed data.
     *
     * @param kind          the leading keyword in upper case ({@code INSERT}, {@code LOAD}, ...)
     * @param tables        the tables whose rows it changes: the target of INSERT/REPLACE/LOAD, the tables a
     *                      multi-table UPDATE assigns to or a DELETE deletes from; every table the statement names
     *                      where its text does not tell which of them change
     * @param unknownTables true when the text cannot tell which tables change (a stored function's changes, or
     *                      text the parser could not follow); {@code tables} then holds those it named
     */
    record Dml(String kind, List<TableName> tables, boolean unknownTables) implements DdlStatement {
        public Dml {
            tables = List.copyOf(tables);
        }
    }

    /**
     * A statement that does not change any table's definition: transaction control, GRANT, users, views,
     * routines, triggers, events, sequences, SET, ANALYZE/OPTIMIZE, ...
     *
     * @param kind the leading keywords in upper case, e.g. {@code GRANT}, {@code CREATE VIEW}, {@code BEGIN}
     */
    record Other(String kind) implements DdlStatement {
        @Override
        public List<TableName> tables() {
            return List.of();
        }
    }

    /**
     * A statement the parser could not read.
     *
     * @param reason   what was expected and what was found
     * @param position character offset into the statement text where reading stopped
     * @param tables   the tables the statement named before that point (a hint for deciding whether a
     *                 captured table is concerned; empty when none was read)
     */
    record Unparseable(String reason, int position, List<TableName> tables) implements DdlStatement {
        public Unparseable {
            tables = List.copyOf(tables);
        }
    }
}
