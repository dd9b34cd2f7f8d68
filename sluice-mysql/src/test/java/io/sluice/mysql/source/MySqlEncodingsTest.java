package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.Checkpoint;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * MySQL-only encodings that a MariaDB server never sends, decoded from constructed event bytes through the same
 * deserializer and transaction assembly the live source uses: MySQL GTIDs with commit timestamps, binary JSON,
 * and zstd-compressed transaction payloads.
 */
class MySqlEncodingsTest {
    private static final UUID SERVER_UUID = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {"a":[1,2]} in MySQL's binary JSON: a small object holding a small array of two int16 values. */
    private static final byte[] JSON_A12 =
            HexFormat.of().parseHex("0001001600" + "0b000100" + "020c00" + "61" + "02000a00" + "050100" + "050200");

    private static final int LONG = 3, JSON_TYPE = 245, DATETIME2 = 18;

    private final Assembly assembly = new Assembly("sales.*");
    private final List<Checkpoint> commits = assembly.commits;

    private List<JsonNode> run(byte[] binlog) throws Exception {
        return assembly.read(binlog).json();
    }

    private static byte[] row(int id, byte[] json) {
        // 2024-02-29 13:45:01.250000 as DATETIME(6)
        long ym = 2024L * 13 + 2;
        long ymd = (ym << 5) | 29;
        long hms = (13L << 12) | (45L << 6) | 1;
        long packed = ((ymd << 17) | hms) + 0x8000000000L;
        return new BinlogBytes.Buf()
                .u8(0)
                .le(id, 4)
                .le(json.length, 4)
                .raw(json)
                .be(packed, 5)
                .be(250000, 3)
                .bytes();
    }

    private static byte[] tableMap() {
        return BinlogBytes.tableMap(
                77,
                "sales",
                "orders",
                new int[] {LONG, JSON_TYPE, DATETIME2},
                new int[][] {{}, {4}, {6}},
                new String[] {"id", "j", "dt"},
                0);
    }

    /** A MySQL GTID transaction of one insert into sales.orders, after a rotate to binlog.000007. */
    private static BinlogBytes oneInsert(long commitMicros) {
        BinlogBytes b = new BinlogBytes(11, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate("binlog.000007", 4));
        b.event(BinlogBytes.GTID, 1_764_000_000, BinlogBytes.mysqlGtid(SERVER_UUID, 42, commitMicros))
                .event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "BEGIN"))
                .event(BinlogBytes.TABLE_MAP, 1_764_000_000, tableMap())
                .event(BinlogBytes.WRITE_ROWS_V2, 1_764_000_000, BinlogBytes.writeRowsV2(77, 3, row(1, JSON_A12)))
                .event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(9));
        return b;
    }

    /**
     * The source emits typed rows that refer to their table schema's columns, and encodes nothing itself (the
     * pipeline's encoder stage does).
     */
    @Test
    void rowsHoldTypedValuesAndTheirColumnsAndAreNotEncodedByTheSource() throws Exception {
        assembly.read(oneInsert(1_764_000_000_123_456L).bytes());
        io.sluice.core.event.Row after = assembly.events.get(0).after();
        assertThat(after.value(0)).isEqualTo(1);
        assertThat(after.value(1)).isEqualTo(new io.sluice.core.event.JsonText("{\"a\":[1,2]}"));
        assertThat(after.value(2)).isEqualTo(new io.sluice.core.value.DateTimeValue(2024, 2, 29, 13, 45, 1, 250000, 6));
        assertThat(after.column(0).dataType()).isEqualTo("int");
        assertThat(after.column(1).dataType()).isEqualTo("json");
        assertThat(after.column(2).dataType()).isEqualTo("datetime");
        assertThat(after.column(2).length()).isEqualTo(6L);
    }

    @Test
    void mysqlGtidTransactionGivesUuidIdsCommitTimestampAndGtidSet() throws Exception {
        long micros = 1_764_000_000_123_456L;
        BinlogBytes b = oneInsert(micros);
        long txnStart = 4 + 19 + 8 + "binlog.000007".length(); // after the rotate event (header, position, name)
        List<JsonNode> ev = run(b.bytes());
        assertThat(ev).hasSize(1);
        JsonNode e = ev.get(0);
        String gtid = SERVER_UUID + ":42";
        assertThat(e.get("id").asText()).isEqualTo("src:" + gtid + ":0");
        assertThat(e.get("source").get("gtid").asText()).isEqualTo(gtid);
        assertThat(e.get("source").get("file").asText()).isEqualTo("binlog.000007");
        assertThat(e.get("source").get("pos").asLong()).isEqualTo(txnStart);
        assertThat(e.get("source").get("server_id").asLong()).isEqualTo(11);
        assertThat(e.get("source").get("ts_ms").asLong()).isEqualTo(1_764_000_000_123L);
        assertThat(e.get("after").get("j")).isEqualTo(JSON.readTree("{\"a\":[1,2]}"));
        assertThat(e.get("after").get("dt").asText()).isEqualTo("2024-02-29T13:45:01.250000");
        assertThat(e.get("key").toString()).isEqualTo("{\"id\":1}");
        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).position().file()).isEqualTo("binlog.000007");
        assertThat(commits.get(0).position().pos()).isEqualTo(b.position());
        assertThat(commits.get(0).position().gtids()).isEqualTo(gtid);
    }

    @Test
    void compressedTransactionPayloadDecodesLikeUncompressedRows() throws Exception {
        BinlogBytes inner = new BinlogBytes(11, 0);
        inner.event(BinlogBytes.QUERY, 1_764_000_001, BinlogBytes.query("sales", "BEGIN"))
                .event(BinlogBytes.TABLE_MAP, 1_764_000_001, tableMap())
                .event(
                        BinlogBytes.WRITE_ROWS_V2,
                        1_764_000_001,
                        BinlogBytes.writeRowsV2(77, 3, row(1, JSON_A12), row(2, new byte[] {4, 1})))
                .event(BinlogBytes.XID, 1_764_000_001, BinlogBytes.xid(10));
        BinlogBytes b = new BinlogBytes(11, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate("binlog.000008", 4))
                .event(BinlogBytes.GTID, 1_764_000_001, BinlogBytes.mysqlGtid(SERVER_UUID, 43, 0))
                .event(BinlogBytes.TRANSACTION_PAYLOAD, 1_764_000_001, BinlogBytes.payload(inner.bytes()));
        List<JsonNode> ev = run(b.bytes());
        assertThat(ev).hasSize(2);
        assertThat(ev.get(0).get("after").get("j")).isEqualTo(JSON.readTree("{\"a\":[1,2]}"));
        assertThat(ev.get(1).get("after").get("j").asBoolean()).isTrue(); // literal true: type 4, value 1
        assertThat(ev.get(1).get("after").get("dt").asText()).isEqualTo("2024-02-29T13:45:01.250000");
        assertThat(ev)
                .extracting(e -> e.get("id").asText())
                .containsExactly("src:" + SERVER_UUID + ":43:0", "src:" + SERVER_UUID + ":43:1");
        assertThat(ev.get(0).get("source").get("ts_ms").asLong()).isEqualTo(1_764_000_001_000L);
        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).position().pos()).isEqualTo(b.position());
    }

    /**
     * MySQL 8.0.21+'s binlog of an atomic {@code CREATE TABLE <db>.copy SELECT ...} of two rows: one GTID
     * transaction of the CREATE TABLE (START TRANSACTION among its options), the rows, an XID; then an ordinary
     * transaction of one row in sales.orders.
     */
    private static BinlogBytes createTableSelectThenInsert(String db) {
        String ddl = "CREATE TABLE `" + db + "`.`copy` (\n  `id` int NOT NULL,\n  `j` json DEFAULT NULL,\n"
                + "  `dt` datetime(6) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) START TRANSACTION ENGINE=InnoDB"
                + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
        BinlogBytes b = new BinlogBytes(11, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate("binlog.000009", 4))
                .event(BinlogBytes.GTID, 1_764_000_002, BinlogBytes.mysqlGtid(SERVER_UUID, 50, 0))
                .event(BinlogBytes.QUERY, 1_764_000_002, BinlogBytes.query(db, ddl))
                .event(
                        BinlogBytes.TABLE_MAP,
                        1_764_000_002,
                        BinlogBytes.tableMap(
                                78,
                                db,
                                "copy",
                                new int[] {LONG, JSON_TYPE, DATETIME2},
                                new int[][] {{}, {4}, {6}},
                                new String[] {"id", "j", "dt"},
                                0))
                .event(
                        BinlogBytes.WRITE_ROWS_V2,
                        1_764_000_002,
                        BinlogBytes.writeRowsV2(78, 3, row(1, JSON_A12), row(2, new byte[] {4, 1})))
                .event(BinlogBytes.XID, 1_764_000_002, BinlogBytes.xid(20))
                .event(BinlogBytes.GTID, 1_764_000_003, BinlogBytes.mysqlGtid(SERVER_UUID, 51, 0))
                .event(BinlogBytes.QUERY, 1_764_000_003, BinlogBytes.query("sales", "BEGIN"))
                .event(BinlogBytes.TABLE_MAP, 1_764_000_003, tableMap())
                .event(BinlogBytes.WRITE_ROWS_V2, 1_764_000_003, BinlogBytes.writeRowsV2(77, 3, row(3, JSON_A12)))
                .event(BinlogBytes.XID, 1_764_000_003, BinlogBytes.xid(21));
        return b;
    }

    @Test
    void atomicCreateTableSelectOfACapturedTableIsOneTransactionOfItsSchemaEventAndRows() throws Exception {
        List<JsonNode> ev = run(createTableSelectThenInsert("sales").bytes());

        assertThat(ev)
                .extracting(e -> e.get("op").asText() + ":"
                        + e.get("source").get("table").asText() + ":"
                        + e.get("id").asText())
                .containsExactly(
                        "s:copy:src:" + SERVER_UUID + ":50:0",
                        "c:copy:src:" + SERVER_UUID + ":50:1",
                        "c:copy:src:" + SERVER_UUID + ":50:2",
                        "c:orders:src:" + SERVER_UUID + ":51:0");
        assertThat(ev.get(0).get("ddl").asText()).contains(") START TRANSACTION ENGINE=InnoDB");
        assertThat(ev.subList(0, 3)).extracting(e -> e.get("schema").asInt()).containsExactly(1, 1, 1);
        assertThat(ev.get(2).get("after").get("j").asBoolean()).isTrue();
        // one checkpoint per transaction: none between the CREATE TABLE and its rows
        assertThat(commits)
                .extracting(c -> c.position().gtids())
                .containsExactly(SERVER_UUID + ":50", SERVER_UUID + ":50-51");
    }

    @Test
    void atomicCreateTableSelectOfAnUncapturedTableIsIgnoredAndCommitted() throws Exception {
        List<JsonNode> ev = run(createTableSelectThenInsert("archive").bytes());

        assertThat(ev)
                .extracting(e -> e.get("source").get("table").asText() + ":"
                        + e.get("id").asText())
                .containsExactly("orders:src:" + SERVER_UUID + ":51:0");
        assertThat(commits)
                .extracting(c -> c.position().gtids())
                .containsExactly(SERVER_UUID + ":50", SERVER_UUID + ":50-51");
    }
}
