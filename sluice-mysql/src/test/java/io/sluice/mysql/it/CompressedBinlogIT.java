package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A MariaDB with {@code log_bin_compress=ON} writes Query_compressed and Write/Update/Delete_rows_compressed
 * events: every statement and row must arrive exactly as the same workload gives with compression off, both read
 * from the earliest binlog and streamed.
 */
class CompressedBinlogIT {
    /** Events of {@link #workload}: s, 3 c, big c, 4 u, key change d+c, d, s, c, transaction c u d. */
    private static final int EVENTS = 17;

    @Test
    void compressedBinlogGivesEveryRowAndStatementAsWithCompressionOff() throws Exception {
        try (MariaDbServer own = MariaDbServer.builder()
                .option("log_bin_compress", "ON")
                .option("log_bin_compress_min_len", "10")
                .start()) {
            workload(own, "zc_early");
            try (Capture cap = Capture.create(own, List.of("zc_*.*"), new StartPosition.Earliest())
                    .run()) {
                assertThat(cap.await(EVENTS)).hasSize(EVENTS); // read from the earliest binlog
                workload(own, "zc_stream"); // streamed as it is written
                own.execute("SET GLOBAL log_bin_compress = OFF");
                workload(own, "zc_plain");
                List<JsonNode> all = cap.await(3 * EVENTS);

                assertThat(all).hasSize(3 * EVENTS);
                List<JsonNode> plain = placeless(all.subList(2 * EVENTS, 3 * EVENTS), "zc_plain");
                assertThat(placeless(all.subList(0, EVENTS), "zc_early")).isEqualTo(plain);
                assertThat(placeless(all.subList(EVENTS, 2 * EVENTS), "zc_stream"))
                        .isEqualTo(plain);
                assertThat(plain)
                        .extracting(e -> e.get("op").asText())
                        .containsExactly(
                                "s", "c", "c", "c", "c", "u", "u", "u", "u", "d", "c", "d", "s", "c", "c", "u", "d");
            }
            assertThat(eventTypes(own))
                    .contains(
                            "Query_compressed",
                            "Write_rows_compressed_v1",
                            "Update_rows_compressed_v1",
                            "Delete_rows_compressed_v1",
                            "Write_rows_v1",
                            "Update_rows_v1",
                            "Delete_rows_v1");
        }
    }

    /** DDL and DML over most column types, with a 2 MB text and a 300 KB incompressible blob in one row. */
    private static void workload(MariaDbServer db, String s) throws SQLException {
        byte[] noise = new byte[300_000];
        new Random(42).nextBytes(noise);
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + s);
            st.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, u BIGINT UNSIGNED, d DECIMAL(30,10), f DOUBLE,"
                    + " vs VARCHAR(100) CHARACTER SET utf8mb4, l1 CHAR(10) CHARACTER SET latin1, dt DATETIME(6),"
                    + " ts TIMESTAMP(3) NULL, da DATE, tm TIME(2), y YEAR, b BIT(12), e ENUM('a','b','c'),"
                    + " st SET('x','y','z'), bl LONGBLOB, j JSON, txt MEDIUMTEXT)");
            st.execute("INSERT INTO " + s + ".t VALUES"
                    + " (1, 18446744073709551615, -12345678901234567890.0123456789, 1.5e300, 'grüße 🌍', 'café',"
                    + " '2024-02-29 13:45:01.250000', '2024-03-01 00:00:00.125', '0000-00-00', '-838:59:59.00',"
                    + " 0, b'101010101010', 'b', 'x,z', x'00ff10', '{\"a\":[1,2,{\"b\":null}]}', 'short'),"
                    + " (2, 0, 0, -0.0, '', '', '1000-01-01 00:00:00', NULL, '9999-12-31', '00:00:00', 2155, b'0',"
                    + " 'a', '', '', '[]', ''),"
                    + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                    + " NULL)");
            try (PreparedStatement big = c.prepareStatement("INSERT INTO " + s + ".t (id, vs, bl, txt)"
                    + " VALUES (10, 'big', ?, REPEAT('0123456789abcdef', 131072))")) {
                big.setBytes(1, noise);
                big.execute();
            }
            st.execute("UPDATE " + s + ".t SET vs = CONCAT(COALESCE(vs, ''), '!'), d = COALESCE(d, 0) + 1");
            st.execute("UPDATE " + s + ".t SET id = id + 100 WHERE id = 2");
            st.execute("DELETE FROM " + s + ".t WHERE id = 3");
            st.execute("ALTER TABLE " + s + ".t ADD COLUMN extra VARCHAR(20) DEFAULT 'x' AFTER id");
            st.execute("INSERT INTO " + s + ".t (id, vs) VALUES (20, 'after alter')");
            st.execute("BEGIN");
            st.execute("INSERT INTO " + s + ".t (id, vs, j) VALUES (30, 'in a transaction', '{\"k\":1}')");
            st.execute("UPDATE " + s + ".t SET vs = 'updated in it' WHERE id = 30");
            st.execute("DELETE FROM " + s + ".t WHERE id = 1");
            st.execute("COMMIT");
        }
    }

    /** Events without what differs between the three copies of the workload: ids, positions, times, names. */
    private static List<JsonNode> placeless(List<JsonNode> events, String schema) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : events) {
            ObjectNode copy = e.deepCopy();
            copy.remove(List.of("id", "ts_ms"));
            ObjectNode source = (ObjectNode) copy.get("source");
            source.remove(List.of("gtid", "file", "pos", "ts_ms"));
            assertThat(source.get("db").asText()).isEqualTo(schema);
            source.remove("db");
            if (copy.hasNonNull("ddl")) {
                copy.put("ddl", copy.get("ddl").asText().replace(schema, "<db>"));
            }
            out.add(copy);
        }
        return out;
    }

    /** The names of the event types in the server's binlogs. */
    private static Set<String> eventTypes(MariaDbServer db) throws SQLException {
        Set<String> types = new TreeSet<>();
        List<String> files = new ArrayList<>();
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    files.add(rs.getString(1));
                }
            }
            for (String f : files) {
                try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + f + "'")) {
                    while (rs.next()) {
                        types.add(rs.getString("Event_type"));
                    }
                }
            }
        }
        return types;
    }
}
