package io.sluice.core.sink;

import io.sluice.core.encode.EventRun;
import java.io.IOException;

/**
 * A sink that writes a run of snapshot events whole, without making its events (the file sink copies their JSON
 * straight from the snapshot's arena). The pipeline then hands such runs over as one item; to any other sink it
 * hands the runs' events one by one, made on the source's thread.
 */
public interface RunSink extends JsonSink {

    /**
     * Appends a run of snapshot events in order, as {@link #write(io.sluice.core.encode.Encoded)} of each would;
     * returns the bytes they took.
     */
    long write(EventRun run) throws IOException;
}
