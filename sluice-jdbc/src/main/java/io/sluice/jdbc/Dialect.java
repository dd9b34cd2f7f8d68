package io.sluice.jdbc;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.SqlTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * What differs between the target databases: quoting, the type a source column becomes, how a value is bound, and
 * the statements that apply changes. {@link #of} gives the one for a {@link Kind}.
 */
interface Dialect {
    /** The spatial types of the source. */
    Set<String> GEOMETRY = SqlTypes.GEOMETRY;

    /** The families of targets the sink writes to; the configuration names them {@code postgresql} and {@code mysql}. */
    enum Kind {
        /** PostgreSQL: {@code INSERT … ON CONFLICT}. */
        POSTGRESQL,
        /** MySQL, MariaDB and TiDB: {@code INSERT … ON DUPLICATE KEY UPDATE}. */
        MYSQL;

        /** The dialect a JDBC URL speaks, by its scheme. */
        static Kind of(String url) {
            String u = url.toLowerCase(Locale.ROOT);
            if (u.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:tidb:")) {
                return MYSQL;
            }
            throw new IllegalArgumentException("sink.url " + url + " is not a URL the jdbc sink knows: write"
                    + " jdbc:postgresql://host:port/db or jdbc:mariadb://host:port/db (MariaDB, MySQL, TiDB)");
        }
    }

    /** The dialect of a kind, writing batches in the {@code values} form. */
    static Dialect of(Kind kind) {
        return of(kind, JdbcSinkConfig.BatchForm.VALUES);
    }

    /** The dialect of a kind writing batches of upserts and inserts in {@code form} (AUTO: UNNEST into PostgreSQL). */
    static Dialect of(Kind kind, JdbcSinkConfig.BatchForm form) {
        return kind == Kind.POSTGRESQL
                ? new PostgresDialect(form != JdbcSinkConfig.BatchForm.VALUES)
                : new MySqlDialect();
    }

    /** Whether batches of upserts and inserts go as UNNEST arrays ({@link PgArrays}) where the table's types allow. */
    default boolean unnest() {
        return false;
    }

    Kind kind();

    /** The URL the driver is given: {@code jdbc:mysql:} and {@code jdbc:tidb:} are spoken by the MariaDB driver. */
    default String driverUrl(String url) {
        return url;
    }

    /** The character quoting identifiers. */
    char quoteChar();

    /** An identifier quoted (the quote character doubled inside). */
    default String quote(String identifier) {
        String q = String.valueOf(quoteChar());
        return q + identifier.replace(q, q + q) + q;
    }

    /** The statement setting up every session: time zone UTC (and, MySQL family, a SQL mode taking zero dates). */
    String sessionSetup();

    /** Sets a new connection up ({@link #sessionSetup()}). */
    default void prepare(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sessionSetup());
        }
    }

    /** The target's column type for a source column; throws naming the column when there is none. */
    String columnType(Column c, boolean keyColumn);

    /** The target type of the boolean, bigint and text metadata columns. */
    String booleanType();

    /** The type of {@code _sluice_pos} and the checkpoint table's pipeline column. */
    default String shortTextType() {
        return "VARCHAR(255)";
    }

    /** The type of the checkpoint's JSON. */
    String longTextType();

    /** The parameter placeholder for a target column of this type name ({@code ?}, or a cast such as {@code ?::jsonb}). */
    default String placeholder(String targetType) {
        return "?";
    }

    /** Binds one value of the value model (null included) as parameter {@code i}. */
    void bind(PreparedStatement ps, int i, Object value) throws SQLException;

    /** The clause after a multi-row {@code INSERT … VALUES} that makes it an upsert by the table's key. */
    String upsertClause(TargetTable t);

    /** A statement deleting one row equal to the bound values in every column (keyless tables). */
    String deleteOneEqual(TargetTable t);

    /**
     * A statement emptying the table inside the open transaction: the MySQL family's TRUNCATE TABLE would commit it,
     * so there it is a DELETE.
     */
    default String truncate(TargetTable t) {
        return (kind() == Kind.POSTGRESQL ? "TRUNCATE TABLE " : "DELETE FROM ") + t.qualified();
    }

    /** Whether an upsert may touch a row by another unique key than the table's (MySQL's ON DUPLICATE KEY). */
    default boolean upsertMatchesAnyUniqueKey() {
        return kind() == Kind.MYSQL;
    }

    /**
     * Fails where the target quietly changed a value the statement just wrote (a string cut to fit, a number out of
     * range clipped): a target column too narrow for the source's values must stop the pipeline, not corrupt it.
     */
    default void checkApplied(Statement st, TargetTable t) throws SQLException {}

    /** The text of {@code schema.table}, quoted. */
    default String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }
}
