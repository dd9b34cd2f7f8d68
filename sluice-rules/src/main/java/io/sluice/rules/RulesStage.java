package io.sluice.rules;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventRun;
import io.sluice.core.event.Op;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Transform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The pipeline's rules stage: applies a {@link RuleSet} to every row event of a table a rule matches, before the
 * encoder. Rules are compiled per table, schema version and op on the first such event (a rule that does not fit the
 * table stops the pipeline then, naming the rule, the column and the table). Events of tables no rule matches, and
 * {@code t} and {@code s} events, pass untouched; so do snapshot runs ({@link EventRun}) of such tables, on the fast
 * path. A snapshot run of a table a rule matches is taken apart into typed events and shaped one by one.
 *
 * <p>Shaped events keep the source's id and {@code source} block; they carry the rule set's version ({@link
 * io.sluice.core.event.Shaping}) and no rendered body. A rule that fails on an event stops the pipeline with the rule,
 * the event id and the row named: nothing is dropped silently. Runs on the source's thread.
 */
public final class RulesStage implements Transform {
    private final RuleSet rules;
    private final LongSupplier nanoTime;
    private final Map<String, RuleStats> stats = new LinkedHashMap<>();

    /** The stage for {@code rules}; {@code nanoTime} measures the per-event budget (the pipeline's scheduler). */
    public RulesStage(RuleSet rules, LongSupplier nanoTime) {
        this.rules = rules;
        this.nanoTime = nanoTime;
        for (String n : rules.names()) {
            stats.put(n, new RuleStats(n));
        }
    }

    public RuleSet rules() {
        return rules;
    }

    /** Each rule's counters, in file order. */
    public List<RuleStats> stats() {
        return List.copyOf(stats.values());
    }

    @Override
    public Emitter around(Emitter next) {
        return new Shaper(next);
    }

    /** One run's emitter: its compiled rules belong to the source's thread. */
    private final class Shaper implements Emitter {
        private final Emitter next;
        private final Cel cel = new Cel(rules.limits());
        private final Map<String, TableRules> compiled = new HashMap<>();
        private final Map<String, Boolean> touched = new HashMap<>();

        Shaper(Emitter next) {
            this.next = next;
        }

        @Override
        public void event(ChangeEvent e) throws InterruptedException {
            ChangeEvent out = shape(e);
            if (out != null) {
                next.event(out);
            }
        }

        @Override
        public void events(EventRun run) throws InterruptedException {
            if (!touches(run.source().db(), run.source().table())) {
                next.events(run); // the fast path: no rule looks at this table
                return;
            }
            for (int k = 0; k < run.size(); k++) {
                event(run.event(k));
            }
        }

        @Override
        public void commit(Checkpoint checkpoint) throws InterruptedException {
            next.commit(checkpoint);
        }

        private boolean touches(String db, String table) {
            return touched.computeIfAbsent(db + "." + table, k -> rules.touches(db, table));
        }

        private ChangeEvent shape(ChangeEvent e) {
            Op op = e.op();
            if (op == Op.SCHEMA
                    || op == Op.TRUNCATE
                    || !touches(e.source().db(), e.source().table())) {
                return e;
            }
            String key = e.source().db() + "." + e.source().table() + "#" + e.schema() + "/" + op.code();
            TableRules t = compiled.get(key);
            if (t == null) {
                t = TableRules.compile(rules, cel, e, stats, nanoTime);
                compiled.put(key, t);
            }
            return t.empty() ? e : t.apply(e);
        }
    }

    @Override
    public String toString() {
        return "RulesStage[" + rules + "]";
    }

    /** For tests: the events {@code rules} makes of {@code events}, in order. */
    static List<ChangeEvent> shapeAll(RulesStage stage, List<ChangeEvent> events) throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        Emitter e = stage.around(new Emitter() {
            @Override
            public void event(ChangeEvent event) {
                out.add(event);
            }

            @Override
            public void commit(Checkpoint checkpoint) {}
        });
        for (ChangeEvent ev : events) {
            e.event(ev);
        }
        return out;
    }
}
