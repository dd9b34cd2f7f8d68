package io.sluice.core.value;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A TIMESTAMP: an instant (seconds since the epoch, UTC) or the zero timestamp, which MySQL stores as 0 (the epoch
 * itself is outside a TIMESTAMP's range). Text {@code YYYY-MM-DDTHH:MM:SS} in UTC, {@code .} and exactly {@code fsp}
 * digits when fsp &gt; 0, then {@code Z}; the zero timestamp is {@code 0000-00-00T00:00:00Z} (with its fsp zeros).
 *
 * @param epochSecond seconds since 1970-01-01T00:00:00Z, 0 for the zero timestamp
 * @param micros      0-999999
 * @param fsp         fraction digits of the column, 0-6
 */
public record TimestampValue(long epochSecond, int micros, int fsp) implements TemporalValue, java.io.Serializable {
    public TimestampValue {
        if (epochSecond < 0 || epochSecond > 253_402_300_799L) {
            throw new IllegalArgumentException("seconds out of range: " + epochSecond);
        }
        TemporalText.check(micros >= 0 && micros <= 999_999, "microseconds", micros);
        TemporalText.check(fsp >= 0 && fsp <= 6, "fsp", fsp);
    }

    /** True for the zero timestamp ({@code 0000-00-00 00:00:00}). */
    public boolean zero() {
        return epochSecond == 0 && micros == 0;
    }

    /** The instant, or null for the zero timestamp. */
    public Instant toInstant() {
        return zero() ? null : Instant.ofEpochSecond(epochSecond, micros * 1000L);
    }

    /**
     * Reads {@code YYYY-MM-DD HH:MM:SS[.f..]} in UTC, with {@code T} or a space between date and time and an optional
     * {@code Z} (the server's text in a UTC session and the contract's); a zero date is the zero timestamp.
     */
    public static TimestampValue parse(String text) {
        int[] f = new int[8];
        TemporalText.Reader r = new TemporalText.Reader(text);
        DateTimeValue.readDateTime(r, f);
        r.take('Z');
        r.end();
        if (f[0] == 0 && f[1] == 0 && f[2] == 0) {
            return new TimestampValue(0, f[6], f[7]);
        }
        long s = LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5]).toEpochSecond(ZoneOffset.UTC);
        return new TimestampValue(s, f[6], f[7]);
    }

    @Override
    public int writeText(byte[] into, int at) {
        if (zero()) {
            at = TemporalText.date(into, at, 0, 0, 0);
            into[at++] = 'T';
            at = TemporalText.time(into, at, 0, 0, 0);
        } else {
            // civil date from days since the epoch (proleptic Gregorian, eras of 400 years), no allocation
            long days = Math.floorDiv(epochSecond, 86_400L);
            int secs = (int) (epochSecond - days * 86_400L);
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            int doe = (int) (z - era * 146_097);
            int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            int mp = (5 * doy + 2) / 153;
            int day = doy - (153 * mp + 2) / 5 + 1;
            int month = mp < 10 ? mp + 3 : mp - 9;
            int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
            at = TemporalText.date(into, at, year, month, day);
            into[at++] = 'T';
            at = TemporalText.time(into, at, secs / 3600, secs / 60 % 60, secs % 60);
        }
        at = TemporalText.fraction(into, at, micros, fsp);
        into[at++] = 'Z';
        return at;
    }

    @Override
    public String toString() {
        return TemporalValue.text(this);
    }
}
