package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.time.ManualScheduler;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The heartbeat writer on a manual scheduler: when it writes, what a failed write does, and that close stops it. */
class HeartbeatTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<Instant> writes = new ArrayList<>();

    private Heartbeat heartbeat(Heartbeat.Write write) {
        return new Heartbeat("hb", Duration.ofSeconds(10), scheduler, Runnable::run, write);
    }

    @Test
    void writesOncePerIntervalOnTheSchedulersClock() {
        Heartbeat hb = heartbeat(() -> writes.add(scheduler.clock().instant())).start();
        assertThat(writes).isEmpty();
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(writes).as("nothing before the first interval is over").isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(25));
        assertThat(writes)
                .containsExactly(
                        Instant.parse("2026-12-07T12:00:10Z"),
                        Instant.parse("2026-12-07T12:00:20Z"),
                        Instant.parse("2026-12-07T12:00:30Z"));
        assertThat(hb.written()).isEqualTo(3);
        assertThat(scheduler.pending()).as("the next write, and only it").hasSize(1);
    }

    @Test
    void writesNeverPileUp() throws Exception {
        // the next write is scheduled only when the last one is done
        Heartbeat hb = heartbeat(() -> {
                    assertThat(scheduler.pending())
                            .as("nothing scheduled while a write runs")
                            .isEmpty();
                    writes.add(scheduler.clock().instant());
                })
                .start();
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(writes).hasSize(3);
        assertThat(scheduler.awaitScheduled(4, Duration.ofSeconds(1))).containsOnly(Duration.ofSeconds(10));
        assertThat(hb.failed()).isZero();
    }

    @Test
    void aFailedWriteIsTriedAgainAnIntervalLater() {
        AtomicBoolean serverDown = new AtomicBoolean(true);
        Heartbeat hb = heartbeat(() -> {
                    if (serverDown.get()) {
                        throw new SQLException("Connection refused", "08000");
                    }
                    writes.add(scheduler.clock().instant());
                })
                .start();
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(hb.failed()).isEqualTo(2);
        assertThat(writes).isEmpty();
        serverDown.set(false);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(writes).containsExactly(Instant.parse("2026-12-07T12:00:30Z"));
        assertThat(hb.failed()).isEqualTo(2);
    }

    @Test
    void closeStopsTheWrites() {
        Heartbeat hb = heartbeat(() -> writes.add(scheduler.clock().instant())).start();
        scheduler.advance(Duration.ofSeconds(10));
        hb.close();
        assertThat(scheduler.pending()).isEmpty();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(writes).hasSize(1);
    }
}
