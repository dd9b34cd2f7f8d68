package io.sluice.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The snapshot coordinator's deadlines (for a chunk's high watermark, for room among the chunks in flight) run by the
 * tracker's clock: moving a manual scheduler's clock past them ends the wait, with no real time spent waiting them out.
 */
class SnapshotDeadlineTest {
    private static final SnapshotProgress.Job JOB = Trackers.JOB;

    private final ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final SnapshotTracker tracker = Trackers.tracker(time.clock());

    @Test
    void waitingForAChunksHighWatermarkEndsWhenTheClockPassesTheDeadline() throws Exception {
        tracker.expect("t-1", JOB, null, false, false, -1, 0);
        CompletableFuture<Boolean> done = waiting(() -> tracker.awaitDone("t-1", 30_000));
        time.advance(Duration.ofMillis(29_999));
        assertThat(done).as("not before the deadline").isNotDone();
        time.advance(Duration.ofMillis(1));
        // the waiter looks at the clock again within a second of real time, not after 30 s
        assertThat(done.get(10, TimeUnit.SECONDS)).as("the deadline passed").isFalse();
    }

    @Test
    void waitingForRoomAmongTheChunksInFlightEndsWhenTheClockPassesTheDeadline() throws Exception {
        tracker.expect("t-1", JOB, null, false, false, -1, 0);
        CompletableFuture<Boolean> room = waiting(() -> tracker.awaitRoom(1, 60_000));
        time.advance(Duration.ofSeconds(60));
        assertThat(room.get(10, TimeUnit.SECONDS)).as("the deadline passed").isFalse();
    }

    @Test
    void theHighWatermarkBeforeTheDeadlineEndsTheWaitWithTrue() throws Exception {
        tracker.expect("t-1", JOB, null, false, false, -1, 0);
        CompletableFuture<Boolean> done = waiting(() -> tracker.awaitDone("t-1", 30_000));
        tracker.abandon("t-1");
        assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
    }

    private interface Wait {
        boolean call() throws InterruptedException;
    }

    /** Runs {@code w} on a thread of its own; returns once that thread waits on the tracker. */
    private static CompletableFuture<Boolean> waiting(Wait w) throws InterruptedException {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        f.complete(w.call());
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                },
                "coordinator");
        t.setDaemon(true);
        t.start();
        await("the waiter waits")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> t.getState() == Thread.State.TIMED_WAITING || f.isDone());
        return f;
    }
}
