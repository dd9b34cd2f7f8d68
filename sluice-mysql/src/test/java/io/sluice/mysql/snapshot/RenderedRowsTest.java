package io.sluice.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.encode.EventBodies;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.encode.RenderedRows;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.mysql.snapshot.TablePlan.Kind;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows rendered straight from the driver's values ({@link TablePlan#render}) against the generic way (values read
 * into a {@link Row}, written by {@link EventCodec}): the after JSON, the key JSON, the id, the decoded values and
 * the whole event body must be the same, byte for byte, for plain values, for values that need escaping or
 * encoding (which make their row go the generic way), and for rows mixing both.
 */
class RenderedRowsTest {
    private static final String PREFIX = "shop:snapshot:r1:db.t:";
    private static final long EMIT_MS = 1_732_400_000_123L;

    /** One row of a fake result set: per column what the driver holds (Long, byte[], String, Float, Double). */
    private static final class FakeRows {
        final Object[][] rows;
        int at = -1;
        int reads;
        boolean lastNull;

        FakeRows(Object[]... rows) {
            this.rows = rows;
        }

        ResultSet resultSet() {
            return (ResultSet) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {ResultSet.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "next" -> ++at < rows.length;
                        case "wasNull" -> lastNull;
                        case "getLong" -> {
                            Object v = read(args);
                            yield v == null ? 0L : ((Number) v).longValue();
                        }
                        case "getFloat" -> {
                            Object v = read(args);
                            yield v == null ? 0f : ((Number) v).floatValue();
                        }
                        case "getDouble" -> {
                            Object v = read(args);
                            yield v == null ? 0d : ((Number) v).doubleValue();
                        }
                        case "getBytes" -> {
                            Object v = read(args);
                            if (v instanceof Decimal) {
                                throw new SQLDataException(
                                        "Data type DECIMAL cannot be decoded as byte[]"); // as the driver
                            }
                            yield v == null
                                    ? null
                                    : v instanceof byte[] b
                                            ? b.clone()
                                            : v.toString().getBytes(StandardCharsets.UTF_8);
                        }
                        case "getBinaryStream" -> {
                            // as the driver: a stream over the row's bytes, handed on whole by transferTo
                            Object v = read(args);
                            if (v instanceof Decimal) {
                                throw new SQLDataException("Data type DECIMAL cannot be decoded as Stream");
                            }
                            yield v == null
                                    ? null
                                    : new ByteArrayInputStream(
                                            v instanceof byte[] b
                                                    ? b
                                                    : v.toString().getBytes(StandardCharsets.UTF_8));
                        }
                        case "getString" -> {
                            Object v = read(args);
                            yield v == null
                                    ? null
                                    : v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
                        }
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        private Object read(Object[] args) {
            reads++;
            Object v = rows[at][(Integer) args[0] - 1];
            lastNull = v == null;
            return v;
        }
    }

    /** A DECIMAL value: the driver gives it as a string only. */
    private record Decimal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Renders every row both ways and compares; returns per row whether it was rendered straight (each column read
     * once) rather than the generic way.
     */
    private static List<Boolean> assertSameAsGeneric(TablePlan plan, Object[]... values) throws Exception {
        FakeRows direct = new FakeRows(values);
        FakeRows generic = new FakeRows(values);
        ResultSet rs = direct.resultSet();
        ResultSet gs = generic.resultSet();
        RenderedRows rows = new RenderedRows(PREFIX, plan.key.length > 0, 1, 16);
        List<Row> expected = new ArrayList<>();
        List<Boolean> straight = new ArrayList<>();
        while (rs.next()) {
            int before = direct.reads;
            plan.render(rs, rows);
            straight.add(direct.reads - before == plan.names.length);
            gs.next();
            expected.add(plan.row(gs));
        }
        plan.finish(rows);
        assertThat(rows.size()).isEqualTo(values.length);
        SourceInfo source = new SourceInfo(
                "shop", 7, null, "mysql-bin.000042", 123_456_789L, 0, 1_732_400_000_000L, "db", "t", true);
        EventBodies bodies = new EventBodies(Op.READ, source, plan.described.withVersion(3), PREFIX);
        for (int i = 0; i < rows.size(); i++) {
            Row want = expected.get(i);
            String what = "row " + i + " " + want;
            assertThat(rows.afterJson(i))
                    .as(what)
                    .isEqualTo(new String(EventCodec.renderRow(want), StandardCharsets.UTF_8));
            assertThat(rows.after(i, plan.described.columns()))
                    .as(what)
                    .isEqualTo(want); // values decoded from the JSON, or kept
            Row wantKey = plan.keyOf(want);
            ChangeEvent plain;
            ChangeEvent made;
            if (wantKey == null) {
                assertThat(rows.key(i, plan.described.keyColumns())).isNull();
                assertThat(rows.id(i)).isNull();
                made = bodies.event(rows, "#" + i, i, i);
                plain = new ChangeEvent(PREFIX + "#" + i, Op.READ, source.withRow(i), null, null, want, 3, null);
            } else {
                String keyJson = EventCodec.compact(wantKey);
                assertThat(rows.keyJson(i)).as(what).isEqualTo(keyJson);
                assertThat(TablePlan.keyJson(wantKey)).isEqualTo(keyJson);
                assertThat(EventCodec.compact(rows.key(i, plan.described.keyColumns())))
                        .isEqualTo(keyJson);
                assertThat(rows.key(i, plan.described.keyColumns())).as(what).isEqualTo(wantKey);
                assertThat(rows.id(i)).isEqualTo(PREFIX + keyJson);
                made = bodies.event(rows, i, i);
                assertThat(new String(bodies.encoded(rows, i, i).toJson(EMIT_MS), StandardCharsets.UTF_8))
                        .as("encoded whole from the arena: " + what)
                        .isEqualTo(new String(
                                EventCodec.toJson(plain(PREFIX + keyJson, source, i, wantKey, want), EMIT_MS),
                                StandardCharsets.UTF_8));
                plain = new ChangeEvent(PREFIX + keyJson, Op.READ, source.withRow(i), wantKey, null, want, 3, null);
            }
            assertThat(made).isEqualTo(plain);
            assertThat(made.table()).isEqualTo(plan.described.withVersion(3));
            for (int c = 0; c < made.after().size(); c++) {
                assertThat(made.after().column(c))
                        .isSameAs(made.table().columns().get(c));
            }
            for (int c = 0; made.key() != null && c < made.key().size(); c++) {
                assertThat(made.key().column(c))
                        .isSameAs(made.table().keyColumns().get(c));
            }
            assertThat(new String(EventCodec.toJson(made, EMIT_MS), StandardCharsets.UTF_8))
                    .as(what)
                    .isEqualTo(new String(EventCodec.toJson(plain, EMIT_MS), StandardCharsets.UTF_8));
        }
        return straight;
    }

    private static ChangeEvent plain(String id, SourceInfo source, int i, Row key, Row after) {
        return new ChangeEvent(id, Op.READ, source.withRow(i), key, null, after, 3, null);
    }

    private static TablePlan sysbench() {
        return new TablePlan("db", "t", new String[] {"id", "k", "c", "pad"}, new int[] {0}, new Kind[] {
            Kind.INT, Kind.INT, Kind.TEXT, Kind.TEXT
        });
    }

    @Test
    void plainRowsAreWrittenStraightAndExactlyAsTheCodecWritesThem() throws Exception {
        TablePlan plan = sysbench();
        List<Boolean> straight = assertSameAsGeneric(
                plan,
                new Object[] {1L, 499_123L, utf8("1".repeat(120)), utf8("2".repeat(60))},
                new Object[] {2L, null, null, utf8("")},
                new Object[] {Long.MIN_VALUE, Long.MAX_VALUE, utf8(" !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"), utf8("x")},
                new Object[] {0L, -1L, utf8("</script>"), utf8("a b")},
                new Object[] {9L, 10L, utf8("null"), utf8("{u0041}")},
                new Object[] {-9L, -10L, utf8("99"), utf8("100")},
                new Object[] {2_147_483_647L, -2_147_483_648L, utf8("'"), utf8("/")},
                new Object[] {2_147_483_648L, -2_147_483_649L, utf8(","), utf8("}")});
        assertThat(straight).containsOnly(true);
        // every digit count, at its edges, both signs
        List<Object[]> numbers = new ArrayList<>();
        long id = 100;
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10 * 10; p = p > Long.MAX_VALUE / 10 ? -1 : p * 10) {
            for (long v : new long[] {p - 1, p, p + 1, 2 * p - 1, 5 * p}) {
                numbers.add(new Object[] {id++, v, utf8(""), null});
                numbers.add(new Object[] {-id++, -v, null, utf8("")});
            }
        }
        for (long v : new long[] {
            Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L,
            Integer.MIN_VALUE,
            Integer.MIN_VALUE - 1L,
            Long.MAX_VALUE - 1,
            Long.MIN_VALUE + 1,
            99,
            100,
            101
        }) {
            numbers.add(new Object[] {v, v, null, null});
        }
        assertThat(assertSameAsGeneric(plan, numbers.toArray(Object[][]::new))).containsOnly(true);
        // the exact bytes, independently of the codec
        RenderedRows rows = new RenderedRows(PREFIX, true, 0, 0);
        ResultSet rs = new FakeRows(new Object[] {-42L, null, utf8("a b"), utf8("")}).resultSet();
        rs.next();
        plan.render(rs, rows);
        plan.finish(rows);
        assertThat(rows.afterJson(0)).isEqualTo("{\"id\":-42,\"k\":null,\"c\":\"a b\",\"pad\":\"\"}");
        assertThat(rows.keyJson(0)).isEqualTo("{\"id\":-42}");
        assertThat(rows.id(0)).isEqualTo(PREFIX + "{\"id\":-42}");
    }

    @Test
    void valuesThatNeedEscapingOrEncodingTakeTheirRowTheGenericWay() throws Exception {
        TablePlan plan = sysbench();
        List<String> texts = List.of(
                "a\"b",
                "back\\slash",
                "tab\there",
                "line\nbreak",
                "\u0000nul",
                "del\u007f",
                "caf\u00e9",
                "\uD83D\uDE00 smile",
                "\"",
                "\\",
                "\u001f",
                "\u0080",
                "\u2028");
        List<Object[]> values = new ArrayList<>();
        long id = 0;
        for (String t : texts) {
            values.add(new Object[] {id++, 1L, utf8(t), utf8("plain")});
            values.add(new Object[] {id++, 2L, utf8("plain"), utf8(t)});
            values.add(new Object[] {id++, 3L, utf8("plain"), utf8("plain")}); // plain again, after a generic row
        }
        List<Boolean> straight = assertSameAsGeneric(plan, values.toArray(Object[][]::new));
        for (int i = 0; i < straight.size(); i++) {
            assertThat(straight.get(i)).as("row " + i).isEqualTo(i % 3 == 2);
        }
        // a quote written as it is would make the JSON invalid: the generic way escapes it
        RenderedRows rows = new RenderedRows(PREFIX, true, 0, 0);
        ResultSet rs = new FakeRows(new Object[] {5L, 6L, utf8("say \"hi\" \\o/"), null}).resultSet();
        rs.next();
        plan.render(rs, rows);
        plan.finish(rows);
        assertThat(rows.afterJson(0)).isEqualTo("{\"id\":5,\"k\":6,\"c\":\"say \\\"hi\\\" \\\\o/\",\"pad\":null}");
    }

    @Test
    void temporalAndDecimalTextAndOtherKinds() throws Exception {
        TablePlan plan =
                new TablePlan("db", "t", new String[] {"id", "d", "dt", "ts", "tm", "dec"}, new int[] {0}, new Kind[] {
                    Kind.INT, Kind.DATE, Kind.DATETIME, Kind.TIMESTAMP, Kind.TIME, Kind.DECIMAL
                });
        List<Boolean> straight = assertSameAsGeneric(
                plan,
                new Object[] {
                    1L,
                    "2024-02-29",
                    "2024-02-29 23:59:59.123456",
                    "1970-01-01 00:00:01",
                    "-838:59:59.000000",
                    new Decimal("-12345678901234567890.123456789")
                },
                new Object[] {
                    2L, "0000-00-00", "0000-00-00 00:00:00", "2038-01-19 03:14:07.999999", "00:00:00", new Decimal("0")
                },
                new Object[] {3L, null, null, null, null, null});
        assertThat(straight).containsOnly(true);
        // kinds always written the generic way: floats, bytes, unsigned, labels, JSON
        TablePlan other =
                new TablePlan("db", "t", new String[] {"id", "f", "b", "u", "l", "j"}, new int[] {0}, new Kind[] {
                    Kind.INT, Kind.DOUBLE, Kind.BYTES, Kind.UINT64, Kind.LABEL, Kind.JSON
                });
        assertSameAsGeneric(
                other,
                new Object[] {1L, 1.5d, new byte[] {0, 1, (byte) 0xFF}, "18446744073709551615", "a\"b", "{\"x\": [1]}"},
                new Object[] {2L, null, null, null, null, null},
                new Object[] {3L, -0.0d, new byte[0], "9223372036854775808", "", "null"});
    }

    @Test
    void textKeysCompositeKeysNamesThatNeedEscapingAndKeylessTables() throws Exception {
        TablePlan text =
                new TablePlan("db", "t", new String[] {"code", "n"}, new int[] {0}, new Kind[] {Kind.TEXT, Kind.INT});
        assertThat(assertSameAsGeneric(
                        text,
                        new Object[] {utf8("abc"), 1L},
                        new Object[] {utf8("with:colon"), 2L},
                        new Object[] {utf8("q\"uote"), 3L},
                        new Object[] {utf8("caf\u00e9"), 4L},
                        new Object[] {utf8(""), null}))
                .containsExactly(true, true, false, false, true);
        // key columns after the others, two of them, in another order than the table's
        TablePlan composite = new TablePlan(
                "db", "t", new String[] {"a", "b", "c"}, new int[] {2, 0}, new Kind[] {Kind.TEXT, Kind.INT, Kind.INT});
        assertThat(assertSameAsGeneric(
                        composite, new Object[] {utf8("x"), 1L, -7L}, new Object[] {utf8("y\\"), 1L, 8L}))
                .containsExactly(true, false);
        // names the codec escapes or encodes: the prefixes are the codec's bytes
        TablePlan names = new TablePlan(
                "db",
                "t",
                new String[] {"na\"me", "caf\u00e9", "tab\tbed", "\uD83D\uDE00"},
                new int[] {1, 0},
                new Kind[] {Kind.TEXT, Kind.INT, Kind.TEXT, Kind.INT});
        assertThat(assertSameAsGeneric(
                        names, new Object[] {utf8("v"), 1L, utf8("w"), 2L}, new Object[] {utf8("v2"), 3L, null, null}))
                .containsExactly(true, true);
        // no key: no key JSON and no id, numbered when emitted
        TablePlan keyless =
                new TablePlan("db", "t", new String[] {"x", "y"}, new int[0], new Kind[] {Kind.INT, Kind.TEXT});
        assertThat(assertSameAsGeneric(keyless, new Object[] {1L, utf8("p")}, new Object[] {null, utf8("\u00e9")}))
                .containsExactly(true, false);
    }

    @Test
    void anArenaThatGrowsKeepsEveryRow() throws Exception {
        TablePlan plan = sysbench();
        Object[][] values = new Object[3000][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new Object[] {
                (long) i * 7919, (long) -i, utf8("c" + i + (i % 5 == 0 ? "\u00e9" : "")), utf8("p".repeat(i % 70))
            };
        }
        List<Boolean> straight = assertSameAsGeneric(plan, values);
        assertThat(straight.stream().filter(b -> !b).count()).isEqualTo(600);
    }
}
