package io.sluice.mysql.decode;

/** Binlog cell bytes of temporal and bit columns, written the way the server writes them (for decoder tests). */
final class BinlogCells {
    private BinlogCells() {}

    /** TIME2(fsp): 3 bytes big-endian of the packed value with its offset, then the fraction's bytes. */
    static byte[] time2(boolean negative, int h, int m, int s, int micros, int fsp) {
        long hms = ((long) h << 12) | ((long) m << 6) | s;
        long packed = (hms << 24) + micros;
        if (negative) {
            packed = -packed;
        }
        long intPart;
        byte[] frac;
        // as the server's my_time_packed_to_binary: arithmetic shift for the int part, C remainder for the fraction
        long ip = packed >> 24;
        int rem = (int) (packed % (1 << 24));
        switch (fsp) {
            case 1, 2 -> {
                intPart = ip + 0x800000L;
                frac = new byte[] {(byte) (rem / 10000)};
            }
            case 3, 4 -> {
                int f = rem / 100;
                intPart = ip + 0x800000L;
                frac = new byte[] {(byte) (f >> 8), (byte) f};
            }
            case 5, 6 -> {
                long stored = packed + 0x800000000000L;
                intPart = stored >>> 24;
                frac = new byte[] {(byte) (stored >> 16), (byte) (stored >> 8), (byte) stored};
            }
            default -> {
                intPart = ip + 0x800000L;
                frac = new byte[0];
            }
        }
        return concat(bigEndian(intPart, 3), frac);
    }

    /** DATE: 3 bytes little-endian. */
    static byte[] date(int y, int m, int d) {
        int packed = d | m << 5 | y << 9;
        return new byte[] {(byte) packed, (byte) (packed >> 8), (byte) (packed >> 16)};
    }

    /** DATETIME2(fsp): 5 bytes big-endian with offset, then the fraction's bytes. */
    static byte[] datetime2(int y, int mo, int d, int h, int mi, int s, int micros, int fsp) {
        long ymd = ((long) (y * 13 + mo) << 5) | d;
        long ymdhms = (ymd << 17) | ((long) h << 12) | ((long) mi << 6) | s;
        return concat(bigEndian(ymdhms + 0x8000000000L, 5), fraction(micros, fsp));
    }

    /** TIMESTAMP2(fsp): 4 bytes big-endian of the epoch seconds, then the fraction's bytes. */
    static byte[] timestamp2(long seconds, int micros, int fsp) {
        return concat(bigEndian(seconds, 4), fraction(micros, fsp));
    }

    /** BIT(n): (n + 7) / 8 bytes big-endian. */
    static byte[] bit(long v, int bits) {
        return bigEndian(v, (bits + 7) / 8);
    }

    private static byte[] fraction(int micros, int fsp) {
        int bytes = (fsp + 1) / 2;
        long v = switch (bytes) {
            case 0 -> 0;
            case 1 -> micros / 10000;
            case 2 -> micros / 100;
            default -> micros;
        };
        return bigEndian(v, bytes);
    }

    static byte[] bigEndian(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
