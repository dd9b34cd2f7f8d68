package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.TestSchemas;
import io.sluice.core.value.DateTimeValue;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class EncoderTest {
    private static final SourceInfo SOURCE =
            new SourceInfo("shop", 1, null, "bin.000001", 4, 0, 1_764_000_000_000L, "sales", "orders", false);
    private static final String[] COLS = {"id", "total", "at"};

    private static Row row(long id) {
        return new Row(
                COLS,
                new Object[] {id, new BigDecimal("19.9000"), new DateTimeValue(2024, 2, 29, 13, 45, 1, 250000, 3)});
    }

    @Test
    void aStreamedEventIsHandedOnTypedAndRenderedWholeWhenWritten() throws Exception {
        Row key = new Row(new String[] {"id"}, new Object[] {7L});
        Row before = row(6);
        Row after = row(7);
        ChangeEvent e = new ChangeEvent("shop:bin.000001:4:0", Op.UPDATE, SOURCE, key, before, after, 2, null);
        byte[] expected = EventCodec.toJson(e, 99);

        Encoded encoded = Encoder.json().encode(e);

        assertThat(encoded.event()).as("the typed event is handed on as it is").isSameAs(e);
        assertThat(new String(encoded.keyJson())).isEqualTo("{\"id\":7}");
        assertThat(encoded.toJson(99)).isEqualTo(expected);
        assertThat(Encoder.toJson(e, 99)).isEqualTo(expected);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(encoded.writeWhole(out, 99, null))
                .as("a streamed event is rendered when written, past the generator")
                .isTrue();
        assertThat(out.toByteArray()).isEqualTo(expected);
        java.io.ByteArrayOutputStream none = new java.io.ByteArrayOutputStream();
        ChangeEvent s = new ChangeEvent("shop:bin.000001:9:0", Op.SCHEMA, SOURCE, null, null, null, 3, "ALTER TABLE t");
        assertThat(Encoder.json().encode(s).writeWhole(none, 99, null))
                .as("an s event goes through the generator")
                .isFalse();
        assertThat(none.size()).isZero();
    }

    @Test
    void theEmittingThreadEncodesNothingOfAStreamedEventTheSinksThreadDoes() {
        // a value with no JSON representation shows where the encoding happens: not when the event is handed on
        // (the binlog reader's thread, the pipeline's busiest), but when the sink's thread writes it
        Row after = new Row(COLS, new Object[] {1L, new Object(), null});
        ChangeEvent e = new ChangeEvent("shop:bin.000001:4:0", Op.CREATE, SOURCE, null, null, after, 2, null);

        Encoded encoded = Encoder.json().encode(e);

        assertThat(encoded.event()).isSameAs(e);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encoded.toJson(99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no JSON representation for java.lang.Object");
    }

    @Test
    void aSnapshotEventIsMadeAheadWholeAndWrittenPastTheGenerator() throws Exception {
        EventBodies bodies = new EventBodies(
                Op.READ, SOURCE, TestSchemas.of("sales", "orders", 1, COLS, 0), "shop:snapshot:r1:sales.orders:");
        Row after = new Row(COLS, new Object[] {1L, null, null});
        Row key = new Row(new String[] {"id"}, new Object[] {1L});
        Encoded e = bodies.event("{\"id\":1}", key, null, after, 0);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(e.writeWhole(out, 99, null)).isTrue();
        assertThat(out.toByteArray()).isEqualTo(EventCodec.toJson(e.event(), 99));
        assertThat(new String(e.keyJson())).isEqualTo("{\"id\":1}");
        assertThat(e.event().table().qualifiedName()).isEqualTo("sales.orders");
    }

    private static io.sluice.core.schema.Column column(String name, String type, boolean unsigned) {
        return new io.sluice.core.schema.Column(name, type, null, null, unsigned, null, true, false, null, null);
    }

    @Test
    void encodingBigintWritesIntegersAsStringsWhereTheSettingSays() {
        java.util.List<io.sluice.core.schema.Column> cols =
                java.util.List.of(column("u", "bigint", true), column("s", "bigint", false), column("i", "int", false));
        String[] names = {"u", "s", "i"};
        Row before = new Row(names, cols, new Object[] {new java.math.BigInteger("18446744073709551615"), 1L, 3});
        Row after = new Row(names, cols, new Object[] {9_007_199_254_740_993L, -9_007_199_254_740_991L, 3});
        Row key = new Row(new String[] {"u"}, cols.subList(0, 1), new Object[] {9_007_199_254_740_993L});
        ChangeEvent e = new ChangeEvent("shop:bin.000001:4:0", Op.UPDATE, SOURCE, key, before, after, 1, null);

        String number = new String(Encoder.json().encode(e).toJson(99));
        assertThat(number)
                .contains("\"key\":{\"u\":9007199254740993}")
                .contains("\"before\":{\"u\":18446744073709551615,\"s\":1,\"i\":3}");
        assertThat(Encoder.json(BigintEncoding.NUMBER).encode(e).toJson(99)).isEqualTo(EventCodec.toJson(e, 99));

        Encoded unsafe = Encoder.json(BigintEncoding.UNSAFE_AS_STRING).encode(e);
        assertThat(new String(unsafe.toJson(99)))
                .contains("\"key\":{\"u\":\"9007199254740993\"}")
                .contains("\"before\":{\"u\":\"18446744073709551615\",\"s\":1,\"i\":3}")
                .as("2^53-1 itself is exact in a double: a number")
                .contains("\"after\":{\"u\":\"9007199254740993\",\"s\":-9007199254740991,\"i\":3}");
        assertThat(new String(unsafe.keyJson())).isEqualTo("{\"u\":\"9007199254740993\"}");

        Encoded all = Encoder.json(BigintEncoding.STRING).encode(e);
        assertThat(new String(all.toJson(99)))
                .contains("\"before\":{\"u\":\"18446744073709551615\",\"s\":\"1\",\"i\":3}")
                .contains("\"after\":{\"u\":\"9007199254740993\",\"s\":\"-9007199254740991\",\"i\":3}");
        assertThat(BigintEncoding.of(" Unsafe-As-String")).isEqualTo(BigintEncoding.UNSAFE_AS_STRING);
    }

    @Test
    void underAStringSettingASnapshotRunIsEncodedTypedAndNotHandedOnWhole() {
        assertThat(Encoder.json().keepsRuns()).isTrue();
        assertThat(Encoder.json(BigintEncoding.STRING).keepsRuns()).isFalse();
        assertThat(Encoder.json(BigintEncoding.UNSAFE_AS_STRING).keepsRuns()).isFalse();
    }

    @Test
    void theLastEventOfATransactionCarriesTheMarkBeforeTheEmitTime() throws Exception {
        Row key = new Row(new String[] {"id"}, new Object[] {7L});
        ChangeEvent e = new ChangeEvent("shop:bin.000001:4:0", Op.UPDATE, SOURCE, key, row(6), row(7), 2, null);
        String plain = new String(EventCodec.toJson(e, 99));
        Encoded marked = Encoder.json(new JsonOptions(BigintEncoding.NUMBER, true))
                .encode(e)
                .lastOfTransaction();
        assertThat(marked.last()).isTrue();
        assertThat(new String(marked.toJson(99)))
                .isEqualTo(plain.replace(",\"ts_ms\":99}", ",\"txn\":{\"last\":true},\"ts_ms\":99}"));
        assertThat(Encoder.json(new JsonOptions(BigintEncoding.NUMBER, true)).marksLast())
                .isTrue();
        assertThat(Encoder.json().marksLast()).isFalse();

        // a snapshot event made ahead whole is encoded again with the mark
        EventBodies bodies = new EventBodies(
                Op.READ, SOURCE, TestSchemas.of("sales", "orders", 1, COLS, 0), "shop:snapshot:r1:sales.orders:");
        Encoded whole = bodies.event("{\"id\":1}", key, null, new Row(COLS, new Object[] {1L, null, null}), 0);
        String wholeJson = new String(whole.toJson(99));
        assertThat(new String(whole.lastOfTransaction().toJson(99)))
                .isEqualTo(wholeJson.replace(",\"ts_ms\":99}", ",\"txn\":{\"last\":true},\"ts_ms\":99}"));
    }
}
