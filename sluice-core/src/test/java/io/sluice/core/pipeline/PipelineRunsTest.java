package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventBodies;
import io.sluice.core.encode.EventRun;
import io.sluice.core.encode.RenderedRows;
import io.sluice.core.encode.TestRows;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.RunSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs of snapshot events ({@link EventRun}) through the pipeline: handed over whole to a sink that writes runs, as
 * their events one by one to any other; counted as their events in the stats, the listener and the commits.
 */
class PipelineRunsTest {
    private static final int RUNS = 30;
    private static final int ROWS = 70;

    /** Runs of rows (every 10th left out, or none), a checkpoint after each; then idles. */
    private static final class Runs implements Source {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final int count;
        final int rowsPerRun;
        final boolean leaveOut;
        /** Told each run's size once it was handed over. */
        final java.util.function.IntConsumer handedOver;

        volatile boolean stop;
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

        Runs() {
            this(RUNS, ROWS, true, n -> {});
        }

        Runs(int count, int rowsPerRun, boolean leaveOut, java.util.function.IntConsumer handedOver) {
            this.count = count;
            this.rowsPerRun = rowsPerRun;
            this.leaveOut = leaveOut;
            this.handedOver = handedOver;
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            for (int c = 1; c <= count && !stop; c++) {
                String prefix = "t:snapshot:r1:db.t" + c + ":";
                String[] texts = new String[rowsPerRun];
                for (int i = 0; i < rowsPerRun; i++) {
                    texts[i] = "row " + i;
                }
                RenderedRows rows = TestRows.keyed(prefix, texts);
                EventBodies bodies = new EventBodies(
                        Op.READ,
                        new SourceInfo("t", 1, null, "f.000001", c, 0, 1000 + c, "db", "t" + c, true),
                        io.sluice.core.encode.TestRows.schema(1),
                        prefix);
                int[] picks = new int[rowsPerRun];
                int size = 0;
                for (int i = 0; i < rowsPerRun; i++) {
                    if (!leaveOut || i % 10 != 3) {
                        picks[size++] = i;
                    }
                }
                EventRun run = new EventRun(bodies, rows, picks, size);
                for (int k = 0; k < run.size(); k++) {
                    ids.add(run.event(k).id());
                }
                out.events(run);
                handedOver.accept(size);
                out.commit(new Checkpoint(new BinlogPosition("f.000001", c + 1, null), List.of(), Map.of()));
            }
            stopped.await();
        }

        @Override
        public void stop() {
            stop = true;
            stopped.countDown();
        }
    }

    /** Records what it was handed: events (or runs, as {@link RunRecordingSink}). */
    private static class RecordingSink extends TestSink {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        volatile int runsWritten;

        @Override
        public long write(ChangeEvent event) {
            ids.add(event.id());
            return 3;
        }

        public long write(EventRun run) {
            runsWritten++;
            for (int k = 0; k < run.size(); k++) {
                ids.add(run.event(k).id());
            }
            return 3L * run.size();
        }
    }

    /** A recording sink that writes runs whole. */
    private static class RunRecordingSink extends RecordingSink implements RunSink {
        @Override
        public long write(EventRun run) {
            return super.write(run);
        }

        @Override
        public long write(io.sluice.core.encode.Encoded event) {
            return write(event.event());
        }
    }

    /** Sums what the listener is told. */
    private static final class Totals implements PipelineListener {
        volatile long writtenEvents;
        volatile long writtenBytes;
        volatile long runs;
        volatile long committedEvents;

        @Override
        public void written(ChangeEvent event, long bytes) {
            writtenEvents++;
            writtenBytes += bytes;
        }

        @Override
        public void written(EventRun run, long bytes) {
            runs++;
            writtenEvents += run.size();
            writtenBytes += bytes;
        }

        @Override
        public void committed(Checkpoint checkpoint, int events, long[] sourceTsMs, long durableAtMs, long flushNanos) {
            committedEvents += events;
            for (int i = 0; i < events; i++) {
                assertThat(sourceTsMs[i]).isBetween(1001L, 1000L + RUNS);
            }
        }
    }

    /** Waits until the sink's durable checkpoint is at position {@code pos}. */
    private static void awaitDurable(RecordingSink sink, long pos) {
        await("the durable checkpoint at " + pos)
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> sink.durableCheckpoint == null
                                ? null
                                : sink.durableCheckpoint.position().pos(),
                        at -> at != null && at >= pos);
    }

    private static void run(RecordingSink sink, Runs source, Totals totals, Pipeline[] out) throws Exception {
        Pipeline p = new Pipeline("r", source, sink, new BatchPolicy(200, 64L << 20, 50), 1024, Clock.systemUTC())
                .listener(totals);
        out[0] = p;
        p.start();
        awaitDurable(sink, RUNS + 1);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aSinkThatWritesRunsGetsThemWholeAndEveryEventCounts() throws Exception {
        RecordingSink sink = new RunRecordingSink();
        Runs source = new Runs();
        Totals totals = new Totals();
        Pipeline[] p = new Pipeline[1];
        run(sink, source, totals, p);
        int events = RUNS * (ROWS - ROWS / 10);
        assertThat(sink.runsWritten).isEqualTo(RUNS);
        assertThat(sink.ids).hasSize(events).containsExactlyElementsOf(source.ids);
        assertThat(p[0].stats().eventsWritten()).isEqualTo(events);
        assertThat(totals.runs).isEqualTo(RUNS);
        assertThat(totals.writtenEvents).isEqualTo(events);
        assertThat(totals.writtenBytes).isEqualTo(3L * events);
        assertThat(totals.committedEvents).isEqualTo(events);
        assertThat(p[0].stats().lastSourceTsMs()).isEqualTo(1000 + RUNS);
    }

    @Test
    void anyOtherSinkGetsTheRunsEventsOneByOneInOrder() throws Exception {
        RecordingSink sink = new RecordingSink();
        Runs source = new Runs();
        Totals totals = new Totals();
        Pipeline[] p = new Pipeline[1];
        run(sink, source, totals, p);
        int events = RUNS * (ROWS - ROWS / 10);
        assertThat(sink.runsWritten).isZero();
        assertThat(sink.ids).hasSize(events).containsExactlyElementsOf(source.ids);
        assertThat(totals.runs).isZero();
        assertThat(totals.writtenEvents).isEqualTo(events);
        assertThat(totals.committedEvents).isEqualTo(events);
    }

    @Test
    void aSinkThatWritesJsonGetsTheRunsEventsEncodedWholeFromTheArenaAndATypedSinkGetsThemTyped() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        RecordingSink json = new JsonRecordingSink(lines);
        Runs source = new Runs();
        run(json, source, new Totals(), new Pipeline[1]);
        int events = RUNS * (ROWS - ROWS / 10);
        assertThat(json.ids).hasSize(events).containsExactlyElementsOf(source.ids);
        assertThat(lines)
                .hasSize(events)
                .allSatisfy(line -> assertThat(line)
                        .startsWith("{\"v\":1,\"id\":\"t:snapshot:r1:db.t")
                        .endsWith(",\"schema\":1,\"ts_ms\":7}"));

        List<ChangeEvent> typed = Collections.synchronizedList(new ArrayList<>());
        RecordingSink plain = new RecordingSink() {
            @Override
            public long write(ChangeEvent event) {
                typed.add(event);
                return super.write(event);
            }
        };
        run(plain, new Runs(), new Totals(), new Pipeline[1]);
        assertThat(typed).hasSize(events).allSatisfy(e -> {
            assertThat(e.table()).isEqualTo(TestRows.schema(1));
            assertThat(e.after().column(0)).isSameAs(e.table().columns().get(0));
        });
    }

    /** Records the JSON lines of what it is handed, each made ahead whole. */
    private static final class JsonRecordingSink extends RecordingSink implements io.sluice.core.sink.JsonSink {
        private final List<String> lines;

        JsonRecordingSink(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public long write(io.sluice.core.encode.Encoded event) throws java.io.IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            assertThat(event.writeWhole(out, 7, null)).as("made ahead whole").isTrue();
            assertThat(out.toByteArray()).isEqualTo(io.sluice.core.encode.EventCodec.toJson(event.event(), 7));
            lines.add(out.toString(java.nio.charset.StandardCharsets.UTF_8));
            return write(event.event());
        }
    }

    @Test
    void runsWaitingForASlowSinkHoldNoMoreEventsThanTheQueue() throws Exception {
        // runs of 2,000 events, a queue of 1,024: one run at a time may wait (its room is the whole queue); counted
        // as single items, 4 hand-offs of the queue would hold 4 runs (8,000 events) and more behind them
        int runs = 12;
        int size = 2000;
        java.util.concurrent.atomic.AtomicLong emitted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong mostAhead = new java.util.concurrent.atomic.AtomicLong();
        Runs source = new Runs(
                runs, size, false, n -> mostAhead.accumulateAndGet(emitted.addAndGet(n) - written.get(), Math::max));
        RecordingSink sink = new RunRecordingSink() {
            @Override
            public long write(EventRun run) {
                try {
                    Thread.sleep(30); // the subject: a slow sink, so that runs wait for it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.addAndGet(run.size());
                return run.size();
            }
        };
        Pipeline p = new Pipeline("q", source, sink, new BatchPolicy(100_000, 64L << 20, 50), 1024, Clock.systemUTC());
        p.start();
        awaitDurable(sink, runs + 1);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(written.get()).isEqualTo((long) runs * size);
        // the run being written, and the one that took its room once it was written (emitted counts it then)
        assertThat(mostAhead.get()).as("events emitted but not yet written").isLessThanOrEqualTo(2L * size);
    }

    @Test
    void aListenerThatOnlyKnowsEventsIsToldEachEventOfARunWithTheBytesSharedOut() {
        List<Long> bytes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        PipelineListener l = new PipelineListener() {
            @Override
            public void written(ChangeEvent event, long n) {
                ids.add(event.id());
                bytes.add(n);
            }
        };
        String prefix = "t:snapshot:r1:db.t:";
        EventRun run = new EventRun(
                new EventBodies(
                        Op.READ,
                        new SourceInfo("t", 1, null, "f.000001", 4, 0, 9, "db", "t", true),
                        io.sluice.core.encode.TestRows.schema(1),
                        prefix),
                TestRows.keyed(prefix, "a", "b", "c"),
                new int[] {0, 1, 2},
                3);
        l.written(run, 11);
        assertThat(ids).containsExactly(prefix + "{\"k\":11}", prefix + "{\"k\":22}", prefix + "{\"k\":33}");
        assertThat(bytes).containsExactly(4L, 4L, 3L);
    }

    @Test
    void runningOutOfHeapFailsThePipelineWithTheSettingToRaise() throws Exception {
        Source greedy = new Source() {
            @Override
            public void stream(Checkpoint from, Emitter out) {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public void stop() {}
        };
        Pipeline p = new Pipeline(
                "h", greedy, new RecordingSink(), new BatchPolicy(200, 64L << 20, 50), 1024, Clock.systemUTC());
        p.start();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        Throwable failure = p.failure().orElseThrow();
        assertThat(failure)
                .isInstanceOf(io.sluice.core.SluiceException.class)
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(failure.getMessage())
                .startsWith("Sluice ran out of Java heap (its maximum is ")
                .contains(" MiB) in pipeline h; the pipeline stops, its checkpoint intact.")
                .contains("Give the JVM more heap with -Xmx in SLUICE_JAVA_OPTS, e.g. SLUICE_JAVA_OPTS=\"-Xmx");
    }

    @Test
    void heapAdviceRoundsUpToQuartersOfAGibibyte() {
        assertThat(OutOfHeap.suggestion(1)).isEqualTo("256m");
        assertThat(OutOfHeap.suggestion(544L << 20)).isEqualTo("768m");
        assertThat(OutOfHeap.suggestion(1L << 30)).isEqualTo("1g");
        assertThat(OutOfHeap.suggestion((1L << 30) + 1)).isEqualTo("1280m");
    }
}
