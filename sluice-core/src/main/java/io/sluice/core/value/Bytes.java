package io.sluice.core.value;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: the value of a BINARY, VARBINARY, BLOB or GEOMETRY column (encoded as base64). Equal to
 * another byte for byte. The array inside is never handed out.
 */
public final class Bytes {
    private static final Bytes EMPTY = new Bytes(new byte[0]);
    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of the given bytes. */
    public static Bytes of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /**
     * The given array as a value, not copied: the caller hands it over and neither it nor anyone else may change it
     * afterwards (a decoder's freshly read cell).
     */
    public static Bytes adopt(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public byte at(int i) {
        return bytes[i];
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** The bytes as a read-only buffer (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** A stream of the bytes (no copy). */
    public InputStream stream() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The bytes in hex, for logs and test messages. */
    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
