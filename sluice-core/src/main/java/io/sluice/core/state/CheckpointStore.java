package io.sluice.core.state;

import io.sluice.core.checkpoint.Checkpoint;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a sink that does not keep its checkpoint with its data (stdout) keeps it, and where tools read a pipeline's
 * committed checkpoint. A sink that can commit its data and the checkpoint together keeps the checkpoint itself
 * instead: Kafka in its offsets topic within the same transaction, a database sink in a table of the target within
 * the transaction that writes the rows; such a pipeline's store holds no checkpoint ({@link #read()} is empty).
 */
public interface CheckpointStore {

    /** The checkpoint last written; empty when none was (yet). */
    Optional<Checkpoint> read() throws IOException;

    /** Atomically replaces the checkpoint: a reader sees the old one or the new one. Durable when it returns. */
    void write(Checkpoint checkpoint) throws IOException;
}
