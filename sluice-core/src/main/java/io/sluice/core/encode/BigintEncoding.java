package io.sluice.core.encode;

import io.sluice.core.event.Row;
import io.sluice.core.schema.Column;
import java.math.BigInteger;
import java.util.Locale;

/**
 * How the encoder writes 64-bit integers ({@code encoding.bigint}, docs/change-event.md): as the contract's JSON
 * numbers (the default), or as JSON strings of their decimal digits for readers that hold numbers as doubles
 * (JavaScript, jq 1.6), which round integers beyond 2^53. DECIMAL values are strings under every setting.
 */
public enum BigintEncoding {
    /** The contract: every integer is a JSON number. */
    NUMBER("number"),
    /** Integers beyond ±(2^53 − 1), where a double is no longer exact, are strings; all others stay numbers. */
    UNSAFE_AS_STRING("unsafe-as-string"),
    /** Every value of a BIGINT column (signed or unsigned) is a string, and any other integer beyond ±(2^53 − 1). */
    STRING("string");

    /** The largest integer a double holds exactly with all smaller ones (JavaScript's Number.MAX_SAFE_INTEGER). */
    public static final long MAX_SAFE = (1L << 53) - 1;

    private final String text;

    BigintEncoding(String text) {
        this.text = text;
    }

    /** The setting as written in a pipeline file. */
    public String text() {
        return text;
    }

    /** The setting named {@code text} ({@code number}, {@code unsafe-as-string}, {@code string}). */
    public static BigintEncoding of(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (BigintEncoding e : values()) {
            if (e.text.equals(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "unknown encoding.bigint '" + text + "': use number, unsafe-as-string or string");
    }

    /** True when the {@code i}-th value of {@code row} is to be written as a string. */
    boolean asString(Row row, int i, Object v) {
        if (this == NUMBER || v == null) {
            return false;
        }
        if (v instanceof BigInteger) {
            return true; // BIGINT UNSIGNED and BIT(64) beyond Long.MAX_VALUE: beyond 2^53 too
        }
        if (v instanceof Long l) {
            if (l > MAX_SAFE || l < -MAX_SAFE) {
                return true;
            }
        } else if (!(v instanceof Integer)) {
            return false;
        }
        if (this == UNSAFE_AS_STRING) {
            return false;
        }
        Column c = row.column(i);
        return c != null && "bigint".equals(c.dataType());
    }
}
