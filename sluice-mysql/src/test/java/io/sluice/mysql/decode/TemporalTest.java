package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class TemporalTest {

    /** Encodes a TIME2 value the way the server does, then decodes it. */
    private static String time2(boolean negative, int h, int m, int s, int micros, int fsp) throws Exception {
        return Cells.time2(fsp, new ByteArrayInputStream(BinlogCells.time2(negative, h, m, s, micros, fsp)))
                .toString();
    }

    @Test
    void timeBeyondADayAndNegativeKeepsItsSignAndHours() throws Exception {
        assertThat(time2(true, 100, 0, 0, 0, 0)).isEqualTo("-100:00:00");
        assertThat(time2(false, 838, 59, 59, 0, 0)).isEqualTo("838:59:59");
        assertThat(time2(false, 0, 0, 0, 0, 0)).isEqualTo("00:00:00");
    }

    @Test
    void negativeTimeWithFractionsAtEveryPrecision() throws Exception {
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
        assertThat(Temporal.date((2024 << 9) | (2 << 5) | 29).toString()).isEqualTo("2024-02-29");
        assertThat(Temporal.date(0).toString()).isEqualTo("0000-00-00");
        assertThat(Temporal.date(2024 << 9).toString()).isEqualTo("2024-00-00");
    }

    @Test
    void datetimeAndTimestampFractionsHaveExactlyPDigits() {
        long ym = 2024L * 13 + 2;
        long ymdhms = (((ym << 5) | 29) << 17) | (13L << 12) | (45L << 6) | 1;
        assertThat(Temporal.datetime2(ymdhms + 0x8000000000L, 250000, 6).toString())
                .isEqualTo("2024-02-29T13:45:01.250000");
        assertThat(Temporal.datetime2(ymdhms + 0x8000000000L, 250000, 2).toString())
                .isEqualTo("2024-02-29T13:45:01.25");
        assertThat(Temporal.datetime2(0x8000000000L, 0, 0).toString()).isEqualTo("0000-00-00T00:00:00");
        assertThat(Temporal.datetime2(0x8000000000L, 0, 3).toString()).isEqualTo("0000-00-00T00:00:00.000");
        assertThat(Temporal.timestamp(1709210701L, 250000, 3).toString()).isEqualTo("2024-02-29T12:45:01.250Z");
        assertThat(Temporal.timestamp(0, 0, 0).toString()).isEqualTo("0000-00-00T00:00:00Z");
        assertThat(Temporal.timestamp(0, 0, 6).toString()).isEqualTo("0000-00-00T00:00:00.000000Z");
        assertThat(Temporal.datetimeOld(20240229134501L).toString()).isEqualTo("2024-02-29T13:45:01");
        assertThat(Temporal.timeOld(-1000000).toString()).isEqualTo("-100:00:00");
    }
}
