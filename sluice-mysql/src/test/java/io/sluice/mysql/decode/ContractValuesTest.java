package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Row;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import io.sluice.mysql.schema.ColumnDef;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Every type of the contract's value table, decode → typed value → encode, byte for byte: a binlog cell (bytes the
 * server writes, read by {@link Cells}, or the binlog library's own reading of it) goes through the column's
 * {@link ColumnDecoder} into the value model and out through {@link EventCodec} as exactly today's JSON (the values
 * of the types corpus, {@code ColumnTypesIT}). A change of any encoding fails here, in the fast suite.
 */
class ContractValuesTest {
    private static final String[] NAME = {"c"};

    /** A column of a binlog type. */
    private static ColumnDef col(
            int type, int meta, int length, boolean unsigned, String charset, String[] labels, String sqlType) {
        return new ColumnDef("c", type, meta, length, unsigned, charset, labels, sqlType, true);
    }

    private static ColumnDef col(int type, int meta) {
        return col(type, meta, 0, false, null, null, null);
    }

    /** The column's value of a cell, decoded as the binlog reader decodes it. */
    private static Object value(ColumnDef c, Object cell) {
        return ColumnDecoder.of(c).decode(cell);
    }

    /** Reads a cell of the server's bytes the way the rows deserializers do. */
    private static Object read(ColumnDef c, byte[] bytes) throws IOException {
        Object cell = Cells.read(ColumnType.byCode(c.type()), c.meta(), c.length(), new ByteArrayInputStream(bytes));
        assertThat(cell).as("Cells reads type " + c.type()).isNotSameAs(Cells.LIBRARY);
        return cell;
    }

    /** The value's JSON as an event holds it. */
    private static String json(Object value) {
        String row = EventCodec.compact(new Row(NAME, new Object[] {value}));
        return row.substring("{\"c\":".length(), row.length() - 1);
    }

    private static String decoded(ColumnDef c, Object cell) {
        return json(value(c, cell));
    }

    private static String read(ColumnDef c, String hex) throws IOException {
        return json(value(c, read(c, HexFormat.of().parseHex(hex))));
    }

    private static String readBytes(ColumnDef c, byte[] bytes) throws IOException {
        return json(value(c, read(c, bytes)));
    }

    private static String datetime(int fsp, int y, int mo, int d, int h, int mi, int s, int micros) throws IOException {
        return readBytes(col(ColumnDef.DATETIME_V2, fsp), BinlogCells.datetime2(y, mo, d, h, mi, s, micros, fsp));
    }

    private static String timestamp(int fsp, long seconds, int micros) throws IOException {
        return readBytes(col(ColumnDef.TIMESTAMP_V2, fsp), BinlogCells.timestamp2(seconds, micros, fsp));
    }

    private static String time(int fsp, boolean negative, int h, int m, int s, int micros) throws IOException {
        return readBytes(col(ColumnDef.TIME_V2, fsp), BinlogCells.time2(negative, h, m, s, micros, fsp));
    }

    private static int[] ints(String spaced) {
        return java.util.Arrays.stream(spaced.split(" "))
                .mapToLong(Long::parseLong)
                .mapToInt(v -> (int) v)
                .toArray();
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void integersSignedAndUnsignedToTheirFullRange() {
        assertThat(decoded(col(ColumnDef.TINY, 0), -128)).isEqualTo("-128");
        assertThat(decoded(col(ColumnDef.TINY, 0, 0, true, null, null, null), -1))
                .isEqualTo("255");
        assertThat(decoded(col(ColumnDef.SHORT, 0, 0, true, null, null, null), -1))
                .isEqualTo("65535");
        assertThat(decoded(col(ColumnDef.INT24, 0), -8388608)).isEqualTo("-8388608");
        assertThat(decoded(col(ColumnDef.INT24, 0, 0, true, null, null, null), -1))
                .isEqualTo("16777215");
        assertThat(decoded(col(ColumnDef.LONG, 0), Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(decoded(col(ColumnDef.LONG, 0, 0, true, null, null, null), -1))
                .isEqualTo("4294967295");
        assertThat(decoded(col(ColumnDef.LONGLONG, 0), Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        ColumnDef u64 = col(ColumnDef.LONGLONG, 0, 0, true, null, null, null);
        assertThat(decoded(u64, -1L)).isEqualTo("18446744073709551615");
        assertThat(decoded(u64, Long.MIN_VALUE)).isEqualTo("9223372036854775808");
        assertThat(decoded(u64, 1L)).isEqualTo("1");
    }

    @Test
    void decimalsAsStringsWithExactlyTheirScale() {
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 4 << 8 | 10), new BigDecimal("19.9")))
                .isEqualTo("\"19.9000\"");
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 4 << 8 | 10), new BigDecimal("0")))
                .isEqualTo("\"0.0000\"");
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 5), new BigDecimal("-1"))).isEqualTo("\"-1\"");
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 2 << 8 | 4), new BigDecimal("-0.5")))
                .isEqualTo("\"-0.50\"");
        String big = "12345678901234567890123456789012345.123456789012345678901234567890";
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 30 << 8 | 65), new BigDecimal(big)))
                .isEqualTo("\"" + big + "\"");
        assertThat(decoded(col(ColumnDef.NEWDECIMAL, 30 << 8 | 65), new BigDecimal("-1E-30")))
                .isEqualTo("\"-0.000000000000000000000000000001\"");
    }

    @Test
    void floatsAndDoublesAsShortestRoundTripDecimalsAtTheirWidth() {
        ColumnDef f = col(ColumnDef.FLOAT, 4);
        assertThat(decoded(f, 1.1f)).isEqualTo("1.1");
        assertThat(decoded(f, -3.5f)).isEqualTo("-3.5");
        assertThat(decoded(f, 3.40282e38f)).isEqualTo("3.40282e38");
        assertThat(decoded(f, 1.4e-45f)).isEqualTo("1e-45");
        assertThat(decoded(f, 100f)).isEqualTo("100.0");
        assertThat(decoded(f, -0.001f)).isEqualTo("-0.001");
        ColumnDef d = col(ColumnDef.DOUBLE, 8);
        assertThat(decoded(d, 1.1)).isEqualTo("1.1");
        assertThat(decoded(d, 1.7976931348623157e308)).isEqualTo("1.7976931348623157e308");
        assertThat(decoded(d, 4.9e-324)).isEqualTo("5e-324");
        assertThat(decoded(d, 1e23)).isEqualTo("1e23");
        assertThat(decoded(d, 1e-7)).isEqualTo("1e-7");
    }

    @Test
    void bitsAndYearsAsUnsignedNumbers() throws IOException {
        assertThat(readBytes(col(ColumnDef.BIT, 1), BinlogCells.bit(1, 1))).isEqualTo("1");
        assertThat(readBytes(col(ColumnDef.BIT, 5), BinlogCells.bit(5, 5))).isEqualTo("5");
        assertThat(readBytes(col(ColumnDef.BIT, 8 << 8), BinlogCells.bit(-1L, 64)))
                .isEqualTo("18446744073709551615");
        assertThat(readBytes(col(ColumnDef.BIT, 8 << 8), BinlogCells.bit(2, 64)))
                .isEqualTo("2");
        assertThat(read(col(ColumnDef.YEAR, 0), "7c")).isEqualTo("2024");
        assertThat(read(col(ColumnDef.YEAR, 0), "00")).isEqualTo("0");
        assertThat(read(col(ColumnDef.YEAR, 0), "ff")).isEqualTo("2155");
    }

    @Test
    void charactersDecodedFromTheirCharsets() throws IOException {
        ColumnDef varchar = col(ColumnDef.VARCHAR, 80, 0, false, "utf8mb4", null, null);
        assertThat(readBytes(
                        varchar, BinlogCells.concat(new byte[] {(byte) utf8("naïve 🚀").length}, utf8("naïve 🚀"))))
                .isEqualTo("\"naïve 🚀\"");
        assertThat(read(varchar, "03" + "612020")).isEqualTo("\"a  \"");
        assertThat(read(varchar, "00")).isEqualTo("\"\"");
        assertThat(read(varchar, "03" + "615c22")).isEqualTo("\"a\\\\\\\"\"");
        ColumnDef chr = col(ColumnDef.STRING, 0, 40, false, "utf8mb4", null, null);
        assertThat(read(chr, "04" + "61622020")).isEqualTo("\"ab\"");
        assertThat(read(chr, "03" + "202078")).isEqualTo("\"  x\"");
        assertThat(read(col(ColumnDef.VARCHAR, 20, 0, false, "latin1", null, null), "02" + "80e9"))
                .isEqualTo("\"€é\"");
        assertThat(read(col(ColumnDef.VARCHAR, 20, 0, false, "latin1", null, null), "01" + "81"))
                .isEqualTo("\"\u0081\"");
        assertThat(read(col(ColumnDef.STRING, 0, 5, false, "latin1", null, null), "01" + "fc"))
                .isEqualTo("\"ü\"");
        assertThat(read(col(ColumnDef.VARCHAR, 20, 0, false, "ucs2", null, null), "04" + "03a90078"))
                .isEqualTo("\"Ωx\"");
        ColumnDef text = col(ColumnDef.BLOB, 2, 0, false, "utf8mb4", null, null);
        assertThat(decoded(text, utf8("line1\nline2 ✓"))).isEqualTo("\"line1\\nline2 ✓\"");
        assertThat(decoded(col(ColumnDef.BLOB, 4, 0, false, "utf8mb3", null, null), utf8("日本")))
                .isEqualTo("\"日本\"");
        // MariaDB's JSON is an alias of LONGTEXT: a string
        assertThat(decoded(col(ColumnDef.BLOB, 4, 0, false, "utf8mb4", null, null), utf8("{\"a\": 1}")))
                .isEqualTo("\"{\\\"a\\\": 1}\"");
    }

    @Test
    void enumAndSetAsLabels() {
        String[] labels = {"new", "paid", "shipped"};
        ColumnDef e = col(ColumnDef.ENUM, 0, 1, false, "utf8mb4", labels, null);
        assertThat(decoded(e, 2)).isEqualTo("\"paid\"");
        assertThat(decoded(e, 0)).isEqualTo("\"\"");
        ColumnDef s = col(ColumnDef.SET, 0, 1, false, "utf8mb4", new String[] {"a", "b", "c"}, null);
        assertThat(decoded(s, 0b101L)).isEqualTo("\"a,c\"");
        assertThat(decoded(s, 0b111L)).isEqualTo("\"a,b,c\"");
        assertThat(decoded(s, 0L)).isEqualTo("\"\"");
    }

    @Test
    void bytesAsBase64OfWhatSelectReturns() throws IOException {
        assertThat(read(col(ColumnDef.STRING, 0, 4, false, "binary", null, null), "02" + "6162"))
                .isEqualTo("\"YWIAAA==\"");
        assertThat(read(col(ColumnDef.STRING, 0, 4, false, "binary", null, null), "03" + "000102"))
                .isEqualTo("\"AAECAA==\"");
        assertThat(read(col(ColumnDef.VARCHAR, 10, 0, false, "binary", null, null), "03" + "000102"))
                .isEqualTo("\"AAEC\"");
        assertThat(read(col(ColumnDef.VARCHAR, 10, 0, false, "binary", null, null), "00"))
                .isEqualTo("\"\"");
        assertThat(decoded(col(ColumnDef.BLOB, 2, 0, false, "binary", null, null), new byte[] {-1, 0, -1}))
                .isEqualTo("\"/wD/\"");
        assertThat(decoded(col(ColumnDef.BLOB, 4, 0, false, null, null, null), new byte[] {0}))
                .isEqualTo("\"AA==\"");
        byte[] point = HexFormat.of().parseHex("000000000101000000000000000000f03f0000000000000040");
        assertThat(decoded(col(ColumnDef.GEOMETRY, 4), point)).isEqualTo("\"AAAAAAEBAAAAAAAAAAAA8D8AAAAAAAAAQA==\"");
    }

    @Test
    void datesKeepZeroAndPartialParts() throws IOException {
        ColumnDef date = col(ColumnDef.DATE, 0);
        assertThat(readBytes(date, BinlogCells.date(2024, 2, 29))).isEqualTo("\"2024-02-29\"");
        assertThat(readBytes(date, BinlogCells.date(0, 0, 0))).isEqualTo("\"0000-00-00\"");
        assertThat(readBytes(date, BinlogCells.date(2024, 0, 0))).isEqualTo("\"2024-00-00\"");
        assertThat(readBytes(date, BinlogCells.date(9999, 12, 31))).isEqualTo("\"9999-12-31\"");
    }

    @Test
    void datetimesHaveExactlyTheirFractionDigitsAndKeepZeros() throws IOException {
        // fsp, year, month, day, hour, minute, second, micros
        String[][] cases = {
            {"0 2024 2 29 13 45 1 0", "2024-02-29T13:45:01"},
            {"0 0 0 0 0 0 0 0", "0000-00-00T00:00:00"},
            {"6 2024 2 29 13 45 1 250000", "2024-02-29T13:45:01.250000"},
            {"6 1000 1 1 0 0 0 1", "1000-01-01T00:00:00.000001"},
            {"3 0 0 0 0 0 0 0", "0000-00-00T00:00:00.000"},
            {"3 2024 12 31 23 59 59 999000", "2024-12-31T23:59:59.999"},
            {"1 2024 1 2 3 4 5 600000", "2024-01-02T03:04:05.6"},
        };
        for (String[] c : cases) {
            int[] f = ints(c[0]);
            assertThat(datetime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]))
                    .as(c[0])
                    .isEqualTo(quoted(c[1]));
        }
        // the pre-5.6 layout: 8 bytes little-endian of YYYYMMDDhhmmss
        assertThat(readBytes(col(ColumnDef.DATETIME, 0), littleEndian(20240229134501L, 8)))
                .isEqualTo("\"2024-02-29T13:45:01\"");
    }

    @Test
    void timestampsInUtcWithZAndTheZeroTimestamp() throws IOException {
        // fsp, epoch seconds, micros
        String[][] cases = {
            {"3 1709210701 250000", "2024-02-29T12:45:01.250Z"},
            {"3 0 0", "0000-00-00T00:00:00.000Z"},
            {"0 1709203501 0", "2024-02-29T10:45:01Z"},
            {"0 0 0", "0000-00-00T00:00:00Z"},
            {"6 2147483647 999999", "2038-01-19T03:14:07.999999Z"},
            {"0 951782400 0", "2000-02-29T00:00:00Z"},
        };
        for (String[] c : cases) {
            int[] f = ints(c[0]);
            assertThat(timestamp(f[0], Integer.toUnsignedLong(f[1]), f[2]))
                    .as(c[0])
                    .isEqualTo(quoted(c[1]));
        }
        assertThat(readBytes(col(ColumnDef.TIMESTAMP, 0), littleEndian(1L, 4))).isEqualTo("\"1970-01-01T00:00:01Z\"");
    }

    @Test
    void timesBeyondADayAndNegativeWithTheirFractions() throws IOException {
        // fsp, negative (1) or not, hours, minutes, seconds, micros
        String[][] cases = {
            {"0 1 100 0 0 0", "-100:00:00"},
            {"0 0 838 59 59 0", "838:59:59"},
            {"0 0 0 0 0 0", "00:00:00"},
            {"0 1 838 59 59 0", "-838:59:59"},
            {"2 1 0 0 1 500000", "-00:00:01.50"},
            {"2 0 12 0 0 10000", "12:00:00.01"},
            {"3 1 12 34 56 789000", "-12:34:56.789"},
            {"3 1 0 0 0 1000", "-00:00:00.001"},
            {"6 0 838 59 59 0", "838:59:59.000000"},
            {"6 1 1 0 0 1", "-01:00:00.000001"},
            {"5 0 10 11 12 123450", "10:11:12.12345"},
        };
        for (String[] c : cases) {
            int[] f = ints(c[0]);
            assertThat(time(f[0], f[1] == 1, f[2], f[3], f[4], f[5])).as(c[0]).isEqualTo(quoted(c[1]));
        }
        // the pre-5.6 layout: 3 bytes little-endian, signed, of hhmmss
        assertThat(readBytes(col(ColumnDef.TIME, 0), littleEndian(-1000000, 3))).isEqualTo("\"-100:00:00\"");
    }

    @Test
    void nativeJsonEmbeddedAndInetUuidAsSelectShowsThem() {
        ColumnDef json = col(ColumnDef.JSON, 4);
        assertThat(decoded(json, new byte[0])).isEqualTo("null");
        // MySQL's binary JSON: an int16 (type 5) of 42, a literal (type 4) true
        assertThat(decoded(json, new byte[] {5, 42, 0})).isEqualTo("42");
        assertThat(decoded(json, new byte[] {4, 1})).isEqualTo("true");
        byte[] one = new byte[16];
        one[15] = 1;
        assertThat(decoded(col(ColumnDef.STRING, 0, 16, false, "binary", null, "inet6"), one))
                .isEqualTo("\"::1\"");
        assertThat(decoded(col(ColumnDef.STRING, 0, 4, false, "binary", null, "inet4"), new byte[] {1, 2, 3, 4}))
                .isEqualTo("\"1.2.3.4\"");
        assertThat(decoded(col(ColumnDef.STRING, 0, 16, false, "binary", null, "uuid"), one))
                .isEqualTo("\"00000000-0000-0000-0000-000000000001\"");
    }

    @Test
    void sqlNullIsJsonNull() {
        assertThat(json(null)).isEqualTo("null");
    }

    /** The values are typed (the value model), not pre-encoded text or mutable arrays. */
    @Test
    void decodedValuesAreOfTheValueModel() throws IOException {
        assertThat(value(col(ColumnDef.NEWDECIMAL, 4 << 8 | 10), new BigDecimal("19.9")))
                .isEqualTo(new BigDecimal("19.9000"));
        assertThat(value(col(ColumnDef.LONGLONG, 0, 0, true, null, null, null), -1L))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(value(col(ColumnDef.DATE, 0), read(col(ColumnDef.DATE, 0), BinlogCells.date(2024, 0, 0))))
                .isEqualTo(new DateValue(2024, 0, 0));
        ColumnDef dt = col(ColumnDef.DATETIME_V2, 3);
        assertThat(value(dt, read(dt, BinlogCells.datetime2(2024, 12, 31, 23, 59, 59, 999000, 3))))
                .isEqualTo(new DateTimeValue(2024, 12, 31, 23, 59, 59, 999000, 3));
        ColumnDef ts = col(ColumnDef.TIMESTAMP_V2, 3);
        assertThat(value(ts, read(ts, BinlogCells.timestamp2(0, 0, 3))))
                .isEqualTo(new TimestampValue(0, 0, 3))
                .matches(v -> ((TimestampValue) v).zero());
        ColumnDef t = col(ColumnDef.TIME_V2, 6);
        assertThat(value(t, read(t, BinlogCells.time2(true, 1, 0, 0, 1, 6))))
                .isEqualTo(new TimeValue(true, 1, 0, 0, 1, 6));
        assertThat(value(col(ColumnDef.STRING, 0, 4, false, "binary", null, null), new byte[] {1}))
                .isEqualTo(Bytes.of(new byte[] {1, 0, 0, 0}));
        assertThat(value(col(ColumnDef.GEOMETRY, 4), new byte[] {1, 2})).isInstanceOf(Bytes.class);
        assertThat(value(col(ColumnDef.VARCHAR, 20, 0, false, "utf8mb4", null, null), utf8("ab")))
                .isInstanceOf(AsciiText.class);
        assertThat(value(col(ColumnDef.JSON, 4), new byte[] {4, 1})).isEqualTo(new JsonText("true"));
    }

    private static byte[] littleEndian(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
