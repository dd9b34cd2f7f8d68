package io.sluice.core.sink;

import static io.sluice.core.sink.TestEvents.checkpoint;
import static io.sluice.core.sink.TestEvents.event;
import static io.sluice.core.sink.TestEvents.ids;
import static io.sluice.core.sink.TestEvents.lines;
import static io.sluice.core.sink.TestEvents.segments;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.Source;
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
}
