package io.sluice.mysql.decode;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Formats MySQL temporal values from their binlog encodings into the contract's strings, keeping zero and
 * partial dates as stored ({@code 0000-00-00}) and TIME values beyond 24 hours or negative.
 *
 * <p>The packed layouts follow the server's own definitions (MySQL 5.6.4+ "V2" temporal formats, which MariaDB
 * also writes with {@code mysql56_temporal_format=ON}, and the older pre-5.6 formats).
 */
final class Temporal {
    private Temporal() {
    }

    /** DATE: 3 bytes little-endian, {@code day | month << 5 | year << 9}. */
    static String date(int packed) {
        StringBuilder sb = new StringBuilder(10);
        appendDate(sb, packed >>> 9, (packed >>> 5) & 15, packed & 31);
        return sb.toString();
    }

    /** DATETIME2(fsp): 5 bytes big-endian with offset, then 0-3 bytes of fraction. */
    static String datetime2(long intPart, int micros, int fsp) {
        long ymdhms = intPart - 0x8000000000L;
        long ymd = ymdhms >>> 17;
        long ym = ymd >>> 5;
        long hms = ymdhms & ((1 << 17) - 1);
        StringBuilder sb = new StringBuilder(26);
        appendDate(sb, (int) (ym / 13), (int) (ym % 13), (int) (ymd & 31));
        sb.append('T');
        appendTime(sb, (int) (hms >>> 12), (int) ((hms >>> 6) & 63), (int) (hms & 63));
        appendFraction(sb, micros, fsp);
        return sb.toString();
    }

    /** Old DATETIME: 8 bytes little-endian decimal {@code YYYYMMDDhhmmss}. */
    static String datetimeOld(long v) {
        long d = v / 1_000_000L;
        long t = v % 1_000_000L;
        StringBuilder sb = new StringBuilder(19);
        appendDate(sb, (int) (d / 10000), (int) (d / 100 % 100), (int) (d % 100));
        sb.append('T');
        appendTime(sb, (int) (t / 10000), (int) (t / 100 % 100), (int) (t % 100));
        return sb.toString();
    }

    /** TIMESTAMP(fsp): seconds since the epoch (0 is the zero timestamp), in UTC with {@code Z}. */
    static String timestamp(long seconds, int micros, int fsp) {
        StringBuilder sb = new StringBuilder(28);
        if (seconds == 0 && micros == 0) {
            sb.append("0000-00-00T00:00:00");
        } else {
            LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            appendDate(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
            sb.append('T');
            appendTime(sb, t.getHour(), t.getMinute(), t.getSecond());
        }
        appendFraction(sb, micros, fsp);
        return sb.append('Z').toString();
    }

    /**
     * TIME2(fsp): the server's packed form, {@code (hms << 24) + micros}, negated for negative values, where
     * {@code hms = hour << 12 | minute << 6 | second}.
     */
    static String time2(long packed, int fsp) {
        boolean negative = packed < 0;
        long v = negative ? -packed : packed;
        long hms = v >>> 24;
        int micros = (int) (v & 0xFFFFFF);
        StringBuilder sb = new StringBuilder(18);
        if (negative) {
            sb.append('-');
        }
        appendTime(sb, (int) ((hms >>> 12) & 0x3FF), (int) ((hms >>> 6) & 63), (int) (hms & 63));
        appendFraction(sb, micros, fsp);
        return sb.toString();
    }

    /** The packed TIME2 value from its binlog bytes: 3 bytes big-endian, then fsp-dependent fraction bytes. */
    static long time2Packed(long intPart, byte[] frac, int fsp) {
        long ip = intPart - 0x800000L;
        switch (fsp) {
            case 1, 2 -> {
                int f = frac[0] & 0xFF;
                if (ip < 0 && f != 0) {
                    ip++;
                    f -= 0x100;
                }
                return (ip << 24) + f * 10000L;
            }
            case 3, 4 -> {
                int f = ((frac[0] & 0xFF) << 8) | (frac[1] & 0xFF);
                if (ip < 0 && f != 0) {
                    ip++;
                    f -= 0x10000;
                }
                return (ip << 24) + f * 100L;
            }
            case 5, 6 -> {
                long all = (intPart << 24) | ((frac[0] & 0xFFL) << 16) | ((frac[1] & 0xFFL) << 8) | (frac[2] & 0xFFL);
                return all - 0x800000000000L;
            }
            default -> {
                return ip << 24;
            }
        }
    }

    /** Old TIME: 3 bytes little-endian signed decimal {@code hhmmss}. */
    static String timeOld(int v) {
        boolean negative = v < 0;
        int a = Math.abs(v);
        StringBuilder sb = new StringBuilder(10);
        if (negative) {
            sb.append('-');
        }
        appendTime(sb, a / 10000, a / 100 % 100, a % 100);
        return sb.toString();
    }

    private static void appendDate(StringBuilder sb, int year, int month, int day) {
        pad(sb, year, 4);
        sb.append('-');
        pad(sb, month, 2);
        sb.append('-');
        pad(sb, day, 2);
    }

    private static void appendTime(StringBuilder sb, int hour, int minute, int second) {
        pad(sb, hour, 2);
        sb.append(':');
        pad(sb, minute, 2);
        sb.append(':');
        pad(sb, second, 2);
    }

    /** Appends {@code .} and exactly {@code fsp} digits of the microseconds, when fsp > 0. */
    static void appendFraction(StringBuilder sb, int micros, int fsp) {
        if (fsp <= 0) {
            return;
        }
        int digits = micros;
        for (int i = fsp; i < 6; i++) {
            digits /= 10;
        }
        sb.append('.');
        pad(sb, digits, fsp);
    }

    private static void pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }
}
