package io.sluice.core.sink;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventRun;
import java.io.IOException;
import java.util.Optional;

/**
 * Where change events go. A sink keeps its own checkpoint, committed together with its data: after any crash,
 * {@link #open()} returns the checkpoint matching exactly what the sink shows.
 *
 * <p>Calls come from one thread: {@code open}, then any sequence of {@code write}, {@code commit},
 * {@code flush}, then {@code close}. {@code open} may be called again after a source failure: it discards
 * everything written since the last durable commit.
 */
public interface Sink extends AutoCloseable {

    /** Opens (or re-opens) the sink, discards anything past its last durable checkpoint, and returns it. */
    Optional<Checkpoint> open() throws IOException;

    /** Appends one event; it becomes durable with the next {@link #commit} that {@link #flush} covers. */
    long write(ChangeEvent event) throws IOException;

    /**
     * Appends a run of snapshot events in order, as {@link #write(ChangeEvent)} of each would; returns the bytes they
     * took. Only called when {@link #writesRuns()}; by default the events are made and written one by one.
     */
    default long write(EventRun run) throws IOException {
        long n = 0;
        for (int k = 0; k < run.size(); k++) {
            n += write(run.event(k));
        }
        return n;
    }

    /**
     * True when {@link #write(EventRun)} writes a run without making its events (the pipeline then hands runs over
     * whole); false (the default) has the source's thread make the events, and the sink takes them one by one.
     */
    default boolean writesRuns() {
        return false;
    }

    /** Marks the end of a source transaction; the checkpoint covers everything written so far. */
    void commit(Checkpoint checkpoint) throws IOException;

    /** Makes all data up to the last {@link #commit} durable, then the checkpoint (in that order). */
    void flush() throws IOException;

    /**
     * Starts {@link #flush()}. A sink that commits in the background (Kafka) may return before the data is durable:
     * it returns false, takes further {@code write}s and {@code commit}s meanwhile (they are not part of this
     * flush), and {@link #awaitFlush()} waits until it is done. At most one flush is in flight: a caller awaits it
     * before starting the next. By default the flush is done at once and this returns true.
     */
    default boolean startFlush() throws IOException {
        flush();
        return true;
    }

    /** Waits for the flush {@link #startFlush()} left in flight; throws what went wrong. No-op if none. */
    default void awaitFlush() throws IOException {
    }

    @Override
    void close() throws IOException;
}
