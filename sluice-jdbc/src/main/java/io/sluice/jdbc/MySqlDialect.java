package io.sluice.jdbc;

import io.sluice.core.schema.Column;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Locale;

/**
 * MySQL, MariaDB and TiDB: {@code INSERT … ON DUPLICATE KEY UPDATE}; the source's types kept as they are (zero dates
 * included: sessions run with a SQL mode that allows them, and in UTC). Temporal values are bound as their text in
 * UTC, so no driver converts them through a time zone.
 */
final class MySqlDialect implements Dialect {

    @Override
    public Kind kind() {
        return Kind.MYSQL;
    }

    @Override
    public String driverUrl(String url) {
        if (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)) {
            return "jdbc:mariadb:" + url.substring(11);
        }
        if (url.regionMatches(true, 0, "jdbc:tidb:", 0, 10)) {
            return "jdbc:mariadb:" + url.substring(10);
        }
        return url;
    }

    @Override
    public char quoteChar() {
        return '`';
    }

    @Override
    public String sessionSetup() {
        return "SET SESSION time_zone = '+00:00', sql_mode = 'NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'";
    }

    @Override
    public String columnType(Column c, boolean keyColumn) {
        String t = c.dataType().toLowerCase(Locale.ROOT);
        String unsigned = c.unsigned() ? " UNSIGNED" : "";
        String charset = c.charset() == null || "binary".equals(c.charset()) ? "" : " CHARACTER SET " + c.charset();
        if (Dialect.GEOMETRY.contains(t)) {
            return t.toUpperCase(Locale.ROOT);
        }
        return switch (t) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" ->
                t.toUpperCase(Locale.ROOT) + unsigned;
            case "bit" -> "BIT(" + (c.length() == null ? 1 : c.length()) + ")";
            case "year" -> "YEAR";
            case "decimal", "numeric", "fixed" ->
                "DECIMAL(" + (c.length() == null ? 10 : c.length()) + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case "float" -> "FLOAT";
            case "double", "real", "double precision" -> "DOUBLE";
            case "char" -> "CHAR(" + (c.length() == null ? 255 : c.length()) + ")" + charset;
            case "varchar", "binary", "varbinary" ->
                t.toUpperCase(Locale.ROOT) + "(" + (c.length() == null ? 255 : c.length()) + ")" + charset;
            case "tinytext", "text", "mediumtext", "longtext" -> t.toUpperCase(Locale.ROOT) + charset;
            case "tinyblob", "blob", "mediumblob", "longblob" -> t.toUpperCase(Locale.ROOT);
            case "enum", "set" -> t.toUpperCase(Locale.ROOT) + labels(c) + charset;
            case "date" -> "DATE";
            case "time", "datetime" -> t.toUpperCase(Locale.ROOT) + "(" + fsp(c) + ")";
            // NULL DEFAULT NULL: never the server's automatic initialisation or update of a TIMESTAMP
            case "timestamp" -> "TIMESTAMP(" + fsp(c) + ")" + (keyColumn ? "" : " NULL DEFAULT NULL");
            case "json" -> "JSON";
            case "inet4", "inet6", "uuid" -> t.toUpperCase(Locale.ROOT);
            default ->
                throw new IllegalArgumentException("column " + c.name() + " is of type " + c.dataType()
                        + ", which the jdbc sink has no MySQL-family type for (docs/jdbc.md lists the mapping); create"
                        + " the target table yourself with a type for it");
        };
    }

    private String labels(Column c) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < c.labels().size(); i++) {
            sb.append(i == 0 ? "'" : ",'")
                    .append(c.labels().get(i).replace("\\", "\\\\").replace("'", "''"))
                    .append("'");
        }
        return sb.append(")").toString();
    }

    private static long fsp(Column c) {
        return c.length() == null ? 0 : Math.min(6, c.length());
    }

    @Override
    public String booleanType() {
        return "BOOLEAN";
    }

    @Override
    public String longTextType() {
        return "LONGTEXT";
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (PlainValues.bind(ps, i, v)) {
            return;
        }
        if (v instanceof DateValue || v instanceof DateTimeValue || v instanceof TimeValue) {
            ps.setString(i, v.toString().replace('T', ' '));
        } else if (v instanceof TimestampValue t) {
            String s = t.toString();
            ps.setString(i, s.substring(0, s.length() - 1).replace('T', ' '));
        } else {
            throw PlainValues.unbindable(v);
        }
    }

    @Override
    public String upsertClause(TargetTable t) {
        StringBuilder sb = new StringBuilder(" ON DUPLICATE KEY UPDATE ");
        boolean any = false;
        // guarded: every column set only where the held position is earlier, the position itself last (the
        // assignments run in order, each seeing the ones before)
        String guard = t.guarded()
                ? t.guardCondition(this, quote(t.column(t.guard())), "VALUES(" + quote(t.column(t.guard())) + ")")
                : null;
        for (int i = 0; i <= t.width(); i++) {
            int c = i == t.width() ? t.guard() : i;
            if (c < 0 || t.isKey(c) || (i < t.width() && c == t.guard())) {
                continue;
            }
            String q = quote(t.column(c));
            String value = "VALUES(" + q + ")";
            sb.append(any ? ", " : "")
                    .append(q)
                    .append(" = ")
                    .append(guard == null ? value : "IF(" + guard + ", " + value + ", " + q + ")");
            any = true;
        }
        if (!any) {
            String q = quote(t.column(t.key()[0]));
            sb.append(q).append(" = ").append(q);
        }
        return sb.toString();
    }

    @Override
    public String deleteOneEqual(TargetTable t) {
        StringBuilder sb =
                new StringBuilder("DELETE FROM ").append(t.qualified()).append(" WHERE ");
        for (int c = 0; c < t.sourceWidth(); c++) {
            sb.append(c == 0 ? "" : " AND ").append(quote(t.column(c))).append(" <=> ?");
        }
        return sb.append(" LIMIT 1").toString();
    }

    /**
     * The session is not strict (so zero dates and an ENUM's empty error value arrive as the source holds them), so
     * the server reports a value it had to change only as a warning: any warning fails the statement, but the one
     * for an ENUM or SET column given the empty error value the source itself holds.
     */
    @Override
    public void checkApplied(Statement st, TargetTable t) throws SQLException {
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            if (w.getErrorCode() == 1265 && labelColumn(w.getMessage(), t)) {
                continue;
            }
            throw new SQLDataException(
                    "the target changed a value written to " + t.qualified() + ": " + w.getMessage()
                            + " (warning " + w.getErrorCode() + "); the target column is narrower than the source's"
                            + " values: widen it (ALTER TABLE) and restart",
                    "22000",
                    w.getErrorCode());
        }
    }

    /** Whether a warning names an ENUM or SET column of the table. */
    private static boolean labelColumn(String message, TargetTable t) {
        for (int c = 0; c < t.width(); c++) {
            String type = t.type(c);
            if (("enum".equals(type) || "set".equals(type)) && message.contains("'" + t.column(c) + "'")) {
                return true;
            }
        }
        return false;
    }
}
