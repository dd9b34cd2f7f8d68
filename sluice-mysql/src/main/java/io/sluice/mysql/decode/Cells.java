package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;

/**
 * Reads binlog cells whose default decoding in the binlog library loses information (zero dates, negative or
 * long TIME values, the zero YEAR, character bytes, 64-bit BIT values). Shared by the three rows deserializers
 * (from the library's stream) and by {@link RowDecoder} (from the event's bytes: the {@code byte[]} forms, which
 * the stream forms call). Temporal values come out as typed values ({@code io.sluice.core.value}); strings as raw
 * bytes, decoded later with the column's character set.
 */
final class Cells {
    /** Returned by {@link #read} for types the library decodes well enough itself. */
    static final Serializable LIBRARY = new Serializable() {};

    private Cells() {}

    /** Reads one cell of the given (real) column type, or returns {@link #LIBRARY} to let the library read it. */
    static Serializable read(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> Temporal.date(in.readInteger(3));
            case TIME -> timeOld(in.readInteger(3));
            case TIME_V2 -> time2(meta, in.read(3 + fractionBytes(meta)), 0);
            case TIMESTAMP -> Temporal.timestamp(in.readLong(4), 0, 0);
            case TIMESTAMP_V2 -> timestamp2(meta, in.read(4 + fractionBytes(meta)), 0);
            case DATETIME -> Temporal.datetimeOld(in.readLong(8));
            case DATETIME_V2 -> datetime2(meta, in.read(5 + fractionBytes(meta)), 0);
            case YEAR -> year(in.readInteger(1));
            case BIT -> bit(in.read(bitBytes(meta)));
            case STRING -> in.read(length < 256 ? in.readInteger(1) : in.readInteger(2));
            case VARCHAR, VAR_STRING -> in.read(meta < 256 ? in.readInteger(1) : in.readInteger(2));
            default -> LIBRARY;
        };
    }

    /** Old TIME: 3 bytes little-endian signed decimal {@code hhmmss} (the unsigned 24 bits as read). */
    static TimeValue timeOld(int v) {
        if ((v & 0x800000) != 0) {
            v |= 0xFF000000;
        }
        return Temporal.timeOld(v);
    }

    /** TIME2(fsp) read from the stream. */
    static Serializable time2(int fsp, ByteArrayInputStream in) throws IOException {
        return time2(fsp, in.read(3 + fractionBytes(fsp)), 0);
    }

    /** TIME2(fsp) at {@code b[p]}: 3 bytes big-endian, then the fraction's bytes. */
    static TimeValue time2(int fsp, byte[] b, int p) {
        long intPart = bigEndian(b, p, 3);
        return Temporal.time2(Temporal.time2Packed(intPart, b, p + 3, fsp), fsp);
    }

    /** TIMESTAMP2(fsp) at {@code b[p]}: 4 bytes big-endian of the epoch seconds, then the fraction's bytes. */
    static TimestampValue timestamp2(int fsp, byte[] b, int p) {
        return Temporal.timestamp(bigEndian(b, p, 4), fraction(fsp, b, p + 4), fsp);
    }

    /** DATETIME2(fsp) at {@code b[p]}: 5 bytes big-endian with offset, then the fraction's bytes. */
    static DateTimeValue datetime2(int fsp, byte[] b, int p) {
        return Temporal.datetime2(bigEndian(b, p, 5), fraction(fsp, b, p + 5), fsp);
    }

    /** YEAR from its byte: 0 stays the zero year. */
    static Integer year(int v) {
        return v == 0 ? 0 : 1900 + v;
    }

    /** BIT(n) from its (n + 7) / 8 bytes big-endian: a Long, or a BigInteger when the top bit of 64 is set. */
    static Serializable bit(byte[] bytes) {
        if (bytes.length == 8 && bytes[0] < 0) {
            return new BigInteger(1, bytes);
        }
        return bigEndian(bytes, 0, bytes.length);
    }

    /** The bytes of a BIT column's value, from its metadata (bytes and bits). */
    static int bitBytes(int meta) {
        int bits = (meta >> 8) * 8 + (meta & 0xFF);
        return (bits + 7) >> 3;
    }

    /** The bytes of a temporal value's fraction: fsp digits rounded up to even, two a byte. */
    static int fractionBytes(int fsp) {
        return (fsp + 1) / 2;
    }

    /** Fractional seconds as microseconds: 0-3 big-endian bytes at {@code b[p]} holding fsp digits. */
    private static int fraction(int fsp, byte[] b, int p) {
        int bytes = fractionBytes(fsp);
        if (bytes == 0) {
            return 0;
        }
        int v = (int) bigEndian(b, p, bytes);
        return switch (bytes) {
            case 1 -> v * 10000;
            case 2 -> v * 100;
            default -> v;
        };
    }

    static long bigEndian(byte[] b, int p, int n) {
        long v = 0;
        for (int i = p; i < p + n; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
