package io.sluice.mysql.schema;

import java.util.Arrays;

/**
 * One column as the binlog decodes it.
 *
 * @param name      column name
 * @param type      the real binlog type code (ENUM and SET unpacked from STRING), see the library's ColumnType
 * @param meta      the type's binlog metadata (precision, fsp, length bytes, ...)
 * @param length    for CHAR/BINARY: the maximum length in bytes; else 0
 * @param unsigned  numeric column declared UNSIGNED
 * @param charset   the server's character set name for character columns ({@code binary} for byte strings),
 *                  null for non-character columns
 * @param labels    ENUM or SET labels in definition order, else null
 * @param sqlType   the declared data type name where known ({@code inet6}, {@code uuid}, {@code json}), else null
 * @param nullable  the column accepts NULL
 */
public record ColumnDef(
        String name,
        int type,
        int meta,
        int length,
        boolean unsigned,
        String charset,
        String[] labels,
        String sqlType,
        boolean nullable) {

    /** Binlog type codes used by Sluice (MySQL's {@code enum_field_types}). */
    public static final int TINY = 1,
            SHORT = 2,
            LONG = 3,
            FLOAT = 4,
            DOUBLE = 5,
            TIMESTAMP = 7,
            LONGLONG = 8,
            INT24 = 9,
            DATE = 10,
            TIME = 11,
            DATETIME = 12,
            YEAR = 13,
            VARCHAR = 15,
            BIT = 16,
            TIMESTAMP_V2 = 17,
            DATETIME_V2 = 18,
            TIME_V2 = 19,
            JSON = 245,
            NEWDECIMAL = 246,
            ENUM = 247,
            SET = 248,
            BLOB = 252,
            VAR_STRING = 253,
            STRING = 254,
            GEOMETRY = 255;

    /**
     * A column's real type from its TABLE_MAP type and metadata: ENUM, SET and CHAR/BINARY columns are STRING there,
     * their real type in the metadata's high byte (with two bits of a long CHAR's byte length folded in).
     */
    public static int realType(int tableMapType, int meta) {
        if (tableMapType == STRING && meta >= 256) {
            int meta0 = meta >> 8;
            if ((meta0 & 0x30) != 0x30) {
                return meta0 | 0x30;
            }
            if (meta0 == ENUM || meta0 == SET) {
                return meta0;
            }
        }
        return tableMapType;
    }

    /** A STRING column's byte length (of ENUM and SET: the bytes of their value) from its metadata; else 0. */
    public static int realLength(int tableMapType, int meta) {
        if (tableMapType != STRING) {
            return 0;
        }
        if (meta < 256) {
            return meta;
        }
        int meta0 = meta >> 8;
        int meta1 = meta & 0xFF;
        return (meta0 & 0x30) != 0x30 ? meta1 | (((meta0 & 0x30) ^ 0x30) << 4) : meta1;
    }

    public boolean binary() {
        return "binary".equals(charset);
    }

    /**
     * A DECIMAL's precision (digits in all). The binlog's metadata holds precision, then scale, one byte each; the
     * library reads the two bytes little-endian, so the precision is the low byte of {@link #meta}.
     */
    public int decimalPrecision() {
        return meta & 0xFF;
    }

    /** A DECIMAL's scale (digits after the point): the high byte of {@link #meta}, see {@link #decimalPrecision}. */
    public int decimalScale() {
        return meta >> 8;
    }

    /** A stable text of everything that decides how values are decoded, for schema fingerprints. */
    String signature() {
        return name
                + ' '
                + type
                + '/'
                + meta
                + '/'
                + length
                + (unsigned ? "u" : "")
                + '/'
                + charset
                + '/'
                + (labels == null ? "" : String.join(",", labels))
                + '/'
                + sqlType
                + (nullable ? "" : " not null");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnDef c && signature().equals(c.signature());
    }

    @Override
    public int hashCode() {
        return signature().hashCode();
    }

    @Override
    public String toString() {
        return "ColumnDef[" + signature() + (labels == null ? "" : " " + Arrays.toString(labels)) + "]";
    }
}
