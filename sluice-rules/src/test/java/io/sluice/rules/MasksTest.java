package io.sluice.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code keep-last: n} counts code points from the end: a character outside the BMP is one, never cut in half. */
class MasksTest {
    @Test
    void keepLastCountsCodePointsFromTheEnd() {
        assertThat(Masks.keepLast("0123456789", 4)).isEqualTo("******6789");
        assertThat(Masks.keepLast("abcd", 4)).isEqualTo("abcd");
        assertThat(Masks.keepLast("abc", 4)).isEqualTo("abc");
        assertThat(Masks.keepLast("", 4)).isEqualTo("");
        assertThat(Masks.keepLast("abc", 0)).isEqualTo("***");
        String grin = "\uD83D\uDE00"; // one code point, two chars
        assertThat(Masks.keepLast("a" + grin + "b" + grin, 2)).isEqualTo("**b" + grin);
        assertThat(Masks.keepLast(grin + grin + grin, 1)).isEqualTo("**" + grin);
        assertThat(Masks.keepLast(grin + "xy", 2)).isEqualTo("*xy");
        assertThat(Masks.keepLast("é" + grin + "ü", 3)).isEqualTo("é" + grin + "ü");
        assertThat(new Masks(java.util.Map.of()).mask(new RuleSpec.Mask.KeepLast(2), 123456L))
                .isEqualTo("****56");
    }
}
