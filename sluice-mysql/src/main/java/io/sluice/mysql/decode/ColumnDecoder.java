package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import io.sluice.core.SluiceException;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.value.Bytes;
import io.sluice.mysql.schema.ColumnDef;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Turns one column's binlog cell (as {@link RowsDeserializers} leaves it) into its typed value
 * ({@link io.sluice.core.value.Values}). One decoder is
 * built per column of a table definition; decoding a cell is then a single switch-free call.
 */
@FunctionalInterface
public interface ColumnDecoder {

    Object decode(Object cell);

    /** The decoder for a column; fails clearly for a type Sluice cannot represent. */
    static ColumnDecoder of(ColumnDef c) {
        String sqlType = c.sqlType();
        if (sqlType != null) {
            switch (sqlType) {
                case "inet6" -> {
                    return cell -> Inet.inet6(padded(cell, 16));
                }
                case "inet4" -> {
                    return cell -> Inet.inet4(padded(cell, 4));
                }
                case "uuid" -> {
                    return cell -> Inet.uuid(padded(cell, 16));
                }
                default -> {}
            }
        }
        return switch (c.type()) {
            case ColumnDef.TINY -> c.unsigned() ? cell -> ((Integer) cell) & 0xFF : cell -> cell;
            case ColumnDef.SHORT -> c.unsigned() ? cell -> ((Integer) cell) & 0xFFFF : cell -> cell;
            case ColumnDef.INT24 -> c.unsigned() ? cell -> ((Integer) cell) & 0xFFFFFF : cell -> cell;
            case ColumnDef.LONG -> c.unsigned() ? cell -> ((Integer) cell) & 0xFFFFFFFFL : cell -> cell;
            case ColumnDef.LONGLONG -> c.unsigned() ? ColumnDecoder::unsignedLong : cell -> cell;
            case ColumnDef.FLOAT, ColumnDef.DOUBLE, ColumnDef.YEAR, ColumnDef.BIT -> cell -> cell;
            case ColumnDef.NEWDECIMAL -> {
                int scale = c.decimalScale();
                yield cell -> ((BigDecimal) cell).setScale(scale, RoundingMode.UNNECESSARY);
            }
            // read as typed values already (Cells)
            case ColumnDef.DATE,
                    ColumnDef.TIME,
                    ColumnDef.TIME_V2,
                    ColumnDef.DATETIME,
                    ColumnDef.DATETIME_V2,
                    ColumnDef.TIMESTAMP,
                    ColumnDef.TIMESTAMP_V2 -> cell -> cell;
            case ColumnDef.ENUM -> enumDecoder(c);
            case ColumnDef.SET -> setDecoder(c);
            case ColumnDef.STRING -> charDecoder(c);
            case ColumnDef.VARCHAR, ColumnDef.VAR_STRING, ColumnDef.BLOB ->
                c.binary() || c.charset() == null ? ColumnDecoder::bytes : text(c);
            case ColumnDef.GEOMETRY -> ColumnDecoder::bytes;
            case ColumnDef.JSON -> ColumnDecoder::json;
            default ->
                throw SluiceException.fatal("column " + c.name() + " has binlog type " + c.type()
                        + ", which Sluice does not know how to decode; please report it with the column's definition");
        };
    }

    private static ColumnDecoder text(ColumnDef c) {
        TextDecoder t = TextDecoder.forCharset(c.charset());
        if (!TextDecoder.asciiCompatible(c.charset())) {
            return cell -> t.decode((byte[]) cell);
        }
        return cell -> {
            byte[] b = (byte[]) cell;
            AsciiText plain = AsciiText.ofSafe(b, b.length);
            return plain != null ? plain : t.decode(b);
        };
    }

    /** CHAR loses its trailing spaces (as SELECT returns it); BINARY(n) keeps its zero padding to n bytes. */
    private static ColumnDecoder charDecoder(ColumnDef c) {
        if (c.binary() || c.charset() == null) {
            int n = c.length();
            return cell -> {
                byte[] b = (byte[]) cell;
                return Bytes.adopt(b.length >= n ? b : Arrays.copyOf(b, n));
            };
        }
        TextDecoder t = TextDecoder.forCharset(c.charset());
        if (!TextDecoder.asciiCompatible(c.charset())) {
            return cell -> stripTrailingSpaces(t.decode((byte[]) cell));
        }
        return cell -> {
            byte[] b = (byte[]) cell;
            int n = b.length;
            while (n > 0 && b[n - 1] == ' ') {
                n--;
            }
            AsciiText plain = AsciiText.ofSafe(b, n);
            return plain != null ? plain : stripTrailingSpaces(t.decode(b));
        };
    }

    /** A byte string cell as a value: the cell's array is the library's fresh copy, handed over. */
    private static Object bytes(Object cell) {
        return Bytes.adopt((byte[]) cell);
    }

    /** Fixed-size binary values lose their trailing zero bytes in the binlog; SELECT shows them. */
    private static byte[] padded(Object cell, int n) {
        byte[] b = (byte[]) cell;
        return b.length >= n ? b : Arrays.copyOf(b, n);
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static Object unsignedLong(Object cell) {
        long v = (Long) cell;
        if (v >= 0) {
            return v;
        }
        byte[] magnitude = new byte[8]; // the 64 bits as an unsigned number: no detour through its decimal text
        for (int i = 7; i >= 0; i--, v >>>= 8) {
            magnitude[i] = (byte) v;
        }
        return new BigInteger(1, magnitude);
    }

    private static ColumnDecoder enumDecoder(ColumnDef c) {
        String[] labels = labels(c);
        return cell -> {
            int i = (Integer) cell;
            if (i == 0) {
                return "";
            }
            if (i > labels.length) {
                throw SluiceException.fatal("ENUM column " + c.name() + " holds index " + i + " but has only "
                        + labels.length + " labels: the table definition is out of date");
            }
            return labels[i - 1];
        };
    }

    private static ColumnDecoder setDecoder(ColumnDef c) {
        String[] labels = labels(c);
        return cell -> {
            long bits = (Long) cell;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < labels.length && bits != 0; i++, bits >>>= 1) {
                if ((bits & 1) != 0) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(labels[i]);
                }
            }
            return sb.toString();
        };
    }

    private static String[] labels(ColumnDef c) {
        if (c.labels() == null) {
            throw SluiceException.fatal("ENUM/SET column " + c.name() + " has no labels: set binlog_row_metadata=FULL"
                    + " on the server, or grant SELECT so Sluice can read them from information_schema");
        }
        return c.labels();
    }

    /** MySQL's binary JSON, embedded as JSON text. */
    private static Object json(Object cell) {
        byte[] b = (byte[]) cell;
        if (b.length == 0) {
            return new JsonText("null");
        }
        try {
            return new JsonText(JsonBinary.parseAsString(b));
        } catch (IOException e) {
            throw SluiceException.fatal("a JSON value could not be decoded: " + e.getMessage(), e);
        }
    }
}
