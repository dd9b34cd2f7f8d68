package io.sluice.mysql.schema;

import io.sluice.core.schema.SqlTypes;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL type knowledge the schema history needs: type families, whether one type holds every value of another
 * (widening), and the SQL type of a column known only from its binlog type code.
 */
public final class Types {

    /** Groups of types whose values convert into each other without changing their kind. */
    public enum Family {
        INTEGER,
        DECIMAL,
        FLOAT,
        STRING,
        BINARY,
        DATE,
        DATETIME,
        TIMESTAMP,
        TIME,
        YEAR,
        ENUM,
        SET,
        BIT,
        JSON,
        GEOMETRY,
        OTHER
    }

    /** How a new type relates to an old one. */
    public enum Change {
        SAME,
        WIDER,
        NARROWER,
        OTHER_FAMILY
    }

    private static final Map<String, Integer> INT_BYTES =
            Map.of("tinyint", 1, "smallint", 2, "mediumint", 3, "int", 4, "bigint", 8);
    private static final Map<String, Long> LOB_CAPACITY = Map.of(
            "tinytext",
            255L,
            "text",
            65_535L,
            "mediumtext",
            16_777_215L,
            "longtext",
            4_294_967_295L,
            "tinyblob",
            255L,
            "blob",
            65_535L,
            "mediumblob",
            16_777_215L,
            "longblob",
            4_294_967_295L);

    private Types() {}

    public static Family family(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (INT_BYTES.containsKey(t)) {
            return Family.INTEGER;
        }
        return switch (t) {
            case "decimal" -> Family.DECIMAL;
            case "float", "double" -> Family.FLOAT;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> Family.STRING;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Family.BINARY;
            case "date" -> Family.DATE;
            case "datetime" -> Family.DATETIME;
            case "timestamp" -> Family.TIMESTAMP;
            case "time" -> Family.TIME;
            case "year" -> Family.YEAR;
            case "enum" -> Family.ENUM;
            case "set" -> Family.SET;
            case "bit" -> Family.BIT;
            case "json" -> Family.JSON;
            default -> SqlTypes.GEOMETRY.contains(t) ? Family.GEOMETRY : Family.OTHER;
        };
    }

    /** Compares a column's new type with its old one. */
    public static Change compare(ColumnModel oldC, ColumnModel newC) {
        Family f = family(oldC.dataType());
        if (f != family(newC.dataType())
                || f == Family.OTHER && !oldC.dataType().equals(newC.dataType())) {
            return Change.OTHER_FAMILY;
        }
        return switch (f) {
            case INTEGER -> ranges(intMin(oldC), intMax(oldC), intMin(newC), intMax(newC));
            case DECIMAL -> decimal(oldC, newC);
            case FLOAT -> order(rankFloat(oldC.dataType()), rankFloat(newC.dataType()));
            case STRING, BINARY -> order(capacity(oldC), capacity(newC));
            case ENUM, SET -> labels(oldC.labels(), newC.labels());
            case BIT, DATETIME, TIMESTAMP, TIME -> order(len(oldC, 0), len(newC, 0));
            default -> Change.SAME;
        };
    }

    private static Change order(long oldV, long newV) {
        return oldV == newV ? Change.SAME : newV > oldV ? Change.WIDER : Change.NARROWER;
    }

    private static Change ranges(BigInteger oldMin, BigInteger oldMax, BigInteger newMin, BigInteger newMax) {
        if (oldMin.equals(newMin) && oldMax.equals(newMax)) {
            return Change.SAME;
        }
        return newMin.compareTo(oldMin) <= 0 && newMax.compareTo(oldMax) >= 0 ? Change.WIDER : Change.NARROWER;
    }

    private static BigInteger intMin(ColumnModel c) {
        int bits = INT_BYTES.get(c.dataType()) * 8;
        return c.unsigned()
                ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits - 1).negate();
    }

    private static BigInteger intMax(ColumnModel c) {
        int bits = INT_BYTES.get(c.dataType()) * 8;
        return BigInteger.ONE.shiftLeft(c.unsigned() ? bits : bits - 1).subtract(BigInteger.ONE);
    }

    private static Change decimal(ColumnModel o, ColumnModel n) {
        long oScale = o.scale() == null ? 0 : o.scale();
        long nScale = n.scale() == null ? 0 : n.scale();
        long oInt = len(o, 10) - oScale;
        long nInt = len(n, 10) - nScale;
        if (oInt == nInt && oScale == nScale && o.unsigned() == n.unsigned()) {
            return Change.SAME;
        }
        boolean wider = nInt >= oInt && nScale >= oScale && (!n.unsigned() || o.unsigned());
        return wider ? Change.WIDER : Change.NARROWER;
    }

    private static int rankFloat(String t) {
        return t.equals("double") ? 2 : 1;
    }

    private static long len(ColumnModel c, long dflt) {
        return c.length() == null ? dflt : c.length();
    }

    /** Characters (or bytes) a string or binary column holds. */
    private static long capacity(ColumnModel c) {
        Long lob = LOB_CAPACITY.get(c.dataType());
        if (lob != null) {
            return lob;
        }
        return len(c, 1);
    }

    private static Change labels(List<String> oldL, List<String> newL) {
        if (oldL.equals(newL)) {
            return Change.SAME;
        }
        if (newL.size() > oldL.size() && newL.subList(0, oldL.size()).equals(oldL)) {
            return Change.WIDER;
        }
        return Change.NARROWER;
    }

    /** Bytes per character at most in a character set (for converting binlog byte lengths to characters). */
    static int maxBytes(String charset) {
        if (charset == null) {
            return 1;
        }
        return switch (charset.toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf16", "utf16le", "utf32" -> 4;
            case "utf8mb3", "utf8", "ujis", "eucjpms" -> 3;
            case "ucs2", "big5", "gbk", "sjis", "cp932", "euckr", "gb2312" -> 2;
            case "gb18030" -> 4;
            default -> 1;
        };
    }

    /**
     * The SQL type of a column known only from the binlog: type code, metadata and character set. Lengths of
     * character columns are derived from byte lengths, so they are only as exact as the character set's width.
     */
    static ColumnModel fromBinlog(ColumnDef d) {
        String type;
        Long length = null;
        Integer scale = null;
        int meta = d.meta();
        boolean binary = d.binary();
        switch (d.type()) {
            case ColumnDef.TINY -> type = "tinyint";
            case ColumnDef.SHORT -> type = "smallint";
            case ColumnDef.INT24 -> type = "mediumint";
            case ColumnDef.LONG -> type = "int";
            case ColumnDef.LONGLONG -> type = "bigint";
            case ColumnDef.FLOAT -> type = "float";
            case ColumnDef.DOUBLE -> type = "double";
            case ColumnDef.NEWDECIMAL -> {
                type = "decimal";
                length = (long) d.decimalPrecision();
                scale = d.decimalScale();
            }
            case ColumnDef.DATE -> type = "date";
            case ColumnDef.TIME, ColumnDef.TIME_V2 -> {
                type = "time";
                length = d.type() == ColumnDef.TIME_V2 && meta > 0 ? (long) meta : null;
            }
            case ColumnDef.DATETIME, ColumnDef.DATETIME_V2 -> {
                type = "datetime";
                length = d.type() == ColumnDef.DATETIME_V2 && meta > 0 ? (long) meta : null;
            }
            case ColumnDef.TIMESTAMP, ColumnDef.TIMESTAMP_V2 -> {
                type = "timestamp";
                length = d.type() == ColumnDef.TIMESTAMP_V2 && meta > 0 ? (long) meta : null;
            }
            case ColumnDef.YEAR -> type = "year";
            case ColumnDef.VARCHAR, ColumnDef.VAR_STRING -> {
                type = binary ? "varbinary" : "varchar";
                length = (long) (meta / maxBytes(binary ? null : d.charset()));
            }
            case ColumnDef.STRING -> {
                type = binary ? "binary" : "char";
                length = (long) (d.length() / maxBytes(binary ? null : d.charset()));
            }
            case ColumnDef.BLOB -> {
                String size = switch (meta) {
                    case 1 -> "tiny";
                    case 3 -> "medium";
                    case 4 -> "long";
                    default -> "";
                };
                type = size + (binary ? "blob" : "text");
            }
            case ColumnDef.JSON -> type = "json";
            case ColumnDef.BIT -> {
                type = "bit";
                length = (long) ((meta >> 8) * 8 + (meta & 0xFF));
            }
            case ColumnDef.ENUM -> type = "enum";
            case ColumnDef.SET -> type = "set";
            case ColumnDef.GEOMETRY -> type = "geometry";
            default -> type = "type" + d.type();
        }
        if (d.sqlType() != null) {
            type = d.sqlType();
            length = null;
        }
        String charset = binary || d.charset() == null ? null : d.charset();
        List<String> labels = d.labels() == null ? List.of() : List.of(d.labels());
        return new ColumnModel(
                d.name(), type, length, scale, d.unsigned(), charset, null, d.nullable(), false, null, labels);
    }
}
