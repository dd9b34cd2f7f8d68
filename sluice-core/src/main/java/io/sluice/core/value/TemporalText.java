package io.sluice.core.value;

/** Digit writing and parsing shared by the temporal values. */
final class TemporalText {
    private TemporalText() {}

    /** "00" .. "99". */
    private static final byte[] PAIRS = new byte[200];

    /** 10^(6 - fsp): what the microseconds are divided by to keep fsp digits. */
    private static final int[] FRACTION_DIVISORS = {1_000_000, 100_000, 10_000, 1000, 100, 10, 1};

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /**
     * Writes {@code v >= 0} with at least {@code width} digits; returns where it ends. Two digits per step, each
     * step a multiplication, not a division (the sink's thread writes several per temporal value, under C1).
     */
    static int pad(byte[] b, int at, int v, int width) {
        if (width == 2 && v < 100) {
            b[at] = PAIRS[2 * v];
            b[at + 1] = PAIRS[2 * v + 1];
            return at + 2;
        }
        int end = at + Math.max(width, digits(v));
        // from the end: a pair while two places are left (the padding's zeros are pairs of a zero v), then one
        for (int j = end; j > at; ) {
            if (j - at == 1) {
                b[--j] = (byte) ('0' + v);
            } else {
                int q = (int) ((v * 1_374_389_535L) >>> 37); // v / 100 for every int v >= 0
                int r = 2 * (v - q * 100);
                b[--j] = PAIRS[r + 1];
                b[--j] = PAIRS[r];
                v = q;
            }
        }
        return end;
    }

    /** The number of decimal digits of {@code v >= 0}. */
    private static int digits(int v) {
        if (v < 10_000) {
            return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
        }
        int n = 5;
        for (int t = v / 100_000; t > 0; t /= 10) {
            n++;
        }
        return n;
    }

    static int date(byte[] b, int at, int year, int month, int day) {
        at = pad(b, at, year, 4);
        b[at++] = '-';
        at = pad(b, at, month, 2);
        b[at++] = '-';
        return pad(b, at, day, 2);
    }

    static int time(byte[] b, int at, int hour, int minute, int second) {
        at = pad(b, at, hour, 2);
        b[at++] = ':';
        at = pad(b, at, minute, 2);
        b[at++] = ':';
        return pad(b, at, second, 2);
    }

    /** {@code .} and exactly {@code fsp} digits of the microseconds, when fsp > 0. */
    static int fraction(byte[] b, int at, int micros, int fsp) {
        if (fsp <= 0) {
            return at;
        }
        b[at++] = '.';
        return pad(b, at, fsp >= 6 ? micros : micros / FRACTION_DIVISORS[fsp], fsp);
    }

    /** Checks the fields a time of day and a TIME share: minute, second, microseconds and fsp. */
    static void checkClock(int minute, int second, int micros, int fsp) {
        check(minute >= 0 && minute <= 59, "minute", minute);
        check(second >= 0 && second <= 59, "second", second);
        check(micros >= 0 && micros <= 999_999, "microseconds", micros);
        check(fsp >= 0 && fsp <= 6, "fsp", fsp);
    }

    /** Checks a date's fields (zeros allowed: zero and partial dates). */
    static void checkDate(int year, int month, int day) {
        check(year >= 0 && year <= 9999, "year", year);
        check(month >= 0 && month <= 12, "month", month);
        check(day >= 0 && day <= 31, "day", day);
    }

    static void check(boolean ok, String what, int value) {
        if (!ok) {
            throw new IllegalArgumentException(what + " out of range: " + value);
        }
    }

    /** A cursor over a temporal text, for the values' {@code parse} methods. */
    static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        boolean take(char c) {
            if (at < s.length() && s.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        boolean takeEither(char a, char b) {
            return take(a) || take(b);
        }

        /** {@code n} numbers separated by {@code sep} (as {@code 2024-02-29} or {@code 13:45:01}) into {@code f}. */
        void numbers(char sep, int n, int[] f, int at) {
            for (int i = 0; i < n; i++) {
                if (i > 0 && !take(sep)) {
                    throw bad();
                }
                f[at + i] = number();
            }
        }

        int number() {
            int start = at;
            int v = 0;
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                v = v * 10 + (s.charAt(at++) - '0');
            }
            if (at == start || at - start > 9) {
                throw bad();
            }
            return v;
        }

        /** After a {@code .}: the fraction's digits as microseconds; {@code fsp[0]} gets the number of digits. */
        int fraction(int[] fsp) {
            if (!take('.')) {
                fsp[0] = 0;
                return 0;
            }
            int start = at;
            int v = number();
            int n = at - start;
            if (n > 6) {
                throw bad();
            }
            fsp[0] = n;
            for (int i = n; i < 6; i++) {
                v *= 10;
            }
            return v;
        }

        void end() {
            if (at != s.length()) {
                throw bad();
            }
        }

        IllegalArgumentException bad() {
            return new IllegalArgumentException("not a temporal value's text: " + s);
        }
    }
}
