package io.sluice.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} for tests: its clock stands still until {@link #advance} moves it, which runs the tasks that
 * have come due, on the caller's thread. A test waits for the code under test to schedule something with
 * {@link #awaitScheduled} (a condition, no sleep) and then moves time past it.
 */
public final class ManualScheduler implements Scheduler {
    /** A task not yet run nor cancelled. */
    public record Task(long dueNanos, Duration delay, Runnable run) {}

    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private long nanos;

    private final long epochMillis;
    private final List<Task> pending = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    public ManualScheduler(Instant start) {
        this.epochMillis = start.toEpochMilli();
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }

            @Override
            public long millis() {
                return epochMillis + TimeUnit.NANOSECONDS.toMillis(nanoTime());
            }
        };
    }

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return nanos;
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task t;
        synchronized (lock) {
            t = new Task(nanos + delay.toNanos(), delay, task);
            pending.add(t);
            delays.add(delay);
            lock.notifyAll();
        }
        return () -> {
            synchronized (lock) {
                pending.remove(t);
                lock.notifyAll();
            }
        };
    }

    /** Moves the clock on by {@code d} and runs, in order of their times, the tasks due by then. */
    public void advance(Duration d) {
        long to;
        synchronized (lock) {
            to = nanos + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (lock) {
                next = pending.stream()
                        .filter(t -> t.dueNanos() <= to)
                        .min(java.util.Comparator.comparingLong(Task::dueNanos))
                        .orElse(null);
                if (next == null) {
                    nanos = to;
                    return;
                }
                pending.remove(next);
                nanos = Math.max(nanos, next.dueNanos());
            }
            next.run().run();
        }
    }

    /**
     * Waits (up to {@code timeout} of real time, for a test that went wrong) until {@code n} tasks in all have been
     * scheduled; returns the delays of every task scheduled so far, in order.
     */
    public List<Duration> awaitScheduled(int n, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (delays.size() < n) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " scheduled task(s), saw " + delays);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return List.copyOf(delays);
        }
    }

    /** The tasks waiting for their time. */
    public List<Task> pending() {
        synchronized (lock) {
            return List.copyOf(pending);
        }
    }
}
