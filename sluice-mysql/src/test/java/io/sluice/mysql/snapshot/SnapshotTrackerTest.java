package io.sluice.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.encode.RenderedRows;
import io.sluice.core.event.Row;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The binlog reader's wait at a whole-table read's position (on the tracker alone, the coordinator's calls made by
 * the test): it ends when the read fails, the coordinator's thread ends or the tracker stops, and a read that ends
 * after some of its parts were emitted ends the stream with an error instead of letting a checkpoint cover them.
 */
class SnapshotTrackerTest {
    private static final String TOKEN = "t-1";
    private static final SnapshotProgress.Job JOB = Trackers.JOB;
    private static final BinlogPosition AT = new BinlogPosition("mysql-bin.000001", 1000, null);

    private final SnapshotTracker tracker = Trackers.tracker(Clock.systemUTC());

    /**
     * A whole-table read announced, its window opened and its position known; the binlog reader, on a thread of its
     * own, reaches a transaction after that position and waits there for the read's rows.
     */
    private FutureTask<Boolean> readerWaitingAtTheRead() throws Exception {
        tracker.expect(TOKEN, JOB, null, true, false, -1, 0);
        tracker.signal(
                new Row(
                        new String[] {"id", "pipeline", "kind", "detail"},
                        new Object[] {"p:watermark", "p", SignalTable.LOW, TOKEN}),
                "mysql-bin.000001",
                900);
        tracker.position(TOKEN, AT);
        FutureTask<Boolean> reader = new FutureTask<>(() -> tracker.beforeTransaction("mysql-bin.000001", 1200));
        Thread t = new Thread(reader, "binlog-reader");
        t.setDaemon(true);
        t.start();
        await("the binlog reader waits")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(t::getState, s -> s == Thread.State.TIMED_WAITING);
        return reader;
    }

    /** Hands a part of the read over; returns once the binlog reader has taken the one before. */
    private void publishPart() throws Exception {
        assertThat(tracker.publish(
                        TOKEN,
                        new TablePlan.Chunk(RenderedRows.empty(SnapshotTracker.idPrefix("p", JOB)), null, false, AT)))
                .isTrue();
    }

    /**
     * A read-only chunk (positional: no watermark) is open from its announcement: the binlog reader waits at each
     * transaction until its position is known, passes transactions before it, and emits it (progress past the chunk)
     * at the first point at or after it: a transaction's start, or an idle server's heartbeat.
     */
    @Test
    void aPositionalChunkIsEmittedWhereTheBinlogReaderReachesItsPosition() throws Exception {
        tracker.expect(TOKEN, JOB, null, false, true, -1, 0);
        FutureTask<Boolean> waiting = new FutureTask<>(() -> tracker.beforeTransaction("mysql-bin.000001", 400));
        Thread t = new Thread(waiting, "binlog-reader");
        t.setDaemon(true);
        t.start();
        await("the binlog reader waits for the chunk's position")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(t::getState, st -> st == Thread.State.TIMED_WAITING);
        tracker.position(TOKEN, AT);
        assertThat(waiting.get(5, TimeUnit.SECONDS))
                .as("emitted before its position")
                .isFalse();
        assertThat(tracker.beforeTransaction("mysql-bin.000001", 999)).isFalse();
        assertThat(tracker.progress().jobs().get(0).chunks()).isZero();
        assertThat(tracker.publish(
                        TOKEN,
                        new TablePlan.Chunk(
                                RenderedRows.empty(SnapshotTracker.idPrefix("p", JOB)), "[7]", false, null)))
                .isTrue();
        // a heartbeat at the chunk's position on an idle server (or the next transaction's start)
        assertThat(tracker.beforeTransaction("mysql-bin.000001", 1000))
                .as("emitted at its position")
                .isTrue();
        assertThat(tracker.progress().jobs().get(0).chunks()).isEqualTo(1);
        assertThat(tracker.progress().jobs().get(0).lastKey()).isEqualTo("[7]");
        assertThat(tracker.beforeTransaction("mysql-bin.000001", 1100))
                .as("emitted once")
                .isFalse();
    }

    /** A request made in this process (read-only mode) takes effect at the binlog reader's next point. */
    @Test
    void aSubmittedRequestTakesEffectAtTheNextTransactionOrHeartbeat() throws Exception {
        String id = tracker.submit(SignalTable.SNAPSHOT, "db.u", null, null);
        assertThat(tracker.progress().jobs()).hasSize(1);
        assertThat(tracker.beforeTransaction("mysql-bin.000001", 500))
                .as("a checkpoint follows")
                .isTrue();
        assertThat(tracker.progress().jobs())
                .extracting(SnapshotProgress.Job::run, SnapshotProgress.Job::table)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("run1", "db.t"),
                        org.assertj.core.groups.Tuple.tuple(id, "db.u"));
        assertThat(tracker.beforeTransaction("mysql-bin.000001", 600)).isFalse();
    }

    @Test
    void theDoneLineSaysWhyItsCountCanDifferFromCountStar() {
        assertThat(SnapshotTracker.doneNote(0)).contains("op r").contains("COUNT(*)");
        assertThat(SnapshotTracker.doneNote(1))
                .contains("1 row changed while its chunk was read came as binlog events instead");
        assertThat(SnapshotTracker.doneNote(3)).contains("3 rows changed");
    }

    @Test
    void noEtaUntilEnoughChunksAndTimeThenOneAtTheRate() {
        SnapshotTracker.TableStatus st = new SnapshotTracker.TableStatus("r1", "shop.orders");
        st.totalEstimate = 600_000;
        st.startIfNew(0, 0);
        // the first chunk took long (set-up): at its rate the ETA would be 60 min for a snapshot of seconds
        st.update(1_000, 1, false, 6_000);
        assertThat(st.etaSeconds()).isEqualTo(-1);
        st.update(200_000, 2, false, 6_500);
        assertThat(st.etaSeconds()).isEqualTo(-1);
        st.update(400_000, 3, false, 1_000); // 3 chunks but under 2 s: still none
        assertThat(st.etaSeconds()).isEqualTo(-1);
        st.update(400_000, 3, false, 8_000); // 400k rows in 8 s: 50k rows/s, 200k left
        assertThat(st.etaSeconds()).isEqualTo(4);
        st.update(600_000, 4, true, 9_000);
        assertThat(st.etaSeconds()).isZero();
    }

    @Test
    void stopReleasesTheBinlogReaderWaitingForAWholeTableRead() throws Exception {
        assertReleasedWithNothingEmitted(SnapshotTracker::stop);
    }

    @Test
    void theEndOfTheCoordinatorsThreadReleasesTheBinlogReader() throws Exception {
        assertReleasedWithNothingEmitted(t -> t.fail(SluiceException.retriable("lost the connection", null)));
    }

    private void assertReleasedWithNothingEmitted(Consumer<SnapshotTracker> release) throws Exception {
        FutureTask<Boolean> reader = readerWaitingAtTheRead();
        release.accept(tracker);
        assertThat(reader.get(5, TimeUnit.SECONDS)).as("events emitted").isFalse();
    }

    @Test
    void aReadThatFailsRetriablyAfterSomePartsEndsTheStreamWithARetriableError() throws Exception {
        SluiceException e = failedAfterAPart(SluiceException.retriable("Lost the connection", null));
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("run1 of db.t", "in no checkpoint", "reads the table again");
    }

    @Test
    void aReadThatFailsOtherwiseAfterSomePartsStopsThePipelineWithItsCheckpointBeforeThem() throws Exception {
        SluiceException e = failedAfterAPart(
                SluiceException.fatal("The server refused: Query execution was" + " interrupted (error 1317)."));
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("run1 of db.t", "error 1317", "pipeline stops with its checkpoint");
    }

    private SluiceException failedAfterAPart(SluiceException cause) throws Exception {
        FutureTask<Boolean> reader = readerWaitingAtTheRead();
        publishPart();
        publishPart(); // the first one was emitted
        tracker.abandon(TOKEN, cause);
        try {
            reader.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(SluiceException.class);
            return (SluiceException) ex.getCause();
        }
        throw new AssertionError("the binlog reader returned normally after parts of an unfinished read");
    }
}
