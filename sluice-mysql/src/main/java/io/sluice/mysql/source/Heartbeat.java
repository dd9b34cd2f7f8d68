package io.sluice.mysql.source;

import io.sluice.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the heartbeat every interval on the injected {@link Scheduler}: the scheduler says when, the write (which
 * blocks on the server) runs on {@code writes}, and the next one is scheduled once it is done, so writes never pile
 * up behind a slow server. A failed write is logged (once until one succeeds again) and tried again an interval
 * later: the stream goes on without it, its lag then grows as it would without a heartbeat.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    /** One heartbeat write. */
    @FunctionalInterface
    interface Write {
        void write() throws Exception;
    }

    private final String pipeline;
    private final Duration interval;
    private final Scheduler scheduler;
    private final Executor writes;
    private final Write write;
    private volatile boolean closed;
    private volatile Scheduler.Cancellable next;
    private volatile long written;
    private volatile long failed;
    private boolean failing;

    Heartbeat(String pipeline, Duration interval, Scheduler scheduler, Executor writes, Write write) {
        this.pipeline = pipeline;
        this.interval = interval;
        this.scheduler = scheduler;
        this.writes = writes;
        this.write = write;
    }

    /** Schedules the first write an interval from now. */
    Heartbeat start() {
        schedule();
        return this;
    }

    private void schedule() {
        if (!closed) {
            next = scheduler.schedule(interval, () -> writes.execute(this::beat));
        }
    }

    private void beat() {
        if (closed) {
            return;
        }
        try {
            write.write();
            written++;
            if (failing) {
                LOG.info("[{}] heartbeat written again", pipeline);
                failing = false;
            }
        } catch (Exception e) {
            failed++;
            if (!failing) {
                LOG.warn(
                        "[{}] the heartbeat could not be written ({}); trying again every {} s, lag may grow"
                                + " meanwhile",
                        pipeline,
                        e.getMessage(),
                        interval.toSeconds());
                failing = true;
            }
        } finally {
            schedule();
        }
    }

    /** Heartbeats written so far. */
    long written() {
        return written;
    }

    /** Heartbeat writes that failed so far. */
    long failed() {
        return failed;
    }

    /** No write starts after this (an executor service of the writes is shut down). */
    @Override
    public void close() {
        closed = true;
        Scheduler.Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
        if (writes instanceof java.util.concurrent.ExecutorService es) {
            es.shutdown();
        }
    }
}
