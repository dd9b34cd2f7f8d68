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
    void aStreamedEventIsHandedOnTypedAndEncodedWholeWhenWritten() throws Exception {
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
                .as("a streamed event is not made ahead whole")
                .isFalse();
        assertThat(out.size()).isZero();
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
}
