package io.sluice.core.encode;

import java.math.BigInteger;

/**
 * The text of a FLOAT or DOUBLE value as the contract writes it: the shortest decimal that reads back as the same
 * value at the value's own width (a {@code float} as a 32-bit float), and of those the one nearest the value (on a
 * tie, the one with an even last digit). Java 17's {@code Double.toString} and {@code Float.toString} are not
 * shortest ({@code 4.9E-324} for what {@code 5e-324} already names, {@code 2.0E-3} as {@code 0.0020}), nor is
 * Jackson's writer, which keeps at least two digits as the JDK specifies.
 *
 * <p>The layout: plain for 10<sup>-3</sup> &le; |v| &lt; 10<sup>7</sup> with at least one digit after the point
 * ({@code 100.0}, {@code 0.001}, {@code 1.5}), so a reader still sees a floating-point number; else scientific,
 * lower-case {@code e}, the point only when more than one digit follows the first, no {@code +} and no leading
 * zeros in the exponent ({@code 1e-45}, {@code 3.4028235e38}, {@code 1.7976931348623157e308}). Zero is
 * {@code 0.0} or {@code -0.0}.
 *
 * <p><b>How.</b> A finite nonzero value is {@code c·2^q}; the decimals that read back as it are those in its
 * rounding interval, half-way to each neighbour (both ends included when {@code c} is even: ties go to even).
 * With {@code k = floor(log10(width))}, the interval scaled by {@code 10^-k} is at least 1 and less than 10 wide,
 * so it holds at most one multiple of 10 (then that one, with its trailing zeros dropped, is the shortest), else
 * the shortest have the length of {@code s = floor(v·10^-k)} and the nearest of them is {@code s} or {@code s+1}.
 * The scaled value and the interval's ends are computed with a 126-bit approximation of {@code 10^-k} (made once,
 * exactly, with {@link BigInteger}), rounded to odd: the lowest bit tells whether anything was cut off, so every
 * comparison above is decided exactly (the approach of R. Giulietti's "Schubfach" paper). No allocation but the
 * result; {@code ShortestDecimalTest} checks the results against an exact search with {@link java.math.BigDecimal}.
 */
public final class ShortestDecimal {
    /** The longest text {@link #write} produces ({@code -2.2250738585072014e-308}). */
    public static final int MAX_CHARS = 24;

    private static final long MASK_63 = (1L << 63) - 1;
    /** floor(log10(2) · 2^41) and floor(log10(3/4) · 2^41): exact for every q used ({@code ShortestDecimalTest}). */
    private static final long LOG10_2 = 661_971_961_083L, LOG10_3_4 = -274_743_187_321L;
    /** floor(log2(10) · 2^38). */
    private static final long LOG2_10 = 913_124_641_741L;

    /** The decimal exponents k the doubles (and so the floats) need: q from -1074 to 971. */
    static final int K_MIN = flog10pow2(-1074), K_MAX = flog10pow2(971);
    /**
     * Per k, {@code g = floor(10^-k · 2^(125 - floor(log2(10^-k)))) + 1}, in [2^125, 2^126): its upper 63 bits at
     * {@code 2(k - K_MIN)}, its lower 63 bits after them.
     */
    private static final long[] G = powersOfTen();

    /** "00" to "99", two characters each. */
    private static final char[] PAIRS = new char[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (char) ('0' + i / 10);
            PAIRS[2 * i + 1] = (char) ('0' + i % 10);
        }
    }

    private ShortestDecimal() {}

    /** The value's text (see the class comment). */
    public static String toString(double v) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, write(v, buf, 0));
    }

    /** The value's text, at a float's width (see the class comment). */
    public static String toString(float v) {
        char[] buf = new char[MAX_CHARS];
        return new String(buf, 0, write(v, buf, 0));
    }

    /**
     * Writes the value's text into {@code buf} from {@code at}; returns where it ends. {@code buf} needs
     * {@link #MAX_CHARS} from {@code at}.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which have no decimal (nor a MySQL column)
     */
    public static int write(double v, char[] buf, int at) {
        long bits = Double.doubleToRawLongBits(v);
        return write(bits < 0, (int) (bits >>> 52) & 0x7FF, bits & ((1L << 52) - 1), 52, 1023, v, buf, at);
    }

    /** As {@link #write(double, char[], int)}, at a float's width. */
    public static int write(float v, char[] buf, int at) {
        int bits = Float.floatToRawIntBits(v);
        return write(bits < 0, (bits >>> 23) & 0xFF, bits & ((1 << 23) - 1), 23, 127, v, buf, at);
    }

    /**
     * Writes an IEEE 754 binary value given as its sign, biased exponent {@code bq} and stored significand bits
     * {@code t} ({@code precision} of them; {@code bias}: 1023 for doubles, 127 for floats).
     */
    private static int write(boolean negative, int bq, long t, int precision, int bias, double v, char[] buf, int at) {
        if (bq == 2 * bias + 1) {
            throw new IllegalArgumentException("no decimal for " + v);
        }
        if (negative) {
            buf[at++] = '-';
        }
        int qMin = 1 - bias - precision; // v = c·2^q; the subnormals' q
        long cMin = 1L << precision;
        if (bq == 0) {
            return t == 0 ? zero(buf, at) : decimal(qMin, t, false, buf, at);
        }
        long c = cMin | t;
        int q = bq - bias - precision;
        if (q < 0 && q > -precision - 1 && (c & ((1L << -q) - 1)) == 0) {
            return format(c >> -q, 0, buf, at); // an integer below 2^(precision+1): its own digits are the shortest
        }
        return decimal(q, c, t == 0 && q != qMin, buf, at);
    }

    private static int zero(char[] buf, int at) {
        buf[at] = '0';
        buf[at + 1] = '.';
        buf[at + 2] = '0';
        return at + 3;
    }

    /**
     * The shortest decimal of {@code c·2^q}, written. {@code lowerCloser}: c is the smallest significand of its
     * binade (and not a subnormal's), so the neighbour below is half as far as the one above.
     */
    private static int decimal(int q, long c, boolean lowerCloser, char[] buf, int at) {
        int out = (int) c & 1; // odd c: the interval's ends read back as the neighbours (ties to even)
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (lowerCloser) {
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        } else {
            cbl = cb - 2;
            k = flog10pow2(q);
        }
        // 4·v·10^-k = cb · g · 2^(h - 127), and h is in [2, 5], so cb << h stays below 2^60
        int h = q + flog2pow10(-k) + 2;
        int i = (k - K_MIN) << 1;
        long g1 = G[i];
        long g0 = G[i + 1];
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        long s = vb >> 2;
        long sp10 = s / 10 * 10;
        long tp10 = sp10 + 10;
        boolean upin = vbl + out <= sp10 << 2;
        boolean wpin = (tp10 << 2) + out <= vbr;
        if (upin != wpin) {
            return format(upin ? sp10 : tp10, k, buf, at); // one digit fewer
        }
        long u = s + 1;
        boolean sin = vbl + out <= s << 2;
        boolean uin = (u << 2) + out <= vbr;
        if (sin != uin) {
            return format(sin ? s : u, k, buf, at);
        }
        long cmp = vb - (s + u << 1); // both read back: the nearer, on a tie the even one
        return format(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : u, k, buf, at);
    }

    /**
     * {@code floor(g·cp / 2^127)} with its lowest bit set when the bits cut off below it, from 2^64 up, are not
     * all zero ("round to odd"); {@code g = g1·2^63 + g0}.
     */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long x0 = g0 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long y0 = g1 * cp;
        // g·cp = y1·2^127 + y0·2^63 + x1·2^64 + x0; its bits from 2^64 up: y1·2^63 + z
        long carry = x0 >>> 63 & y0; // y0's low bit (2^63) plus x0 (unsigned) reaching 2^64
        long z = (y0 >>> 1) + x1 + carry;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    static int flog10pow2(int q) {
        return (int) (q * LOG10_2 >> 41);
    }

    static int flog10threeQuartersPow2(int q) {
        return (int) (q * LOG10_2 + LOG10_3_4 >> 41);
    }

    static int flog2pow10(int e) {
        return (int) (e * LOG2_10 >> 38);
    }

    /** Writes {@code f·10^e} ({@code f > 0}) in the contract's layout. */
    private static int format(long f, int e, char[] buf, int at) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int n = digits(f);
        int exp = e + n - 1; // of the first digit
        if (exp >= -3 && exp < 7) {
            if (exp < 0) {
                buf[at++] = '0';
                buf[at++] = '.';
                for (int z = exp + 1; z < 0; z++) {
                    buf[at++] = '0';
                }
                return putDigits(f, n, buf, at);
            }
            int whole = exp + 1;
            if (n <= whole) {
                at = putDigits(f, n, buf, at);
                for (int z = n; z < whole; z++) {
                    buf[at++] = '0';
                }
                buf[at++] = '.';
                buf[at++] = '0';
                return at;
            }
            int end = putDigits(f, n, buf, at + 1);
            System.arraycopy(buf, at + 1, buf, at, whole);
            buf[at + whole] = '.';
            return end;
        }
        int end = putDigits(f, n, buf, at + 1);
        buf[at] = buf[at + 1];
        if (n > 1) {
            buf[at + 1] = '.';
        } else {
            end = at + 1;
        }
        buf[end++] = 'e';
        if (exp < 0) {
            buf[end++] = '-';
            exp = -exp;
        }
        return putDigits(exp, digits(exp), buf, end);
    }

    private static int digits(long f) {
        int n = 1;
        for (long p = 10; n < 19 && f >= p; p *= 10) {
            n++;
        }
        return n;
    }

    /** The n digits of f at {@code buf[at, at + n)}, two per division (C1, which runs Sluice, divides slowly). */
    private static int putDigits(long f, int n, char[] buf, int at) {
        int i = at + n;
        while (f >= Integer.MAX_VALUE) {
            long q = f / 100;
            int pair = (int) (f - q * 100) << 1;
            buf[--i] = PAIRS[pair + 1];
            buf[--i] = PAIRS[pair];
            f = q;
        }
        int v = (int) f;
        while (v >= 10) {
            int q = v / 100;
            int pair = (v - q * 100) << 1;
            buf[--i] = PAIRS[pair + 1];
            buf[--i] = PAIRS[pair];
            v = q;
        }
        if (i > at) {
            buf[--i] = (char) ('0' + v);
        }
        return at + n;
    }

    private static long[] powersOfTen() {
        long[] g = new long[2 * (K_MAX - K_MIN + 1)];
        BigInteger ten = BigInteger.TEN;
        for (int k = K_MIN; k <= K_MAX; k++) {
            int r = flog2pow10(-k) - 125; // 10^-k = beta · 2^r with beta in [2^125, 2^126)
            BigInteger beta = k <= 0
                    ? shift(ten.pow(-k), -r)
                    : BigInteger.ONE.shiftLeft(-r).divide(ten.pow(k));
            BigInteger v = beta.add(BigInteger.ONE);
            if (v.bitLength() != 126) {
                throw new AssertionError("10^" + -k + " is not scaled into [2^125, 2^126)");
            }
            g[2 * (k - K_MIN)] = v.shiftRight(63).longValueExact();
            g[2 * (k - K_MIN) + 1] = v.longValue() & MASK_63;
        }
        return g;
    }

    private static BigInteger shift(BigInteger v, int left) {
        return left >= 0 ? v.shiftLeft(left) : v.shiftRight(-left);
    }
}
