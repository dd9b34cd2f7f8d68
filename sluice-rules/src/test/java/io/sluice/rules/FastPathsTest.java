package io.sluice.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules' fast paths against their slow paths, byte for byte, over a corpus of every type of the value model: an
 * expression evaluated directly ({@link FastExpr}) against CEL's interpreter, and a {@code keep-last} mask of text
 * held as ASCII bytes ({@link AsciiText}) against the same text as a string. For each rule kind (where, mask, rename,
 * drop, keep, set, route, soft deletes) and each event (insert, update, delete of every corpus row), the contract
 * JSON, or the failure, must be the same both ways.
 */
class FastPathsTest {
    private static Column col(String name, String type, boolean unsigned, Long length, Integer scale) {
        return new Column(name, type, length, scale, unsigned, null, true, false, null, List.of());
    }

    static final TableSchema TYPES = new TableSchema(
            "lab",
            "types",
            4,
            List.of(
                    new Column("id", "int", null, null, false, null, false, false, null, List.of()),
                    col("i", "int", false, null, null),
                    col("bi", "bigint", false, null, null),
                    col("ub", "bigint", true, null, null),
                    col("dec", "decimal", false, 65L, 30),
                    col("f", "float", false, null, null),
                    col("dbl", "double", false, null, null),
                    col("vc", "varchar", false, 80L, null),
                    col("ch", "char", false, 20L, null),
                    col("bin", "varbinary", false, 16L, null),
                    col("d", "date", false, null, null),
                    col("dt", "datetime", false, 6L, null),
                    col("t", "time", false, 0L, null),
                    col("ts", "timestamp", false, 3L, null),
                    col("j", "json", false, null, null)),
            new int[] {0});

    /** Per column (after id), the values the corpus cycles through; null among them. */
    static final Object[][] VALUES = {
        {7, 0, -3, 10, Integer.MIN_VALUE, Integer.MAX_VALUE, null},
        {Long.MAX_VALUE, Long.MIN_VALUE, 0L, -6L, 42L, null},
        {new BigInteger("18446744073709551615"), 5L, 0L, null},
        {
            new BigDecimal("12345678901234567890123456789012345.123456789012345678901234567890"),
            BigDecimal.ZERO,
            new BigDecimal("-0.000000000000000000000000000001"),
            null
        },
        {1.1f, -0.0f, Float.MAX_VALUE, null},
        {0.1, -0.0, 1e300, 1.5, null},
        {"abc", "a \"quoted\" \\ back", "é😀ü", "", "0123456789", null},
        {
            AsciiText.ofSafe("hello-world-1234"),
            AsciiText.ofSafe("abc"),
            AsciiText.ofSafe(""),
            AsciiText.ofSafe("x"),
            "not ascii: ñ",
            null
        },
        {Bytes.of((byte) 0, (byte) 0xff, (byte) 'a'), Bytes.of(), null},
        {new DateValue(0, 0, 0), DateValue.parse("2024-02-29"), null},
        {DateTimeValue.parse("0000-00-00T00:00:00"), DateTimeValue.parse("2026-12-07T20:15:01.000123"), null},
        {TimeValue.parse("-838:59:59"), TimeValue.parse("12:00:00"), null},
        {TimestampValue.parse("2026-12-07T20:15:01.123Z"), null},
        {new JsonText("{\"a\":[1,2.5,\"x\"]}"), new JsonText("null"), null}
    };

    static Row row(int r, int salt) {
        Object[] v = new Object[VALUES.length + 1];
        v[0] = r;
        for (int c = 0; c < VALUES.length; c++) {
            v[c + 1] = VALUES[c][(r + salt * (c + 1)) % VALUES[c].length];
        }
        return new Row(TYPES.names(), TYPES.columns(), v);
    }

    /** Inserts, updates and deletes of the corpus rows (every value of every column in several combinations). */
    static List<ChangeEvent> corpus() {
        List<ChangeEvent> out = new ArrayList<>();
        for (int r = 0; r < 42; r++) {
            SourceInfo s =
                    new SourceInfo("lab", 1, "0-1-" + r, "bin.000001", 4 + r, r % 3, 1000, "lab", "types", false);
            Row before = row(r, 1);
            Row after = row(r, 0);
            Row key = new Row(TYPES.keyNames(), TYPES.keyColumns(), new Object[] {r});
            Op op = Op.values()[r % 3]; // c u d
            out.add(new ChangeEvent(
                    "lab:0-1-" + r + ":0",
                    op,
                    s,
                    key,
                    op == Op.CREATE ? null : before,
                    op == Op.DELETE ? null : after,
                    TYPES.version(),
                    null,
                    null,
                    TYPES));
        }
        return out;
    }

    /** The event with its text held as bytes ({@link AsciiText}) turned into strings: the same event, typed apart. */
    static ChangeEvent asStrings(ChangeEvent e) {
        return new ChangeEvent(
                e.id(),
                e.op(),
                e.source(),
                e.key(),
                strings(e.before()),
                strings(e.after()),
                e.schema(),
                e.ddl(),
                e.change(),
                e.table());
    }

    private static Row strings(Row r) {
        if (r == null) {
            return null;
        }
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.value(i) instanceof AsciiText t ? t.toString() : r.value(i);
        }
        return new Row(TYPES.names(), TYPES.columns(), v);
    }

    /** What the rules make of the event: its contract JSON, "dropped", or the failure's message. */
    static String outcome(RuleSet set, Cel cel, ChangeEvent e, Map<Op, TableRules> compiled) {
        Map<String, RuleStats> stats = new HashMap<>();
        for (String n : set.names()) {
            stats.put(n, new RuleStats(n));
        }
        TableRules t = compiled.computeIfAbsent(e.op(), op -> TableRules.compile(set, cel, e, stats, System::nanoTime));
        try {
            ChangeEvent out = t.empty() ? e : t.apply(e);
            return out == null ? "dropped" : new String(EventCodec.toJson(out, 7), StandardCharsets.UTF_8);
        } catch (RuleFailure f) {
            return "failed: " + f.getMessage();
        }
    }

    static RuleSet rules(String yaml) {
        return RuleSet.parse(yaml, "fast.yaml", 3, Map.of("SLUICE_RULES_HASH_KEY", "k3y-of-the-test")::get);
    }

    static final List<String> EXPRESSIONS = List.of(
            "after.i % 10 != 0",
            "after.i / 3 >= 1",
            "after.i * 3 > -9",
            "-after.i < 0",
            "after.bi + 1 > after.bi",
            "after.bi - 1 < after.bi",
            "after.bi % -1 == 0",
            "after.i / 0 == 1",
            "after.dbl < 1.5",
            "after.dbl / 0.0 > 1.0",
            "after.dbl * 2.0 - 1.0 >= 0.0",
            "after.dbl == 0.0",
            "after.f > 1.0",
            "after.vc != 'abc'",
            "after.vc + '!' == 'abc!'",
            "after.ch == 'abc'",
            "after.ch != 'x' && after.i > 0",
            "after.i > 0 || after.ch == 'x'",
            "!(after.i > 3) || after.vc == ''",
            "op == 'c' ? after.i > 0 : before.i > 0",
            "source.table == 'types' && source.row == 0",
            "after.ub > 5u",
            "after.dec > decimal('0')",
            "after.i == after.bi",
            "after.i == null",
            "after.d == '0000-00-00'",
            "after.i == 7 == true");

    /** Expressions true of no corpus event, failing on every one, or that the direct form leaves to the interpreter. */
    static final java.util.Set<String> FAIL_OR_GIVE_UP =
            java.util.Set.of("after.i / 0 == 1", "after.bi % -1 == 0", "after.dbl / 0.0 > 1.0", "after.i == after.bi");

    @Test
    void whereFiltersGiveTheSameEventsBothWays() {
        for (String x : EXPRESSIONS) {
            RuleSet set = rules("""
                    rules:
                      - name: filter
                        match: {tables: ["lab.types"]}
                        where: "%s"
                    """.formatted(x.replace("\"", "\\\"")));
            same(set, "where " + x, !FAIL_OR_GIVE_UP.contains(x));
        }
    }

    @Test
    void masksRenamesDropsKeepsSetsRoutesAndSoftDeletesGiveTheSameBytesBothWays() {
        List<String> kinds = List.of(
                "mask: {ch: {keep-last: 4}, vc: {keep-last: 2}}",
                "mask: {ch: {keep-last: 0}}",
                "mask: {ch: {keep-last: 40}}",
                "mask: {ch: redact, vc: redact, bin: redact, j: redact}",
                "mask: {ch: hash, vc: hash, bin: hash, dec: hash, d: hash}",
                "rename: {ch: code, vc: label}",
                "drop: [ch, dbl, j]",
                "keep: [id, ch, ub]",
                "set: {twice: \"after.i * 2\", tag: \"after.ch + '-' + after.vc\", big: \"after.bi + 1\"}",
                "route: \"after.ch == 'abc' ? 'lab.abc' : 'lab.rest'\"",
                "route: \"lab.{table}\"",
                "deletes: {soft: deleted}",
                "deletes: skip",
                "where: \"after.i % 10 != 0\"\n    mask: {ch: {keep-last: 4}}\n    rename: {vc: label}");
        for (String kind : kinds) {
            RuleSet set = rules("""
                    rules:
                      - name: kind
                        match: {tables: ["lab.types"]}
                        %s
                    """.formatted(kind));
            same(set, kind, true);
        }
    }

    /** Every corpus event gives the same outcome through the fast paths as through the slow ones. */
    private static void same(RuleSet set, String what, boolean someComeOut) {
        Cel fast = new Cel(set.limits(), true);
        Cel slow = new Cel(set.limits(), false);
        int shaped = 0;
        Map<Op, TableRules> fastRules = new HashMap<>();
        Map<Op, TableRules> slowRules = new HashMap<>();
        for (ChangeEvent e : corpus()) {
            String f = outcome(set, fast, e, fastRules);
            String s = outcome(set, slow, asStrings(e), slowRules);
            assertThat(f).as(what + " on " + e.id()).isEqualTo(s);
            if (!f.startsWith("failed") && !f.equals("dropped")) {
                shaped++;
            }
        }
        if (someComeOut) {
            assertThat(shaped).as(what + ": some events come out").isPositive();
        }
    }

    @Test
    void theDirectFormAgreesWithTheInterpreterWhereverItGivesAValue() throws CelEvaluationException {
        Cel cel = new Cel(Limits.DEFAULTS, true);
        Map<String, dev.cel.common.types.CelType> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < TYPES.columns().size(); i++) {
            fields.put(TYPES.names()[i], Cel.typeOf(TYPES.columns().get(i), null));
        }
        int direct = 0;
        for (String x : EXPRESSIONS) {
            Cel.Expr expr = cel.compile(x, fields, null);
            int given = 0;
            for (ChangeEvent e : corpus()) {
                CelVariableResolver vars = vars(e, fields);
                Object interpreted;
                try {
                    interpreted = expr.program().eval(vars);
                } catch (CelEvaluationException ex) {
                    interpreted = "error";
                }
                if (expr.fast() == null) {
                    continue;
                }
                try {
                    Object v = expr.fast().eval(vars);
                    assertThat(v).as(x + " on " + e.id()).isEqualTo(interpreted);
                    given++;
                } catch (RuntimeException giveUp) {
                    assertThat(giveUp).isSameAs(FastExpr.GIVE_UP);
                }
            }
            if (expr.fast() != null && !FAIL_OR_GIVE_UP.contains(x)) {
                direct++;
                assertThat(given)
                        .as(x + " is evaluated directly on some events")
                        .isPositive();
            }
        }
        // the common small kind (columns, literals, arithmetic, comparisons, logic) is taken directly
        // all but three: an unsigned literal, decimal(), a null literal are left to the interpreter
        assertThat(direct).isEqualTo(EXPRESSIONS.size() - FAIL_OR_GIVE_UP.size() - 3);
        assertThat(cel.compile("after.ub > 5u", fields, null).fast()).isNull();
        assertThat(cel.compile("after.i % 10 != 0", fields, null).fast()).isNotNull();
    }

    /** The bindings TableRules gives an expression, as plain maps of CEL values. */
    private static CelVariableResolver vars(ChangeEvent e, Map<String, dev.cel.common.types.CelType> fields) {
        Map<String, Object> after = image(e.after() != null ? e.after() : e.before(), fields);
        Map<String, Object> before = e.before() != null ? image(e.before(), fields) : after;
        Map<String, Object> source =
                Map.of("table", e.source().table(), "row", (long) e.source().row());
        return name -> Optional.ofNullable(
                switch (name) {
                    case "after", "row" -> after;
                    case "before" -> before;
                    case "source" -> source;
                    case "op" -> e.op().code();
                    default -> null;
                });
    }

    private static Map<String, Object> image(Row r, Map<String, dev.cel.common.types.CelType> fields) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            m.put(r.name(i), Cel.toCel(r.value(i), fields.get(r.name(i))));
        }
        return m;
    }
}
