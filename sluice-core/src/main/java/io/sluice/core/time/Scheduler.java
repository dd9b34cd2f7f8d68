package io.sluice.core.time;

import java.time.Clock;
import java.time.Duration;

/**
 * The time a component runs by: its {@link Clock} (what time it is) and a way to run something once a delay has
 * passed on that clock. Main code takes one of these instead of calling {@code System.currentTimeMillis},
 * {@code System.nanoTime} or {@code Thread.sleep}: the process makes one {@link #system} scheduler at its
 * composition root, and tests pass a manual one whose clock they advance, so back-off, flush intervals, lag and
 * deadlines are tested without waiting.
 *
 * <p>Waiting for a delay is waiting for a condition: schedule a task that signals it and wait for the signal
 * (which {@code stop()} signals too), so that a stop is prompt; see {@link Alarm}.
 */
public interface Scheduler {

    /** The clock delays are measured by. */
    Clock clock();

    /**
     * A monotonic reading in nanoseconds, for measuring how long something took (not for the time of day); only
     * differences between two readings mean anything.
     */
    long nanoTime();

    /**
     * Runs {@code task} once, on a thread of the scheduler's choosing, when {@code delay} has passed on the clock.
     * The task must be short and must not block.
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A task scheduled with {@link #schedule}. */
    interface Cancellable {
        /** Makes sure the task does not run if it has not started yet; idempotent. */
        void cancel();
    }

    /**
     * The system's time: {@code clock}, {@link System#nanoTime()}, and tasks run on one daemon thread
     * ({@code sluice-timer}) shared by the process and started on first use.
     */
    static Scheduler system(Clock clock) {
        return new SystemScheduler(clock);
    }
}
