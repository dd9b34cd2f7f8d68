package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The eight-bytes-at-a-time test of plain text, as strings are copied into the arena ({@link RenderedRows#putString},
 * or streamed in pieces through {@link RenderedRows#text()}), against the byte-by-byte rule.
 */
class RenderedRowsPlainTest {

    private static boolean plainByte(int c) {
        return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
    }

    /**
     * The verdict of the streamed test ({@link RenderedRows#openString}, the bytes written through
     * {@link RenderedRows#text()} in pieces split at {@code cut}, {@link RenderedRows#closeString}), after checking
     * that a plain string was copied as it is and a string that is not left nothing behind.
     */
    private static boolean streamed(byte[] b, int len, int cut) {
        RenderedRows rows = new RenderedRows("p:", false, 0, 0);
        rows.beginRow();
        rows.putLong(7);
        rows.openString();
        int first = Math.min(cut, len);
        rows.text().write(b, 0, first);
        if (first < len) {
            rows.text().write(b[first]); // one byte alone, then the rest
            rows.text().write(b, first + 1, len - first - 1);
        }
        return checked(rows, rows.closeString(), b, len);
    }

    /** The verdict of {@link RenderedRows#putString(byte[], int)} on the first {@code len} bytes, checked likewise. */
    private static boolean whole(byte[] b, int len) {
        RenderedRows rows = new RenderedRows("p:", false, 0, 0);
        rows.beginRow();
        rows.putLong(7);
        return checked(rows, rows.putString(b, len), b, len);
    }

    /** Ends the row after {@code 7} and a string, and checks that the string is there exactly when it was plain. */
    private static boolean checked(RenderedRows rows, boolean plain, byte[] b, int len) {
        byte[] expected = new byte[plain ? len + 3 : 1];
        expected[0] = '7';
        if (plain) {
            expected[1] = '"';
            System.arraycopy(b, 0, expected, 2, len);
            expected[len + 2] = '"';
        }
        end(rows);
        assertThat(Arrays.copyOf(rows.arena(0), rows.position())).isEqualTo(expected);
        return plain;
    }

    /** Ends the current row (without key) and the filling. */
    private static void end(RenderedRows rows) {
        rows.endAfter();
        rows.endRow(null, null);
        rows.finish(new String[0], (j, o, l) -> new Object[0], null, null);
    }

    @Test
    void everyByteValueAtEveryPositionOfEveryLength() {
        for (int len = 0; len <= 20; len++) {
            byte[] b = new byte[len + 3];
            Arrays.fill(b, (byte) 'a');
            assertThat(whole(b, len)).isTrue();
            for (int pos = 0; pos < len; pos++) {
                for (int v = 0; v < 256; v++) {
                    b[pos] = (byte) v;
                    assertThat(whole(b, len))
                            .as("byte %02x at %d of %d", v, pos, len)
                            .isEqualTo(plainByte(v));
                    assertThat(streamed(b, len, len))
                            .as("streamed: byte %02x at %d of %d", v, pos, len)
                            .isEqualTo(plainByte(v));
                }
                b[pos] = 'a';
            }
            b[len] = '"'; // bytes past the length do not count
            assertThat(whole(b, len)).isTrue();
            b[len] = 'a';
        }
    }

    @Test
    void neighboursOfEveryEdgeValueInOneWord() {
        // the borrow of one byte's subtraction must not hide or fake another's: pairs of edge values side by side
        int[] edges = {0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xFF};
        for (int x : edges) {
            for (int y : edges) {
                for (int pos = 0; pos < 15; pos++) {
                    byte[] b = "abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII);
                    b[pos] = (byte) x;
                    b[pos + 1] = (byte) y;
                    assertThat(whole(b, 16)).as("%02x %02x at %d", x, y, pos).isEqualTo(plainByte(x) && plainByte(y));
                    for (int cut : new int[] {16, 5, 0}) {
                        assertThat(streamed(b, 16, cut))
                                .as("streamed, cut at %d: %02x %02x at %d", cut, x, y, pos)
                                .isEqualTo(plainByte(x) && plainByte(y));
                    }
                }
            }
        }
    }

    @Test
    void aStringIsWrittenOnlyWhenPlain() {
        RenderedRows rows = new RenderedRows("p:", false, 0, 0);
        rows.beginRow();
        assertThat(rows.putString("0123456789-0123456789".getBytes(StandardCharsets.US_ASCII), 21))
                .isTrue();
        assertThat(rows.position()).isEqualTo(23);
        assertThat(rows.putString("01234567\"9".getBytes(StandardCharsets.US_ASCII), 10))
                .isFalse();
        assertThat(rows.position()).isEqualTo(23);
        assertThat(rows.putString("caf\u00e9".getBytes(StandardCharsets.UTF_8), 5))
                .isFalse();
        rows.putLong(-5);
        end(rows);
        assertThat(new String(rows.arena(0), 0, rows.position(), StandardCharsets.US_ASCII))
                .isEqualTo("\"0123456789-0123456789\"-5");
    }

    @Test
    void aStreamedStringIsWrittenOnlyWhenPlainAndOnlyOneIsOpenAtATime() {
        byte[] text = "0123456789abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= text.length; cut++) {
            assertThat(streamed(text, text.length, cut)).isTrue();
        }
        byte[] bad = "0123456789abcdef\u00e9hij0123456789".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bad.length; cut++) {
            assertThat(streamed(bad, bad.length, cut)).isFalse();
        }
        RenderedRows rows = new RenderedRows("p:", false, 0, 0);
        rows.beginRow();
        assertThatThrownBy(() -> rows.text().write(text)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rows::closeString).isInstanceOf(IllegalStateException.class);
        rows.openString();
        assertThatThrownBy(rows::openString).isInstanceOf(IllegalStateException.class);
        assertThat(rows.closeString()).isTrue();
        rows.openString();
        rows.text().write("a b c".getBytes(StandardCharsets.US_ASCII), 0, 5);
        assertThat(rows.closeString()).isTrue();
        rows.replace(2, (byte) ' ', (byte) 'T');
        end(rows);
        assertThat(new String(rows.arena(0), 0, rows.position(), StandardCharsets.US_ASCII))
                .isEqualTo("\"\"\"aTbTc\"");
    }

    @Test
    void aStreamedStringGrowsTheArenaAndMovesTheRow() {
        RenderedRows rows = new RenderedRows("p:", false, 1, 64);
        byte[] big = "y".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        rows.beginRow();
        rows.putLong(1);
        rows.endAfter();
        rows.endRow(null, null);
        rows.beginRow();
        rows.openString();
        for (int k = 0; k < 10; k++) {
            rows.text().write(big, 0, big.length);
        }
        assertThat(rows.closeString()).isTrue();
        assertThat(rows.position()).isEqualTo(1_000_002);
        end(rows);
        assertThat(rows.afterBytes()).isEqualTo(1_000_003);
    }

    @Test
    void rowsBeyondOneArenaStartTheNextEvenInsideTheirKey() {
        RenderedRows rows = new RenderedRows("p:", true, 1, RenderedRows.SEGMENT);
        String big = "x".repeat(RenderedRows.SEGMENT - 64); // leaves room for the next row's JSON, not its key
        TestRows.row(rows, big, 1);
        TestRows.row(rows, "y".repeat(20), 2);
        String huge = "z".repeat(RenderedRows.SEGMENT + 5); // alone in a larger arena
        TestRows.row(rows, huge, 3);
        for (int i = 4; i < 40; i++) {
            TestRows.row(rows, "w".repeat(1 << 20), i);
        }
        rows.finish(
                new String[] {"v"},
                (j, o, l) -> {
                    throw new AssertionError();
                },
                new String[] {"k"},
                (j, o, l) -> {
                    throw new AssertionError();
                });
        assertThat(rows.arena(1)).isNotSameAs(rows.arena(0));
        assertThat(rows.arena(38)).isNotSameAs(rows.arena(3)).isNotNull();
        assertThat(rows.size()).isEqualTo(39);
        for (int i = 0; i < rows.size(); i++) {
            String text = i == 0 ? big : i == 1 ? "y".repeat(20) : i == 2 ? huge : "w".repeat(1 << 20);
            long k = i + 1;
            assertThat(rows.afterJson(i)).isEqualTo("{\"v\":\"" + text + "\"}");
            assertThat(rows.keyJson(i)).isEqualTo("{\"k\":" + k + k + "}");
            assertThat(rows.id(i)).isEqualTo("p:{\"k\":" + k + k + "}");
            assertThat(rows.key(i, TestRows.schema(1).keyColumns()).size())
                    .as("made without decoding its values")
                    .isEqualTo(1);
        }
        assertThat(rows.bytes()).isGreaterThan(3L * RenderedRows.SEGMENT);
        SourceInfo source = new SourceInfo("s", 1, null, "f", 4, 0, 5, "d", "t", true);
        EventBodies bodies = new EventBodies(Op.READ, source, TestRows.schema(1), "p:");
        for (int i : new int[] {0, 1, 2, 38}) {
            ChangeEvent e = bodies.event(rows, i, i);
            ChangeEvent plain = new ChangeEvent(rows.id(i), Op.READ, source.withRow(i), null, null, null, 1, null);
            String json = new String(bodies.encoded(rows, i, i).toJson(9), StandardCharsets.US_ASCII);
            assertThat(e.id())
                    .as("the typed event is made without decoding its values")
                    .isEqualTo(rows.id(i));
            assertThat(json)
                    .startsWith("{\"v\":1,\"id\":\"p:{\\\"k\\\":")
                    .contains(",\"key\":" + rows.keyJson(i) + ",\"before\":null,\"after\":{\"v\":\"")
                    .endsWith("\"},\"schema\":1,\"ts_ms\":9}");
            assertThat(plain.id()).isEqualTo(e.id());
        }
    }
}
