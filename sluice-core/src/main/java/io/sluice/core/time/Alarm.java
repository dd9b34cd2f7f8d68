package io.sluice.core.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a delay or a condition, whichever comes first: {@link #await} returns when the scheduler's clock has
 * moved on by the delay or the condition holds, which whoever makes it true announces with {@link #wake()} (a
 * {@code stop()}, from any thread). Replaces a {@code Thread.sleep} loop: a stop is seen at once, and a test's
 * manual scheduler ends the wait by advancing its clock.
 */
public final class Alarm {
    private final Scheduler scheduler;
    private final Object lock = new Object();

    public Alarm(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Waits until {@code delay} has passed on the scheduler's clock or {@code until} holds (checked at the start
     * and at every {@link #wake()}), or the thread is interrupted. Returns true when the delay passed first.
     */
    public boolean await(Duration delay, BooleanSupplier until) throws InterruptedException {
        boolean[] due = new boolean[1];
        Scheduler.Cancellable task = scheduler.schedule(delay, () -> {
            synchronized (lock) {
                due[0] = true;
                lock.notifyAll();
            }
        });
        try {
            synchronized (lock) {
                while (!due[0] && !until.getAsBoolean()) {
                    lock.wait();
                }
                return due[0];
            }
        } finally {
            task.cancel();
        }
    }

    /** Has every wait in progress check its condition again; callable from any thread. */
    public void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
