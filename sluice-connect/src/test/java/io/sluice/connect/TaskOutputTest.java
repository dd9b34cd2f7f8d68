package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.kafka.StateTopic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class TaskOutputTest {
    private static final Checkpoint FROM =
            new Checkpoint(new BinlogPosition("bin.000001", 400, null), List.of(), Map.of());
    private static final Checkpoint AFTER =
            new Checkpoint(new BinlogPosition("bin.000001", 900, null), List.of(), Map.of());

    private final BlockingQueue<TaskOutput.Batch> queue = new ArrayBlockingQueue<>(16);

    private TaskOutput output(int maxTransactionEvents) {
        Map<String, String> p = ConnectorConfigTest.minimal();
        p.put("max-transaction-events", Integer.toString(maxTransactionEvents));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_764_000_000_123L), ZoneOffset.UTC);
        return new TaskOutput(ConnectorConfig.parse(p), topic -> 3, queue, FROM, clock);
    }

    private static ChangeEvent insert(String txn, int row, int id, boolean snapshot) {
        SourceInfo s = new SourceInfo(
                "shop", 1, null, "bin.000001", 400, row, 1_764_000_000_000L, "sales", "orders", snapshot);
        Row key = new Row(new String[] {"id"}, new Object[] {id});
        Row after = new Row(new String[] {"id", "v"}, new Object[] {id, "x"});
        return new ChangeEvent("shop:" + txn + ":" + row, snapshot ? Op.READ : Op.CREATE, s, key, null, after, 1, null);
    }

    private List<TaskOutput.Batch> batches() {
        List<TaskOutput.Batch> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    private static Checkpoint offsetOf(TaskOutput.Batch b) {
        @SuppressWarnings("unchecked")
        Map<String, Object> offset = (Map<String, Object>) b.records().get(0).sourceOffset();
        for (SourceRecord r : b.records()) {
            assertThat(r.sourceOffset()).as("one offset per batch").isEqualTo(offset);
        }
        return Offsets.checkpoint("shop", offset);
    }

    @Test
    void aSourceTransactionIsOneBatchWhoseOffsetResumesAfterIt() throws Exception {
        TaskOutput out = output(100);
        for (int r = 0; r < 3; r++) {
            out.event(insert("0-1-5", r, r + 1, false));
        }
        assertThat(batches()).as("nothing before the transaction's end").isEmpty();
        out.commit(AFTER);
        List<TaskOutput.Batch> b = batches();
        assertThat(b).singleElement().satisfies(x -> assertThat(x.records()).hasSize(3));
        assertThat(offsetOf(b.get(0))).isEqualTo(AFTER);
        SourceRecord first = b.get(0).records().get(0);
        assertThat(first.topic()).isEqualTo("shop.sales.orders");
        assertThat(first.kafkaPartition())
                .as("partitioned by key, by the producer")
                .isNull();
        assertThat(new String((byte[]) first.key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        assertThat(new String((byte[]) first.value(), StandardCharsets.UTF_8))
                .startsWith("{\"v\":1,\"id\":\"shop:0-1-5:0\",\"op\":\"c\"")
                .endsWith("\"ts_ms\":1764000000123}");
        assertThat(first.headers().lastWithName("sluice.id").value()).isEqualTo("shop:0-1-5:0");
        assertThat(first.headers().lastWithName("sluice.op").value()).isEqualTo("c");
        assertThat(first.headers().lastWithName("sluice.schema").value()).isEqualTo("1");
        assertThat(out.resumeFrom()).isEqualTo(AFTER);

        out.commit(new Checkpoint(new BinlogPosition("bin.000001", 990, null), List.of(), Map.of()));
        assertThat(batches())
                .as("a transaction without events carries no offset")
                .isEmpty();
    }

    @Test
    void aHugeTransactionIsHandedOverInPartsMarkedWithHowManyOfItsEventsKafkaHolds() throws Exception {
        TaskOutput out = output(2);
        for (int r = 0; r < 5; r++) {
            out.event(insert("0-1-7", r, r + 1, false));
        }
        out.commit(AFTER);
        List<TaskOutput.Batch> b = batches();
        assertThat(b).extracting(x -> x.records().size()).containsExactly(2, 2, 1);
        assertThat(offsetOf(b.get(0))).isEqualTo(FROM.withPartial(new PartialTxn("0-1-7", 2)));
        assertThat(offsetOf(b.get(1))).isEqualTo(FROM.withPartial(new PartialTxn("0-1-7", 4)));
        assertThat(offsetOf(b.get(2))).isEqualTo(AFTER);
    }

    @Test
    void aKeyedSnapshotChunkIsNeverSplit() throws Exception {
        TaskOutput out = output(2);
        for (int r = 0; r < 5; r++) {
            out.event(insert("snapshot:run1:sales.orders", r, r + 1, true));
        }
        out.commit(AFTER);
        assertThat(batches())
                .singleElement()
                .satisfies(x -> assertThat(x.records()).hasSize(5));
    }

    @Test
    void stateRecordsGoIntoTheBatchOfTheTransactionTheyPrecedeAndSurviveAReadAgain() throws Exception {
        TaskOutput out = output(100);
        out.append("shop/schema-history/0", "{\"table\":\"sales.orders\"}".getBytes(StandardCharsets.UTF_8));
        out.event(insert("0-1-9", 0, 1, false));
        out.dropOpenTransaction(); // the stream broke: the transaction is read again, the history record stays
        out.event(insert("0-1-9", 0, 1, false));
        out.commit(AFTER);
        List<SourceRecord> records = batches().get(0).records();
        assertThat(records).extracting(SourceRecord::topic).containsExactly("shop.sluice-state", "shop.sales.orders");
        assertThat(new String((byte[]) records.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("shop/schema-history/0");
    }

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private long millis = 1_764_000_000_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private TaskOutput withHeartbeat(int intervalMs, Clock clock) {
        Map<String, String> p = ConnectorConfigTest.minimal();
        p.put("heartbeat.interval-ms", Integer.toString(intervalMs));
        return new TaskOutput(ConnectorConfig.parse(p), topic -> 3, queue, FROM, clock);
    }

    private static Checkpoint at(long pos) {
        return new Checkpoint(new BinlogPosition("bin.000001", pos, null), List.of(), Map.of());
    }

    @Test
    void aLongStretchWithoutCapturedChangesMovesTheOffsetByAHeartbeatInTheStateTopic() throws Exception {
        ManualClock clock = new ManualClock();
        TaskOutput out = withHeartbeat(1000, clock);
        out.event(insert("0-1-5", 0, 1, false));
        out.commit(AFTER);
        assertThat(batches()).hasSize(1);

        clock.advance(999);
        out.commit(at(1000)); // a transaction of tables not captured
        assertThat(batches()).as("within the interval: no heartbeat").isEmpty();
        clock.advance(1);
        out.commit(at(1100));
        List<TaskOutput.Batch> b = batches();
        assertThat(b).singleElement().satisfies(x -> assertThat(x.records()).hasSize(1));
        SourceRecord beat = b.get(0).records().get(0);
        assertThat(beat.topic()).isEqualTo("shop.sluice-state");
        String key = new String((byte[]) beat.key(), StandardCharsets.UTF_8);
        assertThat(key).isEqualTo("shop/heartbeat");
        assertThat(offsetOf(b.get(0))).isEqualTo(at(1100));
        assertThat(out.resumeFrom()).isEqualTo(at(1100));

        out.commit(at(1200));
        assertThat(batches()).as("the interval counts from the heartbeat").isEmpty();
        assertThat(out.resumeFrom())
                .as("a restart of the stream still starts after it")
                .isEqualTo(at(1200));

        Map<String, java.util.TreeMap<Long, byte[]>> byLog = new java.util.TreeMap<>();
        StateTopic.collect(byLog, "shop", key.getBytes(StandardCharsets.UTF_8), (byte[]) beat.value());
        assertThat(byLog).as("reading the state topic passes the heartbeat by").isEmpty();
    }

    @Test
    void noHeartbeatWhenItIsOff() throws Exception {
        ManualClock clock = new ManualClock();
        TaskOutput out = withHeartbeat(0, clock);
        clock.advance(86_400_000L);
        out.commit(at(1000));
        assertThat(batches()).isEmpty();
    }
}
