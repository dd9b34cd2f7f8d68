package io.sluice.core.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A text value held as the printable ASCII bytes it came in (no quote, backslash or control character), so the
 * codec can copy it into the JSON output without decoding or escaping it. Equal to another only byte for byte.
 * Build one with {@link #ofSafe}, which says no when the bytes need more care.
 */
public final class AsciiText {
    private final byte[] bytes;

    private AsciiText(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The bytes as text when all are printable ASCII other than {@code "} and {@code \}; else null. */
    public static AsciiText ofSafe(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b < 0x20 || b == '"' || b == '\\' || b == 0x7F) {
                return null; // negative bytes (non-ASCII) are below 0x20 too
            }
        }
        return new AsciiText(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
    }

    /** The text when it is all printable ASCII other than {@code "} and {@code \}; else null. */
    public static AsciiText ofSafe(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return ofSafe(b, b.length);
    }

    /**
     * The text's bytes, the array itself, not a copy: for the encoder, which copies them into the JSON as they are.
     * Callers must not change it.
     */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsciiText t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
