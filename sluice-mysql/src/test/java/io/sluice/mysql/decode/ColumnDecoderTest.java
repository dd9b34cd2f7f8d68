package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.event.AsciiText;
import io.sluice.mysql.schema.ColumnDef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ColumnDecoderTest {
    private static ColumnDef col(int type, int meta, int length, boolean unsigned, String charset, String[] labels) {
        return new ColumnDef("c", type, meta, length, unsigned, charset, labels, null, true);
    }

    @Test
    void anUnknownBinlogTypeIsAClearErrorNamingTheColumn() {
        assertThatThrownBy(() -> ColumnDecoder.of(col(99, 0, 0, false, null, null)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("column c")
                .hasMessageContaining("type 99");
    }

    @Test
    void unsignedIntegersUseTheFullRange() {
        assertThat(ColumnDecoder.of(col(ColumnDef.TINY, 0, 0, true, null, null)).decode(-1))
                .isEqualTo(255);
        assertThat(ColumnDecoder.of(col(ColumnDef.LONG, 0, 0, true, null, null)).decode(-1))
                .isEqualTo(4294967295L);
        assertThat(ColumnDecoder.of(col(ColumnDef.LONGLONG, 0, 0, true, null, null))
                        .decode(-1L))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(ColumnDecoder.of(col(ColumnDef.LONGLONG, 0, 0, false, null, null))
                        .decode(-1L))
                .isEqualTo(-1L);
    }

    @Test
    void decimalsAreStringsWithTheColumnsScale() {
        // the library keeps precision in the low byte and scale in the high byte of the metadata
        ColumnDecoder d = ColumnDecoder.of(col(ColumnDef.NEWDECIMAL, (4 << 8) | 10, 0, false, null, null));
        assertThat(d.decode(new BigDecimal("19.9")).toString()).isEqualTo("19.9000");
        assertThat(d.decode(new BigDecimal("-0.5")).toString()).isEqualTo("-0.5000");
    }

    @Test
    void enumAndSetLabelsIncludingTheInvalidEmptyValue() {
        String[] labels = {"new", "paid", "shipped"};
        ColumnDecoder e = ColumnDecoder.of(col(ColumnDef.ENUM, 0, 1, false, null, labels));
        assertThat(e.decode(0)).isEqualTo("");
        assertThat(e.decode(2)).isEqualTo("paid");
        assertThatThrownBy(() -> e.decode(9))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("index 9");
        ColumnDecoder s = ColumnDecoder.of(col(ColumnDef.SET, 0, 1, false, null, labels));
        assertThat(s.decode(0b101L)).isEqualTo("new,shipped");
        assertThat(s.decode(0L)).isEqualTo("");
    }

    @Test
    void charKeepsNoTrailingSpacesAndBinaryKeepsItsPadding() {
        ColumnDecoder c = ColumnDecoder.of(col(ColumnDef.STRING, 0, 40, false, "utf8mb4", null));
        assertThat(c.decode("ab  ".getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("ab");
        assertThat(c.decode("é ".getBytes(StandardCharsets.UTF_8))).isEqualTo("é");
        assertThat(c.decode("ab".getBytes(StandardCharsets.UTF_8))).isInstanceOf(AsciiText.class);
        ColumnDecoder b = ColumnDecoder.of(col(ColumnDef.STRING, 0, 4, false, "binary", null));
        assertThat(b.decode(new byte[] {1})).isEqualTo(io.sluice.core.value.Bytes.of(new byte[] {1, 0, 0, 0}));
        ColumnDecoder v = ColumnDecoder.of(col(ColumnDef.VARCHAR, 0, 0, false, "utf8mb4", null));
        assertThat(v.decode("a\"b ".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\"b ");
    }
}
