package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.kafka.KafkaSinks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Under {@code transaction.boundary=poll} and {@code interval} the worker, not the task, ends Kafka transactions:
 * after a poll's records ({@code poll}), or after the poll in which the interval ran out ({@code interval}). Either
 * way it commits, with a poll's records, the offset of the last of them. This test cuts a stream of source
 * transactions (some huge, handed over in parts) after every poll of a seeded random sequence of polls, and shows
 * that what Kafka holds at each cut plus what a task restarted from the committed offset emits is every event
 * exactly once, in order.
 */
class BoundariesTest {
    private static final int MAX_TRANSACTION_EVENTS = 3;
    private static final int[] SIZES = {1, 4, 2, 7, 1, 3, 9, 2, 5, 1, 6, 3};

    private static Checkpoint at(long pos) {
        return new Checkpoint(new BinlogPosition("bin.000001", pos, null), List.of(), Map.of());
    }

    /** Transaction i begins at 100 (i + 1) and ends where the next begins. */
    private static long start(int txn) {
        return 100L * (txn + 1);
    }

    private static ChangeEvent event(int txn, int row) {
        SourceInfo s = new SourceInfo(
                "shop", 1, null, "bin.000001", start(txn), row, 1_764_000_000_000L, "sales", "orders", false);
        int id = txn * 100 + row;
        return new ChangeEvent(
                "shop:T" + txn + ":" + row,
                Op.CREATE,
                s,
                new Row(new String[] {"id"}, new Object[] {id}),
                null,
                new Row(new String[] {"id"}, new Object[] {id}),
                1,
                null);
    }

    /** The ids a source restarted from {@code cp} emits: every transaction from its position, less the resumed. */
    private static List<String> readAgainFrom(Checkpoint cp) {
        List<String> ids = new ArrayList<>();
        for (int t = 0; t < SIZES.length; t++) {
            if (start(t) < cp.position().pos()) {
                continue;
            }
            int skip = cp.partial() != null && cp.partial().txn().equals("T" + t)
                    ? cp.partial().rows()
                    : 0;
            for (int r = skip; r < SIZES[t]; r++) {
                ids.add("shop:T" + t + ":" + r);
            }
        }
        return ids;
    }

    private static String id(SourceRecord r) {
        return (String) r.headers().lastWithName(KafkaSinks.HEADER_ID).value();
    }

    @Test
    void cutAfterAnyPollEveryEventIsInKafkaOrReadAgainExactlyOnce() throws Exception {
        Map<String, String> p = ConnectorConfigTest.minimal();
        p.put("max-transaction-events", Integer.toString(MAX_TRANSACTION_EVENTS));
        BlockingQueue<TaskOutput.Batch> queue = new ArrayBlockingQueue<>(1000);
        TaskOutput out = new TaskOutput(
                ConnectorConfig.parse(p),
                topic -> 1,
                queue,
                at(start(0)),
                Clock.fixed(Instant.ofEpochMilli(1_764_000_000_123L), ZoneOffset.UTC));
        List<String> all = new ArrayList<>();
        for (int t = 0; t < SIZES.length; t++) {
            for (int r = 0; r < SIZES[t]; r++) {
                out.event(event(t, r));
                all.add("shop:T" + t + ":" + r);
            }
            out.commit(at(start(t + 1)));
        }
        List<TaskOutput.Batch> batches = new ArrayList<>();
        queue.drainTo(batches);
        assertThat(batches.size()).as("huge transactions in parts").isGreaterThan(SIZES.length);

        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            List<String> inKafka = new ArrayList<>();
            int next = 0;
            while (next < batches.size()) {
                int n = Math.min(batches.size() - next, 1 + random.nextInt(4));
                List<SourceRecord> poll = SluiceSourceTask.records(batches.subList(next, next + n), null);
                next += n;
                poll.forEach(r -> inKafka.add(id(r)));
                // the worker commits the poll's records with the offset of the last of them
                @SuppressWarnings("unchecked")
                Map<String, Object> offset =
                        (Map<String, Object>) poll.get(poll.size() - 1).sourceOffset();
                Checkpoint committed = Offsets.checkpoint("shop", offset);
                List<String> seen = new ArrayList<>(inKafka);
                seen.addAll(readAgainFrom(committed));
                assertThat(seen)
                        .as("seed %d, cut after batch %d (offset %s)", seed, next, committed)
                        .isEqualTo(all);
            }
        }
    }
}
