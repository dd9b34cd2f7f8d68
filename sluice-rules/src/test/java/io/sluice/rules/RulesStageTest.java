package io.sluice.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RulesStageTest {
    static Column col(String name, String type, boolean unsigned, boolean nullable, Long length, Integer scale) {
        return new Column(name, type, length, scale, unsigned, null, nullable, false, null, List.of());
    }

    static final TableSchema ORDERS = new TableSchema(
            "sales",
            "orders_00",
            1,
            List.of(
                    col("id", "bigint", true, false, null, null),
                    col("status", "varchar", false, true, 20L, null),
                    col("total", "decimal", false, true, 65L, 30),
                    col("day", "date", false, true, null, null),
                    col("at", "datetime", false, true, 0L, null)),
            new int[] {0});

    static final TableSchema CUSTOMERS = new TableSchema(
            "sales",
            "customers",
            3,
            List.of(
                    col("id", "int", false, false, null, null),
                    col("fname", "varchar", false, true, 40L, null),
                    col("last_name", "varchar", false, true, 40L, null),
                    col("email", "varchar", false, true, 80L, null),
                    col("phone", "varchar", false, true, 20L, null),
                    col("ssn", "char", false, true, 11L, null)),
            new int[] {0});

    static Row row(TableSchema t, Object... values) {
        return new Row(t.names(), t.columns(), values);
    }

    static Row key(TableSchema t, Object id) {
        return new Row(t.keyNames(), t.keyColumns(), new Object[] {id});
    }

    static int seq;

    static ChangeEvent event(TableSchema t, Op op, Row before, Row after) {
        SourceInfo s = new SourceInfo("shop", 1, "0-1-" + (++seq), "bin.000001", 4, 0, 1000, t.db(), t.table(), false);
        Row img = after != null ? after : before;
        return new ChangeEvent("shop:0-1-" + seq + ":0", op, s, key(t, img.value(0)), before, after, t.version(), null);
    }

    static ChangeEvent insert(TableSchema t, Object... values) {
        return event(t, Op.CREATE, null, row(t, values));
    }

    static RulesStage stage(String yaml) {
        return new RulesStage(
                RuleSet.parse(yaml, "test.yaml", 1, Map.of("SLUICE_RULES_HASH_KEY", "k3y-of-the-test")::get),
                System::nanoTime);
    }

    static List<ChangeEvent> run(RulesStage stage, ChangeEvent... events) throws InterruptedException {
        return RulesStage.shapeAll(stage, Arrays.asList(events));
    }

    static String json(ChangeEvent e) {
        return new String(EventCodec.toJson(e, 7), StandardCharsets.UTF_8);
    }

    static final BigInteger MAX_U64 = new BigInteger("18446744073709551615");
    static final BigDecimal BIG = new BigDecimal("12345678901234567890123456789012345.123456789012345678901234567890");

    @Test
    void whereDropsWhatIsFalseAndCountsIt() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: no-test-orders
                    match: {tables: ["sales.orders_*"]}
                    where: "after.status != 'test'"
                """);
        List<ChangeEvent> out = run(
                s,
                insert(ORDERS, 1L, "test", null, null, null),
                insert(ORDERS, 2L, "paid", null, null, null),
                insert(ORDERS, 3L, null, null, null, null));
        assertThat(out).extracting(e -> e.after().get("id")).containsExactly(2L, 3L);
        assertThat(json(out.get(0))).contains("\"schema\":1,\"rules\":1,\"ts_ms\":7");
        RuleStats st = s.stats().get(0);
        assertThat(st.matched()).isEqualTo(3);
        assertThat(st.dropped()).isEqualTo(1);
        assertThat(st.changed()).isZero();
    }

    @Test
    void expressionsSeeWholeImagesAndTheSourceBlockReadOnDemand() throws Exception {
        // has(), the before image of an update beside the after image, the source block, op
        RulesStage s = stage("""
                rules:
                  - name: whole
                    match: {tables: ["sales.orders_*"]}
                    where: >-
                      has(after.day) && after.total > decimal('0')
                      && before.status != after.status && source.table == 'orders_00' && source.row == 0
                      && source.gtid.startsWith('0-1-') && op in ['c', 'u']
                    set: {was: "before.status", cols: "size(after.status) + size(before.status)"}
                """);
        ChangeEvent upd = event(
                ORDERS,
                Op.UPDATE,
                row(ORDERS, 1L, "new", null, null, null),
                row(ORDERS, 1L, "paid", BigDecimal.ONE, null, null));
        ChangeEvent same = event(
                ORDERS,
                Op.UPDATE,
                row(ORDERS, 2L, "paid", null, null, null),
                row(ORDERS, 2L, "paid", null, null, null));
        List<ChangeEvent> out = run(s, upd, same);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).after().get("was")).isEqualTo("new");
        assertThat(out.get(0).before().get("was")).isEqualTo("new");
        assertThat(out.get(0).after().get("cols")).isEqualTo(7L);
        assertThat(s.stats().get(0).dropped()).isEqualTo(1);
    }

    @Test
    void unsignedMaxDecimal6530ZeroDatesAndNullsAreTyped() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: types
                    match: {tables: ["sales.orders_00"]}
                    where: >-
                      after.id == 18446744073709551615u && after.id > 5
                      && after.total > decimal('12345678901234567890123456789012345.12345678901234567890123456788')
                      && compare(after.total, decimal('12345678901234567890123456789012345.12345678901234567890123456789000')) == 0
                      && is_zero_date(after.day) && after.at < '2000-01-01T00:00:00'
                      && after.status == null
                    set: {as_text: "string(after.total)", id_text: "string(after.id)"}
                """);
        ChangeEvent in =
                insert(ORDERS, MAX_U64, null, BIG, new DateValue(0, 0, 0), DateTimeValue.parse("0000-00-00T00:00:00"));
        List<ChangeEvent> out = run(s, in, insert(ORDERS, 5L, null, BIG, new DateValue(0, 0, 0), null));
        assertThat(out).hasSize(1);
        ChangeEvent e = out.get(0);
        assertThat(e.after().get("id")).isEqualTo(MAX_U64);
        assertThat(e.after().get("total")).isEqualTo(BIG);
        assertThat(e.after().get("as_text"))
                .isEqualTo("12345678901234567890123456789012345.12345678901234567890123456789");
        assertThat(e.after().get("id_text")).isEqualTo("18446744073709551615");
        assertThat(json(e))
                .contains("\"id\":18446744073709551615")
                .contains("\"day\":\"0000-00-00\"")
                .contains("\"status\":null");
    }

    @Test
    void piiMaskDropRenameSet() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: pii
                    match: {tables: ["sales.customers"]}
                    mask: {email: hash, phone: {keep-last: 4}}
                    drop: [ssn]
                    rename: {fname: first_name}
                    set: {full_name: "after.first_name + ' ' + after.last_name"}
                """);
        ChangeEvent in = insert(CUSTOMERS, 7, "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0958", "123-45-6789");
        ChangeEvent e = run(s, in).get(0);
        Row a = e.after();
        assertThat(a.get("ssn")).isNull();
        assertThat(a.size()).isEqualTo(6);
        assertThat(Arrays.asList(a.name(0), a.name(1), a.name(2), a.name(3), a.name(4), a.name(5)))
                .containsExactly("id", "first_name", "last_name", "email", "phone", "full_name");
        assertThat(a.get("first_name")).isEqualTo("Ada");
        assertThat(a.get("full_name")).isEqualTo("Ada Lovelace");
        assertThat(a.get("phone")).isEqualTo("************0958");
        // HMAC-SHA-256("ada@example.com") keyed "k3y-of-the-test", stable across runs
        assertThat(a.get("email")).isEqualTo(hmac("k3y-of-the-test", "ada@example.com"));
        assertThat(a.column(3).dataType()).isEqualTo("varchar");
        assertThat(a.column(5).dataType()).isEqualTo("varchar");
        assertThat(e.id()).isEqualTo(in.id());
        assertThat(e.key().get("id")).isEqualTo(7);
        assertThat(s.stats().get(0).changed()).isEqualTo(1);
        // NULL stays NULL under a mask
        ChangeEvent n = run(s, insert(CUSTOMERS, 8, "B", "C", null, null, null)).get(0);
        assertThat(n.after().get("email")).isNull();
    }

    static String hmac(String key, String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void mergeRoutesShardsToOneDestinationWithAShardKey() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: merge-orders
                    match: {tables: ["sales.orders_*"]}
                    route: sales.orders
                    set: {shard: "source.table"}
                    key: [shard, id]
                """);
        TableSchema other = new TableSchema("sales", "orders_01", 1, ORDERS.columns(), new int[] {0});
        List<ChangeEvent> out =
                run(s, insert(ORDERS, 1L, "a", null, null, null), insert(other, 1L, "b", null, null, null));
        assertThat(out).extracting(e -> e.shaping().route()).containsExactly("sales.orders", "sales.orders");
        assertThat(out)
                .extracting(e -> e.key().toString())
                .containsExactly("{shard=orders_00, id=1}", "{shard=orders_01, id=1}");
        assertThat(json(out.get(1)))
                .contains("\"key\":{\"shard\":\"orders_01\",\"id\":1}")
                .contains("\"rules\":1,\"route\":\"sales.orders\"");
    }

    @Test
    void deletesSkippedOrSoft() throws Exception {
        RulesStage skip = stage("""
                rules:
                  - name: no-deletes
                    match: {tables: ["sales.customers"]}
                    deletes: skip
                """);
        Row r = row(CUSTOMERS, 1, "a", "b", "c", "d", "e");
        assertThat(run(skip, event(CUSTOMERS, Op.DELETE, r, null))).isEmpty();
        assertThat(skip.stats().get(0).dropped()).isEqualTo(1);
        RulesStage soft = stage("""
                rules:
                  - name: soft
                    match: {tables: ["sales.customers"]}
                    deletes: {soft: deleted}
                """);
        ChangeEvent e = run(soft, event(CUSTOMERS, Op.DELETE, r, null)).get(0);
        assertThat(e.op()).isEqualTo(Op.UPDATE);
        assertThat(e.before().get("deleted")).isEqualTo(0L);
        assertThat(e.after().get("deleted")).isEqualTo(1L);
        assertThat(e.after().get("fname")).isEqualTo("a");
        ChangeEvent c = run(soft, insert(CUSTOMERS, 2, "a", "b", "c", "d", "e")).get(0);
        assertThat(c.after().get("deleted")).isEqualTo(0L);
    }

    @Test
    void whereOnAfterSeesTheDeletedRow() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: no-test
                    match: {tables: ["sales.orders_00"]}
                    where: "after.status != 'test'"
                """);
        Row test = row(ORDERS, 1L, "test", null, null, null);
        assertThat(run(s, event(ORDERS, Op.DELETE, test, null))).isEmpty();
    }

    @Test
    void aColumnTheTableLacksIsRefusedWithRuleColumnAndTable() {
        RulesStage s = stage("""
                rules:
                  - name: typo
                    match: {tables: ["sales.orders_*"]}
                    where: "after.statsu != 'test'"
                """);
        assertThatThrownBy(() -> run(s, insert(ORDERS, 1L, "x", null, null, null)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("rule 'typo'")
                .hasMessageContaining("sales.orders_00")
                .hasMessageContaining("'statsu'")
                .hasMessageContaining("did you mean 'status'");
        RulesStage d = stage("""
                rules:
                  - name: dropper
                    match: {tables: ["sales.customers"]}
                    drop: [sn]
                """);
        assertThatThrownBy(() -> run(d, insert(CUSTOMERS, 1, "a", "b", "c", "d", "e")))
                .hasMessageContaining("rule 'dropper'")
                .hasMessageContaining("'sn'")
                .hasMessageContaining("sales.customers");
    }

    @Test
    void aRuntimeFailureHaltsNamingRuleEventAndValue() {
        RulesStage s = stage("""
                rules:
                  - name: div
                    match: {tables: ["sales.customers"]}
                    set: {x: "100 / (after.id - 1)"}
                """);
        ChangeEvent bad = insert(CUSTOMERS, 1, "a", "b", "c", "d", "e");
        assertThatThrownBy(() -> run(s, bad))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("rule 'div'")
                .hasMessageContaining(bad.id())
                .hasMessageContaining("id=1")
                .hasMessageContaining("by zero");
        assertThat(s.stats().get(0).errors()).isEqualTo(1);
    }

    @Test
    void onErrorDeadLetterWritesTheFailingEventAndGoesOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("dl/rules-dead-letter.jsonl");
        RulesStage s = stage("""
                on-error: dead-letter
                rules:
                  - name: div
                    match: {tables: ["sales.customers"]}
                    set: {x: "100 / (after.id - 1)"}
                """).deadLetters(new DeadLetters(file, java.time.Clock.systemUTC()));
        ChangeEvent bad = insert(CUSTOMERS, 1, "a", "b", "c", "d", "e");
        ChangeEvent good = insert(CUSTOMERS, 2, "f", "g", "h", "i", "j");
        List<ChangeEvent> out = run(s, bad, good);
        assertThat(out).extracting(ChangeEvent::id).containsExactly(good.id());
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode n =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
        assertThat(n.get("rule").asText()).isEqualTo("div");
        assertThat(n.get("event").asText()).isEqualTo(bad.id());
        assertThat(n.get("table").asText()).isEqualTo("sales.customers");
        assertThat(n.get("value").get("id").asInt()).isEqualTo(1);
        assertThat(n.get("value").get("email").asText()).isEqualTo("c");
        assertThat(n.get("error").asText()).contains("by zero");
        RuleStats st = s.stats().get(0);
        assertThat(st.errors()).isEqualTo(1);
        assertThat(st.deadLettered()).isEqualTo(1);
        assertThat(st.matched()).isEqualTo(2);
        // without a file the same rule set halts rather than drop the event
        RulesStage noFile = stage("on-error: dead-letter\n" + "rules:\n  - name: div\n    match: {tables:"
                + " [\"sales.customers\"]}\n    set: {x: \"100 / (after.id - 1)\"}\n");
        assertThatThrownBy(() -> run(noFile, bad)).hasMessageContaining("no dead-letter file");
        assertThatThrownBy(() -> stage("on-error: skip\nrules: []\n"))
                .hasMessageContaining("on-error is 'skip'")
                .hasMessageContaining("dead-letter");
    }

    @Test
    void timeSpentIsCountedPerRuleOnTheInjectedClock() throws Exception {
        AtomicLong now = new AtomicLong();
        RulesStage s = new RulesStage(RuleSet.parse("""
                        rules:
                          - name: a
                            match: {tables: ["sales.customers"]}
                            where: "after.id > 0"
                          - name: b
                            match: {tables: ["sales.customers"]}
                            drop: [ssn]
                        """, "t", 1, k -> null), () -> now.addAndGet(1_000_000L));
        run(s, insert(CUSTOMERS, 1, "a", "b", "c", "d", "e"), insert(CUSTOMERS, 2, "a", "b", "c", "d", "e"));
        assertThat(s.stats()).extracting(RuleStats::rule).containsExactly("a", "b");
        assertThat(s.stats().get(0).seconds()).isGreaterThan(0.0);
        assertThat(s.stats().get(1).seconds()).isGreaterThan(0.0);
        assertThat(s.stats().get(1).changed()).isEqualTo(2);
    }

    @Test
    void runawayExpressionsAreStoppedByTheLimits() {
        RulesStage s = stage("""
                rules:
                  - name: runaway
                    match: {tables: ["sales.customers"]}
                    where: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a+b+c+d+e > 0)))))"
                """);
        assertThatThrownBy(() -> run(s, insert(CUSTOMERS, 1, "a", "b", "c", "d", "e")))
                .hasMessageContaining("rule 'runaway'")
                .hasMessageContaining("budget");
        // the per-event time budget, measured on an injected clock
        AtomicLong now = new AtomicLong();
        RulesStage slow = new RulesStage(RuleSet.parse("""
                        rules:
                          - name: slow
                            match: {tables: ["sales.customers"]}
                            where: "after.id > 0"
                        """, "t", 1, k -> null), () -> now.addAndGet(2_000_000_000L));
        assertThatThrownBy(() -> run(slow, insert(CUSTOMERS, 1, "a", "b", "c", "d", "e")))
                .hasMessageContaining("rule 'slow'")
                .hasMessageContaining("over the budget of 1000 ms");
        String deep = "1" + " + 1".repeat(2000);
        RulesStage big = stage(
                "rules:\n  - name: big\n    match: {tables: [\"sales.customers\"]}\n    where: \"" + deep + " > 0\"\n");
        assertThatThrownBy(() -> run(big, insert(CUSTOMERS, 1, "a", "b", "c", "d", "e")))
                .hasMessageContaining("rule 'big'")
                .hasMessageContaining("limit");
    }

    @Test
    void aSchemaChangeThatBreaksARuleHaltsAtTheStatementNamingTheRule() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: pii
                    match: {tables: ["sales.customers"]}
                    drop: [ssn]
                """);
        List<Column> without = CUSTOMERS.columns().subList(0, 5);
        TableSchema v4 = new TableSchema("sales", "customers", 4, without, new int[] {0});
        SourceInfo src = new SourceInfo("shop", 1, "0-1-99", "bin.000001", 4, 0, 1000, "sales", "customers", false);
        ChangeEvent ddl = new ChangeEvent(
                "shop:0-1-99:0",
                Op.SCHEMA,
                src,
                null,
                null,
                null,
                4,
                "ALTER TABLE customers DROP COLUMN ssn",
                new io.sluice.core.event.SchemaChange(new io.sluice.core.event.JsonText("[]"), null, List.of(), v4));
        assertThatThrownBy(() -> run(s, ddl))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("sales.customers to version 4 (ALTER TABLE customers DROP COLUMN ssn)")
                .hasMessageContaining("rule 'pii'")
                .hasMessageContaining("'ssn'");
        // a change the rules fit passes, as it is
        TableSchema v5 = new TableSchema(
                "sales",
                "customers",
                5,
                new ArrayList<>(CUSTOMERS.columns()) {
                    {
                        add(col("note", "text", false, true, null, null));
                    }
                },
                new int[] {0});
        ChangeEvent add = new ChangeEvent(
                "shop:0-1-100:0",
                Op.SCHEMA,
                src,
                null,
                null,
                null,
                5,
                "ALTER TABLE customers ADD COLUMN note TEXT",
                new io.sluice.core.event.SchemaChange(new io.sluice.core.event.JsonText("[]"), null, List.of(), v5));
        assertThat(run(s, add)).containsExactly(add);
    }

    @Test
    void untouchedTablesPassAsTheyAre() throws Exception {
        RulesStage s = stage("""
                rules:
                  - name: only-orders
                    match: {tables: ["sales.orders_*"], ops: [c]}
                    set: {x: "1"}
                """);
        ChangeEvent c = insert(CUSTOMERS, 1, "a", "b", "c", "d", "e");
        ChangeEvent u = event(
                ORDERS, Op.UPDATE, row(ORDERS, 1L, "a", null, null, null), row(ORDERS, 1L, "b", null, null, null));
        List<ChangeEvent> out = run(s, c, u);
        assertThat(out.get(0)).isSameAs(c);
        assertThat(out.get(1)).isSameAs(u);
        assertThat(json(out.get(0))).doesNotContain("\"rules\"");
    }

    @Test
    void badFilesAreRefusedWithTheFix() {
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - name: a\n    match: {tables: [x.y]}\n    wher: \"true\"\n",
                        "f.yaml",
                        1,
                        k -> null))
                .hasMessageContaining("f.yaml")
                .hasMessageContaining("'wher'")
                .hasMessageContaining("did you mean 'where'");
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - name: a\n    match: {tables: [x.y]}\n    mask: {e: hash}\n",
                        "f.yaml",
                        1,
                        k -> null))
                .hasMessageContaining("SLUICE_RULES_HASH_KEY");
        assertThatThrownBy(
                        () -> RuleSet.parse("rules:\n  - name: a\n    match: {tables: [y]}\n", "f.yaml", 1, k -> null))
                .hasMessageContaining("db.table");
        List<String> names =
                new ArrayList<>(RuleSet.parse("rules:\n  - {name: a, match: {tables: [x.y]}}\n", "f", 1, k -> null)
                        .names());
        assertThat(names).containsExactly("a");
    }
}
