package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;

/**
 * Reads binlog cells whose default decoding in the binlog library loses information (zero dates, negative or
 * long TIME values, the zero YEAR, character bytes, 64-bit BIT values). Shared by the three rows deserializers.
 * Temporal values come out as typed values ({@code io.sluice.core.value}); strings as raw bytes, decoded later
 * with the column's character set.
 */
final class Cells {
    /** Returned by {@link #read} for types the library decodes well enough itself. */
    static final Serializable LIBRARY = new Serializable() {};

    private Cells() {}

    /** Reads one cell of the given (real) column type, or returns {@link #LIBRARY} to let the library read it. */
    static Serializable read(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in);
            case TIME -> timeOld(in);
            case TIME_V2 -> time2(meta, in);
            case TIMESTAMP -> timestampOld(in);
            case TIMESTAMP_V2 -> timestamp2(meta, in);
            case DATETIME -> datetimeOld(in);
            case DATETIME_V2 -> datetime2(meta, in);
            case YEAR -> year(in);
            case BIT -> bit(meta, in);
            case STRING -> string(length, in);
            case VARCHAR, VAR_STRING -> varString(meta, in);
            default -> LIBRARY;
        };
    }

    static Serializable date(ByteArrayInputStream in) throws IOException {
        return Temporal.date(in.readInteger(3));
    }

    static Serializable timeOld(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(3);
        if ((v & 0x800000) != 0) {
            v |= 0xFF000000;
        }
        return Temporal.timeOld(v);
    }

    static Serializable time2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in.read(3));
        byte[] frac = in.read((fsp + 1) / 2);
        return Temporal.time2(Temporal.time2Packed(intPart, frac, fsp), fsp);
    }

    static Serializable timestampOld(ByteArrayInputStream in) throws IOException {
        return Temporal.timestamp(in.readLong(4), 0, 0);
    }

    static Serializable timestamp2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        return Temporal.timestamp(seconds, fraction(fsp, in), fsp);
    }

    static Serializable datetimeOld(ByteArrayInputStream in) throws IOException {
        return Temporal.datetimeOld(in.readLong(8));
    }

    static Serializable datetime2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in.read(5));
        return Temporal.datetime2(intPart, fraction(fsp, in), fsp);
    }

    static Serializable year(ByteArrayInputStream in) throws IOException {
        int v = in.readInteger(1);
        return v == 0 ? 0 : 1900 + v;
    }

    static Serializable bit(int meta, ByteArrayInputStream in) throws IOException {
        int bits = (meta >> 8) * 8 + (meta & 0xFF);
        byte[] bytes = in.read((bits + 7) >> 3);
        if (bytes.length == 8 && bytes[0] < 0) {
            return new BigInteger(1, bytes);
        }
        return bigEndian(bytes);
    }

    static Serializable string(int length, ByteArrayInputStream in) throws IOException {
        int n = length < 256 ? in.readInteger(1) : in.readInteger(2);
        return in.read(n);
    }

    static Serializable varString(int meta, ByteArrayInputStream in) throws IOException {
        int n = meta < 256 ? in.readInteger(1) : in.readInteger(2);
        return in.read(n);
    }

    /** Fractional seconds as microseconds: 0-3 big-endian bytes holding fsp digits (rounded up to even). */
    private static int fraction(int fsp, ByteArrayInputStream in) throws IOException {
        int bytes = (fsp + 1) / 2;
        if (bytes == 0) {
            return 0;
        }
        int v = (int) bigEndian(in.read(bytes));
        return switch (bytes) {
            case 1 -> v * 10000;
            case 2 -> v * 100;
            default -> v;
        };
    }

    static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
