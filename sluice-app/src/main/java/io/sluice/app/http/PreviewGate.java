package io.sluice.app.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Who may run a rules preview now: one at a time per pipeline, and at most {@code atOnce} over the whole server (a
 * preview holds one of the few HTTP threads while it re-reads the binlog). A refusal is a 429 saying what runs.
 */
final class PreviewGate {
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final int atOnce;

    PreviewGate(int atOnce) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one preview must be allowed at once: " + atOnce);
        }
        this.atOnce = atOnce;
        this.slots = new Semaphore(atOnce);
    }

    /** A pass for a preview of {@code pipeline}, closed when the preview ends; 429 where none is to be had. */
    Pass enter(String pipeline) {
        if (!running.add(pipeline)) {
            throw new HttpProblem(
                    429,
                    "a preview of pipeline " + pipeline + " is running already; one runs at a time per pipeline:"
                            + " try again when it has answered");
        }
        if (!slots.tryAcquire()) {
            running.remove(pipeline);
            throw new HttpProblem(
                    429,
                    atOnce + " previews are running on this server already, the most at once; try again when one"
                            + " has answered");
        }
        return () -> {
            slots.release();
            running.remove(pipeline);
        };
    }

    /** An entered preview; closing it lets the next one in. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }
}
