package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every column type of the contract's value table, with edge values and NULLs, read from a real MariaDB binlog:
 * each column's JSON value must be exactly the contract's encoding.
 */
class ColumnTypesIT {
    private final MariaDbServer db = MariaDbServer.shared();

    /** Creates a table of (id, c) per type, inserts each value, and checks the emitted after.c values. */
    void check(String type, Map<String, String> sqlToJson, String... setup) throws Exception {
        String s = db.createDatabase("types");
        List<JsonNode> ev = insertAndCapture(db, s, type, sqlToJson, setup);
        int i = 0;
        for (Map.Entry<String, String> e : sqlToJson.entrySet()) {
            JsonNode after = ev.get(i++).get("after");
            assertThat(after.get("c").toString()).as(type + " " + e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(ev.get(i).get("after").get("c").isNull()).as(type + " NULL").isTrue();
    }

    /**
     * Creates {@code <s>.t (id INT PRIMARY KEY, c <type>)}, inserts each value (ids 0, 1, ...) and a NULL after
     * them, and returns the c events a capture of the table emitted.
     */
    static List<JsonNode> insertAndCapture(
            MariaDbServer db, String s, String type, Map<String, String> sqlToJson, String... setup) throws Exception {
        db.execute(createTable(s, type));
        try (Capture cap = Capture.start(db, s + ".t")) {
            db.execute(inserts(s, sqlToJson.keySet(), setup));
            return cap.await(sqlToJson.size() + 1);
        }
    }

    static String createTable(String s, String type) {
        return "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, c " + type + ")";
    }

    /** The setup statements, then one INSERT of each value (ids 0, 1, ...), then one of a NULL after them. */
    static String[] inserts(String s, Collection<String> sqlValues, String... setup) {
        StringBuilder sql = new StringBuilder();
        int id = 0;
        for (String v : sqlValues) {
            sql.append(sql.length() == 0 ? "" : ",")
                    .append("(")
                    .append(id++)
                    .append(",")
                    .append(v)
                    .append(")");
        }
        String[] stmts = new String[setup.length + 2];
        System.arraycopy(setup, 0, stmts, 0, setup.length);
        stmts[setup.length] = "INSERT INTO " + s + ".t VALUES " + sql;
        stmts[setup.length + 1] = "INSERT INTO " + s + ".t VALUES (" + id + ", NULL)";
        return stmts;
    }

    private static Map<String, String> values(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void signedAndUnsignedIntegersCoverTheirFullRange() throws Exception {
        check("TINYINT", values("-128", "-128", "127", "127", "0", "0"));
        check("TINYINT UNSIGNED", values("255", "255", "0", "0"));
        check("BOOL", values("TRUE", "1", "FALSE", "0"));
        check("SMALLINT", values("-32768", "-32768", "32767", "32767"));
        check("SMALLINT UNSIGNED", values("65535", "65535"));
        check("MEDIUMINT", values("-8388608", "-8388608", "8388607", "8388607"));
        check("MEDIUMINT UNSIGNED", values("16777215", "16777215"));
        check("INT", values("-2147483648", "-2147483648", "2147483647", "2147483647"));
        check("INT UNSIGNED", values("4294967295", "4294967295"));
        check(
                "BIGINT",
                values("-9223372036854775808", "-9223372036854775808", "9223372036854775807", "9223372036854775807"));
        check(
                "BIGINT UNSIGNED",
                values(
                        "18446744073709551615",
                        "18446744073709551615",
                        "9223372036854775808",
                        "9223372036854775808",
                        "1",
                        "1"));
    }

    @Test
    void decimalsKeepExactlyTheirScale() throws Exception {
        check("DECIMAL(10,4)", values("19.9", "\"19.9000\"", "-12.34", "\"-12.3400\"", "0", "\"0.0000\""));
        check("DECIMAL(5,0)", values("12345", "\"12345\"", "-1", "\"-1\""));
        check("DECIMAL(4,2)", values("-0.5", "\"-0.50\""));
        check(
                "DECIMAL(65,30)",
                values(
                        "12345678901234567890123456789012345.123456789012345678901234567890",
                        "\"12345678901234567890123456789012345.123456789012345678901234567890\"",
                        "-0.000000000000000000000000000001",
                        "\"-0.000000000000000000000000000001\""));
    }

    @Test
    void floatsAreShortestRoundTripAtTheirWidth() throws Exception {
        check("FLOAT", values("1.1", "1.1", "-3.5", "-3.5", "3.40282e38", "3.40282E38", "0", "0.0"));
        check("DOUBLE", values("1.1", "1.1", "1.7976931348623157e308", "1.7976931348623157E308", "0.1", "0.1"));
    }

    /**
     * The event's own text, not a re-rendering of it: the smallest FLOAT and DOUBLE (subnormals) and values Java 17
     * writes with digits to spare are their shortest decimals, from the binlog and from a snapshot alike.
     */
    @Test
    void floatSubnormalsAndExtremesAreTheirShortestDecimalsInTheEventText() throws Exception {
        String s = db.createDatabase("floats");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, f FLOAT, d DOUBLE)");
        String[] expected = {
            "\"f\":1e-45,\"d\":5e-324",
            "\"f\":3.40282e38,\"d\":1.7976931348623157e308",
            "\"f\":1.1754944e-38,\"d\":1e23",
            "\"f\":-0.001,\"d\":2e23",
            "\"f\":100.0,\"d\":1e-7"
        };
        try (Capture cap = Capture.start(db, s + ".t")) {
            db.execute("INSERT INTO " + s + ".t VALUES (1, 1.4e-45, 4.9e-324), (2, 3.40282e38,"
                    + " 1.7976931348623157e308), (3, 1.17549435e-38, 1e23), (4, -0.001, 2e23), (5, 100, 1e-7)");
            cap.await(expected.length);
            assertRowsContain(cap.eventLines(), expected);
        }
        try (Capture snap = Capture.create(db, List.of(s + ".t"), new io.sluice.mysql.source.StartPosition.Snapshot())
                .run()) {
            snap.await(expected.length);
            List<String> lines = snap.eventLines();
            assertThat(lines).allMatch(l -> l.contains("\"op\":\"r\""));
            assertRowsContain(lines, expected);
        }
    }

    private static void assertRowsContain(List<String> lines, String... values) {
        assertThat(lines).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(lines.get(i))
                    .as("row " + (i + 1))
                    .contains("\"after\":{\"id\":" + (i + 1) + "," + values[i] + "}");
        }
    }

    @Test
    void bitsAreUnsignedNumbers() throws Exception {
        check("BIT(1)", values("b'1'", "1", "b'0'", "0"));
        check("BIT(5)", values("b'101'", "5"));
        check("BIT(64)", values("b'" + "1".repeat(64) + "'", "18446744073709551615", "b'10'", "2"));
    }

    @Test
    void charactersDecodeFromTheirCharsets() throws Exception {
        check(
                "VARCHAR(20) CHARACTER SET utf8mb4",
                values("'naïve 🚀'", "\"naïve 🚀\"", "'a  '", "\"a  \"", "''", "\"\""));
        check("CHAR(10) CHARACTER SET utf8mb4", values("'ab  '", "\"ab\"", "'  x'", "\"  x\""));
        check("VARCHAR(20) CHARACTER SET latin1", values("_latin1 x'80E9'", "\"€é\"", "_latin1 x'81'", "\"\u0081\""));
        check("CHAR(5) CHARACTER SET latin1", values("'ü'", "\"ü\""));
        check("TEXT CHARACTER SET utf8mb4", values("'line1\nline2 ✓'", "\"line1\\nline2 ✓\""));
        check("LONGTEXT CHARACTER SET utf8mb3", values("'日本'", "\"日本\""));
        check("VARCHAR(10) CHARACTER SET ucs2", values("'Ωx'", "\"Ωx\""));
    }

    @Test
    void enumsAndSetsAreLabels() throws Exception {
        check(
                "ENUM('new','paid','shipped')",
                values("'paid'", "\"paid\"", "'new'", "\"new\"", "''", "\"\""),
                "SET SESSION sql_mode = ''");
        check("SET('a','b','c')", values("'a,c'", "\"a,c\"", "''", "\"\"", "'c,b,a'", "\"a,b,c\""));
    }

    @Test
    void binariesAreBase64OfWhatSelectReturns() throws Exception {
        check("BINARY(4)", values("'ab'", "\"YWIAAA==\"", "x'00010200'", "\"AAECAA==\""));
        check("VARBINARY(10)", values("x'000102'", "\"AAEC\"", "''", "\"\""));
        check("BLOB", values("x'FF00FF'", "\"/wD/\""));
        check("LONGBLOB", values("x'00'", "\"AA==\""));
    }

    @Test
    void datesAndTimesKeepTheirShapeZerosAndFractions() throws Exception {
        String lax = "SET SESSION sql_mode = ''";
        check(
                "DATE",
                values(
                        "'2024-02-29'",
                        "\"2024-02-29\"",
                        "'0000-00-00'",
                        "\"0000-00-00\"",
                        "'2024-00-00'",
                        "\"2024-00-00\"",
                        "'9999-12-31'",
                        "\"9999-12-31\""),
                lax);
        check(
                "DATETIME",
                values(
                        "'2024-02-29 13:45:01'",
                        "\"2024-02-29T13:45:01\"",
                        "'0000-00-00 00:00:00'",
                        "\"0000-00-00T00:00:00\""),
                lax);
        check(
                "DATETIME(6)",
                values(
                        "'2024-02-29 13:45:01.25'",
                        "\"2024-02-29T13:45:01.250000\"",
                        "'1000-01-01 00:00:00.000001'",
                        "\"1000-01-01T00:00:00.000001\""));
        check(
                "DATETIME(3)",
                values(
                        "'0000-00-00 00:00:00'",
                        "\"0000-00-00T00:00:00.000\"",
                        "'2024-12-31 23:59:59.999'",
                        "\"2024-12-31T23:59:59.999\""),
                lax);
        check("DATETIME(1)", values("'2024-01-02 03:04:05.6'", "\"2024-01-02T03:04:05.6\""));
        check(
                "TIMESTAMP(3) NULL",
                values(
                        "'2024-02-29 12:45:01.25'",
                        "\"2024-02-29T12:45:01.250Z\"",
                        "'0000-00-00 00:00:00'",
                        "\"0000-00-00T00:00:00.000Z\""),
                lax,
                "SET time_zone = '+00:00'");
        check(
                "TIMESTAMP NULL",
                values(
                        "'2024-02-29 12:45:01'",
                        "\"2024-02-29T10:45:01Z\"",
                        "'0000-00-00 00:00:00'",
                        "\"0000-00-00T00:00:00Z\""),
                lax,
                "SET time_zone = '+02:00'");
        check(
                "TIME",
                values(
                        "'-100:00:00'",
                        "\"-100:00:00\"",
                        "'838:59:59'",
                        "\"838:59:59\"",
                        "'00:00:00'",
                        "\"00:00:00\"",
                        "'-838:59:59'",
                        "\"-838:59:59\""));
        check("TIME(2)", values("'-00:00:01.50'", "\"-00:00:01.50\"", "'12:00:00.01'", "\"12:00:00.01\""));
        check("TIME(3)", values("'-12:34:56.789'", "\"-12:34:56.789\"", "'-00:00:00.001'", "\"-00:00:00.001\""));
        check(
                "TIME(6)",
                values("'838:59:59.000000'", "\"838:59:59.000000\"", "'-1:00:00.000001'", "\"-01:00:00.000001\""));
        check("TIME(5)", values("'10:11:12.12345'", "\"10:11:12.12345\""));
        check("YEAR", values("2024", "2024", "0", "0", "1901", "1901", "2155", "2155"));
    }

    @Test
    void mariaDbJsonIsAString() throws Exception {
        check("JSON", values("'{\"a\": [1, 2]}'", "\"{\\\"a\\\": [1, 2]}\""));
    }

    @Test
    void mariaDbInetAndUuidTypesAreTheirTextForm() throws Exception {
        check(
                "INET6",
                values(
                        "'::1'",
                        "\"::1\"",
                        "'::ffff:1.2.3.4'",
                        "\"::ffff:1.2.3.4\"",
                        "'2001:db8::ff00:42:8329'",
                        "\"2001:db8::ff00:42:8329\"",
                        "'::'",
                        "\"::\""));
        check("INET4", values("'10.0.0.1'", "\"10.0.0.1\"", "'255.255.255.255'", "\"255.255.255.255\""));
        check(
                "UUID",
                values(
                        "'123e4567-e89b-12d3-a456-426614174000'",
                        "\"123e4567-e89b-12d3-a456-426614174000\"",
                        "'f47ac10b-58cc-4372-a567-0e02b2c3d479'",
                        "\"f47ac10b-58cc-4372-a567-0e02b2c3d479\""));
    }

    @Test
    void geometryIsBase64OfTheBytesSelectReturns() throws Exception {
        String s = db.createDatabase("geo");
        db.execute("CREATE TABLE " + s + ".g (id INT PRIMARY KEY, p POINT, g GEOMETRY)");
        try (Capture cap = Capture.start(db, s + ".g")) {
            db.execute("INSERT INTO " + s + ".g VALUES (1, ST_GeomFromText('POINT(1 2)'),"
                    + " ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)', 4326))");
            JsonNode after = cap.await(1).get(0).get("after");
            try (Connection c = db.rootConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT p, g FROM " + s + ".g")) {
                rs.next();
                assertThat(after.get("p").asText())
                        .isEqualTo(Base64.getEncoder().encodeToString(rs.getBytes(1)));
                assertThat(after.get("g").asText())
                        .isEqualTo(Base64.getEncoder().encodeToString(rs.getBytes(2)));
            }
        }
    }
}
