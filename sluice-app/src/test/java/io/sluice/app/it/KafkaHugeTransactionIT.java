package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Source transactions larger than {@code sink.max-transaction-events} are committed to Kafka in parts, the offsets
 * record marking how far into the transaction Kafka got. {@code sluice run} is a separate JVM; a read_committed
 * consumer must see every row once and each partition in commit order, also when the process is SIGKILLed between
 * two parts of a transaction and restarted.
 */
class KafkaHugeTransactionIT extends WithKafkaBroker {
    /** One INSERT … SELECT of {@code n} rows in one transaction, ids from {@code from}. */
    private static void hugeTransaction(String db, int from, int n) {
        server.execute("INSERT INTO " + db + ".t SELECT seq, CONCAT('row-', seq) FROM " + db + ".seq_" + from + "_to_"
                + (from + n - 1));
    }

    @Test
    void aHugeTransactionLandsOnceAndInOrderInSeveralKafkaTransactions() throws Exception {
        Path dir = Harness.workDir("kafka-huge");
        String db = server.createDatabase("khuge");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(40))");
        String[] start = Harness.masterStatus(server);
        String name = "khuge";
        Path config = KafkaHarness.config(
                dir,
                name,
                server,
                9311,
                db,
                start,
                kafka.bootstrapServers(),
                3,
                "  max-transaction-events: 10000\n",
                null);
        server.execute("INSERT INTO " + db + ".t VALUES (-1, 'before')");
        hugeTransaction(db, 0, 60_000);
        server.execute("INSERT INTO " + db + ".t VALUES (-2, 'after')");

        try (SluiceProcess sluice =
                        SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            List<KafkaHarness.Received> received = reader.awaitAtLeast(60_002, Duration.ofSeconds(240), sluice);
            verify(received, 60_002, 60_000);
            List<JsonNode> marks = offsetsRecords(
                    name,
                    Duration.ofSeconds(30),
                    l -> !l.isEmpty() && l.get(l.size() - 1).path("partial").isMissingNode() && countPartial(l) >= 6);
            // 60,000 events in parts of 10,000: a mark after each part (the sink cannot know that the 60,000th
            // event is the transaction's last; the commit after it is then a Kafka transaction of its own)
            List<Integer> rows = marks.stream()
                    .filter(m -> m.has("partial"))
                    .map(m -> m.get("partial").get("rows").asInt())
                    .toList();
            assertThat(rows).containsExactly(10_000, 20_000, 30_000, 40_000, 50_000, 60_000);
            assertThat(marks.get(marks.size() - 1).has("partial"))
                    .as("the last checkpoint is clean")
                    .isFalse();
            assertThat(Files.readString(sluice.log()))
                    .contains("committed a Kafka transaction inside source" + " transaction");
            sluice.terminate(60);
        }
    }

    @Test
    void killedBetweenTwoPartsOfATransactionLosesAndRepeatsNothing() throws Exception {
        Path dir = Harness.workDir("kafka-huge-kill");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("khugekill");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(40))");
        String[] start = Harness.masterStatus(server);
        String name = "khugekill";
        Path config = KafkaHarness.config(
                dir,
                name,
                server,
                9312,
                db,
                start,
                kafka.bootstrapServers(),
                3,
                "  max-transaction-events: 10000\n",
                null);
        // the first transaction is the pipeline's very first (no checkpoint before it), the second follows one
        hugeTransaction(db, 0, 200_000);
        hugeTransaction(db, 1_000_000, 200_000);
        server.execute("INSERT INTO " + db + ".t VALUES (-2, 'after')");

        List<Long> rss = new ArrayList<>();
        SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString());
        try {
            // kill 1: as soon as Kafka holds part of the first transaction
            List<JsonNode> marks = offsetsRecords(name, Duration.ofSeconds(180), l -> countPartial(l) >= 1);
            rss.add(KafkaHarness.rssKiB(sluice.process().pid()));
            assertThat(sluice.kill()).isEqualTo(137);
            JsonNode first = lastOf(offsetsRecords(name, Duration.ofSeconds(30), l -> !l.isEmpty()));
            assertThat(first.has("partial"))
                    .as("killed between two parts: the checkpoint %s", first)
                    .isTrue();
            String firstTxn = first.get("partial").get("txn").asText();

            // kill 2: once Kafka holds part of the second transaction
            sluice = SluiceProcess.start(log, "run", "--config", config.toString());
            marks = offsetsRecords(
                    name,
                    Duration.ofSeconds(180),
                    l -> l.stream()
                            .anyMatch(m -> m.has("partial")
                                    && !m.get("partial").get("txn").asText().equals(firstTxn)));
            rss.add(KafkaHarness.rssKiB(sluice.process().pid()));
            assertThat(sluice.kill()).isEqualTo(137);
            JsonNode second = lastOf(offsetsRecords(name, Duration.ofSeconds(30), l -> !l.isEmpty()));
            assertThat(second.has("partial"))
                    .as("killed between two parts: the checkpoint %s", second)
                    .isTrue();
            assertThat(second.get("partial").get("txn").asText()).isNotEqualTo(firstTxn);

            sluice = SluiceProcess.start(log, "run", "--config", config.toString());
            try (KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
                List<KafkaHarness.Received> received = reader.awaitAtLeast(400_001, Duration.ofSeconds(300), sluice);
                rss.add(KafkaHarness.rssKiB(sluice.process().pid()));
                verify(received, 400_001, 200_000);
            }
            System.out.println(
                    "KafkaHugeTransactionIT: RSS KiB at the kills and at the end " + rss + "; marks " + marks.size());
            sluice.terminate(60);
        } finally {
            sluice.close();
        }
    }

    /**
     * Every event once (by id), exactly {@code total} of them; within each partition in commit order; the rows of
     * every transaction numbered 0 to n-1 without gaps, and the huge ones with {@code hugeRows} rows each.
     */
    private static void verify(List<KafkaHarness.Received> received, int total, int hugeRows) {
        Set<String> ids = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        Map<String, JsonNode> lastInPartition = new HashMap<>();
        Map<String, Integer> rowsPerTxn = new LinkedHashMap<>();
        Map<String, Integer> maxRowPerTxn = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (KafkaHarness.Received r : received) {
            JsonNode e = r.value();
            String id = e.get("id").asText();
            if (!ids.add(id)) {
                duplicates.add(id);
            }
            String tp = r.topic() + "-" + r.partition();
            JsonNode prev = lastInPartition.put(tp, e);
            if (prev != null && KafkaHarness.COMMIT_ORDER.compare(prev, e) >= 0 && problems.size() < 20) {
                problems.add(tp + "@" + r.offset() + ": " + id + " after "
                        + prev.get("id").asText());
            }
            String txn = e.get("source").get("gtid").asText();
            rowsPerTxn.merge(txn, 1, Integer::sum);
            maxRowPerTxn.merge(txn, e.get("source").get("row").asInt(), Math::max);
        }
        assertThat(duplicates).as("duplicate ids").isEmpty();
        assertThat(problems).as("events out of commit order within a partition").isEmpty();
        assertThat(received).hasSize(total);
        for (Map.Entry<String, Integer> t : rowsPerTxn.entrySet()) {
            assertThat(maxRowPerTxn.get(t.getKey()))
                    .as("rows of %s numbered without gaps", t.getKey())
                    .isEqualTo(t.getValue() - 1);
        }
        assertThat(rowsPerTxn.values().stream().filter(n -> n == hugeRows).count())
                .as("transactions of %d rows", hugeRows)
                .isGreaterThanOrEqualTo(1);
        assertThat(rowsPerTxn.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(total);
    }

    private static long countPartial(List<JsonNode> l) {
        return l.stream().filter(m -> m.has("partial")).count();
    }

    private static JsonNode lastOf(List<JsonNode> l) {
        return l.get(l.size() - 1);
    }

    /** The committed checkpoints of a pipeline, oldest first, read until {@code until} holds for them. */
    private static List<JsonNode> offsetsRecords(String name, Duration timeout, Predicate<List<JsonNode>> until)
            throws Exception {
        TopicPartition tp = new TopicPartition(name + ".offsets", 0);
        List<JsonNode> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                KafkaHarness.consumerProps(kafka.bootstrapServers(), null),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    records.add(Harness.JSON.readTree(r.value()));
                }
                if (until.test(records)) {
                    // everything committed so far: read to the end once more
                    long end = c.endOffsets(List.of(tp)).get(tp);
                    while (c.position(tp) < end) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                            records.add(Harness.JSON.readTree(r.value()));
                        }
                    }
                    return records;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the offsets topic of " + name + " never got there: " + records);
                }
            }
        }
    }
}
