package io.sluice.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.event.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortestDecimal} against exact arithmetic ({@link BigDecimal}; {@code Double.parseDouble} and
 * {@code Float.parseFloat} round correctly): each text reads back as its value, no decimal with a digit fewer does,
 * and of those of its length it is the nearest. Edge values, every power of two and ten and their neighbours, and
 * many random bit patterns, at both widths.
 */
class ShortestDecimalTest {
    /** The contract's layout: plain with a point for 1e-3 <= |v| < 1e7, else d[.ddd]e[-]n; no extra zeros. */
    private static final Pattern PLAIN = Pattern.compile("-?(0|[1-9][0-9]{0,6})\\.(0|[0-9]*[1-9])");

    private static final Pattern SCIENTIFIC = Pattern.compile("-?[1-9](\\.[0-9]*[1-9])?e-?[1-9][0-9]{0,2}");

    /**
     * True when {@code text} is the shortest decimal that reads back as {@code v} (at a float's width when
     * {@code asFloat}) and the nearest of those: of the decimals of one significant digit fewer, neither the one
     * just below {@code v} nor the one just above reads back (every shorter decimal is one of those with zeros
     * appended); of those of its own length, it is the one of the two that reads back and is nearer (a tie: the
     * even last digit).
     */
    static boolean shortestAndNearest(String text, double v, boolean asFloat) {
        BigDecimal exact = new BigDecimal(v).abs();
        BigDecimal got = new BigDecimal(text).abs().stripTrailingZeros();
        int n = got.precision();
        if (n > 1
                && (readsBack(round(exact, n - 1, RoundingMode.FLOOR), v, asFloat)
                        || readsBack(round(exact, n - 1, RoundingMode.CEILING), v, asFloat))) {
            return false;
        }
        BigDecimal below = round(exact, n, RoundingMode.FLOOR);
        BigDecimal above = round(exact, n, RoundingMode.CEILING);
        boolean belowReads = readsBack(below, v, asFloat);
        boolean aboveReads = readsBack(above, v, asFloat);
        BigDecimal want;
        if (belowReads && aboveReads && below.compareTo(above) != 0) {
            int c = exact.subtract(below).compareTo(above.subtract(exact));
            boolean belowEven = !below.unscaledValue().testBit(0);
            want = c < 0 || c == 0 && belowEven ? below : above;
        } else {
            want = belowReads ? below : above;
        }
        return got.compareTo(want) == 0;
    }

    private static BigDecimal round(BigDecimal v, int digits, RoundingMode mode) {
        return v.round(new MathContext(digits, mode));
    }

    private static boolean readsBack(BigDecimal d, double v, boolean asFloat) {
        double a = Math.abs(v);
        return asFloat ? Float.parseFloat(d.toString()) == (float) a : Double.parseDouble(d.toString()) == a;
    }

    private static void checkDouble(double v) {
        check(ShortestDecimal.toString(v), v, false);
    }

    private static void checkFloat(float v) {
        check(ShortestDecimal.toString(v), v, true);
    }

    private static void check(String s, double v, boolean asFloat) {
        double back = asFloat ? Float.parseFloat(s) : Double.parseDouble(s);
        assertThat(Double.doubleToRawLongBits(back))
                .as("%s reads back as %s", s, v)
                .isEqualTo(Double.doubleToRawLongBits(v));
        assertLayout(s, v);
        if (v != 0) {
            assertThat(shortestAndNearest(s, v, asFloat))
                    .as("%s is shortest (Java: %s)", s, asFloat ? Float.toString((float) v) : Double.toString(v))
                    .isTrue();
        }
    }

    private static void assertLayout(String s, double v) {
        double a = Math.abs(v);
        boolean plain = a == 0 || a >= 1e-3 && a < 1e7;
        assertThat(s).as("layout of %s", s).matches(plain ? PLAIN : SCIENTIFIC);
        assertThat(s.startsWith("-")).as("sign of %s", s).isEqualTo(Math.copySign(1, v) < 0);
        assertThat(s.length()).isLessThanOrEqualTo(ShortestDecimal.MAX_CHARS);
    }

    @Test
    void subnormalsAndOtherValuesJava17WritesTooLongAreShortest() {
        assertThat(ShortestDecimal.toString(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(ShortestDecimal.toString(Float.MIN_VALUE)).isEqualTo("1e-45");
        assertThat(ShortestDecimal.toString(1.0E23)).isEqualTo("1e23"); // Java 17: 9.999999999999999E22
        assertThat(ShortestDecimal.toString(2.0E23)).isEqualTo("2e23"); // Java 17: 1.9999999999999998E23
        assertThat(ShortestDecimal.toString(Float.MIN_NORMAL)).isEqualTo("1.1754944e-38"); // Java: 1.17549435E-38
        assertThat(ShortestDecimal.toString(9.8269458909530253E17)).isEqualTo("9.826945890953025e17");
        assertThat(ShortestDecimal.toString(2 * Double.MIN_VALUE)).isEqualTo("1e-323");
        assertThat(ShortestDecimal.toString(Double.MIN_NORMAL)).isEqualTo("2.2250738585072014e-308");
        assertThat(ShortestDecimal.toString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e308");
        assertThat(ShortestDecimal.toString(Float.MAX_VALUE)).isEqualTo("3.4028235e38");
        assertThat(ShortestDecimal.toString(9.007199254740993E15)).isEqualTo("9.007199254740992e15");
    }

    @Test
    void theLayoutIsPlainBetweenAThousandthAndTenMillionElseScientific() {
        assertThat(ShortestDecimal.toString(0.0)).isEqualTo("0.0");
        assertThat(ShortestDecimal.toString(-0.0)).isEqualTo("-0.0");
        assertThat(ShortestDecimal.toString(-0.0f)).isEqualTo("-0.0");
        assertThat(ShortestDecimal.toString(1.0)).isEqualTo("1.0");
        assertThat(ShortestDecimal.toString(100.0)).isEqualTo("100.0");
        assertThat(ShortestDecimal.toString(1.1f)).isEqualTo("1.1");
        assertThat(ShortestDecimal.toString(-3.5)).isEqualTo("-3.5");
        assertThat(ShortestDecimal.toString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(ShortestDecimal.toString(0.001)).isEqualTo("0.001");
        assertThat(ShortestDecimal.toString(0.00012)).isEqualTo("1.2e-4");
        assertThat(ShortestDecimal.toString(1234567.0)).isEqualTo("1234567.0");
        assertThat(ShortestDecimal.toString(9999999.5)).isEqualTo("9999999.5");
        assertThat(ShortestDecimal.toString(1e7)).isEqualTo("1e7");
        assertThat(ShortestDecimal.toString(12345678.0)).isEqualTo("1.2345678e7");
        assertThat(ShortestDecimal.toString(3.40282e38f)).isEqualTo("3.40282e38");
        assertThatThrownBy(() -> ShortestDecimal.toString(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.toString(Float.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void edgeValuesAtBothWidthsAreShortestAndReadBack() {
        List<Double> doubles = new ArrayList<>(List.of(
                0.0,
                -0.0,
                Double.MIN_VALUE,
                Double.MIN_NORMAL,
                Math.nextDown(Double.MIN_NORMAL),
                Math.nextUp(Double.MIN_NORMAL),
                Double.MAX_VALUE,
                Math.nextDown(Double.MAX_VALUE),
                9007199254740991.0,
                9007199254740992.0,
                9007199254740994.0,
                0.1,
                0.2,
                0.3,
                2.0E-3,
                5e-324,
                1.0E-7,
                4.35,
                8.41E21,
                5.0E-324 * 3));
        for (int e = -1074; e <= 1023; e++) {
            double p = Math.scalb(1.0, e); // every power of two and its neighbours
            doubles.add(p);
            doubles.add(Math.nextUp(p));
            doubles.add(Math.nextDown(p));
        }
        for (int e = -323; e <= 308; e++) {
            double p = Double.parseDouble("1e" + e); // every power of ten and its neighbours
            doubles.add(p);
            doubles.add(Math.nextUp(p));
            doubles.add(Math.nextDown(p));
        }
        for (long c = 1; c < 1000; c++) {
            doubles.add(Double.longBitsToDouble(c)); // subnormals with few bits
        }
        for (double d : doubles) {
            checkDouble(d);
            checkDouble(-d);
        }
        List<Float> floats = new ArrayList<>(List.of(
                0f,
                Float.MIN_VALUE,
                Float.MIN_NORMAL,
                Float.MAX_VALUE,
                Math.nextDown(Float.MIN_NORMAL),
                16777216f,
                16777215f,
                0.1f,
                1.1f,
                3.40282e38f,
                1.0E10f));
        for (int e = -149; e <= 127; e++) {
            float p = Math.scalb(1f, e);
            floats.add(p);
            floats.add(Math.nextUp(p));
            floats.add(Math.nextDown(p));
        }
        for (int e = -45; e <= 38; e++) {
            float p = Float.parseFloat("1e" + e);
            floats.add(p);
            floats.add(Math.nextUp(p));
            floats.add(Math.nextDown(p));
        }
        for (int c = 1; c < 1000; c++) {
            floats.add(Float.intBitsToFloat(c));
        }
        for (float f : floats) {
            checkFloat(f);
            checkFloat(-f);
        }
    }

    @Test
    void randomBitPatternsAtBothWidthsAreShortestAndReadBack() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                checkDouble(d);
            }
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(f)) {
                checkFloat(f);
            }
            // values with short decimals, as people store them
            double typed = random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12));
            checkDouble(typed);
            checkFloat((float) typed);
        }
    }

    @Test
    void theFixedPointLogarithmsAreExactOverEveryExponentUsed() {
        for (int q = -1100; q <= 1100; q++) {
            assertThat(ShortestDecimal.flog10pow2(q))
                    .as("floor(log10(2^%d))", q)
                    .isEqualTo(floorLog10(q, 1, 1));
            assertThat(ShortestDecimal.flog10threeQuartersPow2(q))
                    .as("floor(log10(3/4 2^%d))", q)
                    .isEqualTo(floorLog10(q, 3, 4));
        }
        for (int e = ShortestDecimal.K_MIN - 1; e <= -ShortestDecimal.K_MIN + 1; e++) {
            BigInteger p = BigInteger.TEN.pow(Math.abs(e));
            int floorLog2 = e >= 0 ? p.bitLength() - 1 : -p.bitLength(); // 10^e is no power of two for e != 0
            assertThat(ShortestDecimal.flog2pow10(e))
                    .as("floor(log2(10^%d))", e)
                    .isEqualTo(floorLog2);
        }
    }

    /** floor(log10(num/den · 2^q)), exactly. */
    private static int floorLog10(int q, int num, int den) {
        BigDecimal v = new BigDecimal(num).divide(new BigDecimal(den));
        v = q >= 0
                ? v.multiply(new BigDecimal(BigInteger.TWO.pow(q)))
                : v.divide(new BigDecimal(BigInteger.TWO.pow(-q))); // exact: a power of two divides out
        return v.precision() - v.scale() - 1;
    }

    @Test
    void theEncoderWritesFloatsAndDoublesThisWay() {
        Row after = new Row(new String[] {"f", "d", "z"}, new Object[] {Float.MIN_VALUE, Double.MIN_VALUE, 100.0});
        String json = new String(EventCodec.renderRow(after), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"f\":1e-45,\"d\":5e-324,\"z\":100.0}");
    }
}
