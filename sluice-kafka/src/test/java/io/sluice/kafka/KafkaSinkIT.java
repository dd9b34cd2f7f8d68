package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import io.sluice.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaSinkIT {
    static final long NOW = 1_764_000_000_123L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    static final String BINLOG = "mysql-bin.000001";
    private static final AtomicInteger PIPELINES = new AtomicInteger();
    static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.startNew();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaSinkConfig config() {
        return KafkaSinkConfig.of("p" + PIPELINES.incrementAndGet(), kafka.bootstrapServers())
                .withOutageTimeout(Duration.ofSeconds(20));
    }

    @Test
    void eventsOfSeveralTransactionsLandInPerTableTopicsAndAreVisibleOnlyAfterFlush() throws Exception {
        KafkaSinkConfig cfg = config();
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(sink.open()).isEmpty();
            ChangeEvent a = event("sales", "orders", 100, 0, 1L);
            ChangeEvent b = event("sales", "orders", 100, 1, 2L);
            ChangeEvent c = event("sales", "notes", 200, 0, null);
            sink.write(a);
            sink.write(b);
            sink.commit(checkpoint(150));
            sink.write(c);
            sink.commit(checkpoint(250));
            String orders = cfg.topicPrefix() + ".sales.orders";
            String notes = cfg.topicPrefix() + ".sales.notes";
            assertThat(committed(orders)).isEmpty();

            sink.flush();
            sink.awaitFlush();

            List<ConsumerRecord<byte[], byte[]>> o = committed(orders);
            assertThat(o).hasSize(2);
            assertThat(text(o.get(0).key())).isEqualTo("{\"id\":1}");
            assertThat(text(o.get(0).value())).isEqualTo(text(EventCodec.toJson(a, NOW)));
            assertThat(text(o.get(1).value())).isEqualTo(text(EventCodec.toJson(b, NOW)));
            assertThat(header(o.get(0), KafkaSink.HEADER_ID)).isEqualTo(a.id());
            assertThat(header(o.get(0), KafkaSink.HEADER_OP)).isEqualTo("c");
            assertThat(header(o.get(0), KafkaSink.HEADER_SCHEMA)).isEqualTo("3");
            List<ConsumerRecord<byte[], byte[]>> n = committed(notes);
            assertThat(n).hasSize(1);
            assertThat(n.get(0).key()).isNull();
            assertThat(text(n.get(0).value())).isEqualTo(text(EventCodec.toJson(c, NOW)));
        }
        try (Sink again = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(again.open()).contains(checkpoint(250));
        }
    }

    @Test
    void reopeningWithoutFlushShowsNothingOfTheUnflushedTransactionAndReturnsThePreviousCheckpoint() throws Exception {
        // hold back nothing: the second transaction's events are really sent inside an open Kafka transaction
        KafkaSinkConfig cfg = config().withHoldBackBytes(0);
        String topic = cfg.topicPrefix() + ".sales.orders";
        Sink first = KafkaSinks.kafka(cfg, CLOCK);
        first.open();
        first.write(event("sales", "orders", 100, 0, 1L));
        first.commit(checkpoint(150));
        first.flush();
        first.awaitFlush();
        first.write(event("sales", "orders", 200, 0, 2L));
        first.write(event("sales", "orders", 200, 1, 3L));
        first.commit(checkpoint(250));
        // the same instance re-opened, as the pipeline does after a source failure
        assertThat(first.open()).contains(checkpoint(150));
        assertThat(ids(committed(topic))).containsExactly("shop:" + BINLOG + ":100:0");

        first.write(event("sales", "orders", 200, 0, 2L));
        first.commit(checkpoint(250));
        // a crash: a new instance takes over without the first closing
        try (Sink second = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(second.open()).contains(checkpoint(150));
            assertThat(ids(committed(topic))).containsExactly("shop:" + BINLOG + ":100:0");
            second.write(event("sales", "orders", 200, 0, 2L));
            second.commit(checkpoint(250));
            second.flush();
            second.awaitFlush();
            assertThat(ids(committed(topic))).containsExactly("shop:" + BINLOG + ":100:0", "shop:" + BINLOG + ":200:0");
        } finally {
            first.close();
        }
    }

    @Test
    void aSecondInstanceWithTheSamePipelineNameFencesTheFirst() throws Exception {
        KafkaSinkConfig cfg = config().withHoldBackBytes(0);
        try (Sink first = KafkaSinks.kafka(cfg, CLOCK);
                Sink second = KafkaSinks.kafka(cfg, CLOCK)) {
            first.open();
            first.write(event("sales", "orders", 100, 0, 1L));
            first.commit(checkpoint(150));
            first.flush();
            first.awaitFlush();
            first.write(event("sales", "orders", 200, 0, 2L));

            assertThat(second.open()).contains(checkpoint(150));

            assertThatThrownBy(() -> {
                        first.write(event("sales", "orders", 200, 1, 3L));
                        first.commit(checkpoint(250));
                        first.flush();
                        first.awaitFlush();
                    })
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.retriable()).isFalse())
                    .hasMessageContaining(
                            "another Sluice instance with pipeline name " + cfg.pipeline() + " took over");
            assertThat(ids(committed(cfg.topicPrefix() + ".sales.orders")))
                    .containsExactly("shop:" + BINLOG + ":100:0");
        }
    }

    @Test
    void aCheckpointRoundTripsThroughTheOffsetsTopic() throws Exception {
        KafkaSinkConfig cfg = config();
        Checkpoint cp = new Checkpoint(
                new BinlogPosition("mysql-bin.000007", 4711, "0-1-42,1-1-7"),
                List.of(new HeldXa("X'7878',X'',1", new BinlogPosition("mysql-bin.000007", 300, "0-1-40"))),
                Map.of("sales.orders", new TableVersion(3, "abc"), "sales.notes", new TableVersion(1, "def")));
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            for (int i = 1; i <= 40; i++) {
                // many flushes: open() must find the newest record, not just a recent one
                sink.commit(checkpoint(i));
                sink.flush();
                sink.awaitFlush();
            }
            sink.commit(cp);
            sink.flush();
            sink.awaitFlush();
        }
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(sink.open()).contains(cp);
        }
    }

    @Test
    void aPipelineSharingTheOffsetsTopicReadsItsLastCheckpointPastAnotherPipelinesOpenTransaction() throws Exception {
        KafkaSinkConfig cfg = config().withTopicPrefix("shared" + PIPELINES.incrementAndGet());
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            sink.commit(checkpoint(150));
            sink.flush();
            sink.awaitFlush();
            // another pipeline with the same topic prefix: its offsets record in a transaction not committed yet
            try (KafkaProducer<byte[], byte[]> other = transactionalProducer("sluice-other-" + cfg.pipeline())) {
                other.initTransactions();
                other.beginTransaction();
                other.send(new ProducerRecord<>(
                        cfg.offsetsTopic(),
                        0,
                        "other".getBytes(StandardCharsets.UTF_8),
                        KafkaSink.offsetsValue(checkpoint(9))));
                other.flush();
                sink.commit(checkpoint(250));
                sink.flush();
                sink.awaitFlush();

                CompletableFuture<Optional<Checkpoint>> reopened = CompletableFuture.supplyAsync(() -> {
                    try (Sink again = KafkaSinks.kafka(cfg, CLOCK)) {
                        return again.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                // while the other transaction is open, what lies behind it cannot be known: open() waits for it
                Optional<Checkpoint> early = null;
                try {
                    early = reopened.get(3, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException waiting) {
                    // as it must
                }
                other.commitTransaction();
                assertThat(early)
                        .as("what open() returned while another pipeline's transaction was open")
                        .isNull();
                assertThat(reopened.get(60, TimeUnit.SECONDS)).contains(checkpoint(250));
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void aFlushInsideALargeTransactionWaitsForItsEnd() throws Exception {
        KafkaSinkConfig cfg = config().withHoldBackBytes(300);
        String topic = cfg.topicPrefix() + ".sales.orders";
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            sink.write(event("sales", "orders", 100, 0, 1L));
            sink.commit(checkpoint(150));
            for (int row = 0; row < 5; row++) {
                sink.write(event("sales", "orders", 200, row, 10L + row));
            }
            sink.flush();
            sink.awaitFlush();
            assertThat(committed(topic)).isEmpty();
            sink.write(event("sales", "orders", 200, 5, 20L));
            sink.commit(checkpoint(250));
            assertThat(committed(topic)).hasSize(7);
            sink.flush();
            sink.awaitFlush();
        }
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(sink.open()).contains(checkpoint(250));
        }
    }

    @Test
    void aLargeTransactionGoesThroughTheSenderThreadOnceAndInOrderWithItsHeaders() throws Exception {
        // holdBack 0: every event is handed to the sender's thread in chunks as it comes; ~9 MiB of events is more
        // than the sender's queue holds (4 MiB), so the sink's thread also waits for it (back-pressure)
        KafkaSinkConfig cfg = config().withHoldBackBytes(0);
        String topic = cfg.topicPrefix() + ".sales.orders";
        String pad = "x".repeat(1000);
        int n = 9000;
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            for (int row = 0; row < n; row++) {
                Op op = row % 3 == 0 ? Op.CREATE : row % 3 == 1 ? Op.UPDATE : Op.DELETE;
                Row r = new Row(new String[] {"id", "pad"}, new Object[] {(long) row, pad});
                SourceInfo source =
                        new SourceInfo("shop", 1, null, BINLOG, 100, row, 1_764_000_000_000L, "sales", "orders", false);
                sink.write(new ChangeEvent(
                        ChangeEvent.id("shop", BINLOG + ":100", row),
                        op,
                        source,
                        new Row(new String[] {"id"}, new Object[] {(long) row}),
                        op == Op.CREATE ? null : r,
                        op == Op.DELETE ? null : r,
                        1 + row % 20,
                        null));
            }
            sink.commit(checkpoint(150));
            sink.flush();
            sink.awaitFlush();
        }
        List<ConsumerRecord<byte[], byte[]>> got = committed(topic);
        assertThat(got).hasSize(n);
        for (int row = 0; row < n; row++) {
            ConsumerRecord<byte[], byte[]> r = got.get(row);
            assertThat(header(r, KafkaSink.HEADER_ID)).isEqualTo("shop:" + BINLOG + ":100:" + row);
            assertThat(header(r, KafkaSink.HEADER_OP)).isEqualTo(row % 3 == 0 ? "c" : row % 3 == 1 ? "u" : "d");
            assertThat(header(r, KafkaSink.HEADER_SCHEMA)).isEqualTo(String.valueOf(1 + row % 20));
            assertThat(text(r.key())).isEqualTo("{\"id\":" + row + "}");
            assertThat(text(r.value())).contains("\"id\":\"shop:" + BINLOG + ":100:" + row + "\"");
        }
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            assertThat(sink.open()).contains(checkpoint(150));
        }
    }

    @Test
    void truncateAndSchemaEventsReachEveryPartitionOfTheTableInOrder() throws Exception {
        KafkaSinkConfig cfg = config().withPartitions(3);
        String orders = cfg.topicPrefix() + ".sales.orders";
        // keys 1 to 12 land in all three partitions; then a TRUNCATE, the keys again, a schema change, once more
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            insertKeys(sink, 100, 12);
            sink.write(tableEvent(Op.TRUNCATE, "sales", "orders", 200));
            sink.commit(checkpoint(250));
            insertKeys(sink, 300, 12);
            sink.write(tableEvent(Op.SCHEMA, "sales", "orders", 400));
            sink.commit(checkpoint(450));
            insertKeys(sink, 500, 12);
            sink.flush();
            sink.awaitFlush();
        }
        String truncate = "shop:" + BINLOG + ":200:0";
        String schema = "shop:" + BINLOG + ":400:0";
        List<ConsumerRecord<byte[], byte[]>> o = committed(orders);
        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<String> lane =
                    ids(o.stream().filter(r -> r.partition() == partition).toList());
            // each partition: its keys' inserts, the truncate, their inserts again, the schema change, once more
            assertThat(lane).as("partition %d", p).contains(truncate, schema);
            int t = lane.indexOf(truncate);
            int s = lane.indexOf(schema);
            assertThat(lane.subList(0, t))
                    .as("partition %d before the truncate", p)
                    .isNotEmpty()
                    .allMatch(id -> id.contains(":100:"));
            assertThat(lane.subList(t + 1, s))
                    .as("partition %d between the truncate and the schema change", p)
                    .hasSize(t)
                    .allMatch(id -> id.contains(":300:"));
            assertThat(lane.subList(s + 1, lane.size()))
                    .as("partition %d after the schema change", p)
                    .hasSize(t)
                    .allMatch(id -> id.contains(":500:"));
        }
        assertThat(o).hasSize(3 * 12 + 3 + 3);
    }

    @Test
    void aTableWithoutAKeyKeepsAllItsEventsInOnePartitionInCommitOrder() throws Exception {
        KafkaSinkConfig cfg = config().withPartitions(3);
        String notes = cfg.topicPrefix() + ".sales.notes";
        List<String> noteIds = new ArrayList<>();
        // ~1.5 MB: more than the producer's sticky partitioning keeps in one partition (a batch, 256 KiB)
        String pad = "x".repeat(25_000);
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            for (int txn = 0; txn < 12; txn++) {
                for (int row = 0; row < 5; row++) {
                    ChangeEvent e = event("sales", "notes", 600 + txn, row, null, pad);
                    noteIds.add(e.id());
                    sink.write(e);
                }
                sink.commit(checkpoint(700 + txn));
                sink.flush();
                sink.awaitFlush();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> n = committed(notes);
        assertThat(n.stream().map(ConsumerRecord::partition).distinct().toList())
                .as("the partitions of a table without a key")
                .hasSize(1);
        assertThat(ids(n))
                .as("a table without a key: its events in commit order")
                .isEqualTo(noteIds);
    }

    /** One source transaction at {@code pos} inserting keys 1 to {@code n} into sales.orders. */
    private static void insertKeys(Sink sink, long pos, int n) throws IOException {
        for (int row = 0; row < n; row++) {
            sink.write(event("sales", "orders", pos, row, row + 1L));
        }
        sink.commit(checkpoint(pos + 50));
    }

    /** A {@code t} or {@code s} event of a table: no key, no rows. */
    static ChangeEvent tableEvent(Op op, String db, String table, long pos) {
        SourceInfo source = new SourceInfo("shop", 1, null, BINLOG, pos, 0, 1_764_000_000_000L, db, table, false);
        return new ChangeEvent(
                ChangeEvent.id("shop", BINLOG + ":" + pos, 0),
                op,
                source,
                null,
                null,
                null,
                4,
                op == Op.SCHEMA ? "ALTER TABLE " + table + " ADD COLUMN x INT" : null);
    }

    static ChangeEvent event(String db, String table, long pos, int row, Long key) {
        return event(db, table, pos, row, key, "naïve 🚀");
    }

    static ChangeEvent event(String db, String table, long pos, int row, Long key, String note) {
        SourceInfo source = new SourceInfo("shop", 1, null, BINLOG, pos, row, 1_764_000_000_000L, db, table, false);
        String[] cols = {"id", "note"};
        return new ChangeEvent(
                ChangeEvent.id("shop", BINLOG + ":" + pos, row),
                Op.CREATE,
                source,
                key == null ? null : new Row(new String[] {"id"}, new Object[] {key}),
                null,
                new Row(cols, new Object[] {key, note}),
                3,
                null);
    }

    static Checkpoint checkpoint(long nextPos) {
        return new Checkpoint(new BinlogPosition(BINLOG, nextPos, null), List.of(), Map.of());
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return text(r.headers().lastHeader(name).value());
    }

    static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> header(r, KafkaSink.HEADER_ID)).toList();
    }

    /**
     * The read_committed end offsets once they have caught up with the log's end (at most ~3 s): a commit returns
     * before the broker has written its transaction markers, and until then a read_committed reader sees nothing of
     * it. A transaction left open on purpose keeps them apart; then the offsets as they are after the wait.
     */
    private static Map<TopicPartition, Long> settledEndOffsets(
            KafkaConsumer<byte[], byte[]> committedReader, List<TopicPartition> tps) throws InterruptedException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var uncommitted = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            try {
                return org.awaitility.Awaitility.await("the read_committed end offsets at the log's end")
                        .atMost(Duration.ofSeconds(3))
                        .pollInSameThread()
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> committedReader.endOffsets(tps), end -> end.equals(uncommitted.endOffsets(tps)));
            } catch (org.awaitility.core.ConditionTimeoutException aTransactionLeftOpen) {
                return committedReader.endOffsets(tps);
            }
        }
    }

    /** Everything a read_committed consumer can see in the topic now (none if it does not exist yet). */
    static List<ConsumerRecord<byte[], byte[]>> committed(String topic) throws InterruptedException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> tps = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = settledEndOffsets(consumer, tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
