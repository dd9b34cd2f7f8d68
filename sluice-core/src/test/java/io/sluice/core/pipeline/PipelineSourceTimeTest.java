package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.sink.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A source time reached without an event ({@link Emitter#sourceTime}, a heartbeat row): no event reaches the sink,
 * the listener hears of it when it is handed over and again once the commit after it is durable, and the checkpoint
 * moves.
 */
class PipelineSourceTimeTest {

    @Test
    void aSourceTimeWithoutEventsReachesTheListenerAndIsMadeDurableByTheCommitAfterIt() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch secondBeat = new CountDownLatch(1);
        Source source = new Source() {
            @Override
            public void stream(Checkpoint from, Emitter out) throws InterruptedException {
                out.sourceTime(5_000);
                out.commit(at(2));
                secondBeat.await();
                out.sourceTime(6_000);
                out.sourceTime(7_000);
                out.commit(at(3));
                stopped.await();
            }

            @Override
            public void stop() {
                stopped.countDown();
            }
        };
        List<String> heard = new CopyOnWriteArrayList<>();
        List<Object> written = new CopyOnWriteArrayList<>();
        Sink sink = new Sink() {
            private volatile Checkpoint last;

            @Override
            public Optional<Checkpoint> open() {
                return Optional.empty();
            }

            @Override
            public long write(ChangeEvent event) {
                written.add(event);
                return 1;
            }

            @Override
            public void commit(Checkpoint checkpoint) {
                last = checkpoint;
            }

            @Override
            public boolean flush() {
                heard.add("flush " + last.position().pos());
                return true;
            }

            @Override
            public void close() {}
        };
        Pipeline p = new Pipeline("st", source, sink, new BatchPolicy(100, 1 << 20, 10), 1024, Clock.systemUTC())
                .listener(new PipelineListener() {
                    @Override
                    public void sourceTime(long sourceTsMs, boolean durable) {
                        heard.add((durable ? "durable " : "handed ") + sourceTsMs);
                    }
                });
        p.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("durable 5000"));
            secondBeat.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("durable 7000"));
            assertThat(heard)
                    .containsSubsequence("handed 5000", "flush 2", "durable 5000")
                    .containsSubsequence("handed 6000", "handed 7000", "flush 3", "durable 7000")
                    .doesNotContain("durable 6000");
            assertThat(p.stats().lastCommitted().position().pos()).isEqualTo(3);
            assertThat(written).as("no event reaches the sink").isEmpty();
        } finally {
            p.stop();
            p.await(Duration.ofSeconds(10));
        }
    }

    private static Checkpoint at(long pos) {
        return new Checkpoint(new BinlogPosition("f.000001", pos, null), List.of(), Map.of());
    }
}
