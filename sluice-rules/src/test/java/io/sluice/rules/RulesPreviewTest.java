package io.sluice.rules;

import static io.sluice.rules.RulesStageTest.CUSTOMERS;
import static io.sluice.rules.RulesStageTest.ORDERS;
import static io.sluice.rules.RulesStageTest.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.schema.TableSchema;
import io.sluice.rules.RulesPreview.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preview's comparison of a candidate with the deployed version, event by event. */
class RulesPreviewTest {
    private static final Map<String, String> ENV = Map.of("SLUICE_RULES_HASH_KEY", "k3y-of-the-test");

    private static final String DEPLOYED = """
            rules:
              - name: f
                match: {tables: ["sales.orders_*"]}
                where: "after.status != 'test'"
            """;

    private static final String CANDIDATE = """
            rules:
              - name: f
                match: {tables: ["sales.orders_*"]}
                where: "after.status != 'void'"
                route: sales.orders
              - name: pii
                match: {tables: ["sales.customers"]}
                drop: [ssn]
                set: {n: "100 / (after.id - 7)"}
            """;

    private static final TableSchema PLAIN = new TableSchema(
            "sales", "plain", 1, List.of(RulesStageTest.col("id", "int", false, false, null, null)), new int[] {0});

    private static RulesPreview preview(int limit) {
        return new RulesPreview(
                RuleSet.parse(DEPLOYED, "v1.yaml", 1, ENV::get),
                RuleSet.parse(CANDIDATE, "v2.yaml", 2, ENV::get),
                limit,
                System::nanoTime,
                () -> 42L);
    }

    @Test
    void eachEventIsKeptChangedDroppedRestoredOrFailedWithItsFieldsAndRoute() throws Exception {
        RulesPreview p = preview(100);
        List<ChangeEvent> in = List.of(
                insert(ORDERS, 1L, "new", null, null, null),
                insert(ORDERS, 2L, "test", null, null, null),
                insert(ORDERS, 3L, "void", null, null, null),
                insert(CUSTOMERS, 1, "Ada", "Lovelace", "a@example.com", "555", "123-45-6789"),
                insert(CUSTOMERS, 7, "Bob", "Seven", "b@example.com", "556", "000-00-0000"),
                insert(PLAIN, 5));
        for (ChangeEvent e : in) {
            p.event(e);
        }
        RulesPreview.Result r = p.result();
        assertThat(r.deployedVersion()).isEqualTo(1);
        assertThat(r.candidateVersion()).isEqualTo(2);
        assertThat(r.events()).isEqualTo(6);
        assertThat(r.entries())
                .extracting(RulesPreview.Entry::outcome)
                .containsExactly(
                        Outcome.CHANGED,
                        Outcome.RESTORED,
                        Outcome.DROPPED,
                        Outcome.CHANGED,
                        Outcome.FAILED,
                        Outcome.KEPT);
        RulesPreview.Entry routed = r.entries().get(0);
        assertThat(routed.deployedRoute()).isEqualTo("sales.orders_00");
        assertThat(routed.candidateRoute()).isEqualTo("sales.orders");
        assertThat(routed.added()).isEmpty();
        assertThat(routed.candidate().path("route").asText()).isEqualTo("sales.orders");
        assertThat(routed.candidate().path("rules").asInt()).isEqualTo(2);
        assertThat(routed.candidate().path("id").asText()).isEqualTo(in.get(0).id());
        assertThat(r.entries().get(1).deployedDropped()).isTrue();
        assertThat(r.entries().get(1).deployed()).isNull();
        assertThat(r.entries().get(2).candidate()).isNull();
        assertThat(r.entries().get(2).deployedDropped()).isFalse();
        RulesPreview.Entry pii = r.entries().get(3);
        assertThat(pii.removed()).containsExactly("ssn");
        assertThat(pii.added()).containsExactly("n");
        assertThat(pii.candidate().path("after").path("n").asInt()).isEqualTo(100 / (1 - 7));
        RulesPreview.Entry failed = r.entries().get(4);
        assertThat(failed.error()).contains("pii");
        assertThat(failed.candidate()).isNull();
        assertThat(r.entries().get(5).changed()).isEmpty();
        assertThat(r.totals())
                .containsEntry(Outcome.CHANGED, 2L)
                .containsEntry(Outcome.RESTORED, 1L)
                .containsEntry(Outcome.DROPPED, 1L)
                .containsEntry(Outcome.FAILED, 1L)
                .containsEntry(Outcome.KEPT, 1L);
        var json = r.toJson();
        assertThat(json.path("totals").path("changed").asInt()).isEqualTo(2);
        assertThat(json.path("entries").get(3).path("removed").get(0).asText()).isEqualTo("ssn");
        assertThat(json.path("entries").get(4).path("error").asText()).contains("pii");
    }

    @Test
    void theLimitBoundsTheListNotTheTotals() throws Exception {
        RulesPreview p = preview(2);
        for (int i = 1; i <= 5; i++) {
            p.event(insert(ORDERS, (long) i, "void", null, null, null));
        }
        assertThat(p.result().entries()).hasSize(2);
        assertThat(p.result().totals()).containsEntry(Outcome.DROPPED, 5L);
        assertThat(p.result().events()).isEqualTo(5);
    }
}
