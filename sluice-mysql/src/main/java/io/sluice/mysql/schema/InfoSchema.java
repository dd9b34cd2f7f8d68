package io.sluice.mysql.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What information_schema says about a table today: used where the binlog says less (servers sending MINIMAL
 * table-map metadata, unique keys of tables without a primary key, MariaDB's INET6/UUID types).
 */
public final class InfoSchema {

    /** One column as information_schema describes it. */
    public record Column(String name, String dataType, String columnType, boolean nullable, String charset) {
        public boolean unsigned() {
            return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        }

        /** ENUM/SET labels parsed from {@code enum('a','b''c')}, or null for other types. */
        public String[] labels() {
            String t = columnType;
            int open = t.indexOf('(');
            if (open < 0 || !(dataType.equals("enum") || dataType.equals("set"))) {
                return null;
            }
            List<String> out = new ArrayList<>();
            StringBuilder cur = null;
            for (int i = open + 1; i < t.length(); i++) {
                char ch = t.charAt(i);
                if (cur == null) {
                    if (ch == '\'') {
                        cur = new StringBuilder();
                    }
                } else if (ch == '\'') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '\'') {
                        cur.append('\'');
                        i++;
                    } else {
                        out.add(cur.toString());
                        cur = null;
                    }
                } else if (ch == '\\' && i + 1 < t.length()) {
                    cur.append(t.charAt(++i));
                } else {
                    cur.append(ch);
                }
            }
            return out.toArray(new String[0]);
        }
    }

    /** A table's columns (in order) and the names of its key columns (see {@link TableDef#key()}). */
    public record Table(List<Column> columns, List<String> keyColumns, boolean primaryKey) {}

    private InfoSchema() {}

    /**
     * The column a MariaDB system-versioned table declares as its {@code ROW END} (information_schema's
     * {@code GENERATION_EXPRESSION}), or null when it declares none (also for implicit period columns, which
     * information_schema does not list).
     */
    public static String rowEnd(Connection conn, String db, String table) throws SQLException {
        return first(
                conn,
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " AND GENERATION_EXPRESSION = 'ROW END'",
                db,
                table);
    }

    /**
     * The partition information_schema describes as {@code CURRENT} of a table partitioned {@code BY SYSTEM_TIME},
     * or null for any other table.
     */
    public static String currentPartition(Connection conn, String db, String table) throws SQLException {
        return first(
                conn,
                "SELECT PARTITION_NAME FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = ?"
                        + " AND TABLE_NAME = ? AND PARTITION_METHOD = 'SYSTEM_TIME' AND PARTITION_DESCRIPTION = 'CURRENT'",
                db,
                table);
    }

    /** The first column of the first row a query about one table ({@code ?} for database, then table) gives. */
    static String first(Connection conn, String sql, String db, String table) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Describes a table, or returns null when it does not exist (any more). A system-versioned table's keys are
     * as declared: without the row-end column the server adds to them.
     */
    public static Table describe(Connection conn, String db, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(
                            rs.getString(1),
                            rs.getString(2).toLowerCase(Locale.ROOT),
                            rs.getString(3),
                            "YES".equals(rs.getString(4)),
                            rs.getString(5)));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        Map<String, List<String>> unique = new LinkedHashMap<>();
        Map<String, Boolean> allNotNull = new HashMap<>();
        String rowEnd = rowEnd(conn, db, table);
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SHOW INDEX FROM " + quote(db) + "." + quote(table))) {
            while (rs.next()) {
                if (rs.getInt("Non_unique") != 0
                        || rowEnd != null && rowEnd.equalsIgnoreCase(rs.getString("Column_name"))) {
                    continue;
                }
                String index = rs.getString("Key_name");
                unique.computeIfAbsent(index, k -> new ArrayList<>()).add(rs.getString("Column_name"));
                boolean notNull = !"YES".equalsIgnoreCase(rs.getString("Null"));
                allNotNull.merge(index, notNull, Boolean::logicalAnd);
            }
        }
        if (unique.containsKey("PRIMARY")) {
            return new Table(columns, unique.get("PRIMARY"), true);
        }
        for (Map.Entry<String, List<String>> e : unique.entrySet()) {
            if (allNotNull.get(e.getKey())) {
                return new Table(columns, e.getValue(), false);
            }
        }
        return new Table(columns, List.of(), false);
    }

    /** Collation id to character set name, as the server defines them. */
    public static Map<Integer, String> collations(Connection conn) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT ID, CHARACTER_SET_NAME"
                        + " FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY WHERE ID IS NOT NULL")) {
            while (rs.next()) {
                out.putIfAbsent(rs.getInt(1), rs.getString(2));
            }
        } catch (SQLException notMariaDb1010) {
            // older servers have no ID column there; COLLATIONS covered them
        }
        return out;
    }

    static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }
}
