package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemporalTest {

    /** Encodes a TIME2 value the way the server does, then decodes it. */
    private static String time2(boolean negative, int h, int m, int s, int micros, int fsp) {
        long hms = ((long) h << 12) | ((long) m << 6) | s;
        long packed = (hms << 24) + micros;
        if (negative) {
            packed = -packed;
        }
        long intPart;
        byte[] frac;
        // as the server's my_time_packed_to_binary: arithmetic shift for the int part, C remainder for the fraction
        long ip = packed >> 24;
        int rem = (int) (packed % (1 << 24));
        switch (fsp) {
            case 1, 2 -> {
                intPart = ip + 0x800000L;
                frac = new byte[] {(byte) (rem / 10000)};
            }
            case 3, 4 -> {
                int f = rem / 100;
                intPart = ip + 0x800000L;
                frac = new byte[] {(byte) (f >> 8), (byte) f};
            }
            case 5, 6 -> {
                long stored = packed + 0x800000000000L;
                intPart = stored >>> 24;
                frac = new byte[] {(byte) (stored >> 16), (byte) (stored >> 8), (byte) stored};
            }
            default -> {
                intPart = ip + 0x800000L;
                frac = new byte[0];
            }
        }
        return Temporal.time2(Temporal.time2Packed(intPart, frac, fsp), fsp);
    }

    @Test
    void timeBeyondADayAndNegativeKeepsItsSignAndHours() {
        assertThat(time2(true, 100, 0, 0, 0, 0)).isEqualTo("-100:00:00");
        assertThat(time2(false, 838, 59, 59, 0, 0)).isEqualTo("838:59:59");
        assertThat(time2(false, 0, 0, 0, 0, 0)).isEqualTo("00:00:00");
    }

    @Test
    void negativeTimeWithFractionsAtEveryPrecision() {
        assertThat(time2(true, 0, 0, 1, 500000, 2)).isEqualTo("-00:00:01.50");
        assertThat(time2(true, 12, 34, 56, 789000, 3)).isEqualTo("-12:34:56.789");
        assertThat(time2(true, 0, 0, 0, 1000, 3)).isEqualTo("-00:00:00.001");
        assertThat(time2(true, 1, 0, 0, 1, 6)).isEqualTo("-01:00:00.000001");
        assertThat(time2(true, 0, 0, 0, 100000, 1)).isEqualTo("-00:00:00.1");
        assertThat(time2(false, 10, 11, 12, 123450, 5)).isEqualTo("10:11:12.12345");
        assertThat(time2(true, 838, 59, 59, 0, 4)).isEqualTo("-838:59:59.0000");
    }

    @Test
    void datesKeepZeroAndPartialParts() {
        assertThat(Temporal.date((2024 << 9) | (2 << 5) | 29)).isEqualTo("2024-02-29");
        assertThat(Temporal.date(0)).isEqualTo("0000-00-00");
        assertThat(Temporal.date(2024 << 9)).isEqualTo("2024-00-00");
    }

    @Test
    void datetimeAndTimestampFractionsHaveExactlyPDigits() {
        long ym = 2024L * 13 + 2;
        long ymdhms = (((ym << 5) | 29) << 17) | (13L << 12) | (45L << 6) | 1;
        assertThat(Temporal.datetime2(ymdhms + 0x8000000000L, 250000, 6)).isEqualTo("2024-02-29T13:45:01.250000");
        assertThat(Temporal.datetime2(ymdhms + 0x8000000000L, 250000, 2)).isEqualTo("2024-02-29T13:45:01.25");
        assertThat(Temporal.datetime2(0x8000000000L, 0, 0)).isEqualTo("0000-00-00T00:00:00");
        assertThat(Temporal.datetime2(0x8000000000L, 0, 3)).isEqualTo("0000-00-00T00:00:00.000");
        assertThat(Temporal.timestamp(1709210701L, 250000, 3)).isEqualTo("2024-02-29T12:45:01.250Z");
        assertThat(Temporal.timestamp(0, 0, 0)).isEqualTo("0000-00-00T00:00:00Z");
        assertThat(Temporal.timestamp(0, 0, 6)).isEqualTo("0000-00-00T00:00:00.000000Z");
        assertThat(Temporal.datetimeOld(20240229134501L)).isEqualTo("2024-02-29T13:45:01");
        assertThat(Temporal.timeOld(-1000000)).isEqualTo("-100:00:00");
    }
}
