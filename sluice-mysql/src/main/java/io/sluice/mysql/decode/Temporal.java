package io.sluice.mysql.decode;

import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;

/**
 * Reads MySQL temporal values from their binlog encodings into the typed temporal values, keeping zero and
 * partial dates as stored ({@code 0000-00-00}) and TIME values beyond 24 hours or negative.
 *
 * <p>The packed layouts follow the server's own definitions (MySQL 5.6.4+ "V2" temporal formats, which MariaDB
 * also writes with {@code mysql56_temporal_format=ON}, and the older pre-5.6 formats).
 */
final class Temporal {
    private Temporal() {}

    /** DATE: 3 bytes little-endian, {@code day | month << 5 | year << 9}. */
    static DateValue date(int packed) {
        return new DateValue(packed >>> 9, (packed >>> 5) & 15, packed & 31);
    }

    /** DATETIME2(fsp): 5 bytes big-endian with offset, then 0-3 bytes of fraction. */
    static DateTimeValue datetime2(long intPart, int micros, int fsp) {
        long ymdhms = intPart - 0x8000000000L;
        long ymd = ymdhms >>> 17;
        long ym = ymd >>> 5;
        long hms = ymdhms & ((1 << 17) - 1);
        return new DateTimeValue(
                (int) (ym / 13),
                (int) (ym % 13),
                (int) (ymd & 31),
                (int) (hms >>> 12),
                (int) ((hms >>> 6) & 63),
                (int) (hms & 63),
                micros,
                fsp);
    }

    /** Old DATETIME: 8 bytes little-endian decimal {@code YYYYMMDDhhmmss}. */
    static DateTimeValue datetimeOld(long v) {
        long d = v / 1_000_000L;
        long t = v % 1_000_000L;
        return new DateTimeValue(
                (int) (d / 10000),
                (int) (d / 100 % 100),
                (int) (d % 100),
                (int) (t / 10000),
                (int) (t / 100 % 100),
                (int) (t % 100),
                0,
                0);
    }

    /** TIMESTAMP(fsp): seconds since the epoch (0 is the zero timestamp). */
    static TimestampValue timestamp(long seconds, int micros, int fsp) {
        return new TimestampValue(seconds, micros, fsp);
    }

    /**
     * TIME2(fsp): the server's packed form, {@code (hms << 24) + micros}, negated for negative values, where
     * {@code hms = hour << 12 | minute << 6 | second}.
     */
    static TimeValue time2(long packed, int fsp) {
        boolean negative = packed < 0;
        long v = negative ? -packed : packed;
        long hms = v >>> 24;
        int micros = (int) (v & 0xFFFFFF);
        return new TimeValue(
                negative, (int) ((hms >>> 12) & 0x3FF), (int) ((hms >>> 6) & 63), (int) (hms & 63), micros, fsp);
    }

    /** The packed TIME2 value from its binlog bytes: 3 bytes big-endian, then fsp-dependent fraction bytes at {@code frac[at]}. */
    static long time2Packed(long intPart, byte[] frac, int at, int fsp) {
        long ip = intPart - 0x800000L;
        switch (fsp) {
            case 1, 2 -> {
                int f = frac[at] & 0xFF;
                if (ip < 0 && f != 0) {
                    ip++;
                    f -= 0x100;
                }
                return (ip << 24) + f * 10000L;
            }
            case 3, 4 -> {
                int f = ((frac[at] & 0xFF) << 8) | (frac[at + 1] & 0xFF);
                if (ip < 0 && f != 0) {
                    ip++;
                    f -= 0x10000;
                }
                return (ip << 24) + f * 100L;
            }
            case 5, 6 -> {
                long all = (intPart << 24)
                        | ((frac[at] & 0xFFL) << 16)
                        | ((frac[at + 1] & 0xFFL) << 8)
                        | (frac[at + 2] & 0xFFL);
                return all - 0x800000000000L;
            }
            default -> {
                return ip << 24;
            }
        }
    }

    /** Old TIME: 3 bytes little-endian signed decimal {@code hhmmss}. */
    static TimeValue timeOld(int v) {
        boolean negative = v < 0;
        int a = Math.abs(v);
        return new TimeValue(negative, a / 10000, a / 100 % 100, a % 100, 0, 0);
    }
}
