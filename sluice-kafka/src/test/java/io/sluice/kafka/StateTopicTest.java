package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
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
}
