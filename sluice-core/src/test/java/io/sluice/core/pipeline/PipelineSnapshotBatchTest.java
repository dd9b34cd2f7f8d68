package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batches of snapshot rows end at their bounds (here {@code batch.max-ms}), not each time the queue runs dry between
 * two chunks; batches holding any change from the binlog still flush as soon as the queue runs dry.
 */
class PipelineSnapshotBatchTest {
    private static final int CHUNKS = 40;
    private static final int ROWS = 100;

    /** CHUNKS chunks of ROWS events, a checkpoint after each, a pause between chunks (the queue runs dry); then idles. */
    private static final class Chunks implements Source {
        private final boolean snapshot;
        volatile boolean stop;
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

        Chunks(boolean snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            String[] names = {"id"};
            long id = 0;
            for (int c = 1; c <= CHUNKS && !stop; c++) {
                for (int row = 0; row < ROWS; row++) {
                    id++;
                    SourceInfo s = new SourceInfo("t", 1, null, "f.000001", c, row, 0, "db", "t", snapshot);
                    Row r = new Row(names, new Object[] {id});
                    out.event(new ChangeEvent("t:" + id, snapshot ? Op.READ : Op.CREATE, s, r, null, r, 1, null));
                }
                Checkpoint cp = new Checkpoint(new BinlogPosition("f.000001", c + 1, null), List.of(), Map.of());
                // a snapshot's checkpoints list its work until the last chunk is in
                out.commit(
                        snapshot && c < CHUNKS
                                ? cp.withSnapshot(new SnapshotProgress(List.of(
                                        new SnapshotProgress.Job("r1", "db.t", null, "{\"id\":" + id + "}", id, c))))
                                : cp);
                Thread.sleep(5); // the subject: a pause between chunks, in which the queue runs dry
            }
            stopped.await();
        }

        @Override
        public void stop() {
            stop = true;
            stopped.countDown();
        }
    }

    /** Counts flushes and the events they made durable. */
    private static final class CountingSink extends TestSink {
        volatile int flushes;
        volatile int durable;
        /** {@link #durable} when the test stopped the pipeline (its stop flushes the rest). */
        volatile int durableBeforeStop;

        private int written;
        private int committed;

        @Override
        public long write(ChangeEvent event) {
            written++;
            return 10;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            committed = written;
            super.commit(checkpoint);
        }

        @Override
        public boolean flush() {
            flushes++;
            durable = committed;
            return super.flush();
        }
    }

    private static CountingSink run(boolean snapshot) throws Exception {
        return run(snapshot, 200);
    }

    private static CountingSink run(boolean snapshot, long maxMs) throws Exception {
        CountingSink sink = new CountingSink();
        Chunks source = new Chunks(snapshot);
        Pipeline p =
                new Pipeline("b", source, sink, new BatchPolicy(100_000, 64L << 20, maxMs), 4096, Clock.systemUTC());
        p.start();
        await("rows durable")
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> sink.durable, n -> n >= CHUNKS * ROWS);
        sink.durableBeforeStop = sink.durable;
        p.stop();
        assertThat(p.await(java.time.Duration.ofSeconds(10))).isTrue();
        return sink;
    }

    @Test
    void snapshotRowsAreFlushedAtTheBatchBoundsNotAtEveryChunk() throws Exception {
        CountingSink sink = run(true);
        assertThat(sink.durable).isEqualTo(CHUNKS * ROWS);
        assertThat(sink.durableCheckpoint.position().pos()).isEqualTo(CHUNKS + 1);
        // 40 chunks over at least 200 ms: one flush per 200 ms, not one per chunk
        assertThat(sink.flushes).isBetween(1, CHUNKS / 4);
    }

    /**
     * With a bound of a minute, the snapshot's rows still become durable as soon as its last chunk is in (the
     * checkpoint lists no snapshot work): no chunk is coming to fill the batch, so it ends at once.
     */
    @Test
    void theLastChunkOfASnapshotIsFlushedWithoutWaitingOutTheBound() throws Exception {
        CountingSink sink = run(true, 60_000);
        assertThat(sink.durableBeforeStop)
                .as("rows durable within the test's 30 s")
                .isEqualTo(CHUNKS * ROWS);
        assertThat(sink.durableCheckpoint.snapshot()).isNull();
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void changesFromTheBinlogAreFlushedAsSoonAsTheQueueRunsDry() throws Exception {
        CountingSink sink = run(false);
        assertThat(sink.durable).isEqualTo(CHUNKS * ROWS);
        assertThat(sink.flushes).isGreaterThanOrEqualTo(CHUNKS / 2);
    }
}
