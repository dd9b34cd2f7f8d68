package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final SourceInfo SOURCE = new SourceInfo(
            "shop", 1, "0-1-4711", "mysql-bin.000003", 88231, 3, 1764000000000L, "sales", "orders", false);

    private static String json(Row key, Row before, Row after, Op op, String ddl) {
        return new String(
                EventCodec.toJson(
                        new ChangeEvent("shop:0-1-4711:3", op, SOURCE, key, before, after, 3, ddl), 1764000000123L),
                StandardCharsets.UTF_8);
    }

    @Test
    void envelopeHasTheContractsFieldsInOrder() {
        String[] names = {"id", "status", "total"};
        Row before = new Row(names, new Object[] {42, "new", "19.9000"});
        Row after = new Row(names, new Object[] {42, "paid", "19.9000"});
        Row key = new Row(new String[] {"id"}, new Object[] {42});
        assertThat(json(key, before, after, Op.UPDATE, null))
                .isEqualTo(
                        "{\"v\":1,\"id\":\"shop:0-1-4711:3\",\"op\":\"u\","
                                + "\"source\":{\"name\":\"shop\",\"server_id\":1,\"gtid\":\"0-1-4711\",\"file\":\"mysql-bin.000003\","
                                + "\"pos\":88231,\"row\":3,\"ts_ms\":1764000000000,\"db\":\"sales\",\"table\":\"orders\","
                                + "\"snapshot\":false},\"key\":{\"id\":42},\"before\":{\"id\":42,\"status\":\"new\",\"total\":\"19.9000\"},"
                                + "\"after\":{\"id\":42,\"status\":\"paid\",\"total\":\"19.9000\"},\"schema\":3,\"ts_ms\":1764000000123}");
    }

    @Test
    void valuesUseTheirContractEncodings() {
        String[] names = {"u", "f", "d", "b", "j", "a", "s"};
        byte[] plain = "plain text".getBytes(StandardCharsets.US_ASCII);
        Row after = new Row(names, new Object[] {
            new BigInteger("18446744073709551615"),
            1.1f,
            0.1,
            io.sluice.core.value.Bytes.of(new byte[] {0, 1, 2}),
            new JsonText("{\"a\":[1,2]}"),
            AsciiText.ofSafe(plain, plain.length),
            "naïve \"q\" 🚀"
        });
        assertThat(json(null, null, after, Op.CREATE, null))
                .contains("\"after\":{\"u\":18446744073709551615,"
                        + "\"f\":1.1,\"d\":0.1,\"b\":\"AAEC\",\"j\":{\"a\":[1,2]},\"a\":\"plain text\","
                        + "\"s\":\"naïve \\\"q\\\" 🚀\"}");
    }

    @Test
    void asciiTextRefusesBytesThatNeedEscapingOrDecoding() {
        for (String s : new String[] {"say \"hi\"", "back\\slash", "tab\there", "caf\u00e9"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(AsciiText.ofSafe(b, b.length)).as(s).isNull();
        }
        byte[] padded = "ab  ".getBytes(StandardCharsets.US_ASCII);
        assertThat(AsciiText.ofSafe(padded, 2)).isEqualTo(AsciiText.ofSafe("ab".getBytes(), 2));
        assertThat(AsciiText.ofSafe(padded, 2).toString()).isEqualTo("ab");
    }

    @Test
    void schemaEventsCarryTheirDdl() {
        assertThat(json(null, null, null, Op.SCHEMA, "ALTER TABLE t ADD c INT"))
                .contains("\"op\":\"s\"")
                .contains("\"ddl\":\"ALTER TABLE t ADD c INT\"");
    }

    @Test
    void aRowRenderedAheadIsWrittenExactlyAsItWouldBeOtherwise() {
        String[] names = {"id", "name", "d"};
        byte[] plain = "abc".getBytes(StandardCharsets.US_ASCII);
        Row a = new Row(names, new Object[] {1, "naïve 🚀 \"x\"", AsciiText.ofSafe(plain, 3)});
        Row b = new Row(names, new Object[] {1, "naïve 🚀 \"x\"", AsciiText.ofSafe(plain, 3)});
        assertThat(json(null, a, a, Op.UPDATE, null)).isEqualTo(json(null, a, b, Op.UPDATE, null));
        ChangeEvent e = new ChangeEvent("i", Op.UPDATE, SOURCE, null, a, b, 1, null);
        assertThat(Encoder.json().encode(e).toJson(7))
                .as("encoded ahead, then written")
                .isEqualTo(EventCodec.toJson(e, 7));
        assertThat(json(null, null, b, Op.CREATE, null))
                .contains("\"after\":{\"id\":1,\"name\":\"naïve 🚀 \\\"x\\\"\",\"d\":\"abc\"}");
    }
}
