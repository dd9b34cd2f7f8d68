package io.sluice.mysql.decode;

import java.util.HexFormat;

/** Text forms of MariaDB's INET4, INET6 and UUID types, as SELECT returns them. */
final class Inet {
    private Inet() {}

    static String inet4(byte[] b) {
        return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }

    /**
     * RFC 5952 style: lower-case hex words, the longest run (2 or more) of zero words as {@code ::} (the first
     * such run on ties), and the IPv4 tail in dotted form for IPv4-compatible ({@code ::a.b.c.d}) and
     * IPv4-mapped ({@code ::ffff:a.b.c.d}) addresses, as MariaDB prints them.
     */
    static String inet6(byte[] b) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestPos = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestPos = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestPos = -1;
        }
        boolean v4tail = bestPos == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xFFFF));
        int words = v4tail ? 6 : 8;
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < words; i++) {
            if (i == bestPos) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (v4tail) {
            if (sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(b[12] & 0xFF)
                    .append('.')
                    .append(b[13] & 0xFF)
                    .append('.')
                    .append(b[14] & 0xFF)
                    .append('.')
                    .append(b[15] & 0xFF);
        }
        return sb.toString();
    }

    /** {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} from the 16 bytes in the order SELECT shows them. */
    static String uuid(byte[] b) {
        String h = HexFormat.of().formatHex(b);
        return h.substring(0, 8)
                + '-'
                + h.substring(8, 12)
                + '-'
                + h.substring(12, 16)
                + '-'
                + h.substring(16, 20)
                + '-'
                + h.substring(20);
    }
}
