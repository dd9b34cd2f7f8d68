package io.sluice.mysql.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A table's model as information_schema describes it today (first sight of a table, and schema rebuilds). */
public final class CatalogModels {
    private CatalogModels() {}

    /** The table's model, or null when it does not exist. */
    public static TableModel describe(Connection conn, String db, String table) throws SQLException {
        List<ColumnModel> cols = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, COLLATION_NAME,"
                        + " COLUMN_DEFAULT, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH,"
                        + " DATETIME_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND"
                        + " TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(column(rs));
                }
            }
        }
        if (cols.isEmpty()) {
            return null;
        }
        Map<String, List<String>> unique = new LinkedHashMap<>();
        String rowEnd = InfoSchema.rowEnd(conn, db, table); // a system-versioned table's keys are as declared
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery("SHOW INDEX FROM " + InfoSchema.quote(db) + "." + InfoSchema.quote(table))) {
            while (rs.next()) {
                if (rs.getInt("Non_unique") == 0
                        && rs.getString("Column_name") != null
                        && !rs.getString("Column_name").equalsIgnoreCase(String.valueOf(rowEnd))) {
                    unique.computeIfAbsent(rs.getString("Key_name"), k -> new ArrayList<>())
                            .add(rs.getString("Column_name"));
                }
            }
        }
        List<String> pk = unique.getOrDefault("PRIMARY", List.of());
        List<TableModel.UniqueKey> keys = new ArrayList<>();
        unique.forEach((name, c) -> {
            if (!name.equals("PRIMARY")) {
                keys.add(new TableModel.UniqueKey(name, c));
            }
        });
        String charset = InfoSchema.first(
                conn,
                "SELECT c.CHARACTER_SET_NAME FROM information_schema.TABLES t"
                        + " JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION"
                        + " WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?",
                db,
                table);
        return new TableModel(db, table, cols, pk, keys, charset);
    }

    private static ColumnModel column(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        String dataType = rs.getString(2).toLowerCase(Locale.ROOT);
        String columnType = rs.getString(3);
        boolean nullable = "YES".equals(rs.getString(4));
        InfoSchema.Column ic = new InfoSchema.Column(name, dataType, columnType, nullable, rs.getString(5));
        Long length = null;
        Integer scale = null;
        switch (Types.family(dataType)) {
            case DECIMAL -> {
                length = rs.getLong(8);
                scale = rs.getInt(9);
            }
            case FLOAT, INTEGER, BIT -> length = lengthIn(columnType);
            case STRING, BINARY -> {
                if (!dataType.contains("text") && !dataType.contains("blob")) {
                    length = rs.getLong(10);
                }
            }
            case DATETIME, TIMESTAMP, TIME -> {
                long fsp = rs.getLong(11);
                length = fsp > 0 ? fsp : null;
            }
            default -> {}
        }
        if (Types.family(dataType) == Types.Family.FLOAT && columnType.contains(",")) {
            scale = Integer.parseInt(columnType
                    .substring(columnType.indexOf(',') + 1, columnType.indexOf(')'))
                    .trim());
        }
        String dflt = rs.getString(7);
        boolean hasDefault = dflt != null && !dflt.equals("NULL");
        if (hasDefault && dflt.length() >= 2 && dflt.startsWith("'") && dflt.endsWith("'")) {
            dflt = dflt.substring(1, dflt.length() - 1).replace("''", "'"); // MariaDB quotes literals
        }
        String[] labels = ic.labels();
        return new ColumnModel(
                name,
                dataType,
                length,
                scale,
                ic.unsigned(),
                rs.getString(5),
                rs.getString(6),
                nullable,
                hasDefault,
                hasDefault ? dflt : null,
                labels == null ? List.of() : List.of(labels));
    }

    private static Long lengthIn(String columnType) {
        int open = columnType.indexOf('(');
        if (open < 0) {
            return null;
        }
        int end = columnType.indexOf(',', open);
        if (end < 0) {
            end = columnType.indexOf(')', open);
        }
        try {
            return Long.parseLong(columnType.substring(open + 1, end).trim());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
