package io.sluice.mysql.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The foreign keys whose {@code ON DELETE} or {@code ON UPDATE} action ({@code CASCADE}, {@code SET NULL},
 * {@code SET DEFAULT}) makes InnoDB change rows of their table when a row of the table they reference is deleted or
 * its referenced columns are updated. InnoDB does that below the server's binlog layer, so MariaDB and MySQL before
 * 9.6 log no row event for those changes (MySQL bug #32506): a consumer would keep the child rows a parent's delete
 * removed. Knowing the keys, the binlog reader can tell which captured tables a parent's delete or update may have
 * changed. Read from information_schema (today's keys, like the rest of the catalog Sluice reads).
 */
public final class ForeignKeyCascades {
    /** No cascading foreign key. */
    public static final ForeignKeyCascades NONE = new ForeignKeyCascades(List.of());

    private static final Set<String> ACTIONS = Set.of("CASCADE", "SET NULL", "SET DEFAULT");

    /**
     * One foreign key.
     *
     * @param parent     the referenced table ({@code db.table})
     * @param child      the table that holds the key
     * @param referenced the parent's columns it references
     * @param onDelete   a parent row's delete changes child rows
     * @param deletes    ... by deleting them ({@code CASCADE}; else it sets their columns)
     * @param onUpdate   an update of the referenced columns changes child rows (their key columns)
     */
    record Key(
            String parent,
            String child,
            List<String> referenced,
            boolean onDelete,
            boolean deletes,
            boolean onUpdate) {}

    private final Map<String, List<Key>> byParent = new LinkedHashMap<>();

    ForeignKeyCascades(List<Key> keys) {
        for (Key k : keys) {
            byParent.computeIfAbsent(k.parent().toLowerCase(), p -> new ArrayList<>())
                    .add(k);
        }
    }

    /**
     * The server's cascading foreign keys whose tables are in a database {@code childSchemas} accepts (none on MySQL
     * 9.6+, which logs the changes they make as rows). One question per database, which information_schema answers
     * without opening the tables of every other one.
     */
    public static ForeignKeyCascades load(Connection conn, Predicate<String> childSchemas) throws SQLException {
        if (logsCascades(conn)) {
            return NONE;
        }
        List<String> schemas = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
            while (rs.next()) {
                if (childSchemas.test(rs.getString(1))) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        List<Key> keys = new ArrayList<>();
        List<String[]> constraints = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, TABLE_NAME,"
                + " UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
                + " AND (UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT')"
                + " OR DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))")) {
            for (String schema : schemas) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        constraints.add(new String[] {
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7)
                        });
                    }
                }
            }
        }
        // the columns, table by table (information_schema answers a named table without opening every other one)
        try (PreparedStatement ps = conn.prepareStatement("SELECT REFERENCED_COLUMN_NAME FROM"
                + " information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " AND CONSTRAINT_NAME = ? ORDER BY ORDINAL_POSITION")) {
            for (String[] c : constraints) {
                ps.setString(1, c[0]);
                ps.setString(2, c[2]);
                ps.setString(3, c[1]);
                List<String> referenced = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        referenced.add(rs.getString(1));
                    }
                }
                keys.add(new Key(
                        c[3] + "." + c[4],
                        c[0] + "." + c[2],
                        List.copyOf(referenced),
                        ACTIONS.contains(c[6]),
                        "CASCADE".equals(c[6]),
                        ACTIONS.contains(c[5])));
            }
        }
        return new ForeignKeyCascades(keys);
    }

    /** MySQL 9.6+ enforces foreign keys in the server, which logs the rows they change (unless told not to). */
    private static boolean logsCascades(Connection conn) throws SQLException {
        String version;
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            version = rs.next() ? rs.getString(1) : "";
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
        if (version.toLowerCase().contains("mariadb") || !m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 9 || major == 9 && minor < 6) {
            return false;
        }
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.innodb_native_foreign_keys")) {
            return !(rs.next() && rs.getBoolean(1));
        } catch (SQLException unknownVariable) {
            return true;
        }
    }

    /** True when no key's action reaches from {@code parent} (db.table) into another table. */
    public boolean none(String parent) {
        return !byParent.containsKey(parent.toLowerCase());
    }

    /** The parent's columns that keys with an {@code ON UPDATE} action reference. */
    public Set<String> referencedOnUpdate(String parent) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Key k : byParent.getOrDefault(parent.toLowerCase(), List.of())) {
            if (k.onUpdate()) {
                out.addAll(k.referenced());
            }
        }
        return out;
    }

    /** The tables a delete of a row of {@code parent} may change through keys' actions, transitively. */
    public Set<String> changedByDelete(String parent) {
        Set<String> out = new TreeSet<>();
        delete(parent, out, new HashSet<>());
        return out;
    }

    /**
     * The tables an update of a row of {@code parent} may change through keys' actions, transitively, where
     * {@code changed} tells which of its columns the update changed.
     */
    public Set<String> changedByUpdate(String parent, Predicate<String> changed) {
        Set<String> out = new TreeSet<>();
        update(parent, changed, out, new HashSet<>());
        return out;
    }

    private void delete(String parent, Set<String> out, Set<String> seen) {
        if (!seen.add("d " + parent.toLowerCase())) {
            return;
        }
        for (Key k : byParent.getOrDefault(parent.toLowerCase(), List.of())) {
            if (k.onDelete()) {
                out.add(k.child());
                if (k.deletes()) {
                    delete(k.child(), out, seen);
                } else {
                    update(k.child(), c -> true, out, seen); // its key columns were set
                }
            }
        }
    }

    private void update(String parent, Predicate<String> changed, Set<String> out, Set<String> seen) {
        for (Key k : byParent.getOrDefault(parent.toLowerCase(), List.of())) {
            if (k.onUpdate()
                    && k.referenced().stream().anyMatch(changed)
                    && seen.add("u " + parent.toLowerCase() + " " + k.child().toLowerCase())) {
                out.add(k.child());
                update(k.child(), c -> true, out, seen);
            }
        }
    }
}
