package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.ConnectWorker;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Transaction boundaries through real workers: a source transaction beyond {@code max-transaction-events} whose
 * worker is SIGKILLed between its parts, and the {@code poll} and {@code interval} boundaries with a kill
 * mid-stream. Everything is read back with read_committed: every event once, in order, a source transaction's
 * events never interleaved with another's. And a rule version {@code sluice rules deploy} records, taken up at a
 * transaction boundary by a task that started without any.
 */
class ConnectBoundariesIT extends ConnectWorkersFixture {
    private static final String OFFSETS = "sluice-it-offsets";

    @Test
    void aHugeTransactionKilledBetweenItsPartsResumesInsideItAndEveryEventArrivesOnceInOrder() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connecthuge");
        String t = schema + ".t";
        int rows = 30_000;
        int bound = 3_000;
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT NOT NULL)");
        String name = "huge";
        Map<String, String> config = config(name, schema);
        config.put("max-transaction-events", Integer.toString(bound));
        create(name, config);
        String topic = name + "." + t;
        db.execute("INSERT INTO " + t + " VALUES (0, 0)");
        awaitEvents(topic, 1);

        ConnectWorker running = workerOfTask(name);
        ConnectWorker survivor = running == first ? second : first;
        JsonNode partial;
        try (KafkaConsumer<byte[], byte[]> offsets = readCommitted()) {
            TopicPartition tp = new TopicPartition(OFFSETS, 0);
            offsets.assign(List.of(tp));
            offsets.seekToEnd(List.of(tp));
            offsets.position(tp);
            db.execute("INSERT INTO " + t + " SELECT seq, seq FROM " + schema + ".seq_1_to_" + rows);
            // the first part's offset carries the resume-inside mark: the worker dies right after it
            partial = awaitPartialOffset(offsets, name);
            running.kill();
        }
        List<ConsumerRecord<byte[], byte[]>> atKill = committed(topic);
        long partRows = partial.get("rows").asLong();
        assertThat(partRows)
                .as("events of the transaction in its committed parts")
                .isPositive();
        assertThat(atKill.size() - 1)
                .as("the huge transaction's events in Kafka when its worker was killed")
                .isLessThan(rows)
                .isGreaterThanOrEqualTo((int) partRows);
        db.execute("INSERT INTO " + t + " VALUES (" + (rows + 1) + ", 1)");

        Waits.await("the task of " + name + " running on the surviving worker", Duration.ofSeconds(120))
                .until(() -> taskState(survivor, name)
                        .equals("RUNNING " + survivor.url().substring(7)));
        List<ConsumerRecord<byte[], byte[]>> records = Waits.await(
                        (rows + 2) + " events in " + topic, Duration.ofSeconds(300))
                .until(() -> committed(topic), r -> r.size() >= rows + 2);
        records = committed(topic);
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            events.add(JSON.readTree(r.value()));
        }
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        assertThat(events)
                .as("every row once, in order")
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(0, rows + 1).boxed().toList());
        // the transaction's events contiguous: one transaction id from its first event to its last
        assertThat(events.subList(1, rows + 1))
                .extracting(e -> transactionOf(e.get("id").asText()))
                .containsOnly(transactionOf(events.get(1).get("id").asText()));
        assertThat(transactionOf(events.get(rows + 1).get("id").asText()))
                .isNotEqualTo(transactionOf(events.get(rows).get("id").asText()));
        // committed in parts of the bound: a Kafka transaction's commit marker after each part
        List<Integer> partStarts = new ArrayList<>();
        for (int i = 2; i <= rows; i++) {
            if (records.get(i).offset() != records.get(i - 1).offset() + 1) {
                partStarts.add(i - 1);
            }
        }
        assertThat(partStarts).as("the transaction's part starts").isNotEmpty().allMatch(p -> p % bound == 0);
        // after the transaction the offsets hold no resume-inside mark any more
        JsonNode last = lastCheckpoint(name);
        assertThat(last.has("partial")).as(last.toString()).isFalse();
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    @Test
    void pollBoundariesThroughAWorkerKilledMidStreamKeepEverySourceTransactionInOneKafkaTransaction() throws Exception {
        boundariesThroughAKill("poll", Map.of());
    }

    @Test
    void intervalBoundariesThroughAWorkerKilledMidStreamKeepEverySourceTransactionInOneKafkaTransaction()
            throws Exception {
        boundariesThroughAKill("interval", Map.of("transaction.boundary.interval.ms", "700"));
    }

    /**
     * Multi-row transactions and one beyond {@code max-transaction-events} under {@code boundary}, the task's
     * worker killed while they are written: every event once, each key's in order, and a source transaction's
     * events at consecutive offsets (no commit marker inside: one Kafka transaction), but for the huge one's parts.
     */
    private static void boundariesThroughAKill(String boundary, Map<String, String> settings) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connect" + boundary);
        String t = schema + ".t";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT NOT NULL)");
        String name = "boundary-" + boundary;
        Map<String, String> config = config(name, schema);
        config.put("transaction.boundary", boundary);
        config.put("max-transaction-events", "2000");
        config.putAll(settings);
        create(name, config);
        String topic = name + "." + t;

        int transactions = 120;
        int huge = 5_000; // rows of one transaction in the middle, ids from 1,000,001
        writeTransactions(db, t, 0, transactions / 2);
        Waits.await("the first events in " + topic, Duration.ofSeconds(90))
                .until(() -> !committed(topic).isEmpty());
        CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
            db.execute("INSERT INTO " + t + " SELECT 1000000 + seq, seq FROM " + schema + ".seq_1_to_" + huge);
            writeTransactions(db, t, transactions / 2, transactions);
        });
        ConnectWorker survivor = killTasksWorker(name, rest::join);

        int expected = transactions * 3 + (transactions - 1) + huge;
        List<ConsumerRecord<byte[], byte[]>> records = Waits.await(
                        expected + " events in " + topic, Duration.ofSeconds(300))
                .until(() -> committed(topic), r -> r.size() >= expected);
        records = committed(topic);
        assertThat(records).as("every event once").hasSize(expected);

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTxn = new LinkedHashMap<>();
        Map<Integer, List<Integer>> vByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode e = JSON.readTree(r.value());
            byTxn.computeIfAbsent(transactionOf(e.get("id").asText()), k -> new ArrayList<>())
                    .add(r);
            vByKey.computeIfAbsent(e.get("key").get("id").asInt(), k -> new ArrayList<>())
                    .add(e.get("after").get("v").asInt());
        }
        assertThat(byTxn).as("one group of events per source transaction").hasSize(transactions + 1);
        int cuts = 0;
        for (List<ConsumerRecord<byte[], byte[]>> txn : byTxn.values()) {
            for (int i = 1; i < txn.size(); i++) {
                if (txn.get(i).offset() != txn.get(i - 1).offset() + 1) {
                    assertThat(txn.size())
                            .as("only the huge transaction is cut")
                            .isEqualTo(huge);
                    assertThat(i % 2000).as("cut between its parts only").isZero();
                    cuts++;
                }
            }
        }
        assertThat(cuts)
                .as("Kafka transactions ended inside the huge transaction")
                .isLessThanOrEqualTo(huge / 2000);
        for (int k = 0; k < transactions - 1; k++) {
            // row 3k+1 is inserted by transaction k with v = 0 and set to k + 1 by transaction k + 1
            assertThat(vByKey.get(3 * k + 1)).containsExactly(0, k + 1);
        }
        assertThat(IntStream.rangeClosed(1, huge)
                        .allMatch(i -> vByKey.get(1_000_000 + i).equals(List.of(i))))
                .as("each row of the huge transaction once")
                .isTrue();
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    @Test
    void aTaskStartedWithoutAnyRuleVersionTakesUpADeployedOneAtATransactionBoundaryWithoutARestart() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectnorules");
        String t = schema + ".orders";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, email VARCHAR(40))");
        String name = "norules";
        create(name, config(name, schema));
        String topic = name + "." + t;
        db.execute("INSERT INTO " + t + " VALUES (1, 'ada@example.com')");
        assertThat(awaitEvents(topic, 1).get(0).has("rules")).as("no rules").isFalse();
        String worker = taskState(first, name);

        Path rules = Files.createTempFile("norules", ".yaml");
        Files.writeString(
                rules, "rules:\n  - name: pii\n    match: {tables: [\"" + t + "\"]}\n    mask: {email: redact}\n");
        String options = "--connect-state " + kafka.bootstrapServers() + " --state-topic " + name
                + ".sluice-state --connector " + name;
        String[] deployed = sluice(("rules deploy " + options + " -r " + rules).split(" "));
        assertThat(deployed[0]).as(deployed[1] + deployed[2]).isEqualTo("0");
        assertThat(deployed[1]).contains("deployed rule version 1", "running task switches to it");
        AtomicInteger next = new AtomicInteger(2);
        List<JsonNode> events = Waits.await("an event shaped by rule version 1", Duration.ofSeconds(120))
                .until(
                        () -> {
                            int id = next.getAndIncrement();
                            db.execute("INSERT INTO " + t + " VALUES (" + id + ", 'x" + id + "@example.com')");
                            return awaitEvents(topic, id);
                        },
                        list -> list.get(list.size() - 1).path("rules").asInt() == 1);
        assertThat(taskState(first, name)).as("the same worker").isEqualTo(worker);
        long starts = 0;
        for (ConnectWorker w : List.of(first, second)) {
            starts += Files.readAllLines(w.log()).stream()
                    .filter(l -> l.contains("[" + name + "] task starting from"))
                    .count();
        }
        assertThat(starts).as("task starts: taken up without a restart").isEqualTo(1);
        // every row once, in order: unshaped until the boundary, masked by version 1 from there on
        assertThat(events)
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(
                        IntStream.range(1, next.get()).boxed().toList());
        int firstShaped = events.size() - 1;
        while (firstShaped > 0 && events.get(firstShaped - 1).path("rules").asInt() == 1) {
            firstShaped--;
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            assertThat(e.path("rules").asInt()).isEqualTo(i < firstShaped ? 0 : 1);
            int id = e.get("after").get("id").asInt();
            assertThat(e.get("after").get("email").asText())
                    .isEqualTo(i >= firstShaped ? "***" : id == 1 ? "ada@example.com" : "x" + id + "@example.com");
        }
        first.rest("DELETE", "/connectors/" + name, null);
    }

    /** Transactions {@code from} to {@code to - 1} on {@code table}: three inserts, and an update of the previous one's first row. */
    private static void writeTransactions(MariaDbServer db, String table, int from, int to) {
        for (int k = from; k < to; k++) {
            int id = 3 * k + 1;
            String insert = "INSERT INTO " + table + " VALUES (" + id + ",0),(" + (id + 1) + ",0),(" + (id + 2) + ",0)";
            db.execute(
                    "BEGIN",
                    insert,
                    k == 0 ? "DO 0" : "UPDATE " + table + " SET v = " + k + " WHERE id = " + (id - 3),
                    "COMMIT");
        }
    }

    /** The source transaction of an event id ({@code <pipeline>:<transaction>:<n>}): all but its last part. */
    private static String transactionOf(String eventId) {
        return eventId.substring(0, eventId.lastIndexOf(':'));
    }

    private static KafkaConsumer<byte[], byte[]> readCommitted() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The {@code partial} mark of the first offset of connector {@code name} holding one, read as it is committed. */
    private static JsonNode awaitPartialOffset(KafkaConsumer<byte[], byte[]> offsets, String name) throws Exception {
        Instant until = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<byte[], byte[]> r : offsets.poll(Duration.ofMillis(50))) {
                JsonNode cp = checkpointOf(r, name);
                if (cp != null && cp.has("partial")) {
                    return cp.get("partial");
                }
            }
        }
        throw new AssertionError("no offset of " + name + " with a resume-inside mark within 180 s");
    }

    /** The newest committed checkpoint of connector {@code name} in Connect's offsets topic. */
    private static JsonNode lastCheckpoint(String name) throws Exception {
        JsonNode last = null;
        for (ConsumerRecord<byte[], byte[]> r : committed(OFFSETS)) {
            JsonNode cp = checkpointOf(r, name);
            last = cp == null ? last : cp;
        }
        assertThat(last).as("an offset of " + name).isNotNull();
        return last;
    }

    /** The checkpoint in an offsets-topic record of connector {@code name}; null for another's or a tombstone. */
    private static JsonNode checkpointOf(ConsumerRecord<byte[], byte[]> r, String name) throws Exception {
        if (r.key() == null
                || r.value() == null
                || !new String(r.key(), StandardCharsets.UTF_8).startsWith("[\"" + name + "\",")) {
            return null;
        }
        return JSON.readTree(JSON.readTree(r.value()).get("checkpoint").asText());
    }
}
