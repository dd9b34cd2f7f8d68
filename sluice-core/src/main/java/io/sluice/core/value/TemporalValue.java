package io.sluice.core.value;

/**
 * A DATE, TIME, DATETIME or TIMESTAMP value, as fields. Its contract text ({@code docs/change-event.md}: zero and
 * partial dates as stored, TIME beyond a day or negative, exactly {@code fsp} fraction digits, TIMESTAMP in UTC with
 * {@code Z}) is printable ASCII of at most {@link #MAX_TEXT} bytes, written by {@link #writeText} and returned by
 * {@code toString()}.
 */
public sealed interface TemporalValue permits DateValue, TimeValue, DateTimeValue, TimestampValue {
    /** The longest text of any temporal value: {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}. */
    int MAX_TEXT = 27;

    /** Writes the value's contract text (ASCII, no quotes) into {@code into} at {@code at}; returns where it ends. */
    int writeText(byte[] into, int at);

    /** Digits after the point, 0-6. */
    int fsp();

    /** The contract text as a String. */
    static String text(TemporalValue v) {
        byte[] b = new byte[MAX_TEXT];
        int n = v.writeText(b, 0);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
