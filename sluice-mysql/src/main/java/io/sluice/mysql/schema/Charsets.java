package io.sluice.mysql.schema;

import java.util.Locale;
import java.util.Map;

/**
 * What the source knows of MySQL's and MariaDB's character sets: the bytes of the widest character of each
 * ({@code information_schema.CHARACTER_SETS.MAXLEN}), which turn the byte lengths of the binlog's table map into
 * the character lengths the DDL declares.
 */
public final class Charsets {
    /** Bytes of the widest character, of the character sets wider than one byte. */
    private static final Map<String, Integer> WIDE = Map.ofEntries(
            Map.entry("big5", 2),
            Map.entry("ujis", 3),
            Map.entry("sjis", 2),
            Map.entry("euckr", 2),
            Map.entry("gb2312", 2),
            Map.entry("gbk", 2),
            Map.entry("utf8", 3),
            Map.entry("utf8mb3", 3),
            Map.entry("ucs2", 2),
            Map.entry("utf8mb4", 4),
            Map.entry("utf16", 4),
            Map.entry("utf16le", 4),
            Map.entry("utf32", 4),
            Map.entry("cp932", 2),
            Map.entry("eucjpms", 3),
            Map.entry("gb18030", 4));

    private Charsets() {}

    /** Bytes of the widest character of {@code charset} (1 for the one-byte sets and {@code binary}). */
    public static int maxBytesPerChar(String charset) {
        if (charset == null) {
            return 1;
        }
        return WIDE.getOrDefault(charset.toLowerCase(Locale.ROOT), 1);
    }

    /**
     * The length in characters of a column of {@code charset} that holds at most {@code bytes} bytes (as the table
     * map gives CHAR and VARCHAR lengths); {@code bytes} itself where it is not a whole number of the widest
     * characters (a character set wider than Sluice knows: never shorter than the column's values).
     */
    public static long chars(String charset, long bytes) {
        int w = maxBytesPerChar(charset);
        return w > 1 && bytes % w == 0 ? bytes / w : bytes;
    }
}
