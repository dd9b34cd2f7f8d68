package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rule's route is the Kafka topic (issue 15): two shard tables merged by {@code route: "{db}.orders"} land in the
 * one topic {@code <prefix>.<db>.orders}, partitioned by the rule's key {@code [shard, id]}, so the same id of two
 * shards is two keys, and each key's events keep their order in one partition.
 */
class RulesKafkaIT extends WithKafkaBroker {
    @Test
    void routedShardsShareOneTopicPartitionedByTheNewKey() throws Exception {
        Path dir = Harness.workDir("rules-kafka");
        String db = server.createDatabase("rkafka");
        for (int s = 0; s < 2; s++) {
            server.execute("CREATE TABLE " + db + ".orders_0" + s + " (id INT PRIMARY KEY, n INT)");
        }
        Files.writeString(dir.resolve("merge.yaml"), """
                rules:
                  - name: merge-orders
                    match: {tables: ["*.orders_*"]}
                    route: "{db}.orders"
                    set: {shard: "source.table"}
                    key: [shard, id]
                """, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config = KafkaHarness.config(
                dir, "rkafka", server, 9515, db, start, kafka.bootstrapServers(), 4, null, "rules: merge.yaml\n");
        int rows = 20;
        try (SluiceProcess p = SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), "rkafka")) {
            for (int id = 1; id <= rows; id++) {
                for (int s = 0; s < 2; s++) {
                    server.execute("INSERT INTO " + db + ".orders_0" + s + " VALUES (" + id + ", 0)");
                }
            }
            for (int s = 0; s < 2; s++) {
                server.execute("UPDATE " + db + ".orders_0" + s + " SET n = n + 1");
            }
            List<KafkaHarness.Received> got = reader.awaitAtLeast(2L * rows * 2, Duration.ofSeconds(120), p);
            p.terminate(60);
            assertThat(got).hasSize(2 * rows * 2);
            assertThat(got).extracting(KafkaHarness.Received::topic).containsOnly("rkafka." + db + ".orders");
            Map<String, Integer> partitionOfKey = new HashMap<>();
            Map<String, List<String>> opsOfKey = new HashMap<>();
            for (KafkaHarness.Received r : got) {
                String shard = r.value().path("after").path("shard").asText();
                assertThat(r.key())
                        .isEqualTo("{\"shard\":\"" + shard + "\",\"id\":"
                                + r.value().path("after").path("id") + "}");
                assertThat(r.value().path("route").asText()).isEqualTo(db + ".orders");
                assertThat(partitionOfKey.computeIfAbsent(r.key(), k -> r.partition()))
                        .isEqualTo(r.partition());
                opsOfKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                        .add(r.value().path("op").asText());
            }
            assertThat(opsOfKey).hasSize(2 * rows);
            // per partition the records are in offset order as received: each key's insert comes before its update
            assertThat(opsOfKey.values()).allSatisfy(ops -> assertThat(ops).containsExactly("c", "u"));
        }
    }
}
