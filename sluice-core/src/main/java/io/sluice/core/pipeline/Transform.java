package io.sluice.core.pipeline;

/**
 * A stage between the source and the encoder that may reshape, drop or re-route events (transformation rules). It
 * wraps the emitter the source writes into: what it passes on goes to the encoder and the sink. Source-neutral: it
 * sees typed events, {@link io.sluice.core.encode.EventRun}s of snapshot chunks (to pass on whole where it touches
 * none of their rows) and the source's transaction boundaries ({@link Emitter#commit}).
 *
 * <p>Implementations must not pass on whole a run ({@link io.sluice.core.encode.EventRun}, encoded before any rule
 * saw it) of which they change an event: they take such a run apart ({@code run.event(k)}, typed) and hand on the
 * shaped events, which the encoder encodes. They must fail (throw) rather than drop an event they cannot shape.
 */
@FunctionalInterface
public interface Transform {

    /** The emitter the source writes into: shapes what it is given and hands the result to {@code next}. */
    Emitter around(Emitter next);

    /** The transform that changes nothing. */
    static Transform none() {
        return next -> next;
    }
}
