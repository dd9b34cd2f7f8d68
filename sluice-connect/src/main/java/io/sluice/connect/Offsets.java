package io.sluice.connect;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one codec between Sluice's {@link Checkpoint} and Connect's source partition and offset: the partition is
 * {@code {"pipeline": <name>}}, the offset {@code {"checkpoint": <the checkpoint as compact JSON>}}, the same JSON
 * the Kafka sink writes to its offsets topic (position, GTID set, held XA, table versions, the resume-inside mark,
 * snapshot progress, the server).
 */
final class Offsets {
    private static final String PIPELINE = "pipeline";
    private static final String CHECKPOINT = "checkpoint";

    private Offsets() {}

    static Map<String, String> partition(String pipeline) {
        return Map.of(PIPELINE, pipeline);
    }

    static Map<String, String> offset(Checkpoint cp) {
        return Map.of(
                CHECKPOINT, new String(CheckpointCodec.toBytes(CheckpointCodec.toJson(cp)), StandardCharsets.UTF_8));
    }

    /** The checkpoint in a stored offset; null for none. A stored offset that cannot be read is a clear error. */
    static Checkpoint checkpoint(String pipeline, Map<String, Object> offset) {
        if (offset == null) {
            return null;
        }
        Object text = offset.get(CHECKPOINT);
        try {
            if (!(text instanceof String s)) {
                throw new IOException("it has no '" + CHECKPOINT + "' text");
            }
            Checkpoint cp = CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(s));
            if (cp.position() == null) {
                throw new IOException("its checkpoint has no position");
            }
            return cp;
        } catch (IOException | RuntimeException e) {
            throw SluiceException.fatal(
                    "the Connect offset of pipeline " + pipeline + " cannot be read (" + e.getMessage() + "): " + offset
                            + ". Correct it with Connect's offsets API (PATCH /connectors/<name>/offsets), or reset it"
                            + " (DELETE, with the connector stopped) to start over",
                    e);
        }
    }
}
