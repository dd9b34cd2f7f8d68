package io.sluice.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;

/**
 * The thread that runs the sink's statements on its connection, one piece of work at a time, so that the writer
 * thread can take and encode the next batch while the target executes this one. The writer hands work over with
 * {@link #submit}, which first waits for the work before it ({@link #sync}): at most one piece is in flight (the
 * back-pressure reaches the writer, and through it the binlog reader), and pieces run in the order submitted, on one
 * connection, in its open transaction, so what the target commits is exactly what a single thread would have
 * committed. A piece's failure is thrown by the writer's next {@code submit} or {@code sync}; the writer uses the
 * connection itself only after a {@code sync}.
 */
final class TargetWorker {
    /** Work on the target's connection. */
    @FunctionalInterface
    interface Task {
        void run(Connection c) throws SQLException;
    }

    private final String name;
    private final LongSupplier nanoTime;
    /** The thread running pieces (null: none yet, or stopped; the next submit starts one). */
    private Thread thread;
    /** The piece in flight (null: none). */
    private Task task;
    /** The in-flight piece was taken by the thread. */
    private boolean taken;

    private Connection conn;
    private Throwable failure;
    /** Time the target spent on the pieces run since {@link #takeNanos()} was last called. */
    private long nanos;

    TargetWorker(String name, LongSupplier nanoTime) {
        this.name = name;
        this.nanoTime = nanoTime;
    }

    /** Runs {@code t} on {@code c} in the background, after the piece before it (whose failure it throws). */
    synchronized void submit(Connection c, Task t) throws SQLException {
        sync();
        if (thread == null) {
            Thread started = new Thread(() -> loop(Thread.currentThread()), name);
            thread = started;
            started.setDaemon(true);
            started.start();
        }
        conn = c;
        task = t;
        taken = false;
        notifyAll();
    }

    /** Waits until the piece in flight is done; throws its failure (once). */
    synchronized void sync() throws SQLException {
        boolean interrupted = false;
        while (task != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                // the piece is running on the connection: wait for it all the same, so that nothing else touches
                // the connection meanwhile, and keep the interrupt for the caller
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure;
        failure = null;
        if (f instanceof SQLException s) {
            throw s;
        } else if (f instanceof RuntimeException r) {
            throw r;
        } else if (f instanceof Error err) {
            throw err;
        } else if (f != null) {
            throw new SQLException(f);
        }
    }

    /** Waits for the piece in flight and forgets how it ended (the transaction is being rolled back anyway). */
    synchronized void drain() {
        try {
            sync();
        } catch (SQLException | RuntimeException e) {
            // the caller is discarding the transaction this piece was part of
        }
    }

    /** Whether a piece is in flight. */
    synchronized boolean busy() {
        return task != null;
    }

    /** The target's time on the pieces run since the last call (read after a {@link #sync}). */
    synchronized long takeNanos() {
        long n = nanos;
        nanos = 0;
        return n;
    }

    /** Waits for the piece in flight, then ends the thread (a later submit starts another). */
    synchronized void stop() {
        drain();
        thread = null;
        notifyAll();
    }

    private void loop(Thread me) {
        while (true) {
            Task t;
            Connection c;
            synchronized (this) {
                while ((task == null || taken) && thread == me) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only stop() ends the thread
                    }
                }
                if (thread != me) {
                    return;
                }
                t = task;
                c = conn;
                taken = true;
            }
            Throwable f = null;
            long t0 = nanoTime.getAsLong();
            try {
                t.run(c);
            } catch (Throwable e) { // handed to the writer, which fails the sink with it
                f = e;
            }
            long took = nanoTime.getAsLong() - t0;
            synchronized (this) {
                nanos += took;
                failure = f;
                task = null;
                taken = false;
                conn = null;
                notifyAll();
            }
        }
    }
}
