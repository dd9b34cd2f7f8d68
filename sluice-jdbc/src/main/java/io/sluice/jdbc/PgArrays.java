package io.sluice.jdbc;

import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PostgreSQL's {@code UNNEST} batch form ({@code sink.batch-form: unnest}): {@code INSERT INTO t (c, …) SELECT * FROM
 * UNNEST(?::type[], …)}, one parameter per column holding that column's values of every row as an array literal in
 * PostgreSQL's text form. Every value is written exactly: numbers as their decimal text (a double or float as Java's
 * shortest text that reads back as the same value), bytes as {@code \x} hex, dates and times as the text the
 * VALUES form's binding sends, zero and partial dates as NULL alike.
 */
final class PgArrays {
    /** A target type name usable as an array cast as it is: {@code int4}, {@code timestamptz}, {@code varchar}. */
    private static final Pattern PLAIN_TYPE = Pattern.compile("[a-z_][a-z0-9_]*");

    private PgArrays() {}

    /** Whether every column of {@code t} has a type the form can name ({@code ?::type[]}). */
    static boolean fits(TargetTable t) {
        for (int c = 0; c < t.width(); c++) {
            String type = t.type(c);
            if (type == null
                    || !PLAIN_TYPE.matcher(type.toLowerCase(Locale.ROOT)).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code INSERT INTO t (c, …) SELECT * FROM UNNEST(?::type[], …)}, an upsert by the key if {@code upsert}. */
    static String insert(TargetTable t, Dialect d, boolean upsert) {
        StringBuilder sb = new StringBuilder(64 + t.width() * 24)
                .append("INSERT INTO ")
                .append(t.qualified())
                .append(" (");
        for (int c = 0; c < t.width(); c++) {
            sb.append(c == 0 ? "" : ", ").append(d.quote(t.column(c)));
        }
        sb.append(") SELECT * FROM UNNEST(");
        for (int c = 0; c < t.width(); c++) {
            sb.append(c == 0 ? "" : ", ")
                    .append("?::")
                    .append(t.type(c).toLowerCase(Locale.ROOT))
                    .append("[]");
        }
        sb.append(')');
        return upsert ? sb.append(d.upsertClause(t)).toString() : sb.toString();
    }

    /** Each column's values of {@code rows} as one array literal, in column order. */
    static String[] arrays(TargetTable t, List<Object[]> rows) {
        String[] out = new String[t.width()];
        StringBuilder sb = new StringBuilder(rows.size() * 16);
        for (int c = 0; c < t.width(); c++) {
            sb.setLength(0);
            sb.append('{');
            for (int r = 0; r < rows.size(); r++) {
                if (r > 0) {
                    sb.append(',');
                }
                element(sb, rows.get(r)[c]);
            }
            out[c] = sb.append('}').toString();
        }
        return out;
    }

    /** One element of an array literal: NULL, or the value's text form, quoted. */
    static void element(StringBuilder sb, Object v) {
        if (v instanceof Long || v instanceof Integer) {
            sb.append('"').append(v).append('"'); // digits and a sign: nothing to escape
            return;
        }
        if (v instanceof DateTimeValue d && !zero(d.year(), d.month(), d.day())) {
            sb.append('"');
            dateTime(sb, d);
            sb.append('"');
            return;
        }
        String text = text(v);
        if (text == null) {
            sb.append("NULL");
            return;
        }
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\\') {
                sb.append('\\');
            }
            sb.append(ch);
        }
        sb.append('"');
    }

    /** The value's PostgreSQL text form, or null for NULL (and zero or partial dates, which PostgreSQL lacks). */
    static String text(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            return v.toString();
        } else if (v instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (v instanceof Double || v instanceof Float) {
            return v.toString(); // the shortest text reading back as this value; NaN and Infinity as PostgreSQL says
        } else if (v instanceof String s) {
            return s;
        } else if (v instanceof AsciiText a) {
            return a.toString();
        } else if (v instanceof JsonText j) {
            return j.json();
        } else if (v instanceof Boolean b) {
            return b ? "t" : "f";
        } else if (v instanceof Bytes b) {
            return hex(b.toArray());
        } else if (v instanceof DateValue d) {
            if (zero(d.year(), d.month(), d.day())) {
                return null;
            }
            StringBuilder sb = new StringBuilder(10);
            date(sb, d.year(), d.month(), d.day());
            return sb.toString();
        } else if (v instanceof DateTimeValue d) {
            if (zero(d.year(), d.month(), d.day())) {
                return null;
            }
            StringBuilder sb = new StringBuilder(26);
            dateTime(sb, d);
            return sb.toString();
        } else if (v instanceof TimestampValue t) {
            return t.zero() ? null : t.toInstant().toString();
        } else if (v instanceof TimeValue t) {
            return t.toString(); // an INTERVAL from [-]H:MM:SS.ffffff, as the VALUES form binds it
        }
        throw PlainValues.unbindable(v);
    }

    private static void date(StringBuilder sb, int year, int month, int day) {
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2);
    }

    private static void dateTime(StringBuilder sb, DateTimeValue d) {
        date(sb, d.year(), d.month(), d.day());
        sb.append(' ');
        pad(sb, d.hour(), 2).append(':');
        pad(sb, d.minute(), 2).append(':');
        pad(sb, d.second(), 2).append('.');
        pad(sb, d.micros(), 6);
    }

    /** {@code n} (not negative) in at least {@code digits} digits, zero-padded. */
    private static StringBuilder pad(StringBuilder sb, int n, int digits) {
        for (int p = 10, i = 1; i < digits; i++, p *= 10) {
            if (n < p) {
                sb.append('0');
            }
        }
        return sb.append(n);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String hex(byte[] b) {
        char[] out = new char[2 + b.length * 2];
        out[0] = '\\';
        out[1] = 'x';
        for (int i = 0; i < b.length; i++) {
            out[2 + 2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[3 + 2 * i] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    private static boolean zero(int year, int month, int day) {
        return year == 0 || month == 0 || day == 0;
    }
}
