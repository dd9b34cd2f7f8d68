package io.sluice.mysql.source;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * XA transaction ids in one normal form, {@code formatId:gtridHex:bqualHex}, so the id of an XA PREPARE event
 * matches the id written in a later {@code XA COMMIT} / {@code XA ROLLBACK} statement, whichever literal syntax
 * the statement uses ({@code 'abc'}, {@code X'616263'}, {@code 0x616263}, with optional bqual and format id).
 */
final class Xid {
    private Xid() {}

    static String of(int formatId, byte[] data, int gtridLength, int bqualLength) {
        HexFormat hex = HexFormat.of();
        return formatId + ":" + hex.formatHex(data, 0, gtridLength) + ":"
                + hex.formatHex(data, gtridLength, gtridLength + bqualLength);
    }

    /** Normalises the xid part of an XA statement (the text after {@code XA COMMIT} or {@code XA ROLLBACK}). */
    static String normalize(String text) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        String s = text.strip();
        while (i < s.length() && parts.size() < 3) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
            } else if ((c == 'X' || c == 'x') && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                int end = s.indexOf('\'', i + 2);
                parts.add(HexFormat.of().parseHex(s.substring(i + 2, end).toLowerCase()));
                i = end + 1;
            } else if (c == '0' && i + 1 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                int end = i + 2;
                while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0) {
                    end++;
                }
                parts.add(HexFormat.of().parseHex(s.substring(i + 2, end).toLowerCase()));
                i = end;
            } else if (c == '\'' || c == '"') {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                int j = i + 1;
                while (j < s.length()) {
                    char ch = s.charAt(j);
                    if (ch == c && j + 1 < s.length() && s.charAt(j + 1) == c) {
                        b.write(c);
                        j += 2;
                    } else if (ch == c) {
                        break;
                    } else if (ch == '\\' && j + 1 < s.length()) {
                        b.write(s.charAt(j + 1));
                        j += 2;
                    } else {
                        byte[] bytes = String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        b.write(bytes, 0, bytes.length);
                        j++;
                    }
                }
                parts.add(b.toByteArray());
                i = j + 1;
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < s.length() && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                parts.add(Long.parseLong(s.substring(i, end)));
                i = end;
            } else {
                break;
            }
        }
        byte[] gtrid = parts.size() > 0 && parts.get(0) instanceof byte[] g ? g : new byte[0];
        byte[] bqual = parts.size() > 1 && parts.get(1) instanceof byte[] b ? b : new byte[0];
        long format = parts.size() > 2 && parts.get(2) instanceof Long f
                ? f
                : parts.size() > 1 && parts.get(1) instanceof Long f2 ? f2 : 1;
        HexFormat hex = HexFormat.of();
        return format + ":" + hex.formatHex(gtrid) + ":" + hex.formatHex(bqual);
    }
}
