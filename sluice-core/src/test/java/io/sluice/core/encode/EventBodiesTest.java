package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.TestSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBodiesTest {
    private static final String[] COLS = {"id", "name", "data"};
    private static final String[] KEY = {"id"};

    private static final String PREFIX = "shop:snapshot:r1:sales.orders:";

    /** Renders the event whose id is PREFIX + idRest through the bodies and through the generator. */
    private static void assertSameJson(
            EventBodies bodies, String idRest, Row key, String keyJson, Row after, int row, SourceInfo source) {
        assertSameJson(bodies, PREFIX, idRest, key, keyJson, after, row, source);
    }

    private static void assertSameJson(
            EventBodies bodies,
            String prefix,
            String idRest,
            Row key,
            String keyJson,
            Row after,
            int row,
            SourceInfo source) {
        Encoded rendered = bodies.event(idRest, key, keyJson, after, row);
        String id = prefix + idRest;
        assertThat(rendered.event().id()).isEqualTo(id);
        ChangeEvent plain = new ChangeEvent(
                id,
                Op.READ,
                source.withRow(row),
                key,
                null,
                after,
                rendered.event().schema(),
                null);
        assertThat(rendered.event()).isEqualTo(plain);
        assertThat(new String(rendered.toJson(1_732_400_000_123L), StandardCharsets.UTF_8))
                .isEqualTo(new String(EventCodec.toJson(plain, 1_732_400_000_123L), StandardCharsets.UTF_8));
        assertThat(rendered.keyJson() == null ? null : new String(rendered.keyJson(), StandardCharsets.UTF_8))
                .isEqualTo(key == null ? null : EventCodec.compact(key));
    }

    @Test
    void renderedBodiesAreByteForByteTheGeneratorsJson() {
        SourceInfo source = new SourceInfo(
                "shop", 7, null, "mysql-bin.000042", 123_456_789L, 0, 1_732_400_000_000L, "sales", "orders", true);
        EventBodies bodies = new EventBodies(Op.READ, source, TestSchemas.of("d", "t", 3, COLS, 0), PREFIX);
        // every count of digits, at both of its ends
        for (int row : new int[] {
            0,
            7,
            9,
            10,
            99,
            100,
            999,
            1000,
            4096,
            9999,
            10_000,
            65_535,
            99_999,
            100_000,
            999_999,
            1_000_000,
            9_999_999,
            10_000_000,
            99_999_999,
            100_000_000,
            999_999_999,
            1_000_000_000,
            Integer.MAX_VALUE
        }) {
            Row key = new Row(KEY, new Object[] {(long) row});
            Row after = new Row(COLS, new Object[] {
                (long) row, AsciiText.ofSafe("plain"), io.sluice.core.value.Bytes.of(new byte[] {1, 2, 3})
            });
            String keyJson = EventCodec.compact(key);
            assertSameJson(bodies, keyJson, key, keyJson, after, row, source);
            assertSameJson(bodies, keyJson, key, null, after, row, source);
        }
        // text keys that need escaping: quotes, backslashes, control characters, non-ASCII, outside the BMP
        for (String text : List.of(
                "a\"b",
                "back\\slash",
                "tab\there",
                "line\nbreak",
                "caf\u00e9",
                "\uD83D\uDE00 smile",
                "\u0000nul",
                "del\u007f",
                "</script>",
                "colon:in:side",
                "\uD83D\uDE00:\"x\"",
                "")) {
            Row key = new Row(new String[] {"name"}, new Object[] {text});
            Row after = new Row(new String[] {"name", "n"}, new Object[] {text, 1.5d});
            String keyJson = EventCodec.compact(key);
            assertSameJson(bodies, keyJson, key, keyJson, after, 1, source);
            assertSameJson(bodies, keyJson, key, null, after, 2, source);
        }
        // other prefixes: empty, needing escapes, non-ASCII
        for (String prefix : List.of("", "a:b:", "q\"uo\\te:", "z:\u00e9:\uD83D\uDE00:")) {
            EventBodies other = new EventBodies(Op.READ, source, TestSchemas.of("d", "t", 3, COLS, 0), prefix);
            for (String rest : List.of("plain", "c", "\"q\"", "\u00e9\u0001", "")) {
                assertSameJson(other, prefix, rest, null, null, null, 4, source);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new EventBodies(Op.READ, source, TestSchemas.of("d", "t", 3, COLS, 0), "x\uD83D"))
                .isInstanceOf(IllegalArgumentException.class);
        // a keyless table: null key, numbered ids
        assertSameJson(bodies, "#12", null, null, new Row(COLS, new Object[] {null, "x", null}), 12, source);
    }

    @Test
    void sourceFieldsThatNeedEscapingAndAGtid() {
        SourceInfo source = new SourceInfo(
                "na\"me\u00e9", 4_294_967_295L, "0-1-77", "bin\\log.000001", 4, 0, 0, "d\u00e9b", "t\"able", true);
        EventBodies bodies = new EventBodies(Op.READ, source, TestSchemas.of("d", "t", 0, COLS, 0), "");
        Row key = new Row(KEY, new Object[] {1L});
        assertSameJson(bodies, "", "x", key, "{\"id\":1}", new Row(KEY, new Object[] {1L}), 0, source);
        SourceInfo noDb = new SourceInfo("n", 1, null, "f", 4, 0, 0, null, null, false);
        assertSameJson(
                new EventBodies(Op.READ, noDb, TestSchemas.of("d", "t", 1, COLS, 0), "p:"),
                "p:",
                "y",
                key,
                null,
                null,
                3,
                noDb);
    }

    @Test
    void renderedAndPlainEventsMixInOneStream() throws Exception {
        SourceInfo source = new SourceInfo("s", 1, null, "f", 4, 0, 5, "d", "t", true);
        EventBodies bodies = new EventBodies(Op.READ, source, TestSchemas.of("d", "t", 1, COLS, 0), "");
        Row key = new Row(KEY, new Object[] {1L});
        Encoded rendered = bodies.event("a", key, null, key, 0);
        ChangeEvent plain = new ChangeEvent("a", Op.READ, source, key, null, key, 1, null);
        java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
        try (var g = EventCodec.generator(one);
                var h = EventCodec.generator(two)) {
            for (Encoded e :
                    List.of(Encoded.plain(plain), rendered, Encoder.json().encode(plain), rendered)) {
                e.write(g, 9);
                g.writeRaw('\n');
                EventCodec.write(h, plain, 9);
                h.writeRaw('\n');
            }
        }
        assertThat(one.toString(StandardCharsets.UTF_8)).isEqualTo(two.toString(StandardCharsets.UTF_8));
    }
}
