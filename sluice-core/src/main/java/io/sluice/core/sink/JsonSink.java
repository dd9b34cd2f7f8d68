package io.sluice.core.sink;

import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.Encoder;
import io.sluice.core.event.ChangeEvent;
import java.io.IOException;

/**
 * A sink that writes the contract's JSON (file, stdout, Kafka). The pipeline runs the encoder stage for it on the
 * reader thread and hands it each event with the JSON made ahead ({@link Encoded}): the sink's thread copies bytes
 * and stamps the emit time ({@link Encoded#write}, {@link Encoded#writeWhole}). The typed event is
 * {@link Encoded#event()}. A sink that is not a {@code JsonSink} gets the typed events as they are, and the encoder
 * does nothing for it.
 */
public interface JsonSink extends Sink {

    /** Appends one event, its JSON made ahead; as {@link Sink#write(ChangeEvent)} otherwise. */
    long write(Encoded event) throws IOException;

    /** Encodes the event now, on the calling thread, and writes it (tests and tools; the pipeline encodes ahead). */
    @Override
    default long write(ChangeEvent event) throws IOException {
        return write(Encoder.json().encode(event));
    }
}
