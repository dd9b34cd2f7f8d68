package io.sluice.jdbc;

import io.sluice.core.schema.Column;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL: {@code INSERT … ON CONFLICT (key) DO UPDATE}, exact types (NUMERIC(20) for unsigned 64-bit, INTERVAL
 * for MySQL's TIME, which reaches 838 hours and goes negative, JSONB, BYTEA, INET, UUID). Zero and partial dates
 * have no PostgreSQL value: they become NULL (docs/jdbc.md).
 */
final class PostgresDialect implements Dialect {
    /** Target types whose parameters are sent as text and cast. */
    private static final Set<String> CAST = Set.of("jsonb", "json", "inet", "uuid", "interval", "cidr", "macaddr");

    private final boolean unnest;

    PostgresDialect() {
        this(false);
    }

    /** {@code unnest}: batches of upserts and inserts as UNNEST arrays ({@link PgArrays}). */
    PostgresDialect(boolean unnest) {
        this.unnest = unnest;
    }

    @Override
    public boolean unnest() {
        return unnest;
    }

    @Override
    public Kind kind() {
        return Kind.POSTGRESQL;
    }

    @Override
    public char quoteChar() {
        return '"';
    }

    @Override
    public String sessionSetup() {
        return "SET TIME ZONE 'UTC'";
    }

    @Override
    public String columnType(Column c, boolean keyColumn) {
        String t = c.dataType().toLowerCase(Locale.ROOT);
        if (Dialect.GEOMETRY.contains(t)) {
            return "BYTEA"; // MySQL's own form: the SRID (4 bytes, little endian), then the WKB
        }
        return switch (t) {
            case "tinyint" -> "SMALLINT";
            case "smallint" -> c.unsigned() ? "INTEGER" : "SMALLINT";
            case "mediumint" -> "INTEGER";
            case "int", "integer" -> c.unsigned() ? "BIGINT" : "INTEGER";
            case "bigint" -> c.unsigned() ? "NUMERIC(20)" : "BIGINT";
            case "bit" -> c.length() != null && c.length() == 64 ? "NUMERIC(20)" : "BIGINT";
            case "year" -> "SMALLINT";
            case "decimal", "numeric", "fixed" ->
                "NUMERIC(" + (c.length() == null ? 10 : c.length()) + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case "float" -> "REAL";
            case "double", "real", "double precision" -> "DOUBLE PRECISION";
            case "char", "varchar" -> c.length() == null ? "TEXT" : "VARCHAR(" + c.length() + ")";
            case "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> "TEXT";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "BYTEA";
            case "date" -> "DATE";
            case "time" -> "INTERVAL";
            case "datetime" -> "TIMESTAMP(" + fsp(c) + ")";
            case "timestamp" -> "TIMESTAMPTZ(" + fsp(c) + ")";
            case "json" -> "JSONB";
            case "inet4", "inet6" -> "INET";
            case "uuid" -> "UUID";
            default ->
                throw new IllegalArgumentException("column " + c.name() + " is of type " + c.dataType()
                        + ", which the jdbc sink has no PostgreSQL type for (docs/jdbc.md lists the mapping); create the"
                        + " target table yourself with a type for it");
        };
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
        return "TEXT";
    }

    @Override
    public String placeholder(String targetType) {
        String t = targetType == null ? "" : targetType.toLowerCase(Locale.ROOT);
        return CAST.contains(t) ? "?::" + t : "?";
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (PlainValues.bind(ps, i, v)) {
            return;
        }
        if (v instanceof DateValue d) {
            ps.setObject(
                    i,
                    zero(d.year(), d.month(), d.day()) ? null : LocalDate.of(d.year(), d.month(), d.day()),
                    Types.DATE);
        } else if (v instanceof DateTimeValue d) {
            ps.setObject(
                    i,
                    zero(d.year(), d.month(), d.day())
                            ? null
                            : LocalDateTime.of(
                                    d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second(), d.micros() * 1000),
                    Types.TIMESTAMP);
        } else if (v instanceof TimestampValue t) {
            ps.setObject(
                    i,
                    t.zero() ? null : OffsetDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (v instanceof TimeValue t) {
            // an INTERVAL from [-]H:MM:SS.ffffff: MySQL's TIME reaches 838:59:59 and goes negative
            ps.setString(i, t.toString());
        } else {
            throw PlainValues.unbindable(v);
        }
    }

    /** A zero or partial date: no PostgreSQL date holds it, so it is NULL. */
    private static boolean zero(int year, int month, int day) {
        return year == 0 || month == 0 || day == 0;
    }

    @Override
    public String upsertClause(TargetTable t) {
        StringBuilder sb = new StringBuilder(" ON CONFLICT (");
        for (int k = 0; k < t.key().length; k++) {
            sb.append(k == 0 ? "" : ", ").append(quote(t.column(t.key()[k])));
        }
        sb.append(")");
        boolean any = false;
        for (int c = 0; c < t.width(); c++) {
            if (!t.isKey(c)) {
                sb.append(any ? ", " : " DO UPDATE SET ")
                        .append(quote(t.column(c)))
                        .append(" = EXCLUDED.")
                        .append(quote(t.column(c)));
                any = true;
            }
        }
        if (any && t.guarded()) {
            String pos = quote(t.column(t.guard()));
            sb.append(" WHERE ").append(t.guardCondition(this, t.qualified() + "." + pos, "EXCLUDED." + pos));
        }
        return any ? sb.toString() : sb.append(" DO NOTHING").toString();
    }

    @Override
    public String deleteOneEqual(TargetTable t) {
        StringBuilder sb = new StringBuilder("DELETE FROM ")
                .append(t.qualified())
                .append(" WHERE ctid = (SELECT ctid FROM ")
                .append(t.qualified())
                .append(" WHERE ");
        for (int c = 0; c < t.sourceWidth(); c++) {
            sb.append(c == 0 ? "" : " AND ")
                    .append(quote(t.column(c)))
                    .append(" IS NOT DISTINCT FROM ")
                    .append(placeholder(t.type(c)));
        }
        return sb.append(" LIMIT 1)").toString();
    }
}
