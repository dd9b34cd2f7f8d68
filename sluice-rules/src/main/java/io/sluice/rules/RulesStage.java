package io.sluice.rules;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Transform;
import io.sluice.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(RulesStage.class);
    /** How often, at most, the stage looks for a newly deployed version (at transaction boundaries only). */
    private static final long POLL_NANOS = 250_000_000L;

    /** The rule set in effect: written by the source's thread at a transaction boundary, read by any. */
    private volatile RuleSet rules;

    private final RuleVersions versions;
    private final Function<String, String> env;
    private final LongSupplier nanoTime;
    /** Where events a rule fails on go under {@code on-error: dead-letter}; null: no file (such a failure halts). */
    private volatile DeadLetters deadLetters;
    /** Counters by rule name, across versions; guarded by itself for additions. */
    private final Map<String, RuleStats> stats = new LinkedHashMap<>();

    /** The stage for {@code rules}; {@code nanoTime} measures the per-event budget (the pipeline's scheduler). */
    public RulesStage(RuleSet rules, LongSupplier nanoTime) {
        this(rules, null, System::getenv, nanoTime);
    }

    /**
     * A stage that runs the newest of {@code versions} and switches to a newer one deployed while it runs, at the
     * next source transaction boundary (never inside a transaction); {@code env} gives hash masks' keys.
     */
    public static RulesStage versioned(RuleVersions versions, Function<String, String> env, LongSupplier nanoTime) {
        RuleVersions.Version v =
                versions.latest().orElseThrow(() -> SluiceException.fatal("no rule version is deployed yet"));
        return new RulesStage(RuleVersions.ruleSet(v, env), versions, env, nanoTime);
    }

    private RulesStage(RuleSet rules, RuleVersions versions, Function<String, String> env, LongSupplier nanoTime) {
        this.rules = rules;
        this.versions = versions;
        this.env = env;
        this.nanoTime = nanoTime;
        counters(rules);
    }

    private void counters(RuleSet set) {
        synchronized (stats) {
            for (String n : set.names()) {
                stats.putIfAbsent(n, new RuleStats(n));
            }
        }
    }

    /**
     * Sets the file that events a rule fails on go to when the rule set in effect says {@code on-error: dead-letter};
     * call before the pipeline starts. Returns this stage.
     */
    public RulesStage deadLetters(DeadLetters file) {
        this.deadLetters = file;
        return this;
    }

    /** The versions this stage takes up (the pipeline's state store), or null for a stage of one fixed rule set. */
    public RuleVersions versions() {
        return versions;
    }

    /** The rule set in effect now. */
    public RuleSet rules() {
        return rules;
    }

    /** Each rule's counters (the rules of every version run so far), in the order first seen. */
    public List<RuleStats> stats() {
        synchronized (stats) {
            return List.copyOf(stats.values());
        }
    }

    @Override
    public Emitter around(Emitter next) {
        return new Shaper(next, null);
    }

    /**
     * A run from {@code from}: a versioned stage takes up the version the checkpoint records as in effect there (the
     * one that shaped the transaction a crash may have left partly written), and a newer one only at the next
     * transaction boundary; with none recorded, the newest.
     */
    @Override
    public Emitter around(Emitter next, Checkpoint from) {
        return new Shaper(next, from == null ? null : from.rules());
    }

    /** The version a checkpoint names, refused with what to do when the state store no longer has it. */
    private RuleVersions.Version recorded(int n) {
        try {
            return versions.get(n);
        } catch (SluiceException e) {
            throw SluiceException.fatal(
                    "the checkpoint says rule version " + n + " was in effect, but " + e.getMessage()
                            + ". Restore the pipeline's state directory, or move the checkpoint (sluice position set)"
                            + " to start afresh with the newest version",
                    e);
        }
    }

    /** One run's emitter: its compiled rules belong to the source's thread. */
    private final class Shaper implements Emitter {
        private final Emitter next;
        private RuleSet current;
        private Cel cel;
        private final Map<String, TableRules> compiled = new HashMap<>();
        private final Map<String, Boolean> touched = new HashMap<>();
        /** The rules of the last row event's table version and op (null: none), found without building a key. */
        private TableSchema lastTable;

        private Op lastOp;
        private TableRules lastRules;
        private long polled = nanoTime.getAsLong();

        Shaper(Emitter next, Integer resumeWith) {
            this.next = next;
            if (versions != null) {
                RuleVersions.Version v = resumeWith == null
                        ? versions.latest().orElseThrow(() -> SluiceException.fatal("no rule version is deployed yet"))
                        : recorded(resumeWith);
                if (v.number() != rules.version()) {
                    RuleSet set = RuleVersions.ruleSet(v, env);
                    LOG.info(
                            "rules: resuming with version {} ({}), the one in effect at the checkpoint",
                            v.number(),
                            v.message());
                    counters(set);
                    rules = set;
                }
            }
            current = rules;
            cel = new Cel(current.limits());
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
        public void sourceTime(long sourceTsMs) throws InterruptedException {
            next.sourceTime(sourceTsMs);
        }

        @Override
        public void commit(Checkpoint checkpoint) throws InterruptedException {
            if (versions == null) {
                next.commit(checkpoint);
                return;
            }
            if (checkpoint.partial() == null) {
                long now = nanoTime.getAsLong();
                if (now - polled >= POLL_NANOS) {
                    polled = now;
                    switchIfDeployed(checkpoint);
                }
            }
            // the switch point is part of the checkpoint: it names the version that shapes what follows it
            next.commit(checkpoint.withRules(current.version()));
        }

        /** Between two transactions: takes up a newer deployed version, if there is one. */
        private void switchIfDeployed(Checkpoint at) {
            RuleVersions.Version v = versions.latest().orElse(null);
            if (v == null || v.number() == current.version()) {
                return;
            }
            RuleSet next = RuleVersions.ruleSet(v, env);
            LOG.info(
                    "rules: version {} ({}) in effect from {} on, after version {}",
                    v.number(),
                    v.message(),
                    at.position(),
                    current.version());
            counters(next);
            current = next;
            rules = next;
            cel = new Cel(next.limits());
            compiled.clear();
            touched.clear();
            lastTable = null;
            lastRules = null;
        }

        private boolean touches(String db, String table) {
            return touched.computeIfAbsent(db + "." + table, k -> current.touches(db, table));
        }

        private ChangeEvent shape(ChangeEvent e) {
            Op op = e.op();
            TableRules t;
            if (e.table() != null && e.table() == lastTable && op == lastOp) {
                t = lastRules; // a run of events of one table and op: no key to build, no map to look in
            } else {
                if (op == Op.TRUNCATE) {
                    return e;
                }
                boolean touches = touches(e.source().db(), e.source().table());
                if (op == Op.SCHEMA) {
                    if (touches) {
                        checkSchema(e);
                    }
                    return e;
                }
                t = touches ? compiled(e) : null;
                if (e.table() != null) {
                    lastTable = e.table();
                    lastOp = op;
                    lastRules = t;
                }
            }
            if (t == null || t.empty()) {
                return e;
            }
            try {
                return t.apply(e);
            } catch (RuleFailure f) {
                return deadLetter(f);
            }
        }

        /**
         * A rule failed on an event: with {@code on-error: dead-letter} and a dead-letter file, the event is written
         * there, counted and logged, and null is returned (nothing goes on to the sink); otherwise the failure halts.
         */
        private ChangeEvent deadLetter(RuleFailure f) {
            DeadLetters file = deadLetters;
            if (!current.deadLetter()) {
                throw f;
            }
            if (file == null) {
                throw SluiceException.fatal(
                        f.getMessage() + " [the rule file says on-error: dead-letter, but this run has no dead-letter"
                                + " file]",
                        f);
            }
            file.write(f, current.version());
            synchronized (stats) {
                stats.get(f.rule()).deadLettered.increment();
            }
            LOG.warn(
                    "rules: event {} set aside in the dead-letter file {}: rule '{}' failed: {}",
                    f.event().id(),
                    file.file(),
                    f.rule(),
                    f.error());
            return null;
        }

        private TableRules compiled(ChangeEvent e) {
            String key = e.source().db() + "." + e.source().table() + "#" + e.schema() + "/" + e.op().code();
            TableRules t = compiled.get(key);
            if (t == null) {
                synchronized (stats) {
                    t = TableRules.compile(current, cel, e, stats, nanoTime);
                }
                compiled.put(key, t);
            }
            return t;
        }

        /**
         * A table's new schema version ({@code s} event): the rules are compiled for it now, for every row op, so a
         * change that breaks a rule (a column it uses dropped or renamed, a type it compares changed) halts the
         * pipeline at the statement, with the rule and the column named, before any row of the new version.
         */
        private void checkSchema(ChangeEvent e) {
            TableSchema schema = e.change() == null ? null : e.change().schema();
            if (schema == null
                    || e.change().columns() == null
                    || schema.columns().isEmpty()) {
                return; // a drop: no version to check
            }
            try {
                for (ChangeEvent probe : probes(e.id(), e.source(), schema)) {
                    compiled(probe);
                }
            } catch (SluiceException broken) {
                throw SluiceException.fatal(
                        "the schema change of " + schema.qualifiedName() + " to version " + schema.version()
                                + " (" + e.ddl() + ") breaks a deployed rule: " + broken.getMessage()
                                + ". Deploy rules that fit the new version (sluice rules deploy), then start the"
                                + " pipeline again",
                        broken);
            }
        }
    }

    /**
     * Checks that {@code set} compiles for {@code schema} (a table's version), for every row op: throws, naming the
     * rule, the column and the table, where a rule does not fit it. What {@code sluice rules deploy} runs against
     * the tables' current versions before it records a candidate.
     */
    public static void check(RuleSet set, TableSchema schema) {
        if (schema.columns().isEmpty() || !set.touches(schema.db(), schema.table())) {
            return;
        }
        Map<String, RuleStats> st = new HashMap<>();
        for (String n : set.names()) {
            st.put(n, new RuleStats(n));
        }
        Cel cel = new Cel(set.limits());
        SourceInfo source = new SourceInfo("check", 0, null, null, 0, 0, 0, schema.db(), schema.table(), false);
        for (ChangeEvent probe : probes("check", source, schema)) {
            TableRules.compile(set, cel, probe, st, System::nanoTime);
        }
    }

    /** Events of every row op with {@code schema}'s columns (no values): what the rules are compiled from. */
    private static List<ChangeEvent> probes(String id, SourceInfo source, TableSchema schema) {
        Row row = new Row(
                schema.names(), schema.columns(), new Object[schema.columns().size()]);
        Row key = schema.keyNames().length == 0
                ? null
                : new Row(schema.keyNames(), schema.keyColumns(), new Object[schema.keyNames().length]);
        List<ChangeEvent> out = new ArrayList<>();
        for (Op op : new Op[] {Op.CREATE, Op.UPDATE, Op.DELETE, Op.READ}) {
            out.add(new ChangeEvent(
                    id,
                    op,
                    source,
                    key,
                    op == Op.CREATE || op == Op.READ ? null : row,
                    op == Op.DELETE ? null : row,
                    schema.version(),
                    null));
        }
        return out;
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
