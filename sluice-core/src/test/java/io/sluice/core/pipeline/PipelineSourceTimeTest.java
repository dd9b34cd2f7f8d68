package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        PipelineEncoderStageTest.Typed sink = new PipelineEncoderStageTest.Typed();
        Pipeline p = new Pipeline("st", source, sink, new BatchPolicy(100, 1 << 20, 10), 1024, Clock.systemUTC())
                .listener(new PipelineListener() {
                    @Override
                    public void sourceTime(long sourceTsMs, boolean durable) {
                        heard.add(
                                durable
                                        ? "durable " + sourceTsMs + " at "
                                                + sink.durableCheckpoint
                                                        .position()
                                                        .pos()
                                        : "handed " + sourceTsMs);
                    }
                });
        p.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("durable 5000 at 2"));
            secondBeat.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("durable 7000 at 3"));
            // made durable only with the commit after it, the newest of several at once
            assertThat(heard)
                    .containsExactly(
                            "handed 5000", "durable 5000 at 2", "handed 6000", "handed 7000", "durable 7000 at 3");
            assertThat(p.stats().lastCommitted().position().pos()).isEqualTo(3);
            assertThat(sink.events).as("no event reaches the sink").isEmpty();
        } finally {
            p.stop();
            p.await(Duration.ofSeconds(10));
        }
    }

    private static Checkpoint at(long pos) {
        return new Checkpoint(new BinlogPosition("f.000001", pos, null), List.of(), Map.of());
    }
}
