package io.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time test of plain text ({@link RenderedRows#plain}) against the byte-by-byte rule. */
class RenderedRowsPlainTest {

    private static boolean plainByte(int c) {
        return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
    }

    @Test
    void everyByteValueAtEveryPositionOfEveryLength() {
        for (int len = 0; len <= 20; len++) {
            byte[] b = new byte[len + 3];
            Arrays.fill(b, (byte) 'a');
            assertThat(RenderedRows.plain(b, len)).isTrue();
            for (int pos = 0; pos < len; pos++) {
                for (int v = 0; v < 256; v++) {
                    b[pos] = (byte) v;
                    assertThat(RenderedRows.plain(b, len)).as("byte %02x at %d of %d", v, pos, len)
                            .isEqualTo(plainByte(v));
                }
                b[pos] = 'a';
            }
            b[len] = '"'; // bytes past the length do not count
            assertThat(RenderedRows.plain(b, len)).isTrue();
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
                    assertThat(RenderedRows.plain(b, 16)).as("%02x %02x at %d", x, y, pos)
                            .isEqualTo(plainByte(x) && plainByte(y));
                }
            }
        }
    }

    @Test
    void aStringIsWrittenOnlyWhenPlain() {
        RenderedRows rows = new RenderedRows("p:", false, 0);
        rows.beginRow();
        assertThat(rows.putString("0123456789-0123456789".getBytes(StandardCharsets.US_ASCII), 21)).isTrue();
        assertThat(rows.position()).isEqualTo(23);
        assertThat(rows.putString("01234567\"9".getBytes(StandardCharsets.US_ASCII), 10)).isFalse();
        assertThat(rows.position()).isEqualTo(23);
        assertThat(rows.putString("caf\u00e9".getBytes(StandardCharsets.UTF_8), 5)).isFalse();
        rows.putLong(-5);
        rows.endAfter();
        rows.endRow(null, null);
        rows.finish(new String[0], (j, o, l) -> new Object[0], null, null);
        assertThat(new String(rows.arena(), 0, rows.position(), StandardCharsets.US_ASCII))
                .isEqualTo("\"0123456789-0123456789\"-5");
    }
}
