package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A sink that commits in the background ({@link Sink#flush()} returns false), as the Kafka sink does. */
class PipelineBackgroundFlushTest {

    /** Transactions of {@code size} events, {@code txns} of them, as fast as the pipeline takes them; then idles. */
    private static final class BigTransactions implements Source {
        private final int txns;
        private final int size;
        volatile boolean stop;
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        volatile Thread thread;

        BigTransactions(int txns, int size) {
            this.txns = txns;
            this.size = size;
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            thread = Thread.currentThread();
            String[] names = {"id"};
            long id = 0;
            for (int t = 1; t <= txns && !stop; t++) {
                for (int row = 0; row < size; row++) {
                    id++;
                    SourceInfo s = new SourceInfo("t", 1, null, "f.000001", t, row, 0, "db", "t", false);
                    Row r = new Row(names, new Object[] {id});
                    out.event(new ChangeEvent("t:" + id, Op.CREATE, s, r, null, r, 1, null));
                }
                out.commit(new Checkpoint(new BinlogPosition("f.000001", t + 1, null), List.of(), Map.of()));
            }
            stopped.await();
        }

        @Override
        public void stop() {
            stop = true;
            stopped.countDown();
        }
    }

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
        /** The first write waits for it, so that the queue fills up first. */
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public Optional<Checkpoint> open() {
            return Optional.empty();
        }

        @Override
        public long write(ChangeEvent event) throws java.io.IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
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
        public boolean flush() throws java.io.IOException {
            awaitFlush();
            int upTo = committedUpTo;
            Checkpoint cp = lastCommit;
            List<String> batch = new ArrayList<>(written.subList(flushStartedUpTo, upTo));
            flushStartedUpTo = upTo;
            inflight = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3); // the subject: a flush that takes a while, so that writes overlap it
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
        public void close() {}
    }

    @Test
    void theNextBatchIsWrittenWhileAFlushIsInFlightAndEveryFlushIsReportedOnceDurable() throws Exception {
        int txns = 80;
        int size = 250;
        int n = txns * size;
        BackgroundSink sink = new BackgroundSink();
        BigTransactions source = new BigTransactions(txns, size);
        Pipeline p = new Pipeline("bg", source, sink, new BatchPolicy(500, 1L << 30, 10_000), 4096, Clock.systemUTC());
        p.start();
        // the reader fills the queue (~4,000 events) while the sink holds its first write
        await("the reader blocked on the full queue")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> source.thread == null ? null : source.thread.getState(),
                        s -> s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING);
        sink.gate.countDown();
        await("all " + n + " events reported committed")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> p.stats().lastCommitted() == null
                                ? null
                                : p.stats().lastCommitted().position().pos(),
                        pos -> pos != null && pos == txns + 1);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(10))).isTrue();
        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            expected.add("t:" + i);
        }
        synchronized (sink.durable) {
            assertThat(sink.durable).as("every event durable once, in order").isEqualTo(expected);
            assertThat(sink.durableCheckpoints
                            .get(sink.durableCheckpoints.size() - 1)
                            .position()
                            .pos())
                    .isEqualTo(txns + 1);
        }
        assertThat(sink.writtenWhileInFlight)
                .as("the pipeline went on writing while a flush was in flight")
                .isPositive();
        assertThat(sink.awaits).as("every flush was awaited").isEqualTo(sink.durableCheckpoints.size());
        assertThat(p.stats().commits()).isEqualTo(sink.durableCheckpoints.size());
    }
}
