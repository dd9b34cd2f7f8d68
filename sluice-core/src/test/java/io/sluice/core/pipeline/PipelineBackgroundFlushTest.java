package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.sink.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A sink that commits in the background ({@link Sink#startFlush()} returns false), as the Kafka sink does. */
class PipelineBackgroundFlushTest {

    /**
     * Makes a flush durable on a thread of its own after a few milliseconds. Records, per completed flush, the
     * events it made durable, and how many events were written while a flush was in flight.
     */
    private static final class BackgroundSink implements Sink {
        final List<String> durable = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        int committedUpTo;
        int flushStartedUpTo;
        CompletableFuture<Void> inflight;
        int writtenWhileInFlight;
        int awaits;
        final List<Checkpoint> durableCheckpoints = new ArrayList<>();
        Checkpoint lastCommit;

        @Override
        public Optional<Checkpoint> open() {
            return Optional.empty();
        }

        @Override
        public long write(ChangeEvent event) {
            if (inflight != null) {
                writtenWhileInFlight++;
            }
            written.add(event.id());
            return 10;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            committedUpTo = written.size();
            lastCommit = checkpoint;
        }

        @Override
        public void flush() throws java.io.IOException {
            if (!startFlush()) {
                awaitFlush();
            }
        }

        @Override
        public boolean startFlush() throws java.io.IOException {
            awaitFlush();
            int upTo = committedUpTo;
            Checkpoint cp = lastCommit;
            List<String> batch = new ArrayList<>(written.subList(flushStartedUpTo, upTo));
            flushStartedUpTo = upTo;
            inflight = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (durable) {
                    durable.addAll(batch);
                    durableCheckpoints.add(cp);
                }
            });
            return false;
        }

        @Override
        public void awaitFlush() throws java.io.IOException {
            if (inflight == null) {
                return;
            }
            try {
                inflight.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new java.io.IOException(e);
            }
            inflight = null;
            awaits++;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theNextBatchIsWrittenWhileAFlushIsInFlightAndEveryFlushIsReportedOnceDurable() throws Exception {
        int n = 20_000;
        PipelineBackPressureTest.CountingSource source = new PipelineBackPressureTest.CountingSource(n);
        BackgroundSink sink = new BackgroundSink();
        Pipeline p = new Pipeline("bg", source, sink, new BatchPolicy(500, 1L << 30, 10_000), 4096,
                Clock.systemUTC());
        p.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.stats().lastCommitted() == null || p.stats().lastCommitted().position().pos() != n + 1) {
            assertThat(System.nanoTime()).as("all %d events reported committed in time", n).isLessThan(deadline);
            Thread.sleep(10);
        }
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            expected.add("t:" + i + ":0");
        }
        synchronized (sink.durable) {
            assertThat(sink.durable).as("every event durable once, in order").isEqualTo(expected);
            assertThat(sink.durableCheckpoints.get(sink.durableCheckpoints.size() - 1).position().pos())
                    .isEqualTo(n + 1);
        }
        assertThat(sink.writtenWhileInFlight).as("the pipeline went on writing while a flush was in flight")
                .isPositive();
        assertThat(sink.awaits).as("every flush was awaited").isEqualTo(sink.durableCheckpoints.size());
        assertThat(p.stats().commits()).isEqualTo(sink.durableCheckpoints.size());
    }
}
