package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import io.sluice.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's time comes from its scheduler: the back-off between retries and the flush interval are driven
 * here by moving a manual clock, never by waiting for real time to pass.
 */
class PipelineTimeTest {
    private static final Duration REAL_TIMEOUT = Duration.ofSeconds(20);

    /** Fails every run with a retriable error; the runs listed in {@code commitOn} first commit a transaction. */
    private static final class Failing implements Source {
        final AtomicInteger runs = new AtomicInteger();
        final List<Integer> commitOn;

        Failing(List<Integer> commitOn) {
            this.commitOn = commitOn;
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            int run = runs.incrementAndGet();
            if (commitOn.contains(run)) {
                out.event(event(run, run));
                out.commit(checkpoint(run));
            }
            throw SluiceException.retriable("connection lost (run " + run + ")", null);
        }

        @Override
        public void stop() {}
    }

    /** Keeps what it was given in memory; records the checkpoint of every flush. */
    private static class MemorySink implements Sink {
        final List<Checkpoint> flushed = new ArrayList<>();
        Checkpoint last;

        @Override
        public Optional<Checkpoint> open() {
            return Optional.ofNullable(last);
        }

        @Override
        public long write(ChangeEvent event) throws java.io.IOException {
            return 10;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            last = checkpoint;
        }

        @Override
        public boolean flush() {
            synchronized (flushed) {
                flushed.add(last);
            }
            return true;
        }

        @Override
        public void close() {}
    }

    private static ChangeEvent event(long txn, long id) {
        SourceInfo s = new SourceInfo("t", 1, null, "f.000001", txn, 0, 0, "db", "t", false);
        Row r = new Row(new String[] {"id"}, new Object[] {id});
        return new ChangeEvent("t:" + id, Op.CREATE, s, r, null, r, 1, null);
    }

    private static Checkpoint checkpoint(long txn) {
        return new Checkpoint(new BinlogPosition("f.000001", txn + 1, null), List.of(), Map.of());
    }

    private static Pipeline pipeline(Source source, Sink sink, ManualScheduler time, BatchPolicy batch) {
        return new Pipeline("t", source, sink, batch, 0, time);
    }

    @Test
    void backOffDoublesFromOneSecondToThirtyAndStaysThere() throws Exception {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        Failing source = new Failing(List.of());
        List<Long> told = new ArrayList<>();
        Pipeline p = pipeline(source, new MemorySink(), time, BatchPolicy.DEFAULT)
                .listener(new PipelineListener() {
                    @Override
                    public void retrying(Throwable error, long backoffMs) {
                        synchronized (told) {
                            told.add(backoffMs);
                        }
                    }
                });
        p.start();
        List<Duration> expected = new ArrayList<>();
        for (long s : new long[] {1, 2, 4, 8, 16, 30, 30}) {
            expected.add(Duration.ofSeconds(s));
            List<Duration> delays = time.awaitScheduled(expected.size(), REAL_TIMEOUT);
            assertThat(delays).containsExactlyElementsOf(expected);
            // nothing happens until the clock has moved on by the whole delay
            time.advance(Duration.ofSeconds(s).minusMillis(1));
            assertThat(time.pending()).hasSize(1);
            assertThat(source.runs.get()).isEqualTo(expected.size());
            time.advance(Duration.ofMillis(1));
        }
        time.awaitScheduled(expected.size() + 1, REAL_TIMEOUT);
        p.stop();
        assertThat(p.await(REAL_TIMEOUT)).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
        synchronized (told) {
            assertThat(told).startsWith(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
        }
    }

    @Test
    void backOffStartsAgainFromOneSecondAfterACommit() throws Exception {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        Pipeline p = pipeline(new Failing(List.of(3)), new MemorySink(), time, BatchPolicy.DEFAULT);
        p.start();
        for (int i = 1; i <= 3; i++) {
            List<Duration> d = time.awaitScheduled(i, REAL_TIMEOUT);
            time.advance(d.get(i - 1));
        }
        // runs 1 and 2 failed at once (1 s, 2 s); run 3 committed before it failed: back to 1 s
        assertThat(time.awaitScheduled(4, REAL_TIMEOUT))
                .containsExactly(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
        p.stop();
        assertThat(p.await(REAL_TIMEOUT)).isTrue();
    }

    @Test
    void stopEndsABackOffAtOnceWithoutTimeMoving() throws Exception {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        Pipeline p = pipeline(new Failing(List.of()), new MemorySink(), time, BatchPolicy.DEFAULT);
        p.start();
        time.awaitScheduled(1, REAL_TIMEOUT);
        p.stop();
        assertThat(p.await(REAL_TIMEOUT)).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(time.pending()).as("the back-off's wake-up is cancelled").isEmpty();
    }

    /**
     * Three transactions queued behind a slow first write; writing the second one takes the flush interval on the
     * clock: the batch ends after it, not when the queue runs dry after the third.
     */
    @Test
    void theFlushIntervalEndsABatchWhenTheClockHasPassedIt() throws Exception {
        ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        Duration interval = Duration.ofMinutes(10);
        CountDownLatch queued = new CountDownLatch(1);
        MemorySink sink = new MemorySink() {
            @Override
            public long write(ChangeEvent e) throws java.io.IOException {
                try {
                    queued.await();
                } catch (InterruptedException ex) {
                    throw new java.io.InterruptedIOException();
                }
                if (e.id().equals("t:2")) {
                    time.advance(interval);
                }
                return 10;
            }
        };
        Source three = new Source() {
            volatile boolean stop;

            @Override
            public void stream(Checkpoint from, Emitter out) throws InterruptedException {
                for (int t = 1; t <= 3; t++) {
                    out.event(event(t, t));
                    out.commit(checkpoint(t));
                }
                queued.countDown();
                CountDownLatch never = new CountDownLatch(1);
                while (!stop) {
                    never.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void stop() {
                stop = true;
            }
        };
        Pipeline p = pipeline(three, sink, time, new BatchPolicy(1_000_000, 1L << 30, interval.toMillis()));
        p.start();
        try {
            while (p.stats().commits() < 2) {
                assertThat(p.await(Duration.ofMillis(10))).isFalse();
            }
            synchronized (sink.flushed) {
                assertThat(sink.flushed).containsExactly(checkpoint(2), checkpoint(3));
            }
        } finally {
            p.stop();
            assertThat(p.await(REAL_TIMEOUT)).isTrue();
        }
    }
}
