package io.sluice.core.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one serialised form of {@link Checkpoint}: a small JSON document. */
public final class CheckpointCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointCodec() {}

    public static ObjectNode toJson(Checkpoint cp) {
        return MAPPER.valueToTree(cp);
    }

    public static Checkpoint fromJson(JsonNode node) {
        try {
            return MAPPER.treeToValue(node, Checkpoint.class);
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint is not readable: " + e.getMessage(), e);
        }
    }

    /** The shared mapper for small state documents that embed checkpoints. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object doc) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
