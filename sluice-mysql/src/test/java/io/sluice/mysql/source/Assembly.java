package io.sluice.mysql.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.ResumeInside;
import io.sluice.mysql.decode.RowsDeserializers;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableMapDefinitions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binlog bytes (constructed or captured) read through the same deserializer and transaction assembly the live
 * source uses, with what the assembler emits collected: events, as JSON, and checkpoints.
 */
final class Assembly implements Emitter {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<ChangeEvent> events = new ArrayList<>();
    final List<Checkpoint> commits = new ArrayList<>();
    private final TransactionAssembler assembler;
    private final EventDeserializer deserializer = RowsDeserializers.create();

    /** An assembly capturing the tables of the given {@code db.table} globs. */
    Assembly(String... include) {
        TableFilter filter = new TableFilter(List.of(include), List.of());
        assembler = new TransactionAssembler(
                "src", filter, new TableMapDefinitions(null), this, null, schema(filter, null));
    }

    /**
     * An assembly capturing the tables of the given globs that resumes from the checkpoint {@code from} as the live
     * source does: what it reads again before the checkpoint is not emitted again, and of a transaction the sink holds
     * part of ({@link Checkpoint#partial()}) only the rest is ({@link ResumeInside}).
     */
    Assembly(Checkpoint from, String... include) {
        TableFilter filter = new TableFilter(List.of(include), List.of());
        assembler = new TransactionAssembler(
                "src",
                filter,
                new TableMapDefinitions(null),
                ResumeInside.wrap(this, "src", from),
                from,
                schema(filter, from));
    }

    /** The last checkpoint passed on. */
    Checkpoint last() {
        return commits.get(commits.size() - 1);
    }

    /** The events emitted so far as {@code op id}. */
    List<String> ops() {
        return events.stream().map(e -> e.op().code() + " " + e.id()).toList();
    }

    /**
     * A schema owner for tests that keep no state: history and approvals in a store in memory, no catalog, no compatibility policy; started
     * at the checkpoint {@code from} (or at no position).
     */
    static SchemaTracker schema(TableFilter filter, Checkpoint from) {
        SchemaState state = SchemaState.inMemory();
        SchemaTracker schema = new SchemaTracker(
                "src",
                state.history(),
                state.approvals(),
                new SchemaPolicy(Compatibility.Mode.NONE, SchemaPolicy.Action.WARN, null),
                null,
                filter::captures);
        schema.start(from == null ? Map.of() : from.schemas(), from == null ? null : from.readFrom());
        return schema;
    }

    /** The assembler, for settings beyond the capture filter. */
    TransactionAssembler assembler() {
        return assembler;
    }

    /** Reads binlog events (no file magic) to their end. */
    Assembly read(byte[] binlog) throws IOException, InterruptedException {
        ByteArrayInputStream in = new ByteArrayInputStream(binlog);
        for (Event e = deserializer.nextEvent(in); e != null; e = deserializer.nextEvent(in)) {
            assembler.handle(e);
        }
        return this;
    }

    /** The events emitted so far, as the sink would write them. */
    List<JsonNode> json() throws IOException {
        List<JsonNode> json = new ArrayList<>();
        for (ChangeEvent e : events) {
            json.add(JSON.readTree(EventCodec.toJson(e, 0)));
        }
        return json;
    }

    @Override
    public void event(ChangeEvent e) {
        events.add(e);
    }

    @Override
    public void commit(Checkpoint cp) {
        commits.add(cp);
    }
}
