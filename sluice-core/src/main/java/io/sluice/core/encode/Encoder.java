package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/**
 * The encoder stage of a pipeline: takes each typed event after the source (and the rules stage) and hands it to a
 * sink that writes JSON ({@link io.sluice.core.sink.JsonSink}) as an {@link Encoded} item, whose contract JSON is
 * written by this package only. A source hands over typed events and encodes nothing; the pipeline runs the encoder
 * only for a JSON sink: a typed sink gets the events as they are, at no cost here.
 *
 * <p>Where the work is done: a streamed event is encoded whole on the sink's thread, straight into the sink's
 * generator ({@link #json()}), which leaves the binlog reader's thread to read and decode (issue 19: that thread
 * was the pipeline's bottleneck). The snapshot's fast path encodes its events whole as it reads them, on the
 * snapshot's own thread ({@link EventRun}, {@link EventBodies}); they pass this stage as they are. Called from one
 * thread, the one that emits.
 */
@FunctionalInterface
public interface Encoder {

    /** The item a JSON sink writes for the event. */
    Encoded encode(ChangeEvent event);

    /** The contract's JSON, all of it written by the sink's thread (nothing is encoded on the emitting thread). */
    static Encoder json() {
        return JsonEncoder.INSTANCE;
    }

    /** The event's contract JSON line's bytes (no newline), all of it encoded now: for side logs, tools and tests. */
    static byte[] toJson(ChangeEvent event, long emitTsMs) {
        return Encoded.plain(event).toJson(emitTsMs);
    }
}
