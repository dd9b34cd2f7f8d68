package io.sluice.core.sink;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import java.io.IOException;
import java.util.Optional;

/**
 * Where change events go. A sink keeps its own checkpoint, committed together with its data: after any crash,
 * {@link #open()} returns the checkpoint matching exactly what the sink shows. Sinks are made by their
 * {@link SinkProvider}.
 *
 * <p>Calls come from one thread: {@code open}, then any sequence of {@code write}, {@code commit}, {@code flush}
 * (and {@code awaitFlush}), then {@code close}. {@code open} may be called again after a source failure: it
 * discards everything written since the last durable commit.
 *
 * <p><b>Flushing.</b> {@link #flush()} and {@link #awaitFlush()} are one pair. A sink that flushes at once
 * implements {@code flush} alone, returning true. A sink that makes data durable in the background (the file
 * sink's fsync, a Kafka commit) starts the flush, returns false, takes further writes and commits meanwhile (they
 * are not part of that flush), and {@code awaitFlush} waits until it is done. Either way, {@code flush();
 * awaitFlush();} returns with everything up to the last commit durable.
 */
public interface Sink extends AutoCloseable {

    /** Opens (or re-opens) the sink, discards anything past its last durable checkpoint, and returns it. */
    Optional<Checkpoint> open() throws IOException;

    /** Appends one event; it becomes durable with the next {@link #flush} after a {@link #commit} covering it. */
    long write(ChangeEvent event) throws IOException;

    /** Marks the end of a source transaction; the checkpoint covers everything written so far. */
    void commit(Checkpoint checkpoint) throws IOException;

    /**
     * Makes all data up to the last {@link #commit} durable, then the checkpoint (in that order). Returns true when
     * that is done; false when the sink carries it out in the background, to be waited for with
     * {@link #awaitFlush()}. At most one flush is in flight: a flush first waits for the one before.
     */
    boolean flush() throws IOException;

    /**
     * Waits for the flush that {@link #flush()} left in the background, and throws what went wrong with it. Returns
     * at once when none is in flight (always, for a sink that flushes at once: the default).
     */
    default void awaitFlush() throws IOException {}

    /**
     * The meters to feed with what the sink's target committed ({@link SinkMeters}); set by the pipeline before it
     * starts, again after a listener change. By default ignored: a sink whose deliveries the pipeline's own meters
     * describe (files, Kafka) has nothing to add.
     */
    default void meters(SinkMeters meters) {}

    @Override
    void close() throws IOException;
}
