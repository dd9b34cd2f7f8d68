package io.sluice.core.encode;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * JSON already rendered to UTF-8 bytes ({@code utf8[off, off + len)}), for Jackson to copy into its output
 * ({@code writeRawValue}). Only the unquoted forms make sense for it; the quoted ones are not used by a raw write.
 */
final class RenderedJson implements SerializableString {
    private final byte[] utf8;
    private final int off;
    private final int len;

    RenderedJson(byte[] utf8) {
        this(utf8, 0, utf8.length);
    }

    RenderedJson(byte[] utf8, int off, int len) {
        this.utf8 = utf8;
        this.off = off;
        this.len = len;
    }

    @Override
    public String getValue() {
        return new String(utf8, off, len, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return off == 0 && len == utf8.length ? utf8 : java.util.Arrays.copyOfRange(utf8, off, off + len);
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + len > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, off, buffer, offset, len);
        return len;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String s = getValue();
        if (offset + s.length() > buffer.length) {
            return -1;
        }
        s.getChars(0, s.length(), buffer, offset);
        return s.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8, off, len);
        return len;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw new UnsupportedOperationException("rendered JSON is written raw");
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < len) {
            return -1;
        }
        buffer.put(utf8, off, len);
        return len;
    }
}
