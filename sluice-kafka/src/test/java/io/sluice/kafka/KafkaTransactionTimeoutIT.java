package io.sluice.kafka;

import static io.sluice.kafka.KafkaSinkIT.BINLOG;
import static io.sluice.kafka.KafkaSinkIT.CLOCK;
import static io.sluice.kafka.KafkaSinkIT.checkpoint;
import static io.sluice.kafka.KafkaSinkIT.committed;
import static io.sluice.kafka.KafkaSinkIT.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import io.sluice.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka transactions that would outlive {@code transaction.timeout.ms} (4 s here; the broker looks for such
 * transactions every 250 ms): the sink commits them in parts before the broker aborts them where a restart can
 * resume inside, and where it cannot, the abort is retried with a message saying what happened, not taken for
 * another instance's takeover.
 */
class KafkaTransactionTimeoutIT {
    private static final int TRANSACTION_TIMEOUT_MS = 4000;
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    @BeforeAll
    static void startKafka() {
        KafkaSinkIT.kafka =
                KafkaBroker.start(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "250"));
    }

    @AfterAll
    static void stopKafka() {
        KafkaSinkIT.kafka.close();
    }

    /** Holds nothing back: every event is in the open Kafka transaction at once. */
    private static KafkaSinkConfig config() {
        return KafkaSinkConfig.of("tt" + PIPELINES.incrementAndGet(), KafkaSinkIT.kafka.bootstrapServers())
                .withOutageTimeout(Duration.ofSeconds(20))
                .withHoldBackBytes(0)
                .withClientProperties(Map.of("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT_MS)));
    }

    @Test
    void aSlowWholeTableReadOfATableWithoutAKeyIsCommittedInPartsBeforeTheBrokerAbortsIt() throws Exception {
        KafkaSinkConfig cfg = config();
        String run = "initial-1";
        Checkpoint before = checkpoint(150)
                .withSnapshot(
                        new SnapshotProgress(List.of(new SnapshotProgress.Job(run, "sales.notes", null, null, 0, 0))));
        int rows = 2560;
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK)) {
            sink.open();
            sink.commit(before);
            sink.flush();
            sink.awaitFlush();
            for (int n = 0; n < rows; n++) {
                sink.write(keylessRow(run, n));
                if (n % 80 == 79) {
                    // a table read slowly (a large table, a busy server): 10 s in all, 2.5 times the timeout
                    Thread.sleep(300);
                }
            }
            sink.commit(checkpoint(900));
            sink.flush();
            sink.awaitFlush();
        }
        String txn = "snapshot:" + run + ":sales.notes";
        assertThat(ids(committed(cfg.topicPrefix() + ".sales.notes")))
                .as("every row once, in order")
                .isEqualTo(IntStream.range(0, rows)
                        .mapToObj(n -> "shop:" + txn + ":#" + n)
                        .toList());
        List<Checkpoint> offsets = offsets(cfg);
        List<PartialTxn> marks =
                offsets.stream().map(Checkpoint::partial).filter(p -> p != null).toList();
        assertThat(marks)
                .as("parts committed with a mark inside the read")
                .hasSizeGreaterThanOrEqualTo(2)
                .allMatch(p -> p.txn().equals(txn));
        assertThat(marks.stream().mapToInt(PartialTxn::rows)).isSorted();
        assertThat(offsets.stream().filter(c -> c.partial() != null)).allMatch(c -> c.snapshot() != null);
        assertThat(offsets.get(offsets.size() - 1)).isEqualTo(checkpoint(900));
    }

    @Test
    void aLongSourceTransactionWaitingForItsNextEventsIsCommittedInPartsBeforeTheBrokerAbortsIt() throws Exception {
        KafkaSinkConfig cfg = config();
        String topic = cfg.topicPrefix() + ".sales.orders";
        try (Sink sink = KafkaSinks.kafka(cfg, CLOCK);
                Admin admin = admin()) {
            sink.open();
            sink.commit(checkpoint(50));
            sink.flush();
            sink.awaitFlush();
            for (int row = 0; row < 300; row++) {
                sink.write(KafkaSinkIT.event("sales", "orders", 100, row, (long) row));
            }
            sink.flush(); // carried out at the transaction's end
            sink.awaitFlush();
            // a paused pipeline, a source stuck inside the transaction: no event comes for longer than the timeout
            awaitTransaction(admin, cfg, TransactionState.ONGOING);
            awaitTransaction(admin, cfg, TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT);
            for (int row = 300; row < 310; row++) {
                sink.write(KafkaSinkIT.event("sales", "orders", 100, row, (long) row));
            }
            sink.commit(checkpoint(150));
            sink.flush();
            sink.awaitFlush();
        }
        assertThat(ids(committed(topic)))
                .as("every event once, in order")
                .isEqualTo(IntStream.range(0, 310)
                        .mapToObj(r -> "shop:" + BINLOG + ":100:" + r)
                        .toList());
        // committed inside the transaction after the 300 events the flush handed over
        List<Checkpoint> offsets = offsets(cfg);
        assertThat(offsets).contains(checkpoint(50).withPartial(new PartialTxn(BINLOG + ":100", 300)));
        assertThat(offsets.get(offsets.size() - 1)).isEqualTo(checkpoint(150));
    }

    @Test
    void aTransactionTheBrokerAbortedForItsAgeIsRetriedFromTheCheckpointNotTakenForATakeover() throws Exception {
        KafkaSinkConfig cfg = config();
        String topic = cfg.topicPrefix() + ".sales.orders";
        try (Admin admin = admin()) {
            Sink sink = KafkaSinks.kafka(cfg, CLOCK);
            sink.open();
            sink.commit(checkpoint(50));
            sink.flush();
            sink.awaitFlush();
            // a chunk of a keyed snapshot read cannot be split; it stalls for longer than the timeout
            for (int row = 0; row < 300; row++) {
                sink.write(keyedRow(row));
            }
            awaitTransaction(admin, cfg, TransactionState.ONGOING);
            awaitTransaction(admin, cfg, TransactionState.COMPLETE_ABORT);
            assertThatThrownBy(() -> {
                        sink.write(keyedRow(300));
                        sink.commit(checkpoint(150));
                        sink.flush();
                        sink.awaitFlush();
                    })
                    .isInstanceOfSatisfying(
                            SluiceException.class,
                            e -> assertThat(e.retriable()).as(e.getMessage()).isTrue())
                    .hasMessageContaining("transaction.timeout.ms (" + TRANSACTION_TIMEOUT_MS + " ms), and the broker"
                            + " aborted it")
                    .hasMessageNotContaining("took over");
            // the pipeline's retry: open again, read the chunk again
            assertThat(sink.open()).contains(checkpoint(50));
            for (int row = 0; row <= 300; row++) {
                sink.write(keyedRow(row));
            }
            sink.commit(checkpoint(150));
            sink.flush();
            sink.awaitFlush();
            sink.close();
        }
        assertThat(committed(topic)).hasSize(301);
    }

    /** Row n of a whole-table read of sales.notes, a table without a key. */
    private static ChangeEvent keylessRow(String run, int n) {
        SourceInfo s = new SourceInfo("shop", 1, null, BINLOG, 800, n, 1_764_000_000_000L, "sales", "notes", true);
        return new ChangeEvent(
                "shop:snapshot:" + run + ":sales.notes:#" + n,
                Op.READ,
                s,
                null,
                null,
                new Row(new String[] {"v"}, new Object[] {"note " + n}),
                1,
                null);
    }

    /** Row n of a chunk of a keyed snapshot read of sales.orders. */
    private static ChangeEvent keyedRow(int n) {
        SourceInfo s = new SourceInfo("shop", 1, null, BINLOG, 800, n, 1_764_000_000_000L, "sales", "orders", true);
        Row key = new Row(new String[] {"id"}, new Object[] {(long) n});
        return new ChangeEvent(
                "shop:snapshot:initial-1:sales.orders:{\"id\":" + n + "}",
                Op.READ,
                s,
                key,
                null,
                new Row(new String[] {"id", "note"}, new Object[] {(long) n, "x"}),
                1,
                null);
    }

    /** The checkpoints in the pipeline's offsets topic, oldest first. */
    private static List<Checkpoint> offsets(KafkaSinkConfig cfg) throws Exception {
        List<Checkpoint> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(cfg.offsetsTopic())) {
            out.add(CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(r.value())));
        }
        return out;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSinkIT.kafka.bootstrapServers()));
    }

    /** Waits (60 s at most) until the pipeline's transactional id is in one of {@code states}. */
    private static void awaitTransaction(Admin admin, KafkaSinkConfig cfg, TransactionState... states) {
        String id = cfg.transactionalId();
        await("the state of transactional id " + id + " in " + java.util.Arrays.asList(states))
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> admin.describeTransactions(List.of(id))
                                .description(id)
                                .get(10, TimeUnit.SECONDS)
                                .state(),
                        now -> java.util.Arrays.asList(states).contains(now));
    }
}
