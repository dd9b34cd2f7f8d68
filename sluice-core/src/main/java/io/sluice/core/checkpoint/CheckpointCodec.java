package io.sluice.core.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** The one serialised form of {@link Checkpoint}: a small JSON document. */
public final class CheckpointCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointCodec() {}

    /**
     * The checkpoint as a JSON tree, built field by field (no reflection over the records: Jackson's bean
     * introspection of them was a measurable part of every run's start-up). Fields in record-component order, nulls
     * left out, map entries by key, {@code unannounced} only when true: the same document the mapper wrote before.
     */
    public static ObjectNode toJson(Checkpoint cp) {
        JsonNodeFactory f = MAPPER.getNodeFactory();
        ObjectNode o = f.objectNode();
        putPosition(o, "position", cp.position());
        ArrayNode held = o.putArray("heldXa");
        for (HeldXa x : cp.heldXa()) {
            ObjectNode h = held.addObject();
            putText(h, "xid", x.xid());
            putPosition(h, "at", x.at());
        }
        ObjectNode schemas = o.putObject("schemas");
        for (Map.Entry<String, TableVersion> e : new TreeMap<>(cp.schemas()).entrySet()) {
            TableVersion v = e.getValue();
            if (v == null) {
                schemas.putNull(e.getKey());
                continue;
            }
            ObjectNode t = schemas.putObject(e.getKey());
            t.put("version", v.version());
            putText(t, "fingerprint", v.fingerprint());
            if (v.unannounced()) {
                t.put("unannounced", true);
            }
        }
        if (cp.partial() != null) {
            ObjectNode p = o.putObject("partial");
            p.put("txn", cp.partial().txn());
            p.put("rows", cp.partial().rows());
        }
        if (cp.snapshot() != null) {
            ObjectNode s = o.putObject("snapshot");
            ArrayNode jobs = s.putArray("jobs");
            for (SnapshotProgress.Job j : cp.snapshot().jobs()) {
                ObjectNode jo = jobs.addObject();
                putText(jo, "run", j.run());
                putText(jo, "table", j.table());
                putText(jo, "filter", j.filter());
                putText(jo, "lastKey", j.lastKey());
                jo.put("rows", j.rows());
                jo.put("chunks", j.chunks());
            }
            s.put("paused", cp.snapshot().paused());
        }
        if (cp.server() != null) {
            ObjectNode sv = o.putObject("server");
            sv.put("serverId", cp.server().serverId());
            putText(sv, "uuid", cp.server().uuid());
        }
        if (cp.rules() != null) {
            o.put("rules", cp.rules().intValue());
        }
        return o;
    }

    private static void putPosition(ObjectNode into, String name, BinlogPosition p) {
        if (p == null) {
            return;
        }
        ObjectNode o = into.putObject(name);
        o.put("file", p.file());
        o.put("pos", p.pos());
        putText(o, "gtids", p.gtids());
    }

    private static void putText(ObjectNode into, String name, String value) {
        if (value != null) {
            into.put(name, value);
        }
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
