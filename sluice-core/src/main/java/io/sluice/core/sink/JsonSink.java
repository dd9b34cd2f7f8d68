package io.sluice.core.sink;

import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.Encoder;
import io.sluice.core.event.ChangeEvent;
import java.io.IOException;

/**
 * A sink that writes the contract's JSON (file, stdout, Kafka). The pipeline runs the encoder stage for it and hands
 * it each event as an {@link Encoded} item, which the sink's thread writes ({@link Encoded#write}, or
 * {@link Encoded#writeWhole} for a snapshot event made whole ahead): a streamed event is encoded there, straight
 * into the sink's generator, so the reader thread only reads and decodes. The typed event is
 * {@link Encoded#event()}. A sink that is not a {@code JsonSink} gets the typed events as they are, and the encoder
 * does nothing for it.
 */
public interface JsonSink extends Sink {

    /** Appends one event (its JSON written with {@link Encoded#write}); as {@link Sink#write(ChangeEvent)} otherwise. */
    long write(Encoded event) throws IOException;

    /** Encodes the event now, on the calling thread, and writes it (tests and tools). */
    @Override
    default long write(ChangeEvent event) throws IOException {
        return write(Encoder.json().encode(event));
    }
}
