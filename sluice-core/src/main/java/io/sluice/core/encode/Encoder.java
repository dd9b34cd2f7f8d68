package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/**
 * The encoder stage of a pipeline: takes each typed event after the source (and the rules stage that comes next)
 * and encodes ahead, on the reader thread, the parts of its JSON that are the costly ones (the row images), so the
 * sink's thread only copies them and stamps the emit time. A source hands over typed events and encodes nothing.
 *
 * <p>Snapshot runs and events rendered ahead by the snapshot's fast path ({@link io.sluice.core.event.EventBodies})
 * pass unchanged. Called from one thread, the one that emits.
 */
@FunctionalInterface
public interface Encoder {

    /** Encodes ahead what the sink's thread would otherwise encode; returns the event to hand to the sink. */
    ChangeEvent encode(ChangeEvent event);

    /**
     * The contract's JSON: the after image and the key are rendered (the before image of an update, written once,
     * is left to the sink's thread, sharing the work between the two threads).
     */
    static Encoder json() {
        return JsonEncoder.INSTANCE;
    }
}
