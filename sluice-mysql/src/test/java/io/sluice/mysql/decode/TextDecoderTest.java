package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import org.junit.jupiter.api.Test;

class TextDecoderTest {
    @Test
    void latin1IsWindows1252WithTheUndefinedBytesKeptAsControls() {
        TextDecoder d = TextDecoder.forCharset("latin1");
        assertThat(d.decode(new byte[] {(byte) 0x80, (byte) 0xE9, (byte) 0x9D, 0x41}))
                .isEqualTo("€é\u009DA");
    }

    @Test
    void unknownCharsetIsAClearError() {
        assertThatThrownBy(() -> TextDecoder.forCharset("klingon"))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("klingon")
                .hasMessageContaining("utf8mb4");
    }
}
