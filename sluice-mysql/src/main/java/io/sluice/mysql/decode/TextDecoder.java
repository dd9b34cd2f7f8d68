package io.sluice.mysql.decode;

import io.sluice.core.SluiceException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Decodes column bytes in a MySQL character set into text, as the server converts it. */
@FunctionalInterface
public interface TextDecoder {

    String decode(byte[] bytes);

    /** Java names of the server character sets Sluice reads (other than the special-cased ones below). */
    Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("utf8mb4", "UTF-8"),
            Map.entry("utf8mb3", "UTF-8"),
            Map.entry("utf8", "UTF-8"),
            Map.entry("ascii", "US-ASCII"),
            Map.entry("ucs2", "UTF-16BE"),
            Map.entry("utf16", "UTF-16BE"),
            Map.entry("utf16le", "UTF-16LE"),
            Map.entry("utf32", "UTF-32BE"),
            Map.entry("latin2", "ISO-8859-2"),
            Map.entry("latin5", "ISO-8859-9"),
            Map.entry("latin7", "ISO-8859-13"),
            Map.entry("greek", "ISO-8859-7"),
            Map.entry("hebrew", "ISO-8859-8"),
            Map.entry("cp1250", "windows-1250"),
            Map.entry("cp1251", "windows-1251"),
            Map.entry("cp1256", "windows-1256"),
            Map.entry("cp1257", "windows-1257"),
            Map.entry("cp850", "IBM850"),
            Map.entry("cp852", "IBM852"),
            Map.entry("cp866", "IBM866"),
            Map.entry("koi8r", "KOI8-R"),
            Map.entry("koi8u", "KOI8-U"),
            Map.entry("gbk", "GBK"),
            Map.entry("gb2312", "GB2312"),
            Map.entry("gb18030", "GB18030"),
            Map.entry("big5", "Big5"),
            Map.entry("sjis", "Shift_JIS"),
            Map.entry("cp932", "windows-31j"),
            Map.entry("ujis", "EUC-JP"),
            Map.entry("eucjpms", "x-eucJP-Open"),
            Map.entry("euckr", "EUC-KR"),
            Map.entry("tis620", "TIS-620"),
            Map.entry("macroman", "x-MacRoman"),
            Map.entry("macce", "x-MacCentralEurope"));

    /** True for character sets whose bytes 0x00-0x7F are ASCII, one byte per character. */
    static boolean asciiCompatible(String serverCharset) {
        return switch (serverCharset.toLowerCase(Locale.ROOT)) {
            case "utf8mb4", "utf8mb3", "utf8", "latin1", "ascii" -> true;
            default -> false;
        };
    }

    /** The decoder for a server character set name; fails clearly for one Sluice cannot decode. */
    static TextDecoder forCharset(String serverCharset) {
        String cs = serverCharset.toLowerCase(Locale.ROOT);
        if (cs.equals("latin1")) {
            return Latin1::decode;
        }
        if (cs.equals("utf8mb4") || cs.equals("utf8mb3") || cs.equals("utf8")) {
            return b -> new String(b, StandardCharsets.UTF_8);
        }
        String java = JAVA_NAMES.get(cs);
        if (java == null || !Charset.isSupported(java)) {
            throw SluiceException.fatal("character set '" + serverCharset + "' is not supported by Sluice; "
                    + "convert the column to utf8mb4 (ALTER TABLE ... CONVERT TO CHARACTER SET utf8mb4)");
        }
        Charset charset = Charset.forName(java);
        return b -> new String(b, charset);
    }

    /**
     * MySQL's {@code latin1} is Windows-1252, with the five bytes that code page leaves undefined (0x81, 0x8D,
     * 0x8F, 0x90, 0x9D) mapped to the same-numbered control characters, as the server converts them.
     */
    final class Latin1 {
        private static final char[] TABLE = new char[256];

        static {
            Charset cp1252 = Charset.forName("windows-1252");
            for (int i = 0; i < 256; i++) {
                String s = new String(new byte[] {(byte) i}, cp1252);
                char c = s.charAt(0);
                TABLE[i] = c == '\uFFFD' ? (char) i : c;
            }
        }

        private Latin1() {}

        static String decode(byte[] b) {
            char[] out = new char[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = TABLE[b[i] & 0xFF];
            }
            return new String(out);
        }
    }
}
