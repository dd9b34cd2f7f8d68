package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;

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

    /**
     * The emitter for a run of the source that resumes from {@code from} (null: from the configured start): a
     * transform that keeps state in the checkpoint (the rule version in effect, {@link
     * Checkpoint#rules()}) takes it up from there. By default {@link #around(Emitter)}.
     */
    default Emitter around(Emitter next, Checkpoint from) {
        return around(next);
    }

    /** The transform that changes nothing. */
    static Transform none() {
        return next -> next;
    }
}
