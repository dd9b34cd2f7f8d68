package io.sluice.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.PipelineListener;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.pipeline.SourceStatus.SnapshotTableStatus;
import io.sluice.core.sink.SinkMeters;
import io.sluice.rules.RuleStats;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one pipeline, fed by its {@link PipelineListener} callbacks and by the binlog poller.
 *
 * <p><b>Threads.</b> {@link #written}, {@link #committed}, {@link #retrying}, {@link #failed} and
 * {@link #stateChanged} come from the pipeline's writer thread, {@link #blocked} from its reader; {@link #poll()}
 * runs on the process's poller thread; {@link #refresh()} and the gauges run on the scraping thread, serialised by
 * {@link SluiceMetrics#scrape()}. The per-table meter cache is touched only by the writer thread. Values shared
 * between threads are volatile fields written by one thread each.
 *
 * <p><b>Lag.</b> The pipeline is caught up when the last poll found no binlog bytes past the committed position;
 * lag is then 0. Otherwise lag is now minus the later of the newest source time handed over (source lag) or
 * committed (sink lag) and the last time a poll found it caught up: everything before that moment was already in,
 * so a write after a long idle spell does not show as a lag of the whole idle spell. A heartbeat row's source time
 * ({@link PipelineListener#sourceTime}) counts as an event's: on a source that cannot be polled, an idle pipeline's
 * lag then stays under the heartbeat interval.
 */
final class PipelineMetrics implements PipelineListener {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMetrics.class);
    private static final Op[] OPS = Op.values();

    private final String name;
    private final MeterRegistry registry;
    private final Clock clock;
    private final ServerBinlogs binlogs;
    private final Tags tags;

    /** Writer thread only: db -> table -> meters. */
    private final Map<String, Map<String, TableMeters>> tables = new HashMap<>();
    /** Writer thread only: the meters of the last event's table, and its names. */
    private String lastDb;

    private String lastTable;
    private TableMeters lastMeters;

    private final Counter commits;
    private final Counter retries;
    private final Counter retriableErrors;
    private final Counter fatalErrors;
    private final Counter blockedSeconds;
    private final Counter pollErrors;
    private final LatencyHistograms.Latency latency;
    private final Timer flush;
    private final TargetMeters targetMeters = new TargetMeters();

    private volatile long lastWrittenTsMs;
    private volatile long lastCommittedTsMs;
    private volatile Checkpoint committed;
    private volatile PipelineState state;
    /** Written by the poller: bytes behind at the last successful poll (NaN before), and when it was last 0. */
    private volatile double bytesBehind = Double.NaN;

    private volatile long caughtUpAtMs;
    /**
     * What the lag gauges show, taken together by {@link #refresh()} before each scrape from one reading of the
     * poller's result: a poll landing in the middle of a scrape could otherwise show 0 bytes behind next to a lag.
     */
    private volatile double shownBytesBehind = Double.NaN;

    private volatile double shownSourceLagMs;
    private volatile double shownSinkLagMs;

    /** The schema gauges registered, by table. */
    private final Map<String, AtomicInteger> schemaVersions = new ConcurrentHashMap<>();
    /** Snapshot progress of the source, and the tables whose gauges are registered (scrape thread). */
    private volatile java.util.function.Supplier<java.util.List<SnapshotTableStatus>> snapshots;

    private final java.util.Set<String> snapshotGauges = new java.util.HashSet<>();
    /** Statement changes let through, per table, from the source; the tables whose counters are registered. */
    private volatile java.util.function.Supplier<Map<String, Long>> statementChanges;

    private final java.util.Set<String> statementChangeCounters = new java.util.HashSet<>();
    /** The rules stage's counters per rule (none without rules), and the rules whose counters are registered. */
    private volatile java.util.function.Supplier<List<RuleStats>> rules;

    private final java.util.Set<String> ruleCounters = new java.util.HashSet<>();

    /** The source's heartbeat writes (empty when it writes none); whether their meters are registered. */
    private volatile java.util.function.Supplier<java.util.Optional<SourceStatus.HeartbeatStatus>> heartbeat;

    private boolean heartbeatMeters;

    PipelineMetrics(
            String name,
            PipelineState initial,
            MeterRegistry registry,
            LatencyHistograms latencies,
            ServerBinlogs binlogs,
            Clock clock) {
        this.name = name;
        this.registry = registry;
        this.clock = clock;
        this.binlogs = binlogs;
        this.state = initial;
        this.tags = Tags.of("pipeline", name);
        commits = Counter.builder("sluice.commits")
                .description("Flushes that made a batch of transactions durable")
                .tags(tags)
                .register(registry);
        retries = Counter.builder("sluice.retries")
                .description("Restarts of the source after a retriable error")
                .tags(tags)
                .register(registry);
        retriableErrors = errors("retriable");
        fatalErrors = errors("fatal");
        blockedSeconds = Counter.builder("sluice.queue.blocked")
                .baseUnit("seconds")
                .description("Time the reader waited for room in the full queue (back-pressure)")
                .tags(tags)
                .register(registry);
        pollErrors = Counter.builder("sluice.binlog.poll.errors")
                .description("Failed SHOW BINARY LOGS polls of the source server")
                .tags(tags)
                .register(registry);
        latency = latencies.forPipeline(name);
        flush = Timer.builder("sluice.flush")
                .description("Time the sink took to make a batch durable")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.source.lag", this, m -> m.shownSourceLagMs / 1000.0)
                .baseUnit("seconds")
                .description("Now minus the source commit time of the last event handed to the sink; 0 when caught up")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.sink.lag", this, m -> m.shownSinkLagMs / 1000.0)
                .baseUnit("seconds")
                .description(
                        "Now minus the source commit time of the newest event the sink committed; 0 when caught up")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.binlog.behind", this, m -> m.shownBytesBehind)
                .baseUnit("bytes")
                .description("Bytes of the server's binlog past the committed position (NaN until known)")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.committed.position", this, PipelineMetrics::committedPos)
                .baseUnit("bytes")
                .description("Byte offset of the committed position in its binlog file (NaN until a commit)")
                .tags(tags)
                .register(registry);
        Gauge.builder("sluice.committed.binlog.file.number", this, PipelineMetrics::committedFileNumber)
                .description("Sequence number of the committed position's binlog file, e.g. 3 for mysql-bin.000003"
                        + " (NaN until a commit)")
                .tags(tags)
                .register(registry);
        for (PipelineState s : PipelineState.values()) {
            Gauge.builder("sluice.pipeline.state", this, m -> m.state == s ? 1 : 0)
                    .description("1 for the pipeline's current state, 0 for the others")
                    .tags(tags)
                    .tag("state", s.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    private Counter errors(String kind) {
        return Counter.builder("sluice.errors")
                .description("Errors by kind: retriable (retried) or fatal (stopped)")
                .tags(tags)
                .tag("kind", kind)
                .register(registry);
    }

    String name() {
        return name;
    }

    /** The counter of breaking schema versions let through for {@code table}; registered at 0 on first use. */
    private Counter breaking(String table) {
        return Counter.builder("sluice.schema.breaking")
                .description("Schema versions that broke the compatibility policy and were let through (warn,"
                        + " or approved)")
                .tags(tags)
                .tag("table", table)
                .register(registry);
    }

    // ---- listener callbacks -------------------------------------------------------------------------------------

    @Override
    public void written(ChangeEvent event, long bytes) {
        TableMeters t = meters(event.source());
        t.event(event.op()).increment();
        t.bytes.increment(bytes);
        lastWrittenTsMs = event.source().tsMs();
        if (event.change() != null && !event.change().breaking().isEmpty()) {
            breaking(t.table).increment();
        }
    }

    @Override
    public void written(EventRun run, long bytes) {
        TableMeters t = meters(run.source());
        t.event(Op.READ).increment(run.size());
        t.bytes.increment(bytes);
        lastWrittenTsMs = run.source().tsMs();
    }

    private TableMeters meters(SourceInfo s) {
        TableMeters t = lastMeters;
        if (s.db() != lastDb || s.table() != lastTable || t == null) {
            // a source hands over the same strings for a table's events: most events skip the two lookups
            t = tables.computeIfAbsent(s.db(), d -> new HashMap<>()).get(s.table());
            if (t == null) {
                t = new TableMeters(s.db() == null ? String.valueOf(s.table()) : s.db() + "." + s.table());
                tables.get(s.db()).put(s.table(), t);
            }
            lastDb = s.db();
            lastTable = s.table();
            lastMeters = t;
        }
        return t;
    }

    @Override
    public void committed(Checkpoint checkpoint, int events, long[] sourceTsMs, long durableAtMs, long flushNanos) {
        commits.increment();
        flush.record(flushNanos, TimeUnit.NANOSECONDS);
        int n = Math.min(events, sourceTsMs.length);
        long newest = lastCommittedTsMs;
        latency.record(sourceTsMs, n, durableAtMs);
        for (int i = 0; i < n; i++) {
            newest = Math.max(newest, sourceTsMs[i]);
        }
        lastCommittedTsMs = newest;
        committed = checkpoint;
    }

    @Override
    public void sourceTime(long sourceTsMs, boolean durable) {
        // a heartbeat row: the source was read up to this time though no event came of it
        if (durable) {
            lastCommittedTsMs = Math.max(lastCommittedTsMs, sourceTsMs);
        } else {
            lastWrittenTsMs = Math.max(lastWrittenTsMs, sourceTsMs);
        }
    }

    @Override
    public void blocked(long nanos) {
        blockedSeconds.increment(nanos / 1e9);
    }

    @Override
    public void retrying(Throwable error, long backoffMs) {
        retries.increment();
        retriableErrors.increment();
    }

    @Override
    public void failed(Throwable error) {
        fatalErrors.increment();
    }

    @Override
    public void stateChanged(PipelineState newState) {
        state = newState;
    }

    @Override
    public SinkMeters sinkMeters() {
        return targetMeters;
    }

    // ---- poller thread ------------------------------------------------------------------------------------------

    /** Polls the server's binlog end once; on failure keeps the last value and counts the error. */
    void poll() {
        Checkpoint cp = committed;
        long at = clock.millis();
        if (cp == null) {
            return;
        }
        List<BinlogFile> files;
        try {
            files = binlogs.list();
        } catch (SQLException | RuntimeException e) {
            pollErrors.increment();
            LOG.debug("[{}] SHOW BINARY LOGS failed: {}", name, e.toString());
            return;
        }
        long behind = BinlogFile.bytesBehind(cp.position(), files);
        if (behind == 0) {
            caughtUpAtMs = at;
        }
        bytesBehind = behind;
    }

    void close() {
        binlogs.close();
    }

    // ---- gauges and the scrape thread ---------------------------------------------------------------------------

    /** Lag in ms after {@code newestTsMs}, or null when neither an event nor a caught-up poll is known. */
    private static Long lag(long newestTsMs, double behind, long caughtUpAt, long now) {
        if (behind == 0) {
            return 0L;
        }
        long since = Math.max(newestTsMs, caughtUpAt);
        return since == 0 ? null : Math.max(0, now - since);
    }

    /** The pipeline's lag now, from one reading of the poller's result (the gauges show the same, 0 for null). */
    Lag lag() {
        double behind = bytesBehind;
        long caughtUpAt = caughtUpAtMs;
        long now = clock.millis();
        return new Lag(
                lag(lastWrittenTsMs, behind, caughtUpAt, now),
                lag(lastCommittedTsMs, behind, caughtUpAt, now),
                Double.isNaN(behind) ? null : (long) behind);
    }

    private double committedPos() {
        Checkpoint cp = committed;
        return cp == null ? Double.NaN : cp.position().pos();
    }

    private double committedFileNumber() {
        Checkpoint cp = committed;
        if (cp == null) {
            return Double.NaN;
        }
        long n = BinlogPosition.fileSequence(cp.position().file());
        return n < 0 ? Double.NaN : n;
    }

    /** Where the counts of statements that changed captured rows without row events come from (the MySQL source). */
    void statementChanges(java.util.function.Supplier<Map<String, Long>> counts) {
        this.statementChanges = counts;
    }

    /**
     * Registers a counter for each captured table and each table with statement changes not seen before; they read
     * the source's counts.
     */
    private void refreshStatementChanges() {
        var source = statementChanges;
        if (source == null) {
            return;
        }
        java.util.Set<String> tables = new java.util.TreeSet<>(source.get().keySet());
        Checkpoint cp = committed;
        if (cp != null) {
            tables.addAll(cp.schemas().keySet()); // a captured table's counter is there at 0 before any such statement
        }
        for (String table : tables) {
            if (statementChangeCounters.add(table)) {
                FunctionCounter.builder(
                                "sluice.statement.changes", source, s -> s.get().getOrDefault(table, 0L))
                        .description("Statements that changed a captured table's rows without row events and were"
                                + " let through (source.on-statement-changes: warn or snapshot, or approved)")
                        .tags(tags)
                        .tag("table", table)
                        .register(registry);
            }
        }
    }

    /** Where the heartbeat's writes are counted (the source's status); a restarted pipeline's source replaces it. */
    void heartbeat(java.util.function.Supplier<java.util.Optional<SourceStatus.HeartbeatStatus>> status) {
        this.heartbeat = status;
    }

    /** One value of the current source's heartbeat status, NaN when it writes none. */
    private double heartbeatValue(java.util.function.ToDoubleFunction<SourceStatus.HeartbeatStatus> value) {
        var source = heartbeat;
        return source == null
                ? Double.NaN
                : source.get().map(value::applyAsDouble).orElse(Double.NaN);
    }

    /**
     * Registers the heartbeat's meters once its source writes heartbeats ({@code source.heartbeat.table}): when the
     * last heartbeat was written (NaN before the first) and the writes that succeeded and failed.
     */
    private void refreshHeartbeat() {
        var source = heartbeat;
        if (heartbeatMeters || source == null || source.get().isEmpty()) {
            return;
        }
        heartbeatMeters = true;
        Gauge.builder(
                        "sluice.heartbeat.last.write.timestamp",
                        this,
                        m -> m.heartbeatValue(h -> {
                            long ms = h.lastWriteEpochMillis();
                            return ms < 0 ? Double.NaN : ms / 1000.0;
                        }))
                .baseUnit("seconds")
                .description("When the last heartbeat row was written (Unix time); the age of it is how long the"
                        + " heartbeat has not kept lag truthful")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sluice.heartbeat.writes", this, m -> m.heartbeatValue(h -> h.writes()))
                .description("Heartbeat rows written to source.heartbeat.table")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("sluice.heartbeat.errors", this, m -> m.heartbeatValue(h -> h.errors()))
                .description("Heartbeat writes that failed (each is tried again an interval later)")
                .tags(tags)
                .register(registry);
    }

    /** Where the per-rule counters come from (the pipeline's rules stage), or null without rules. */
    void rules(java.util.function.Supplier<List<RuleStats>> stats) {
        this.rules = stats;
    }

    /**
     * Registers the counters of each rule not seen before (a rule comes with the version that first has it); they
     * read the current stage's counters, which start again at 0 when a failed pipeline is restarted.
     */
    private void refreshRules() {
        var source = rules;
        if (source == null) {
            return;
        }
        for (RuleStats st : source.get()) {
            String rule = st.rule();
            if (!ruleCounters.add(rule)) {
                continue;
            }
            ruleCounter(
                    source, rule, "sluice.rule.events.matched", "Events a rule's match took in", RuleStats::matched);
            ruleCounter(
                    source,
                    rule,
                    "sluice.rule.events.dropped",
                    "Events a rule dropped (its where was false, or a delete it skips)",
                    RuleStats::dropped);
            ruleCounter(
                    source,
                    rule,
                    "sluice.rule.events.changed",
                    "Events a rule changed (columns, key, route or op)",
                    RuleStats::changed);
            ruleCounter(
                    source,
                    rule,
                    "sluice.rule.errors",
                    "Events a rule failed on (the pipeline halts, or with on-error: dead-letter sets them aside)",
                    RuleStats::errors);
            ruleCounter(
                    source,
                    rule,
                    "sluice.rule.events.dead.lettered",
                    "Events a rule failed on that went to the dead-letter file (on-error: dead-letter)",
                    RuleStats::deadLettered);
            FunctionCounter.builder("sluice.rule.time", source, s -> ruleValue(s, rule, RuleStats::seconds))
                    .baseUnit("seconds")
                    .description("Time spent in a rule")
                    .tags(tags)
                    .tag("rule", rule)
                    .register(registry);
        }
    }

    private void ruleCounter(
            java.util.function.Supplier<List<RuleStats>> source,
            String rule,
            String name,
            String doc,
            java.util.function.ToLongFunction<RuleStats> value) {
        FunctionCounter.builder(name, source, s -> ruleValue(s, rule, st -> value.applyAsLong(st)))
                .description(doc)
                .tags(tags)
                .tag("rule", rule)
                .register(registry);
    }

    private static double ruleValue(
            java.util.function.Supplier<List<RuleStats>> source,
            String rule,
            java.util.function.ToDoubleFunction<RuleStats> value) {
        for (RuleStats st : source.get()) {
            if (st.rule().equals(rule)) {
                return value.applyAsDouble(st);
            }
        }
        return 0;
    }

    /** Where snapshot progress comes from (the MySQL source). */
    void snapshots(java.util.function.Supplier<java.util.List<SnapshotTableStatus>> progress) {
        this.snapshots = progress;
    }

    /**
     * Registers the gauges of tables whose snapshot was not seen before. One series per table, whatever the run: each
     * gauge reads the table's newest run (a new run on the table starts its figures again); the run's name is in the
     * API and the console, not in a label (a label per run would leave a new series behind for every run).
     */
    private void refreshSnapshots() {
        var source = snapshots;
        if (source == null) {
            return;
        }
        for (SnapshotTableStatus st : source.get()) {
            String table = st.table();
            if (!snapshotGauges.add(table)) {
                continue;
            }
            snapshotGauge(
                    table,
                    "sluice.snapshot.rows",
                    null,
                    "Rows the table's newest snapshot run emitted so far",
                    s -> s.rows());
            snapshotGauge(
                    table,
                    "sluice.snapshot.rows.estimate",
                    null,
                    "information_schema's estimate of the table's rows (NaN: unknown)",
                    s -> s.totalEstimate() < 0 ? Double.NaN : s.totalEstimate());
            snapshotGauge(
                    table,
                    "sluice.snapshot.rows.per.second",
                    null,
                    "Snapshot read rate since this process started on the table",
                    SnapshotTableStatus::rate);
            snapshotGauge(
                    table,
                    "sluice.snapshot.eta",
                    "seconds",
                    "Seconds left at the current rate (0: done, NaN: not known yet)",
                    s -> s.etaSeconds() < 0 ? Double.NaN : s.etaSeconds());
            snapshotGauge(
                    table,
                    "sluice.snapshot.done",
                    null,
                    "1 when the table's snapshot is complete",
                    s -> s.done() ? 1 : 0);
        }
    }

    /** A gauge of {@code table}'s newest snapshot run (NaN when there is none). */
    private void snapshotGauge(
            String table,
            String meter,
            String baseUnit,
            String help,
            java.util.function.ToDoubleFunction<SnapshotTableStatus> value) {
        Gauge.builder(meter, this, m -> {
                    SnapshotTableStatus newest = m.newestSnapshot(table);
                    return newest == null ? Double.NaN : value.applyAsDouble(newest);
                })
                .baseUnit(baseUnit)
                .description(help)
                .tags(tags)
                .tag("table", table)
                .register(registry);
    }

    /** The status of the newest snapshot run of {@code table} in this process, or null. */
    private SnapshotTableStatus newestSnapshot(String table) {
        var source = snapshots;
        SnapshotTableStatus newest = null;
        if (source != null) {
            for (SnapshotTableStatus st : source.get()) { // oldest first
                if (st.table().equals(table)) {
                    newest = st;
                }
            }
        }
        return newest;
    }

    /**
     * Brings the series that depend on the committed checkpoint up to date (schema versions, breaking counters) and takes
     * the lag gauges' values together, before each scrape.
     */
    void refresh() {
        Lag l = lag();
        shownBytesBehind = l.bytesBehind() == null ? Double.NaN : l.bytesBehind();
        shownSourceLagMs = l.sourceMs() == null ? 0 : l.sourceMs();
        shownSinkLagMs = l.sinkMs() == null ? 0 : l.sinkMs();
        refreshSnapshots();
        refreshStatementChanges();
        refreshRules();
        refreshHeartbeat();
        Checkpoint cp = committed;
        if (cp == null) {
            return;
        }
        for (Map.Entry<String, TableVersion> e : cp.schemas().entrySet()) {
            AtomicInteger v = schemaVersions.get(e.getKey());
            if (v == null) {
                v = new AtomicInteger();
                schemaVersions.put(e.getKey(), v);
                Gauge.builder("sluice.table.schema.version", v, AtomicInteger::get)
                        .description("Schema version of a table as of the committed checkpoint")
                        .tags(tags)
                        .tag("table", e.getKey())
                        .register(registry);
                breaking(e.getKey());
            }
            v.set(e.getValue().version());
        }
    }

    /**
     * The meters of a sink that applies rows to a target (JDBC): rows applied per target table and op, each target
     * transaction's time, and the target lag at its last commit. Registered on first use (a file or Kafka sink never
     * reports, and gets none of these series). Writer thread, but for the lag gauge.
     */
    private final class TargetMeters implements SinkMeters {
        private final Map<String, Counter[]> applied = new HashMap<>();
        private Timer batch;
        private volatile double lagSeconds = Double.NaN;

        @Override
        public void applied(String table, Op op, long rows) {
            Counter[] byOp = applied.computeIfAbsent(table, t -> new Counter[OPS.length]);
            Counter c = byOp[op.ordinal()];
            if (c == null) {
                c = Counter.builder("sluice.sink.rows.applied")
                        .description("Rows the sink's target committed, by target table and op")
                        .tags(tags)
                        .tag("table", table)
                        .tag("op", op.code())
                        .register(registry);
                byOp[op.ordinal()] = c;
            }
            c.increment(rows);
        }

        @Override
        public void committed(long nanos, long newestSourceTsMs, long committedAtMs) {
            if (batch == null) {
                batch = Timer.builder("sluice.sink.batch")
                        .description("Time one target transaction took in the target: its statements and its commit")
                        .tags(tags)
                        .register(registry);
                Gauge.builder("sluice.sink.target.lag", this, m -> m.lagSeconds)
                        .baseUnit("seconds")
                        .description("At the target's last commit: its time minus the source commit time of the newest"
                                + " change in it (NaN until a commit with rows)")
                        .tags(tags)
                        .register(registry);
            }
            batch.record(nanos, TimeUnit.NANOSECONDS);
            if (newestSourceTsMs > 0) {
                lagSeconds = Math.max(0, committedAtMs - newestSourceTsMs) / 1000.0;
            }
        }
    }

    /** The meters of one table; the op counters are registered on first use. Writer thread only. */
    private final class TableMeters {
        private final String table;
        private final Counter[] events = new Counter[OPS.length];
        private final Counter bytes;

        TableMeters(String table) {
            this.table = table;
            this.bytes = Counter.builder("sluice.event.bytes")
                    .baseUnit("bytes")
                    .description("Bytes of change events written to the sink, by table")
                    .tags(tags)
                    .tag("table", table)
                    .register(registry);
        }

        Counter event(Op op) {
            Counter c = events[op.ordinal()];
            if (c == null) {
                c = Counter.builder("sluice.events")
                        .description("Change events written to the sink, by table and op")
                        .tags(tags)
                        .tag("table", table)
                        .tag("op", op.code())
                        .register(registry);
                events[op.ordinal()] = c;
            }
            return c;
        }
    }
}
