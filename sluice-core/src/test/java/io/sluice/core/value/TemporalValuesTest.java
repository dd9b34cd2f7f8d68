package io.sluice.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemporalValuesTest {

    @Test
    void eachTextReadsBackAsTheSameValue() {
        for (String s : new String[] {"2024-02-29", "0000-00-00", "2024-00-00", "9999-12-31"}) {
            assertThat(DateValue.parse(s).toString()).isEqualTo(s);
        }
        for (String s : new String[] {
            "-100:00:00", "838:59:59", "-838:59:59.000000", "-00:00:00.001", "12:00:00.01", "10:11:12.12345", "00:00:00"
        }) {
            assertThat(TimeValue.parse(s).toString()).isEqualTo(s);
        }
        for (String s : new String[] {
            "2024-02-29T13:45:01.250000", "0000-00-00T00:00:00", "0000-00-00T00:00:00.000", "2024-01-02T03:04:05.6"
        }) {
            assertThat(DateTimeValue.parse(s).toString()).isEqualTo(s);
        }
        for (String s : new String[] {
            "2024-02-29T12:45:01.250Z",
            "0000-00-00T00:00:00Z",
            "0000-00-00T00:00:00.000000Z",
            "2038-01-19T03:14:07.999999Z",
            "2106-02-07T06:28:15Z"
        }) {
            assertThat(TimestampValue.parse(s).toString()).isEqualTo(s);
        }
    }

    @Test
    void theServersTextWithASpaceReadsAsTheContractsWithT() {
        assertThat(DateTimeValue.parse("2024-02-29 13:45:01.250000"))
                .isEqualTo(new DateTimeValue(2024, 2, 29, 13, 45, 1, 250000, 6));
        assertThat(TimestampValue.parse("2024-02-29 12:45:01.25"))
                .isEqualTo(new TimestampValue(1709210701L, 250000, 2));
        assertThat(TimestampValue.parse("0000-00-00 00:00:00").zero()).isTrue();
        assertThat(TimeValue.parse("-01:00:00.000001")).isEqualTo(new TimeValue(true, 1, 0, 0, 1, 6));
    }

    @Test
    void timestampsAreWrittenAsJavaTimeWritesTheirUtcDateTime() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        SplittableRandom r = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            long s = i < 10 ? 1 + i * 86_399L : r.nextLong(1, 253_402_300_800L);
            String expected = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC).format(f) + "Z";
            assertThat(new TimestampValue(s, 0, 0).toString()).as("second " + s).isEqualTo(expected);
        }
        assertThat(new TimestampValue(1, 0, 0).toInstant()).hasToString("1970-01-01T00:00:01Z");
        assertThat(new TimestampValue(0, 0, 3).toInstant()).isNull();
    }

    @Test
    void fieldsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new DateValue(2024, 13, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeValue(false, 1, 60, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DateTimeValue(2024, 1, 1, 0, 0, 0, 0, 7))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeValue.parse("12:00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesAreCopiedInAndOutAndEqualByContent() {
        byte[] a = {1, 2, 3};
        Bytes b = Bytes.of(a);
        a[0] = 9;
        assertThat(b.at(0)).isEqualTo((byte) 1);
        b.toArray()[1] = 9;
        assertThat(b).isEqualTo(Bytes.of(new byte[] {1, 2, 3})).hasToString("0x010203");
        assertThat(b.buffer().isReadOnly()).isTrue();
        assertThat(b.hashCode()).isEqualTo(Bytes.of(new byte[] {1, 2, 3}).hashCode());
    }
}
