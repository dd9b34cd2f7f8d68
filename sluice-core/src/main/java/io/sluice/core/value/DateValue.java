package io.sluice.core.value;

/**
 * A DATE as stored: zero and partial dates ({@code 0000-00-00}, {@code 2024-00-00}) are values too. Text
 * {@code YYYY-MM-DD}.
 *
 * @param year  0-9999
 * @param month 0-12 (0 in a zero or partial date)
 * @param day   0-31 (0 in a zero or partial date)
 */
public record DateValue(int year, int month, int day) implements TemporalValue, java.io.Serializable {
    public DateValue {
        TemporalText.checkDate(year, month, day);
    }

    /** Reads {@code YYYY-MM-DD}. */
    public static DateValue parse(String text) {
        TemporalText.Reader r = new TemporalText.Reader(text);
        int[] f = new int[3];
        r.numbers('-', 3, f, 0);
        r.end();
        return new DateValue(f[0], f[1], f[2]);
    }

    @Override
    public int writeText(byte[] into, int at) {
        return TemporalText.date(into, at, year, month, day);
    }

    @Override
    public int fsp() {
        return 0;
    }

    @Override
    public String toString() {
        return TemporalValue.text(this);
    }
}
