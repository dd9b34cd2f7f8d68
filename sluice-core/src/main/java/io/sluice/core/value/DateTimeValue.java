package io.sluice.core.value;

/**
 * A DATETIME as stored, without zone: zero and partial dates kept. Text {@code YYYY-MM-DDTHH:MM:SS}, then {@code .}
 * and exactly {@code fsp} digits when fsp &gt; 0.
 *
 * @param year   0-9999
 * @param month  0-12
 * @param day    0-31
 * @param hour   0-23
 * @param minute 0-59
 * @param second 0-59
 * @param micros 0-999999
 * @param fsp    fraction digits of the column, 0-6
 */
public record DateTimeValue(int year, int month, int day, int hour, int minute, int second, int micros, int fsp)
        implements TemporalValue, java.io.Serializable {
    public DateTimeValue {
        TemporalText.checkDate(year, month, day);
        TemporalText.check(hour >= 0 && hour <= 23, "hour", hour);
        TemporalText.checkClock(minute, second, micros, fsp);
    }

    /**
     * Reads {@code YYYY-MM-DD HH:MM:SS[.f..]}, with {@code T} or a space between date and time (the server's text
     * and the contract's); the fraction's digits give {@link #fsp}.
     */
    public static DateTimeValue parse(String text) {
        int[] f = new int[8];
        TemporalText.Reader r = new TemporalText.Reader(text);
        readDateTime(r, f);
        r.end();
        return new DateTimeValue(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }

    /** Reads date, time and fraction into {@code f}: year, month, day, hour, minute, second, micros, fsp. */
    static void readDateTime(TemporalText.Reader r, int[] f) {
        r.numbers('-', 3, f, 0);
        if (!r.takeEither('T', ' ')) {
            throw r.bad();
        }
        r.numbers(':', 3, f, 3);
        int[] fsp = new int[1];
        f[6] = r.fraction(fsp);
        f[7] = fsp[0];
    }

    @Override
    public int writeText(byte[] into, int at) {
        at = TemporalText.date(into, at, year, month, day);
        into[at++] = 'T';
        at = TemporalText.time(into, at, hour, minute, second);
        return TemporalText.fraction(into, at, micros, fsp);
    }

    @Override
    public String toString() {
        return TemporalValue.text(this);
    }
}
