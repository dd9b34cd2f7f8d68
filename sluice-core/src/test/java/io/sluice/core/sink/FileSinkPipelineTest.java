package io.sluice.core.sink;

import static io.sluice.core.sink.TestEvents.checkpoint;
import static io.sluice.core.sink.TestEvents.event;
import static io.sluice.core.sink.TestEvents.ids;
import static io.sluice.core.sink.TestEvents.lines;
import static io.sluice.core.sink.TestEvents.segments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole pipeline into files: a generating source, the real runtime, the real file sink. */
class FileSinkPipelineTest {
    private static final int ROWS = 5;

    @TempDir
    Path out;

    /**
     * Transaction {@code t} sits at binlog position {@code t} and has {@value #ROWS} rows; its checkpoint resumes
     * at {@code t + 1}. Optionally fails once, retriably, in the middle of transaction {@code failAt}.
     */
    static final class GeneratedSource implements Source {
        private final int transactions;
        private final int failAt;
        private boolean failed;
        private volatile boolean stopped;
        final List<Long> startedFrom = new CopyOnWriteArrayList<>();

        GeneratedSource(int transactions, int failAt) {
            this.transactions = transactions;
            this.failAt = failAt;
        }

        @Override
        public void stream(Checkpoint from, Emitter emitter) throws InterruptedException {
            stopped = false;
            long start = from == null ? 0 : from.position().pos();
            startedFrom.add(start);
            for (long tx = start; tx < transactions && !stopped; tx++) {
                for (int row = 0; row < ROWS; row++) {
                    if (tx == failAt && row == ROWS / 2 && !failed) {
                        failed = true;
                        throw SluiceException.retriable("the connection to the test server was lost", null);
                    }
                    emitter.event(event(tx, row, 40));
                }
                emitter.commit(checkpoint(tx + 1));
            }
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    /**
     * A source whose configured start is the server's end, which moves on by 100 positions every time it is asked
     * for ({@link #resolveStart()}): other clients commit meanwhile. Its first stream fails, retriably, before any
     * commit (a connection cut on an idle server); later ones commit one transaction at their start and then wait
     * to be stopped.
     */
    static final class MovingEndSource implements Source {
        private long end;
        private final boolean failFirst;
        private volatile java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        final List<Checkpoint> startedFrom = new CopyOnWriteArrayList<>();
        int resolved;

        MovingEndSource(long end, boolean failFirst) {
            this.end = end;
            this.failFirst = failFirst;
        }

        @Override
        public Checkpoint resolveStart() {
            resolved++;
            end += 100;
            return checkpoint(end);
        }

        @Override
        public void stream(Checkpoint from, Emitter emitter) throws InterruptedException {
            java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1); // a new run
            stopped = stop;
            startedFrom.add(from);
            if (failFirst && startedFrom.size() == 1) {
                throw SluiceException.retriable("the connection to the test server was lost", null);
            }
            long at = from.position().pos();
            emitter.event(event(at, 0));
            emitter.commit(checkpoint(at + 1));
            stop.await();
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }

    /** One single-row transaction every few milliseconds, from position 1000, until stopped. */
    static final class TickingSource implements Source {
        private volatile boolean stopped;

        @Override
        public Checkpoint resolveStart() {
            return checkpoint(1000);
        }

        @Override
        public void stream(Checkpoint from, Emitter emitter) throws InterruptedException {
            stopped = false;
            for (long tx = from.position().pos(); !stopped; tx++) {
                emitter.event(event(tx, 0));
                emitter.commit(checkpoint(tx + 1));
                Thread.sleep(2); // the subject: a transaction every few milliseconds
            }
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private static List<String> expectedIds(int transactions) {
        List<String> ids = new ArrayList<>();
        for (long tx = 0; tx < transactions; tx++) {
            for (int row = 0; row < ROWS; row++) {
                ChangeEvent e = event(tx, row);
                ids.add(e.id());
            }
        }
        return ids;
    }

    private Pipeline run(GeneratedSource source) throws InterruptedException {
        Sink sink = Sinks.file(FileSinkConfig.of(out).withSegmentBytes(8 << 10), Clock.systemUTC());
        Pipeline p = new Pipeline("files", source, sink, new BatchPolicy(64, 1 << 20, 5), 1024, Clock.systemUTC());
        p.start();
        assertThat(p.await(Duration.ofSeconds(30))).as("pipeline ended").isTrue();
        return p;
    }

    @Test
    void aSourceFailingMidTransactionIsRetriedFromTheCheckpointAndTheFilesHoldEachEventExactlyOnce()
            throws InterruptedException {
        GeneratedSource source = new GeneratedSource(300, 150);
        Pipeline p = run(source);

        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(p.failure()).isEmpty();
        assertThat(p.stats().retries()).isEqualTo(1);
        assertThat(source.startedFrom).containsExactly(0L, 150L); // resumed, not restarted
        assertThat(ids(lines(out))).containsExactlyElementsOf(expectedIds(300));
        assertThat(segments(out).size()).isGreaterThan(2); // rotation happened along the way
    }

    @Test
    void aSecondRunOverTheSameOutputResumesFromItsCheckpointAndAppendsEachEventOnce() throws InterruptedException {
        Pipeline first = run(new GeneratedSource(100, -1));
        assertThat(first.state()).isEqualTo(PipelineState.STOPPED);

        GeneratedSource second = new GeneratedSource(250, 180);
        Pipeline p = run(second);

        assertThat(p.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(second.startedFrom).containsExactly(100L, 180L);
        assertThat(ids(lines(out))).containsExactlyElementsOf(expectedIds(250));
    }

    @Test
    void aResolvedStartIsTheFirstCheckpointSoARetryBeforeAnyCommitBeginsThereAndNotAtTheMovedEnd() throws Exception {
        MovingEndSource source = new MovingEndSource(1000, true);
        Pipeline p = run(source, Sinks.file(FileSinkConfig.of(out), Clock.systemUTC()));

        assertThat(p.stats().retries()).isEqualTo(1);
        assertThat(source.resolved).as("the start is resolved once").isEqualTo(1);
        assertThat(source.startedFrom).extracting(c -> c.position().pos()).containsExactly(1100L, 1100L);
        assertThat(ids(lines(out))).containsExactly(event(1100, 0).id());
    }

    @Test
    void aRestartBeforeTheFirstCommitBeginsWhereTheFirstRunResolvedItsStart() throws Exception {
        MovingEndSource first = new MovingEndSource(1000, true);
        Sink sink = Sinks.file(FileSinkConfig.of(out), Clock.systemUTC());
        Pipeline p = new Pipeline("files", first, sink, new BatchPolicy(64, 1 << 20, 5), 1024, Clock.systemUTC());
        p.start();
        // the process ends while the first stream is down (before any commit): the resolved start is on disk
        await("the first stream started").atMost(Duration.ofSeconds(30)).until(() -> !first.startedFrom.isEmpty());
        p.stop();
        assertThat(p.await(Duration.ofSeconds(30))).isTrue();
        assertThat(TestEvents.readJson(out.resolve("checkpoint.json"))
                        .path("checkpoint")
                        .path("position")
                        .path("pos")
                        .asLong())
                .isEqualTo(1100);

        MovingEndSource second = new MovingEndSource(5000, false);
        Pipeline again = run(second, Sinks.file(FileSinkConfig.of(out), Clock.systemUTC()));

        assertThat(second.resolved)
                .as("a checkpoint exists: nothing is resolved again")
                .isZero();
        assertThat(second.startedFrom).extracting(c -> c.position().pos()).containsExactly(1100L);
        assertThat(ids(lines(out))).containsExactly(event(1100, 0).id());
        assertThat(again.state()).isEqualTo(PipelineState.STOPPED);
    }

    /** Starts a pipeline over {@code sink}, waits for its first event in the files, stops it. */
    private Pipeline run(Source source, Sink sink) throws Exception {
        Pipeline p = new Pipeline("files", source, sink, new BatchPolicy(64, 1 << 20, 5), 1024, Clock.systemUTC());
        p.start();
        awaitLines(1);
        p.stop();
        assertThat(p.await(Duration.ofSeconds(30))).isTrue();
        return p;
    }

    private void awaitLines(int n) {
        await(n + " events in the files")
                .atMost(Duration.ofSeconds(30))
                .until(() -> lines(out).size(), l -> l >= n);
    }

    @Test
    void anOutputDirectoryDeletedWhileRunningFailsThePipelineWithItsCheckpointAtTheLastVisibleData() throws Exception {
        Path data = out.resolve("data");
        Path state = out.resolve("state");
        Pipeline p = new Pipeline(
                "files",
                new TickingSource(),
                Sinks.file(FileSinkConfig.of(data).withStateDir(state), Clock.systemUTC()),
                new BatchPolicy(64, 1 << 20, 5),
                1024,
                Clock.systemUTC());
        p.start();
        await("10 events in the files")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Files.isDirectory(data) ? lines(data).size() : 0, l -> l >= 10);
        TestEvents.deleteTree(data);
        long deletedAt = System.nanoTime();
        try {
            assertThat(p.await(Duration.ofSeconds(30))).as("the pipeline ended").isTrue();
        } finally {
            p.stop();
        }
        long durable = TestEvents.readJson(state.resolve("checkpoint.json"))
                .path("checkpoint")
                .path("position")
                .path("pos")
                .asLong();
        System.out.println("failed " + (System.nanoTime() - deletedAt) / 1_000_000 + " ms after the deletion,"
                + " checkpoint at " + durable);
        assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        assertThat(p.failure().orElseThrow())
                .hasMessageContaining("is gone")
                .hasMessageContaining("stays at the last data that is");
        assertThat(p.stats().lastCommitted().position().pos()).isEqualTo(durable);
    }
}
