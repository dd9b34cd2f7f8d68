package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StateTopicTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsAreFiledPerLogInNumberOrderAndOtherPipelinesRecordsAreLeftOut() {
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        StateTopic.collect(byLog, "shop", b("shop/schema-history/1"), b("v2"));
        StateTopic.collect(byLog, "shop", b("shop/schema-history/0"), b("v1"));
        StateTopic.collect(byLog, "shop", b("shop/quarantine/sales.orders/0"), b("q"));
        StateTopic.collect(byLog, "shopping", b("shop/schema-history/2"), b("other"));
        StateTopic.collect(byLog, "shop", b("shopping/schema-history/2"), b("other"));
        StateTopic.collect(byLog, "shop", null, b("x"));
        Map<String, List<byte[]>> logs = StateTopic.contiguous("t", "shop", byLog);
        assertThat(logs).containsOnlyKeys("schema-history", "quarantine/sales.orders");
        List<String> history = new ArrayList<>();
        logs.get("schema-history").forEach(v -> history.add(new String(v, StandardCharsets.UTF_8)));
        assertThat(history).containsExactly("v1", "v2");
    }

    @Test
    void aLogWithAGapOrWithoutItsFirstRecordsIsATruncatedHistory() {
        Map<String, TreeMap<Long, byte[]>> gap = new TreeMap<>();
        StateTopic.collect(gap, "shop", b("shop/schema-history/0"), b("v1"));
        StateTopic.collect(gap, "shop", b("shop/schema-history/2"), b("v3"));
        assertThatThrownBy(() -> StateTopic.contiguous("shop.sluice-state", "shop", gap))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("shop.sluice-state has lost records 1 to 1 of pipeline shop's schema-history");

        Map<String, TreeMap<Long, byte[]>> head = new TreeMap<>();
        StateTopic.collect(head, "shop", b("shop/schema-history/5"), b("v6"));
        assertThatThrownBy(() -> StateTopic.contiguous("s", "shop", head)).hasMessageContaining("lost records 0 to 4");
    }

    @Test
    void theNewestGenerationIsReadAndAppendedToAndAGappedLogOfItIsNamedNotRead() throws IOException {
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        // generation 0 lost its first records; generation 1 was started by a recovery and is whole but for approvals
        StateTopic.collect(byLog, "shop", b("shop/schema-history/3"), b("old"));
        StateTopic.collect(byLog, "shop", b("shop/gen1/schema-history/0"), b("v1"));
        StateTopic.collect(byLog, "shop", b("shop/gen1/schema-history/1"), b("v2"));
        StateTopic.collect(byLog, "shop", b("shop/gen1/quarantine/sales.orders/0"), b("q"));
        StateTopic.collect(byLog, "shop", b("shop/gen1/approvals/1"), b("a2"));
        assertThat(StateTopic.newestGeneration(byLog)).isEqualTo(1);
        assertThat(StateTopic.ofGeneration(byLog, 0)).containsOnlyKeys("schema-history");
        assertThat(StateTopic.ofGeneration(byLog, 1))
                .containsOnlyKeys("schema-history", "quarantine/sales.orders", "approvals");

        List<String> keys = new ArrayList<>();
        StateTopic state = StateTopic.of("t", "shop", byLog, (k, v) -> keys.add(k));
        assertThat(state.generation()).isEqualTo(1);
        assertThat(state.lost()).containsExactly("approvals: records 0 to 0");
        assertThat(state.schemaHistory().read()).extracting(String::new).containsExactly("v1", "v2");
        assertThat(state.holds("approvals")).isFalse();
        state.schemaHistory().append(b("v3"));
        assertThat(keys).containsExactly("shop/gen1/schema-history/2");
    }

    @Test
    void aNewGenerationCopiesTheWholeLogsAndNumbersFromZeroUnderItsOwnKeys() throws IOException {
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        StateTopic.collect(byLog, "shop", b("shop/schema-history/4"), b("v5"));
        StateTopic.collect(byLog, "shop", b("shop/rule-versions/0"), b("r1"));
        StateTopic.collect(byLog, "shop", b("shop/rule-versions/1"), b("r2"));
        List<String> keys = new ArrayList<>();
        StateTopic state = StateTopic.of("t", "shop", byLog, (k, v) -> keys.add(k + "=" + new String(v)));
        assertThat(state.generation()).isZero();
        assertThat(state.lost()).containsExactly("schema-history: records 0 to 3");

        assertThat(state.startNewGeneration()).containsExactly("rule-versions");
        state.schemaHistory().append(b("rebuilt"));
        assertThat(state.generation()).isEqualTo(1);
        assertThat(keys)
                .containsExactly(
                        "shop/gen1/rule-versions/0=r1",
                        "shop/gen1/rule-versions/1=r2",
                        "shop/gen1/schema-history/0=rebuilt");

        // read again: generation 1 only, whole, the old generation's surviving record passed by
        Map<String, TreeMap<Long, byte[]>> again = new TreeMap<>(byLog);
        for (String kv : keys) {
            String[] p = kv.split("=", 2);
            StateTopic.collect(again, "shop", b(p[0]), b(p[1]));
        }
        StateTopic reread = StateTopic.of("t", "shop", again, (k, v) -> {});
        assertThat(reread.lost()).isEmpty();
        assertThat(reread.schemaHistory().read()).extracting(String::new).containsExactly("rebuilt");
        assertThat(reread.ruleVersions().read()).extracting(String::new).containsExactly("r1", "r2");
        // a generation is started before the logs are used, never under them
        assertThatThrownBy(reread::startNewGeneration).isInstanceOf(IllegalStateException.class);
    }
}
