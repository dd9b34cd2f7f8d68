package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventBodies;
import io.sluice.core.event.EventCodec;
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
    void theAfterImageAndKeyOfATypedEventAreEncodedAheadAndTheEventIsWrittenAsBefore() {
        Row key = new Row(new String[] {"id"}, new Object[] {7L});
        Row before = row(6);
        Row after = row(7);
        ChangeEvent e = new ChangeEvent("shop:bin.000001:4:0", Op.UPDATE, SOURCE, key, before, after, 2, null);
        byte[] expected = EventCodec.toJson(e, 99);
        assertThat(after.renderedSize()).isNegative();

        ChangeEvent encoded = Encoder.json().encode(e);

        assertThat(encoded).isSameAs(e);
        assertThat(after.renderedSize()).isEqualTo(after.json().length);
        assertThat(key.renderedSize()).isEqualTo(key.json().length);
        assertThat(before.renderedSize())
                .as("the before image is left to the sink's thread")
                .isNegative();
        assertThat(new String(after.json()))
                .isEqualTo("{\"id\":7,\"total\":\"19.9000\",\"at\":\"2024-02-29T13:45:01.250\"}");
        assertThat(EventCodec.toJson(encoded, 99)).isEqualTo(expected);
    }

    @Test
    void anEventRenderedAheadWholePassesUnchanged() {
        EventBodies bodies = new EventBodies(
                Op.READ, SOURCE, TestSchemas.of("sales", "orders", 1, COLS, 0), "shop:snapshot:r1:sales.orders:");
        Row after = new Row(COLS, new Object[] {1L, null, null});
        ChangeEvent e = bodies.event("{\"id\":1}", new Row(new String[] {"id"}, new Object[] {1L}), null, after, 0);
        assertThat(Encoder.json().encode(e)).isSameAs(e);
        assertThat(e.body()).isNotNull();
    }
}
