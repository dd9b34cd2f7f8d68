package io.sluice.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.pipeline.Pipeline;
import io.sluice.jdbc.JdbcSinks;
import io.sluice.mysql.testing.LocalSources;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every type of the types corpus (the values of sluice-mysql's ColumnTypesIT: edges, zero dates, fractions,
 * unsigned 64-bit, DECIMAL(65,30), charsets, ENUM/SET, binaries, JSON, INET/UUID, geometry), streamed from the binlog
 * into each target: the target table holds the source's values, column by column (zero and partial dates are NULL in
 * PostgreSQL, as docs/jdbc.md says).
 */
class JdbcTypesIT {
    /** How a column's values are compared: the expression reading it on each side. */
    enum Kind {
        NUMBER("CAST({c} AS CHAR)", "{c}::text"),
        PLUS_ZERO("CAST({c} + 0 AS CHAR)", "{c}::text"),
        FLOAT("CAST({c} AS DOUBLE)", "{c}::float8"),
        TEXT("{c}", "{c}"),
        BYTES("HEX({c})", "upper(encode({c}, 'hex'))"),
        DATE("CAST({c} AS CHAR)", "to_char({c}, 'YYYY-MM-DD')"),
        DATETIME("DATE_FORMAT({c}, '%Y-%m-%d %H:%i:%s.%f')", "to_char({c}, 'YYYY-MM-DD HH24:MI:SS.US')"),
        TIMESTAMP(
                "DATE_FORMAT({c}, '%Y-%m-%d %H:%i:%s.%f')",
                "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"),
        TIME("CAST({c} AS CHAR)", "(EXTRACT(EPOCH FROM {c}) * 1000000)::bigint::text"),
        INET("CAST({c} AS CHAR)", "host({c})"),
        UUID("CAST({c} AS CHAR)", "{c}::text");

        final String maria;
        final String pg;

        Kind(String maria, String pg) {
            this.maria = maria;
            this.pg = pg;
        }
    }

    record Col(String name, String type, Kind kind, String... values) {}

    static final List<Col> CORPUS = List.of(
            new Col("c_tinyint", "TINYINT", Kind.NUMBER, "-128", "127", "0"),
            new Col("c_tinyint_u", "TINYINT UNSIGNED", Kind.NUMBER, "255", "0"),
            new Col("c_smallint_u", "SMALLINT UNSIGNED", Kind.NUMBER, "65535", "0"),
            new Col("c_mediumint", "MEDIUMINT", Kind.NUMBER, "-8388608", "8388607"),
            new Col("c_int", "INT", Kind.NUMBER, "-2147483648", "2147483647"),
            new Col("c_int_u", "INT UNSIGNED", Kind.NUMBER, "4294967295", "0"),
            new Col("c_bigint", "BIGINT", Kind.NUMBER, "-9223372036854775808", "9223372036854775807"),
            new Col("c_bigint_u", "BIGINT UNSIGNED", Kind.NUMBER, "18446744073709551615", "9223372036854775808", "1"),
            new Col("c_dec", "DECIMAL(10,4)", Kind.NUMBER, "19.9", "-12.34", "0"),
            new Col(
                    "c_dec65",
                    "DECIMAL(65,30)",
                    Kind.NUMBER,
                    "12345678901234567890123456789012345.123456789012345678901234567890",
                    "-0.000000000000000000000000000001"),
            new Col("c_float", "FLOAT", Kind.FLOAT, "1.5", "-3.25", "0"),
            new Col("c_double", "DOUBLE", Kind.FLOAT, "1.1", "1.7976931348623157e308", "0.1"),
            new Col("c_bit1", "BIT(1)", Kind.PLUS_ZERO, "b'1'", "b'0'"),
            new Col("c_bit64", "BIT(64)", Kind.PLUS_ZERO, "b'" + "1".repeat(64) + "'", "b'10'"),
            new Col("c_year", "YEAR", Kind.PLUS_ZERO, "2024", "0", "1901", "2155"),
            new Col("c_varchar", "VARCHAR(20) CHARACTER SET utf8mb4", Kind.TEXT, "'naïve 🚀'", "'a  '", "''"),
            new Col("c_char", "CHAR(10) CHARACTER SET utf8mb4", Kind.TEXT, "'ab  '", "'  x'"),
            new Col("c_latin1", "VARCHAR(20) CHARACTER SET latin1", Kind.TEXT, "_latin1 x'80E9'", "_latin1 x'81'"),
            new Col("c_text", "TEXT CHARACTER SET utf8mb4", Kind.TEXT, "'line1\\nline2 ✓'"),
            new Col("c_enum", "ENUM('new','paid','shipped')", Kind.TEXT, "'paid'", "'new'", "''"),
            new Col("c_set", "SET('a','b','c')", Kind.TEXT, "'a,c'", "''", "'c,b,a'"),
            new Col("c_binary", "BINARY(4)", Kind.BYTES, "'ab'", "x'00010200'"),
            new Col("c_varbinary", "VARBINARY(10)", Kind.BYTES, "x'000102'", "''"),
            new Col("c_blob", "BLOB", Kind.BYTES, "x'FF00FF'", "x'00'"),
            new Col("c_date", "DATE", Kind.DATE, "'2024-02-29'", "'0000-00-00'", "'2024-00-00'", "'9999-12-31'"),
            new Col("c_datetime", "DATETIME", Kind.DATETIME, "'2024-02-29 13:45:01'", "'0000-00-00 00:00:00'"),
            new Col(
                    "c_datetime6",
                    "DATETIME(6)",
                    Kind.DATETIME,
                    "'2024-02-29 13:45:01.25'",
                    "'1000-01-01 00:00:00.000001'"),
            new Col("c_ts", "TIMESTAMP NULL", Kind.TIMESTAMP, "'2024-02-29 12:45:01'", "'0000-00-00 00:00:00'"),
            new Col(
                    "c_ts3",
                    "TIMESTAMP(3) NULL",
                    Kind.TIMESTAMP,
                    "'2024-02-29 12:45:01.25'",
                    "'2038-01-19 03:14:07.999'"),
            new Col("c_time", "TIME", Kind.TIME, "'-100:00:00'", "'838:59:59'", "'00:00:00'", "'-838:59:59'"),
            new Col("c_time6", "TIME(6)", Kind.TIME, "'838:59:59.000000'", "'-1:00:00.000001'", "'10:11:12.12345'"),
            new Col("c_json", "JSON", Kind.TEXT, "'{\"a\": [1, 2]}'", "'[]'"),
            new Col("c_inet6", "INET6", Kind.INET, "'::1'", "'::ffff:1.2.3.4'", "'2001:db8::ff00:42:8329'", "'::'"),
            new Col("c_inet4", "INET4", Kind.INET, "'10.0.0.1'", "'255.255.255.255'"),
            new Col("c_uuid", "UUID", Kind.UUID, "'123e4567-e89b-12d3-a456-426614174000'"),
            new Col(
                    "c_point",
                    "POINT",
                    Kind.BYTES,
                    "ST_GeomFromText('POINT(1 2)')",
                    "ST_GeomFromText('POINT(-1.5 1e10)')"),
            new Col("c_geom", "GEOMETRY", Kind.BYTES, "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)', 4326)"));

    static final int ROWS = 4;

    @ParameterizedTest
    @EnumSource(Target.class)
    void everyTypeOfTheCorpusArrivesWithTheSourcesValue(Target target) throws Exception {
        arrivesExactly(target, io.sluice.jdbc.JdbcSinkConfig.BatchForm.VALUES);
    }

    /** The same through PostgreSQL's UNNEST batch form (sink.batch-form: unnest): every value exact. */
    @org.junit.jupiter.api.Test
    void everyTypeOfTheCorpusArrivesWithTheSourcesValueThroughUnnestArrays() throws Exception {
        arrivesExactly(Target.POSTGRESQL, io.sluice.jdbc.JdbcSinkConfig.BatchForm.UNNEST);
    }

    private void arrivesExactly(Target target, io.sluice.jdbc.JdbcSinkConfig.BatchForm form) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("jtypes");
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + s + ".t (id INT PRIMARY KEY");
        for (Col c : CORPUS) {
            ddl.append(", ").append(c.name()).append(' ').append(c.type());
        }
        db.execute(ddl.append(")").toString());
        String tdb = target.newDatabase("jtypes");
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "jt", s + ".t", LocalSources.current(db)),
                JdbcSinks.jdbc(target.sinkConfig("jt", tdb).withBatchForm(form)));
        try {
            List<String> sql = new ArrayList<>(List.of("SET SESSION sql_mode = ''", "SET time_zone = '+00:00'"));
            for (int r = 0; r < ROWS; r++) {
                StringBuilder ins = new StringBuilder("INSERT INTO " + s + ".t VALUES (" + r);
                for (Col c : CORPUS) {
                    ins.append(", ").append(c.values()[r % c.values().length]);
                }
                sql.add(ins.append(")").toString());
            }
            sql.add("INSERT INTO " + s + ".t (id) VALUES (" + ROWS + ")");
            sql.add("UPDATE " + s + ".t SET c_varchar = 'changed', c_dec = 1.5 WHERE id = 1");
            sql.add("INSERT INTO " + s + ".t (id, c_int) VALUES (99, 7)");
            sql.add("DELETE FROM " + s + ".t WHERE id = 99");
            sql.add("INSERT INTO " + s + ".t (id, c_int) VALUES (100, 8)");
            db.execute(sql.toArray(String[]::new));
            Map<Integer, List<String>> expected = read(db, s, Target.MARIADB);
            Pipelines.await(
                    "the target holds every row", p, () -> read(target, tdb, s).containsKey(100));
            Map<Integer, List<String>> actual = read(target, tdb, s);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            for (Integer id : expected.keySet()) {
                for (int i = 0; i < CORPUS.size(); i++) {
                    String want = expected.get(id).get(i);
                    if (target == Target.POSTGRESQL) {
                        want = asPostgresShowsIt(CORPUS.get(i), want);
                    }
                    assertThat(actual.get(id).get(i))
                            .as(
                                    "row %d column %s (%s)",
                                    id, CORPUS.get(i).name(), CORPUS.get(i).type())
                            .isEqualTo(want);
                }
            }
        } finally {
            Pipelines.stop(p);
        }
    }

    /** The source's value as PostgreSQL holds it: zero and partial dates are NULL, TIME is microseconds. */
    private static String asPostgresShowsIt(Col c, String v) {
        if (v == null) {
            return null;
        }
        switch (c.kind()) {
            case DATE, DATETIME, TIMESTAMP -> {
                return v.startsWith("0000") || v.substring(4, 10).contains("-00") ? null : v;
            }
            case TIME -> {
                boolean neg = v.startsWith("-");
                String[] hms = (neg ? v.substring(1) : v).split("[:.]");
                long micros = (Long.parseLong(hms[0]) * 3600 + Long.parseLong(hms[1]) * 60 + Long.parseLong(hms[2]))
                                * 1_000_000
                        + (hms.length > 3 ? Long.parseLong((hms[3] + "000000").substring(0, 6)) : 0);
                return String.valueOf(neg ? -micros : micros);
            }
            default -> {
                return v;
            }
        }
    }

    private static Map<Integer, List<String>> read(MariaDbServer db, String s, Target kind) throws SQLException {
        try (Connection c = db.rootConnection()) {
            return read(c, kind, "`" + s + "`.`t`");
        }
    }

    private static Map<Integer, List<String>> read(Target target, String tdb, String s) throws SQLException {
        try (Connection c = target.connect(tdb)) {
            return read(c, target, target.table(s, "t"));
        }
    }

    private static Map<Integer, List<String>> read(Connection c, Target kind, String table) throws SQLException {
        StringBuilder q = new StringBuilder("SELECT id");
        for (Col col : CORPUS) {
            String e = kind == Target.POSTGRESQL ? col.kind().pg : col.kind().maria;
            String name = kind == Target.POSTGRESQL ? "\"" + col.name() + "\"" : "`" + col.name() + "`";
            q.append(", ").append(e.replace("{c}", name));
        }
        Map<Integer, List<String>> rows = new TreeMap<>();
        try (Statement st = c.createStatement()) {
            st.execute(kind == Target.POSTGRESQL ? "SET TIME ZONE 'UTC'" : "SET time_zone = '+00:00'");
            try (ResultSet rs = st.executeQuery(q.append(" FROM ").append(table).toString())) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 0; i < CORPUS.size(); i++) {
                        String v = rs.getString(i + 2);
                        // the two servers write doubles differently (e308, e+308): compared as numbers
                        row.add(
                                v != null && CORPUS.get(i).kind() == Kind.FLOAT
                                        ? String.valueOf(Double.parseDouble(v))
                                        : v);
                    }
                    rows.put(rs.getInt(1), row);
                }
            }
        }
        return rows;
    }
}
