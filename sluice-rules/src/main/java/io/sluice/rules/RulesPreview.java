package io.sluice.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.pipeline.Emitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A dry run of a candidate rule set next to the deployed one ({@code sluice rules preview}, and later the HTTP
 * API): every row event handed to {@link #event} is shaped by both, on its own, and compared. Writes nothing and
 * keeps no position; a rule failing on an event is recorded against the event, not thrown. {@code s} events pass
 * to both stages (a schema change a rule does not fit shows as a failure of the next events); {@code t} events are
 * left out.
 *
 * <p>Not thread-safe: one reader feeds it, then reads {@link #result()}.
 */
public final class RulesPreview implements Emitter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the candidate does to an event, against the deployed version. */
    public enum Outcome {
        /** Kept, exactly as the deployed version makes it. */
        KEPT,
        /** Kept, but other than the deployed version makes it (fields, key or destination). */
        CHANGED,
        /** Dropped by the candidate (the deployed version may keep it or drop it too: see the entry). */
        DROPPED,
        /** Kept by the candidate, dropped by the deployed version. */
        RESTORED,
        /** The candidate fails on it (a type error at run time, a bound exceeded): deploying it would halt here. */
        FAILED;

        /** The name as printed and in JSON: lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One source event's fate.
     *
     * @param id               the event's id (the source's: rules keep it)
     * @param table            {@code db.table} it came from
     * @param op               its op code
     * @param outcome          what the candidate does to it against the deployed version
     * @param deployedDropped  true where the deployed version drops it
     * @param deployedRoute    where the deployed version sends it ({@code db.table} when no rule routes it), or null
     * @param candidateRoute   where the candidate sends it, or null where it drops it (or fails)
     * @param added            row fields the candidate's event has and the deployed one's has not
     * @param removed          row fields the deployed event has and the candidate's has not
     * @param changed          fields both have with other values (and {@code key} when the key differs)
     * @param deployed         the deployed version's event as the contract's JSON, or null where it drops it
     * @param candidate        the candidate's event as the contract's JSON, or null where it drops it or fails
     * @param error            the candidate's failure, or null
     */
    public record Entry(
            String id,
            String table,
            String op,
            Outcome outcome,
            boolean deployedDropped,
            String deployedRoute,
            String candidateRoute,
            List<String> added,
            List<String> removed,
            List<String> changed,
            JsonNode deployed,
            JsonNode candidate,
            String error) {}

    /**
     * What a preview found.
     *
     * @param deployedVersion  the deployed version's number (0: none deployed yet)
     * @param candidateVersion the number the candidate would get when deployed
     * @param entries          the events, in binlog order (at most the limit given; the totals count all)
     * @param totals           per outcome, how many events
     * @param events           how many row events were compared
     */
    public record Result(
            int deployedVersion, int candidateVersion, List<Entry> entries, Map<Outcome, Long> totals, long events) {

        /** The result as one JSON document, for tools ({@code -o json}). */
        public ObjectNode toJson() {
            ObjectNode root = JSON.createObjectNode();
            root.put("deployed", deployedVersion);
            root.put("candidate", candidateVersion);
            root.put("events", events);
            ObjectNode t = root.putObject("totals");
            for (Outcome o : Outcome.values()) {
                t.put(o.label(), totals.getOrDefault(o, 0L));
            }
            var list = root.putArray("entries");
            for (Entry e : entries) {
                ObjectNode n = list.addObject();
                n.put("id", e.id());
                n.put("table", e.table());
                n.put("op", e.op());
                n.put("outcome", e.outcome().label());
                n.put("deployed_dropped", e.deployedDropped());
                n.put("deployed_route", e.deployedRoute());
                n.put("candidate_route", e.candidateRoute());
                e.added().forEach(n.putArray("added")::add);
                e.removed().forEach(n.putArray("removed")::add);
                e.changed().forEach(n.putArray("changed")::add);
                n.set("deployed_event", e.deployed());
                n.set("candidate_event", e.candidate());
                if (e.error() != null) {
                    n.put("error", e.error());
                }
            }
            return root;
        }
    }

    private final RuleSet deployedRules;
    private final RuleSet candidateRules;
    private final int limit;
    private final LongSupplier emitMs;
    private final Emitter deployed;
    private final Emitter candidate;
    private ChangeEvent deployedOut;
    private ChangeEvent candidateOut;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
    private long events;

    /**
     * A preview of {@code candidate} (numbered as it would be deployed) against {@code deployed} (null: no version
     * deployed, events pass unshaped), keeping at most {@code limit} entries; {@code nanoTime} measures the rules'
     * per-event budget, {@code emitMs} gives the events' {@code ts_ms}.
     */
    public RulesPreview(RuleSet deployed, RuleSet candidate, int limit, LongSupplier nanoTime, LongSupplier emitMs) {
        this.deployedRules = deployed;
        this.candidateRules = candidate;
        this.limit = limit;
        this.emitMs = emitMs;
        this.deployed = deployed == null ? capture(true) : new RulesStage(deployed, nanoTime).around(capture(true));
        this.candidate = new RulesStage(candidate, nanoTime).around(capture(false));
    }

    private Emitter capture(boolean intoDeployed) {
        return new Emitter() {
            @Override
            public void event(ChangeEvent e) {
                if (intoDeployed) {
                    deployedOut = e;
                } else {
                    candidateOut = e;
                }
            }

            @Override
            public void commit(Checkpoint checkpoint) {}
        };
    }

    @Override
    public void event(ChangeEvent e) throws InterruptedException {
        if (e.op() == Op.TRUNCATE) {
            return;
        }
        if (e.op() == Op.SCHEMA) {
            schema(e);
            return;
        }
        events++;
        deployedOut = null;
        candidateOut = null;
        String deployedError = null;
        try {
            deployed.event(e);
        } catch (SluiceException ex) {
            deployedError = ex.getMessage();
        }
        String error = null;
        try {
            candidate.event(e);
        } catch (SluiceException ex) {
            error = ex.getMessage();
        }
        Entry entry =
                compare(e, deployedError == null ? deployedOut : null, error == null ? candidateOut : null, error);
        totals.merge(entry.outcome(), 1L, Long::sum);
        if (entries.size() < limit) {
            entries.add(entry);
        }
    }

    /** A schema change: both stages check it; the candidate's refusal is kept for the events that follow. */
    private void schema(ChangeEvent e) throws InterruptedException {
        try {
            deployed.event(e);
        } catch (SluiceException ignored) {
            // the deployed version's own halt is the live pipeline's business; the preview compares the candidate
        }
        try {
            candidate.event(e);
        } catch (SluiceException ignored) {
            // its rows fail to compile in turn, each recorded as a failure
        }
    }

    private Entry compare(ChangeEvent source, ChangeEvent d, ChangeEvent c, String error) {
        String table = source.source().db() + "." + source.source().table();
        JsonNode dj = d == null ? null : json(d);
        JsonNode cj = c == null ? null : json(c);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        Outcome outcome;
        if (error != null) {
            outcome = Outcome.FAILED;
        } else if (cj == null) {
            outcome = Outcome.DROPPED;
        } else {
            JsonNode base = dj != null ? dj : json(source);
            diff(image(base), image(cj), added, removed, changed);
            if (!base.path("key").equals(cj.path("key"))) {
                changed.add("key");
            }
            if (dj == null) {
                outcome = Outcome.RESTORED;
            } else {
                boolean same = added.isEmpty()
                        && removed.isEmpty()
                        && changed.isEmpty()
                        && route(d, table).equals(route(c, table))
                        && dj.path("op").equals(cj.path("op"));
                outcome = same ? Outcome.KEPT : Outcome.CHANGED;
            }
        }
        return new Entry(
                source.id(),
                table,
                source.op().code(),
                outcome,
                d == null,
                d == null ? null : route(d, table),
                c == null ? null : route(c, table),
                List.copyOf(added),
                List.copyOf(removed),
                List.copyOf(changed),
                dj,
                cj,
                error);
    }

    private static String route(ChangeEvent e, String table) {
        return e.shaping() != null && e.shaping().route() != null ? e.shaping().route() : table;
    }

    /** The row image a rule shapes: {@code after}, or {@code before} for a delete. */
    private static JsonNode image(JsonNode event) {
        JsonNode after = event.path("after");
        return after.isObject() ? after : event.path("before");
    }

    private static void diff(JsonNode a, JsonNode b, List<String> added, List<String> removed, List<String> changed) {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!a.has(f)) {
                added.add(f);
            } else if (!a.get(f).equals(b.get(f))) {
                changed.add(f);
            }
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!b.has(f)) {
                removed.add(f);
            }
        }
    }

    private JsonNode json(ChangeEvent e) {
        try {
            return JSON.readTree(EventCodec.toJson(e, emitMs.getAsLong()));
        } catch (IOException ex) {
            throw new IllegalStateException("the encoder wrote JSON Jackson cannot read back", ex);
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) {
        // a preview keeps no position
    }

    /** What the preview found so far. */
    public Result result() {
        return new Result(
                deployedRules == null ? 0 : deployedRules.version(),
                candidateRules.version(),
                List.copyOf(entries),
                Map.copyOf(totals),
                events);
    }
}
