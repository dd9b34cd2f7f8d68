package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PipelineBackPressureTest {

    /** A source producing single-event transactions as fast as the pipeline takes them. */
    private static final class EndlessSource implements Source {
        final AtomicLong produced = new AtomicLong();
        volatile boolean stop;
        volatile Thread thread;

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            thread = Thread.currentThread();
            String[] names = {"id"};
            while (!stop) {
                long n = produced.incrementAndGet();
                SourceInfo s = new SourceInfo("t", 1, null, "f.000001", n, 0, 0, "db", "t", false);
                Row r = new Row(names, new Object[] {n});
                out.event(new ChangeEvent("t:" + n + ":0", Op.CREATE, s, r, null, r, 1, null));
                out.commit(new Checkpoint(new BinlogPosition("f.000001", n + 1, null), List.of(), Map.of()));
            }
        }

        @Override
        public void stop() {
            stop = true;
        }
    }

    /** A sink that accepts nothing until released. */
    private static final class BlockedSink extends TestSink {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong written = new AtomicLong();

        @Override
        public long write(ChangeEvent event) throws java.io.IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            written.incrementAndGet();
            return 10;
        }
    }

    @Test
    void aBlockedSinkStopsTheSourceWithinTheQueueBound() throws Exception {
        EndlessSource source = new EndlessSource();
        BlockedSink sink = new BlockedSink();
        int queueEvents = 2048;
        Pipeline p = new Pipeline("bp", source, sink, BatchPolicy.DEFAULT, queueEvents, Clock.systemUTC());
        p.start();
        await("the source blocked on the full queue")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> source.thread == null ? null : source.thread.getState(),
                        s -> s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING);
        long stalled = source.produced.get();
        await("the source waits while the sink is blocked")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .until(source.produced::get, n -> n == stalled);
        // one hand-off per single-event transaction: the queue holds at most queueEvents/256 hand-offs
        assertThat(stalled).isLessThanOrEqualTo(queueEvents);
        sink.release.countDown();
        await("the source resumes once the sink drains")
                .atMost(Duration.ofSeconds(10))
                .until(sink.written::get, n -> n > stalled);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
    }

    @Test
    void aFatalSourceErrorFailsThePipelineWithThatError() throws Exception {
        Source failing = new Source() {
            @Override
            public void stream(Checkpoint from, Emitter out) {
                throw SluiceException.fatal("position purged");
            }

            @Override
            public void stop() {}
        };
        Pipeline p = new Pipeline("f", failing, new BlockedSink(), BatchPolicy.DEFAULT, 1024, Clock.systemUTC());
        p.start();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        assertThat(p.failure().orElseThrow()).hasMessage("position purged");
    }

    @Test
    void pauseStopsDeliveryUntilResumed() throws Exception {
        EndlessSource source = new EndlessSource();
        BlockedSink sink = new BlockedSink();
        sink.release.countDown();
        Pipeline p = new Pipeline("pr", source, sink, BatchPolicy.DEFAULT, 2048, Clock.systemUTC());
        p.start();
        await("events delivered").atMost(Duration.ofSeconds(10)).until(sink.written::get, n -> n > 0);
        p.pause();
        await("the pipeline paused").atMost(Duration.ofSeconds(10)).until(p::state, s -> s == PipelineState.PAUSED);
        long written = sink.written.get();
        await("nothing is delivered while paused")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(10))
                .until(sink.written::get, n -> n == written);
        p.resume();
        await("running again").atMost(Duration.ofSeconds(10)).until(p::state, s -> s == PipelineState.RUNNING);
        await("delivery goes on after resume")
                .atMost(Duration.ofSeconds(10))
                .until(sink.written::get, n -> n > written);
        p.pause();
        await("paused again").atMost(Duration.ofSeconds(10)).until(p::state, s -> s == PipelineState.PAUSED);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10)))
                .as("a paused pipeline stops when asked")
                .isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
    }

    /** A source of single-event transactions 1..n that resumes after the checkpoint's position. */
    private static final class CountingSource implements Source {
        private final int n;
        private volatile CountDownLatch stopped = new CountDownLatch(1);

        CountingSource(int n) {
            this.n = n;
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            CountDownLatch stop = new CountDownLatch(1); // each stream() is a new run, as for a real source
            stopped = stop;
            String[] names = {"id"};
            for (long i = from == null ? 1 : from.position().pos(); i <= n && stop.getCount() > 0; i++) {
                SourceInfo s = new SourceInfo("t", 1, null, "f.000001", i, 0, 0, "db", "t", false);
                Row r = new Row(names, new Object[] {i});
                out.event(new ChangeEvent("t:" + i + ":0", Op.CREATE, s, r, null, r, 1, null));
                out.commit(new Checkpoint(new BinlogPosition("f.000001", i + 1, null), List.of(), Map.of()));
            }
            stop.await();
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }

    /** Keeps what was flushed; fails once, retriably, at the given write. */
    private static final class FlakySink implements Sink {
        final java.util.List<String> durable = new java.util.ArrayList<>();
        final java.util.List<String> pendingIds = new java.util.ArrayList<>();
        Checkpoint durableCp;
        Checkpoint committed;
        int committedCount;
        int writes;
        final int failAt;

        FlakySink(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public Optional<Checkpoint> open() {
            pendingIds.clear();
            committedCount = 0;
            return Optional.ofNullable(durableCp);
        }

        @Override
        public long write(ChangeEvent event) {
            if (++writes == failAt) {
                throw SluiceException.retriable("broker unavailable", null);
            }
            pendingIds.add(event.id());
            return 1;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            committed = checkpoint;
            committedCount = pendingIds.size();
        }

        @Override
        public boolean flush() {
            durable.addAll(pendingIds.subList(0, committedCount));
            pendingIds.subList(0, committedCount).clear();
            committedCount = 0;
            durableCp = committed;
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void aRetriableSinkErrorRestartsFromTheCheckpointWithNothingLostOrDoubled() throws Exception {
        CountingSource source = new CountingSource(500);
        FlakySink sink = new FlakySink(123);
        Pipeline p = new Pipeline("flaky", source, sink, BatchPolicy.DEFAULT, 1024, Clock.systemUTC());
        p.start();
        await("all 500 events durable").atMost(Duration.ofSeconds(20)).until(() -> sink.durable.size(), n -> n >= 500);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.stats().retries()).isEqualTo(1);
        assertThat(sink.durable).hasSize(500).doesNotHaveDuplicates();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
    }
}
