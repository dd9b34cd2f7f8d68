package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.Shaping;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed events' byte writer ({@link EventWriter}) against the generator's field-by-field envelope
 * ({@link EventCodec#writeGenerated}): the same bytes for every value of the model, the envelope's options and the
 * strings that need escaping.
 */
class EventWriterTest {
    private static final SourceInfo SOURCE = new SourceInfo(
            "shop", 1, "0-1-4711", "mysql-bin.000003", 88231, 3, 1764000000000L, "sales", "orders", false);

    private static String generated(Encoded enc, long ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = EventCodec.generator(out)) {
            EventCodec.writeGenerated(g, enc, ts);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String written(Encoded enc, long ts) {
        EventWriter w = new EventWriter();
        assertThat(w.render(enc, ts)).isTrue();
        return new String(w.bytes(), 0, w.length(), StandardCharsets.UTF_8);
    }

    private static void same(Encoded enc) throws IOException {
        String generated = generated(enc, 1764000000123L);
        assertThat(written(enc, 1764000000123L)).isEqualTo(generated);
        // what the Kafka sink and the connector take: the event's bytes, and the key's copied out of them
        assertThat(new String(enc.toJson(1764000000123L), StandardCharsets.UTF_8))
                .isEqualTo(generated);
        Encoded.WithKey both = enc.toJsonWithKey(1764000000123L);
        assertThat(new String(both.json(), StandardCharsets.UTF_8)).isEqualTo(generated);
        byte[] key = enc.event().key() == null
                ? null
                : EventCodec.renderRow(enc.event().key(), enc.bigint());
        assertThat(both.key()).isEqualTo(key);
        assertThat(enc.keyJson()).isEqualTo(key);
    }

    private static List<Object> values() {
        byte[] plain = "plain text".getBytes(StandardCharsets.US_ASCII);
        List<Object> v = new ArrayList<>(List.of(
                0,
                -1,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                0L,
                99L,
                100L,
                -4711L,
                Long.MIN_VALUE,
                Long.MAX_VALUE,
                9_007_199_254_740_993L,
                -9_007_199_254_740_993L,
                1L << 53,
                new BigInteger("18446744073709551615"),
                new BigDecimal("-12.3400"),
                new BigDecimal("0.0001"),
                new BigDecimal("123456789012345678901234567890"),
                1.1f,
                0.1,
                -0.0,
                1e300,
                3.4028235e38f,
                Float.MIN_VALUE,
                Double.NaN,
                Float.POSITIVE_INFINITY,
                AsciiText.ofSafe(plain, plain.length),
                "",
                "plain",
                "q\"uote",
                "back\\slash",
                "tab\tnl\nnul\u0000",
                "del\u007f",
                "naïve",
                "€uro",
                "rocket 🚀",
                "lone \ud83d surrogate end",
                "\u2028\u2029",
                new JsonText("{\"a\":[1,2],\"s\":\"é🚀\"}"),
                new JsonText("null"),
                DateValue.parse("2024-02-29"),
                DateValue.parse("0000-00-00"),
                TimeValue.parse("-838:59:59.000000"),
                DateTimeValue.parse("2024-01-02T03:04:05.123456"),
                TimestampValue.parse("2024-01-02T03:04:05.120Z"),
                true,
                false));
        for (int n = 0; n <= 7; n++) {
            byte[] b = new byte[n];
            new Random(n).nextBytes(b);
            v.add(Bytes.of(b));
        }
        v.add(Bytes.of(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD, 0, 0x3F}));
        return v;
    }

    @Test
    void everyValueOfTheModelIsWrittenAsTheGeneratorWritesIt() throws IOException {
        for (Object value : values()) {
            Row after = new Row(new String[] {"id", "v"}, new Object[] {7, value});
            Row key = new Row(new String[] {"id"}, new Object[] {7});
            same(Encoded.plain(new ChangeEvent("shop:0-1-4711:3", Op.CREATE, SOURCE, key, null, after, 3, null)));
        }
    }

    @Test
    void rowsOfManyValuesUpdatesDeletesAndNullImagesAreTheSame() throws IOException {
        List<Object> all = values();
        all.add(null);
        String[] names = new String[all.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = i % 3 == 0 ? "c" + i : i % 3 == 1 ? "col \"" + i + "\"" : "naïve_" + i;
        }
        Row row = new Row(names, all.toArray());
        Row key = new Row(new String[] {names[0], names[1]}, new Object[] {all.get(0), all.get(1)});
        same(Encoded.plain(new ChangeEvent("x", Op.UPDATE, SOURCE, key, row, row, 1, null)));
        same(Encoded.plain(new ChangeEvent("x", Op.DELETE, SOURCE, key, row, null, 1, null)));
        same(Encoded.plain(new ChangeEvent("x", Op.CREATE, SOURCE, null, null, row, 1, null)));
        same(Encoded.plain(
                new ChangeEvent("x", Op.CREATE, SOURCE, null, null, new Row(new String[0], new Object[0]), 1, null)));
    }

    @Test
    void theEnvelopesOptionsAndStringsThatNeedEscapingAreTheSame() throws IOException {
        Row after = new Row(new String[] {"id"}, new Object[] {1});
        SourceInfo odd = new SourceInfo(
                "naïve \"shop\"", 4_294_967_295L, null, "bin\\log.000001", Long.MAX_VALUE, 0, -1, "dé", "t🚀", true);
        ChangeEvent e = new ChangeEvent("id \"é\"", Op.READ, odd, after, null, after, 2, null);
        same(Encoded.plain(e));
        same(Encoded.plain(e).lastOfTransaction());
        ChangeEvent shaped =
                new ChangeEvent("i", Op.CREATE, SOURCE, after, null, after, 2, null, null, null, new Shaping(5, "r"));
        same(Encoded.plain(shaped));
        same(Encoded.plain(shaped.withSource("i2", SOURCE), BigintEncoding.STRING));
        for (BigintEncoding b : BigintEncoding.values()) {
            Row big = new Row(
                    new String[] {"a", "b", "c"},
                    new Object[] {9_007_199_254_740_993L, new BigInteger("18446744073709551615"), 12});
            same(Encoded.plain(new ChangeEvent("b", Op.CREATE, SOURCE, big, null, big, 1, null), b));
        }
    }

    @Test
    void aSnapshotEventMarkedLastIsWrittenAgainAsTheGeneratorWritesIt() throws IOException {
        EventBodies bodies = new EventBodies(Op.READ, SOURCE, TestRows.schema(3), "p:");
        Row key = new Row(new String[] {"v"}, new Object[] {"k"});
        Row after = new Row(new String[] {"v"}, new Object[] {"a"});
        Encoded made = bodies.event("1", key, "{\"v\":\"k\"}", after, 0).lastOfTransaction();
        assertThat(made.body()).isNull();
        same(made);
        assertThat(written(made, 5)).endsWith(",\"txn\":{\"last\":true},\"ts_ms\":5}");
    }

    @Test
    void schemaEventsAreLeftToTheGenerator() {
        ChangeEvent s = new ChangeEvent("s", Op.SCHEMA, SOURCE, null, null, null, 2, "ALTER TABLE t ADD c INT");
        assertThat(new EventWriter().render(Encoded.plain(s), 1)).isFalse();
        // and the codec still writes them whole
        assertThat(new String(EventCodec.toJson(s, 1), StandardCharsets.UTF_8))
                .contains("\"ddl\":\"ALTER TABLE t ADD c INT\"");
    }

    @Test
    void anEventPastTheBoundIsLeftToTheGeneratorAndTheNextSmallOneIsRenderedAgain() throws IOException {
        // a 40 MiB row rendered here took several times its size in heap (OutOfHeapIT's "enough" heap ran out)
        byte[] blob = new byte[EventWriter.MAX_BYTES];
        new Random(1).nextBytes(blob);
        Row key = new Row(new String[] {"id"}, new Object[] {1});
        Row big = new Row(new String[] {"id", "b"}, new Object[] {1, Bytes.of(blob)});
        ChangeEvent e = new ChangeEvent("x", Op.CREATE, SOURCE, key, null, big, 1, null);
        EventWriter w = new EventWriter();
        assertThat(w.render(Encoded.plain(e), 1)).isFalse();
        assertThat(new String(EventCodec.toJson(e, 1), StandardCharsets.UTF_8))
                .as("the codec still writes it whole")
                .isEqualTo(generated(Encoded.plain(e), 1));
        Row small = new Row(new String[] {"id", "b"}, new Object[] {2, "s"});
        ChangeEvent next = new ChangeEvent("y", Op.CREATE, SOURCE, key, null, small, 1, null);
        assertThat(w.render(Encoded.plain(next), 1)).isTrue();
        assertThat(new String(w.bytes(), 0, w.length(), StandardCharsets.UTF_8))
                .isEqualTo(generated(Encoded.plain(next), 1));
    }
}
