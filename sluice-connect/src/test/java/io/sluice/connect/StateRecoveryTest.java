package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.kafka.StateTopic;
import io.sluice.mysql.schema.ColumnModel;
import io.sluice.mysql.schema.HistoryRebuild;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.schema.TableModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class StateRecoveryTest {
    private static final Instant NOW = Instant.parse("2026-12-07T23:00:00Z");
    private static final BinlogPosition AT = new BinlogPosition("mysql-bin.000003", 1234, null);
    /** An offset naming two table versions, one of a dropped table, and rule version 2. */
    private static final Checkpoint OFFSET = new Checkpoint(
                    AT,
                    List.of(),
                    Map.of(
                            "shop.orders", new TableVersion(3, "fp"),
                            "shop.old", new TableVersion(1, TableVersion.GONE)))
            .withRules(2);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What information_schema would say now: shop.orders with two columns, shop.old gone. */
    private static HistoryRebuild.Result described(Checkpoint cp) {
        TableModel orders = new TableModel(
                "shop",
                "orders",
                List.of(
                        new ColumnModel("id", "int", null, null, false, null, null, false, false, null, null),
                        new ColumnModel("note", "text", null, null, false, "utf8mb4", null, true, false, null, null)),
                List.of("id"),
                List.of(),
                "utf8mb4");
        return new HistoryRebuild.Result(
                List.of(
                        new SchemaVersion(
                                "shop.old", 1, AT.file(), AT.pos(), null, SchemaVersion.REBUILD, null, List.of()),
                        new SchemaVersion(
                                "shop.orders", 3, AT.file(), AT.pos(), null, SchemaVersion.REBUILD, orders, List.of())),
                List.of("shop.old version 1 (gone)", "shop.orders version 3 (\"current\": 2 columns)"),
                List.of());
    }

    /** A state of the records given as key, value pairs, appending to {@code written} as {@code key=value}. */
    private static StateTopic state(List<String> written, String... kv) {
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            StateTopic.collect(byLog, "shop", b(kv[i]), b(kv[i + 1]));
        }
        return StateTopic.of("shop.sluice-state", "shop", byLog, (k, v) -> written.add(k + "=" + new String(v)));
    }

    @Test
    void nothingIsLostWithoutAGapOrWithAHistoryUnderTheOffsetOrWithoutAnOffset() {
        List<String> w = new ArrayList<>();
        assertThat(StateRecovery.damage(state(w, "shop/schema-history/0", "{}"), OFFSET))
                .isEmpty();
        assertThat(StateRecovery.damage(state(w), null)).isEmpty();
        assertThat(StateRecovery.damage(state(w), new Checkpoint(AT, List.of(), Map.of())))
                .isEmpty();
        assertThat(StateRecovery.decide("fail", List.of(), null, "t", "shop")).isFalse();
    }

    @Test
    void anEmptiedTopicUnderAnOffsetNamingVersionsLostTheHistoryAndADeletedHeadIsAGap() {
        List<String> w = new ArrayList<>();
        assertThat(StateRecovery.damage(state(w), OFFSET))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("schema-history: all of it (the offset names versions of 2 table(s)")
                .contains("holds nothing of it");
        assertThat(StateRecovery.damage(state(w, "shop/schema-history/4", "{}", "shop/approvals/0", "{}"), OFFSET))
                .containsExactly("schema-history: records 0 to 3");
    }

    @Test
    void theSettingDecidesAutoRebuildsOnlyWhereRowsDecodeFromTableMaps() {
        List<String> damage = List.of("schema-history: records 0 to 3");
        assertThat(StateRecovery.decide("auto", damage, "FULL", "t", "shop")).isTrue();
        assertThat(StateRecovery.decide("rebuild", damage, "MINIMAL", "t", "shop"))
                .isTrue();
        assertThat(StateRecovery.decide("rebuild", damage, null, "t", "shop")).isTrue();
        assertThatThrownBy(() -> StateRecovery.decide("auto", damage, "MINIMAL", "Kafka topic t", "shop"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("the state topic Kafka topic t has lost schema-history: records 0 to 3")
                .hasMessageContaining("binlog_row_metadata is MINIMAL")
                .hasMessageContaining("set state.recovery=rebuild and restart the task")
                .hasMessageContaining("DELETE /connectors/shop/offsets");
        assertThatThrownBy(() -> StateRecovery.decide("auto", damage, null, "t", "shop"))
                .hasMessageContaining("binlog_row_metadata is not there");
        assertThatThrownBy(() -> StateRecovery.decide("fail", damage, "FULL", "t", "shop"))
                .hasMessageContaining("state.recovery=fail: the task stops")
                .hasMessageContaining("set state.recovery=rebuild (or auto)");
    }

    @Test
    void anEmptiedTopicGetsTheRebuiltHistoryAndARecoveryRecordInItsGenerationBeforeAnyEvent() throws Exception {
        List<String> w = new ArrayList<>();
        StateTopic state = state(w);
        List<String> damage = StateRecovery.damage(state, OFFSET);
        StateRecovery.Report r =
                StateRecovery.recover(state, OFFSET, damage, "FULL", StateRecoveryTest::described, NOW);

        assertThat(r.generation()).isZero();
        assertThat(r.carried()).isNull();
        assertThat(r.rulesLost()).isTrue(); // the offset names rule version 2, which the topic no longer has
        assertThat(r.approvals()).isFalse();
        assertThat(w)
                .extracting(kv -> kv.substring(0, kv.indexOf('=')))
                .containsExactly("shop/schema-history/0", "shop/schema-history/1", "shop/recovery/0");
        List<SchemaVersion> history = SchemaHistory.open(state.schemaHistory()).all();
        assertThat(history).extracting(SchemaVersion::table).containsExactly("shop.old", "shop.orders");
        assertThat(history).allSatisfy(v -> {
            assertThat(v.origin()).isEqualTo(SchemaVersion.REBUILD);
            assertThat(v.at()).isEqualTo(new BinlogPosition(AT.file(), AT.pos(), null));
        });
        assertThat(history.get(1).model().columns())
                .extracting(ColumnModel::name)
                .containsExactly("id", "note");

        JsonNode rec =
                CheckpointCodec.mapper().readTree(w.get(2).substring(w.get(2).indexOf('=') + 1));
        assertThat(rec.get("position").asText()).isEqualTo("mysql-bin.000003:1234");
        assertThat(rec.get("lost").get(0).asText()).startsWith("schema-history: all of it");
        assertThat(rec.get("rebuilt")).hasSize(2);
        assertThat(rec.get("rules_lost").asBoolean()).isTrue();
        assertThat(rec.get("approvals_kept").asBoolean()).isFalse();
        assertThat(rec.get("at").asText()).isEqualTo(NOW.toString());
        assertThat(r.message("Kafka topic shop.sluice-state (pipeline shop)"))
                .startsWith("recovered the state in Kafka topic shop.sluice-state (pipeline shop), which had lost"
                        + " schema-history: all of it")
                .contains("rebuilt the schema history as the tables are now (origin rebuild): shop.old version 1")
                .contains("The rule version the offset names is lost")
                .contains("Approvals of breaking schema changes given before, if any, are lost")
                .doesNotContain("binlog_row_metadata is");
    }

    @Test
    void aTruncatedTopicStartsANewGenerationKeepingTheWholeLogsAndTheNextStartFindsNothingLost() throws Exception {
        List<String> w = new ArrayList<>();
        String[] records = {
            "shop/schema-history/2", "{\"table\":\"shop.orders\",\"version\":3}",
            "shop/rule-versions/0", "r1",
            "shop/rule-versions/1", "r2",
            "shop/approvals/0", "a1",
        };
        StateTopic state = state(w, records);
        List<String> damage = StateRecovery.damage(state, OFFSET);
        assertThat(damage).containsExactly("schema-history: records 0 to 1");
        StateRecovery.Report r =
                StateRecovery.recover(state, OFFSET, damage, "MINIMAL", StateRecoveryTest::described, NOW);

        assertThat(r.generation()).isEqualTo(1);
        assertThat(r.carried()).containsExactly("approvals", "rule-versions");
        assertThat(r.rulesLost()).isFalse();
        assertThat(r.approvals()).isTrue();
        assertThat(w)
                .extracting(kv -> kv.substring(0, kv.indexOf('=')))
                .containsExactly(
                        "shop/gen1/approvals/0",
                        "shop/gen1/rule-versions/0",
                        "shop/gen1/rule-versions/1",
                        "shop/gen1/schema-history/0",
                        "shop/gen1/schema-history/1",
                        "shop/gen1/recovery/0");
        assertThat(r.message("t"))
                .contains("started generation 1 (copied the logs that survived whole: approvals, rule-versions)")
                .contains("The source's binlog_row_metadata is MINIMAL: rows are decoded with these versions.")
                .doesNotContain("Approvals of breaking");

        // the records written, read back with the old ones: generation 1, whole, the history there
        List<String> all = new ArrayList<>(List.of(records));
        for (String kv : w) {
            all.add(kv.substring(0, kv.indexOf('=')));
            all.add(kv.substring(kv.indexOf('=') + 1));
        }
        StateTopic next = state(new ArrayList<>(), all.toArray(String[]::new));
        assertThat(next.generation()).isEqualTo(1);
        assertThat(StateRecovery.damage(next, OFFSET)).isEmpty();
        assertThat(SchemaHistory.open(next.schemaHistory()).all())
                .extracting(SchemaVersion::version)
                .containsExactly(1, 3);
    }
}
