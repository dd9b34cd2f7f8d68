package io.sluice.jdbc;

import io.sluice.core.SluiceException;
import io.sluice.core.schema.Column;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Target tables: what exists (read from the target's catalog), the DDL that makes a target fit its source table
 * (create it with exact types and the key, add the columns it lacks), and the halt with the DDL needed where the
 * sink will not change the target itself (a key that does not match).
 */
final class Tables {
    static final String OP = "_sluice_op";
    static final String TS = "_sluice_ts";
    static final String POS = "_sluice_pos";
    static final String DELETED = "_sluice_deleted";

    private final JdbcSinkConfig config;
    private final Dialect dialect;

    Tables(JdbcSinkConfig config, Dialect dialect) {
        this.config = config;
        this.dialect = dialect;
    }

    /** The metadata columns every target table of this sink has, with their types, in order. */
    Map<String, String> metadataColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        if (config.metadataColumns()) {
            m.put(OP, "VARCHAR(1)");
            m.put(TS, "BIGINT");
            m.put(POS, dialect.shortTextType());
        }
        if (config.deleteMode() == JdbcSinkConfig.DeleteMode.SOFT) {
            m.put(DELETED, dialect.booleanType());
        }
        return m;
    }

    /** What the target holds of a table: its columns (name → type, lower case), key and unique keys. */
    record Existing(
            Map<String, String> columns,
            Map<String, TypeShape> shapes,
            List<String> primaryKey,
            List<Set<String>> uniqueKeys) {}

    /** The target table's description, or null when it does not exist. */
    Existing read(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String catalog = dialect.kind() == Dialect.Kind.MYSQL ? schema(c, schema) : null;
        String schemaPattern = dialect.kind() == Dialect.Kind.POSTGRESQL ? schema(c, schema) : null;
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, TypeShape> shapes = new HashMap<>();
        try (ResultSet rs = md.getColumns(catalog, schemaPattern, table, null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    columns.put(
                            rs.getString("COLUMN_NAME"),
                            rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT));
                    shapes.put(
                            rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                            TypeShape.ofCatalog(
                                    rs.getString("TYPE_NAME"),
                                    rs.getLong("COLUMN_SIZE"),
                                    rs.getLong("DECIMAL_DIGITS")));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        TreeMap<Short, String> pk = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schemaPattern, table)) {
            while (rs.next()) {
                pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        Map<String, Set<String>> unique = new HashMap<>();
        try (ResultSet rs = md.getIndexInfo(catalog, schemaPattern, table, true, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                    unique.computeIfAbsent(index, k -> new LinkedHashSet<>()).add(column);
                }
            }
        }
        return new Existing(columns, shapes, new ArrayList<>(pk.values()), new ArrayList<>(unique.values()));
    }

    private static String schema(Connection c, String schema) throws SQLException {
        if (schema != null) {
            return schema;
        }
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
                ? c.getSchema()
                : c.getCatalog();
    }

    /**
     * Whether the schema (PostgreSQL) or database (MySQL family) exists: PostgreSQL checks the right to create schemas
     * before {@code IF NOT EXISTS}, so an existing schema is not created again.
     */
    boolean schemaExists(Connection c, String schema) throws SQLException {
        if (schema == null) {
            return true;
        }
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = dialect.kind() == Dialect.Kind.POSTGRESQL ? md.getSchemas(null, null) : md.getCatalogs()) {
            while (rs.next()) {
                if (schema.equals(rs.getString(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The statements that create the target of {@code source} (and its schema, unless it exists). */
    List<String> create(String schema, String name, SourceTable source, boolean schemaExists) {
        List<String> ddl = new ArrayList<>();
        if (schema != null && !schemaExists) {
            ddl.add(
                    dialect.kind() == Dialect.Kind.POSTGRESQL
                            ? "CREATE SCHEMA IF NOT EXISTS " + dialect.quote(schema)
                            : "CREATE DATABASE IF NOT EXISTS " + dialect.quote(schema));
        }
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(dialect.qualified(schema, name))
                .append(" (");
        boolean first = true;
        for (Column c : source.columns()) {
            boolean key = source.keyNames().contains(c.name());
            sb.append(first ? "" : ", ")
                    .append(dialect.quote(c.name()))
                    .append(' ')
                    .append(typeOf(c, key, source))
                    .append(key ? " NOT NULL" : "");
            first = false;
        }
        for (Map.Entry<String, String> m : metadataColumns().entrySet()) {
            sb.append(", ").append(dialect.quote(m.getKey())).append(' ').append(m.getValue());
        }
        if (!source.keyNames().isEmpty()) {
            sb.append(", PRIMARY KEY (");
            for (int k = 0; k < source.keyNames().size(); k++) {
                sb.append(k == 0 ? "" : ", ")
                        .append(dialect.quote(source.keyNames().get(k)));
            }
            sb.append(')');
        }
        ddl.add(sb.append(')').toString());
        return ddl;
    }

    private String typeOf(Column c, boolean key, SourceTable source) {
        try {
            return dialect.columnType(c, key);
        } catch (IllegalArgumentException e) {
            throw SluiceException.fatal(
                    "the jdbc sink cannot create the target of " + source.qualifiedName() + ": " + e.getMessage());
        }
    }

    /**
     * The statements that make an existing target fit its source: the columns it lacks (source columns, metadata
     * columns) added, and columns narrower than the source's widened. Halts, naming the DDL it would need, where the
     * target's key does not match the source's, and, when the source table changed since {@code previous} (null: not
     * seen before), where a column was narrowed, changed type, dropped or renamed: the schema policy of the sink
     * (docs/jdbc.md, "what is and isn't evolved").
     */
    List<String> evolve(String schema, String name, SourceTable source, Existing target, SourceTable previous) {
        String q = dialect.qualified(schema, name);
        if (previous != null) {
            checkChanges(q, source, previous);
        }
        List<String> ddl = new ArrayList<>();
        Set<String> have = lowerNames(target.columns().keySet());
        for (Column c : source.columns()) {
            String lower = c.name().toLowerCase(Locale.ROOT);
            boolean key = source.keyNames().contains(c.name());
            if (!have.contains(lower)) {
                ddl.add("ALTER TABLE " + q + " ADD COLUMN " + dialect.quote(c.name()) + " " + typeOf(c, false, source));
                continue;
            }
            String want = typeOf(c, key, source);
            TypeShape now = target.shapes().get(lower);
            Column before = previous == null ? null : previous.column(c.name());
            if ((now != null && now.widensTo(TypeShape.ofDdl(want))) || labelsAdded(before, c)) {
                ddl.add(alterType(q, c, want, key));
            }
        }
        for (Map.Entry<String, String> m : metadataColumns().entrySet()) {
            if (!have.contains(m.getKey())) {
                ddl.add("ALTER TABLE " + q + " ADD COLUMN " + dialect.quote(m.getKey()) + " " + m.getValue());
            }
        }
        if (!source.keyNames().isEmpty() && !hasUniqueKeyOn(target, source.keyNames())) {
            StringBuilder key = new StringBuilder();
            for (String k : source.keyNames()) {
                key.append(key.length() == 0 ? "" : ", ").append(dialect.quote(k));
            }
            throw SluiceException.fatal("the target table " + q + " of " + source.qualifiedName()
                    + " has no primary or unique key on the source's key (" + String.join(", ", source.keyNames())
                    + "), so changes cannot be applied by key. Add it: ALTER TABLE " + q + " ADD PRIMARY KEY ("
                    + key + "); or let the sink create the table (drop or rename this one)");
        }
        return ddl;
    }

    /** The statement giving an existing target column a type. */
    String alterType(String qualified, Column c, String type, boolean key) {
        return dialect.kind() == Dialect.Kind.POSTGRESQL
                ? "ALTER TABLE " + qualified + " ALTER COLUMN " + dialect.quote(c.name()) + " TYPE " + type
                : "ALTER TABLE " + qualified + " MODIFY COLUMN " + dialect.quote(c.name()) + " " + type
                        + (key ? " NOT NULL" : "");
    }

    /** An ENUM or SET that kept its labels and got more at the end: a widening where the target keeps the labels. */
    private static boolean labelsAdded(Column before, Column now) {
        return before != null
                && now.dataType().equalsIgnoreCase(before.dataType())
                && now.labels().size() > before.labels().size()
                && now.labels().subList(0, before.labels().size()).equals(before.labels());
    }

    /**
     * Halts where the source changed a column in a way the sink does not follow: narrowed, changed type, dropped or
     * renamed. The message names what changed and the DDL that makes the target follow; restarting after running it
     * (or, for a drop or rename, without it: the old column is then left in place, NULL in new rows) goes on.
     */
    private void checkChanges(String q, SourceTable source, SourceTable previous) {
        List<String> problems = new ArrayList<>();
        List<String> ddl = new ArrayList<>();
        List<Column> dropped = new ArrayList<>();
        for (Column old : previous.columns()) {
            if (source.column(old.name()) == null) {
                dropped.add(old);
            }
        }
        for (Column c : source.columns()) {
            Column old = previous.column(c.name());
            boolean key = source.keyNames().contains(c.name());
            if (old == null) {
                int at = source.columns().indexOf(c);
                Column renamed =
                        at < previous.columns().size() ? previous.columns().get(at) : null;
                if (renamed != null && dropped.contains(renamed)) {
                    dropped.remove(renamed);
                    problems.add("column " + renamed.name() + " was renamed to " + c.name());
                    ddl.add("ALTER TABLE " + q + " RENAME COLUMN " + dialect.quote(renamed.name()) + " TO "
                            + dialect.quote(c.name()));
                }
                continue;
            }
            String was = typeOf(old, key, previous);
            String is = typeOf(c, key, source);
            TypeShape before = TypeShape.ofDdl(was);
            TypeShape after = TypeShape.ofDdl(is);
            if (was.equals(is) || labelsAdded(old, c) || before.widensTo(after)) {
                continue;
            }
            if (before.family() == TypeShape.Family.LENGTH && before.name().equals(after.name())) {
                // a shorter string: the target's column still holds every value. (The source gives a string's
                // length in bytes where the binlog says it, in characters where the DDL does: no halt on a length.)
                continue;
            }
            problems.add("column " + c.name() + " changed from " + old.dataType() + typeArgs(old) + " to "
                    + c.dataType() + typeArgs(c) + ", which is not a widening");
            ddl.add(alterType(q, c, is, key));
        }
        for (Column d : dropped) {
            problems.add("column " + d.name() + " was dropped");
            ddl.add("ALTER TABLE " + q + " DROP COLUMN " + dialect.quote(d.name()));
        }
        if (!problems.isEmpty()) {
            throw SchemaHalt.of(
                    source.qualifiedName(),
                    String.join("; ", problems) + ". The jdbc sink only adds columns and widens types by itself, so"
                            + " it halts rather than guess: make the target " + q + " follow with "
                            + String.join("; ", ddl)
                            + ", then clear the halt and restart (the changes not applied are read again; a dropped or renamed"
                            + " column may also be left as it is: clearing the halt without the DDL keeps it, NULL in new"
                            + " rows)");
        }
    }

    private static String typeArgs(Column c) {
        if (c.length() == null) {
            return c.unsigned() ? " unsigned" : "";
        }
        return "(" + c.length() + (c.scale() == null ? "" : "," + c.scale()) + ")" + (c.unsigned() ? " unsigned" : "");
    }

    private static boolean hasUniqueKeyOn(Existing target, List<String> key) {
        Set<String> want = lowerNames(key);
        if (lowerNames(target.primaryKey()).equals(want)) {
            return true;
        }
        for (Set<String> u : target.uniqueKeys()) {
            if (lowerNames(u).equals(want)) {
                return true;
            }
        }
        return false;
    }

    /** The table as the sink writes it, once the target fits the source. */
    TargetTable describe(String schema, String name, SourceTable source, Existing target) {
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Map<String, String> byLower = new HashMap<>();
        target.columns().forEach((n, t) -> byLower.put(n.toLowerCase(Locale.ROOT), t));
        for (Column c : source.columns()) {
            columns.add(c.name());
            types.add(byLower.get(c.name().toLowerCase(Locale.ROOT)));
        }
        int sourceWidth = columns.size();
        for (String m : metadataColumns().keySet()) {
            columns.add(m);
            types.add(byLower.get(m));
        }
        int[] key = new int[source.keyNames().size()];
        for (int k = 0; k < key.length; k++) {
            key[k] = indexOf(columns, source.keyNames().get(k));
        }
        Set<String> keySet = lowerNames(source.keyNames());
        boolean other = false;
        for (Set<String> u : target.uniqueKeys()) {
            other |= !lowerNames(u).equals(keySet);
        }
        if (!target.primaryKey().isEmpty()) {
            other |= !lowerNames(target.primaryKey()).equals(keySet);
        }
        int guard = config.positionGuard() && key.length > 0 ? indexOf(columns, POS) : -1;
        return new TargetTable(
                schema, name, dialect.qualified(schema, name), columns, types, sourceWidth, key, other, guard);
    }

    private static int indexOf(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + name);
    }

    private static Set<String> lowerNames(java.util.Collection<String> names) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : names) {
            s.add(n.toLowerCase(Locale.ROOT));
        }
        return s;
    }
}
