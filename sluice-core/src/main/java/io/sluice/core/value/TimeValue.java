package io.sluice.core.value;

/**
 * A TIME: a signed duration up to 838:59:59 (as MySQL allows), not a time of day. Text {@code [-]HH:MM:SS}, hours
 * with more digits when beyond 99, then {@code .} and exactly {@code fsp} digits when fsp &gt; 0.
 *
 * @param negative the value is below zero
 * @param hours    0-1023
 * @param minutes  0-59
 * @param seconds  0-59
 * @param micros   0-999999
 * @param fsp      fraction digits of the column, 0-6
 */
public record TimeValue(boolean negative, int hours, int minutes, int seconds, int micros, int fsp)
        implements TemporalValue, java.io.Serializable {
    public TimeValue {
        TemporalText.check(hours >= 0 && hours <= 1023, "hours", hours);
        TemporalText.checkClock(minutes, seconds, micros, fsp);
    }

    /** Reads {@code [-]H..:MM:SS[.f..]}; the fraction's digits give {@link #fsp}. */
    public static TimeValue parse(String text) {
        TemporalText.Reader r = new TemporalText.Reader(text);
        boolean neg = r.take('-');
        int[] f = new int[3];
        r.numbers(':', 3, f, 0);
        int[] fsp = new int[1];
        int micros = r.fraction(fsp);
        r.end();
        return new TimeValue(neg, f[0], f[1], f[2], micros, fsp[0]);
    }

    @Override
    public int writeText(byte[] into, int at) {
        if (negative) {
            into[at++] = '-';
        }
        at = TemporalText.time(into, at, hours, minutes, seconds);
        return TemporalText.fraction(into, at, micros, fsp);
    }

    @Override
    public String toString() {
        return TemporalValue.text(this);
    }
}
