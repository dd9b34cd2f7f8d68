package io.sluice.app.http;

import io.sluice.app.metrics.Lag;
import io.sluice.app.metrics.LagReader;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the pipelines' counters into figures over time: events per second, a bounded history of lag and
 * throughput per pipeline, and a bounded list of recent errors (failures and retries as observed, WARN and ERROR log
 * lines).
 *
 * <p>{@link #tick()} is called by the server's sampler thread every interval; {@link #observe()} may be called
 * from any thread (the request handlers call it so an error shows at once). All state is guarded by {@code this}.
 */
final class Sampler {
    /** One point of a pipeline's history: lag and bytes behind (null when unknown), events per second. */
    record Sample(long t, Long lagMs, Long bytesBehind, double eventsPerSecond) {}

    /**
     * Events per second of one table and op over each of {@link #WINDOWS_MS}, and the total: since the process
     * started, plus what the runs before wrote when the history is kept across restarts. {@code keptFrom}: when a
     * window this process has not sampled in full yet shows the rate kept from before the restart, the time that
     * rate was measured (epoch ms); -1 when every rate is this process's own.
     */
    record TableRate(String table, String op, long total, double[] perSecond, long keptFrom) {
        TableRate(String table, String op, long total, double[] perSecond) {
            this(table, op, total, perSecond, -1);
        }
    }

    /** The windows of per-table throughput: 10 s, 1 min, 5 min. */
    static final long[] WINDOWS_MS = {10_000, 60_000, 300_000};

    private static final long MINUTE_MS = 60_000;

    /**
     * One error or warning: a pipeline's failure or retry as observed (state FAILED or RETRYING), or a WARN/ERROR log
     * line (state null); pipeline is empty for a line of the process's own.
     */
    record ErrorEntry(String pipeline, long time, String severity, String state, String message) {}

    private static final class Track {
        final ArrayDeque<Sample> history = new ArrayDeque<>();
        long lastEvents = -1;
        long lastT;
        double eventsPerSecond;
        PipelineState lastState;
        long lastRetries;
        boolean failureRecorded;
        /** Kept across restarts: per-minute points, oldest first, and the file they live in (null: not kept). */
        final ArrayDeque<Sample> minutes = new ArrayDeque<>();

        HistoryFile file;
        /** The minute being summed: its start (-1 before), samples, sum of events/s, largest lag and bytes. */
        long minuteStart = -1;

        int minuteSamples;
        double minuteEps;
        Long minuteLag;
        Long minuteBytes;
        long minuteLastT;
        /** Per-table event counts at each sample of the last {@link #WINDOWS_MS} window (and one before), oldest first. */
        final ArrayDeque<TableCounts> tableCounts = new ArrayDeque<>();
        /** Events per table and op the runs before this process wrote (from {@link HistoryFile}). */
        Map<String, Map<String, Long>> tablesBefore = Map.of();
        /** The runs before's last rates per table and op and window, and when they were measured (-1: none). */
        Map<String, Map<String, double[]>> ratesBefore = Map.of();

        long ratesBeforeAt = -1;
        /** When this process took its first per-table sample (-1 before). */
        long firstTableSample = -1;
    }

    private record TableCounts(long t, Map<String, Map<String, Long>> counts) {}

    private final List<ManagedPipeline> pipelines;
    private final LagReader lag;
    private final Clock clock;
    private final int historyCapacity;
    private final int errorCapacity;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final ArrayDeque<ErrorEntry> errors = new ArrayDeque<>();
    private final int minutesKept;
    private final long saveEveryMs;
    private long lastSaved;

    Sampler(List<ManagedPipeline> pipelines, LagReader lag, Clock clock, int historyCapacity, int errorCapacity) {
        this(pipelines, lag, clock, historyCapacity, errorCapacity, 0, Duration.ZERO);
    }

    /**
     * @param minutesKept how many per-minute points to keep across restarts in each pipeline's state directory
     *                    ({@link HistoryFile}); 0 keeps none
     * @param saveEvery   how often at most {@link #tick()} writes them; {@link #save()} writes at once (at stop)
     */
    Sampler(
            List<ManagedPipeline> pipelines,
            LagReader lag,
            Clock clock,
            int historyCapacity,
            int errorCapacity,
            int minutesKept,
            Duration saveEvery) {
        this.pipelines = List.copyOf(pipelines);
        this.lag = lag;
        this.clock = clock;
        this.historyCapacity = Math.max(1, historyCapacity);
        this.errorCapacity = Math.max(1, errorCapacity);
        this.minutesKept = Math.max(0, minutesKept);
        this.saveEveryMs = saveEvery.toMillis();
        this.lastSaved = clock.millis();
        for (ManagedPipeline p : this.pipelines) {
            Track t = new Track();
            if (this.minutesKept > 0 && p.config().state() != null) {
                t.file = new HistoryFile(p.config().state());
                HistoryFile.Kept kept = t.file.load();
                for (Sample s : kept.minutes()) {
                    keepMinute(t, s);
                }
                t.tablesBefore = kept.tables();
                t.ratesBefore = kept.rates();
                t.ratesBeforeAt = kept.ratesAt();
            }
            tracks.put(p.name(), t);
        }
    }

    /** Takes one sample of every pipeline. */
    synchronized void tick() {
        long now = clock.millis();
        for (ManagedPipeline m : pipelines) {
            Track t = tracks.get(m.name());
            long events = m.pipeline().stats().eventsWritten();
            if (t.lastEvents >= 0 && now > t.lastT) {
                t.eventsPerSecond = (events - t.lastEvents) * 1000.0 / (now - t.lastT);
            }
            t.lastEvents = events;
            t.lastT = now;
            if (t.history.size() == historyCapacity) {
                t.history.removeFirst();
            }
            Lag l = lag.lag(m.name()).orElse(new Lag(null, null, null));
            Sample s = new Sample(now, l.sourceMs(), l.bytesBehind(), round(t.eventsPerSecond));
            t.history.addLast(s);
            addToMinute(t, s);
            countTables(t, now, lag.tableEvents(m.name()));
        }
        observe();
        if (minutesKept > 0 && now - lastSaved >= saveEveryMs) {
            save();
        }
    }

    // ---------------------------------------------------------------- history kept across restarts

    /** Sums {@code s} into its minute, closing the minute before when {@code s} starts a new one. */
    private void addToMinute(Track t, Sample s) {
        if (minutesKept == 0) {
            return;
        }
        long minute = s.t() - Math.floorMod(s.t(), MINUTE_MS);
        if (t.minuteStart != minute) {
            closeMinute(t);
            t.minuteStart = minute;
        }
        t.minuteSamples++;
        t.minuteEps += s.eventsPerSecond();
        t.minuteLag = max(t.minuteLag, s.lagMs());
        t.minuteBytes = max(t.minuteBytes, s.bytesBehind());
        t.minuteLastT = s.t();
    }

    private void closeMinute(Track t) {
        Sample open = openMinute(t);
        if (open != null) {
            keepMinute(t, open);
        }
        t.minuteStart = -1;
        t.minuteSamples = 0;
        t.minuteEps = 0;
        t.minuteLag = null;
        t.minuteBytes = null;
    }

    /** The minute being summed as one point (at its last sample: the largest lag and bytes, the mean rate). */
    private static Sample openMinute(Track t) {
        return t.minuteSamples == 0
                ? null
                : new Sample(t.minuteLastT, t.minuteLag, t.minuteBytes, round(t.minuteEps / t.minuteSamples));
    }

    private void keepMinute(Track t, Sample s) {
        while (t.minutes.size() >= minutesKept) {
            t.minutes.removeFirst();
        }
        t.minutes.addLast(s);
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    /** Writes each pipeline's per-minute points (the minute being summed included) to its state directory. */
    synchronized void save() {
        lastSaved = clock.millis();
        for (Track t : tracks.values()) {
            if (t.file != null) {
                List<Sample> points = new ArrayList<>(t.minutes);
                Sample open = openMinute(t);
                if (open != null) {
                    points.add(open);
                }
                t.file.save(
                        points.subList(Math.max(0, points.size() - minutesKept), points.size()),
                        totals(t),
                        lastRates(t),
                        t.tableCounts.size() >= 2 ? t.tableCounts.getLast().t() : t.ratesBeforeAt);
            }
        }
    }

    // ---------------------------------------------------------------- throughput per table

    private static void countTables(Track t, long now, Map<String, Map<String, Long>> counts) {
        if (t.firstTableSample < 0) {
            t.firstTableSample = now;
        }
        t.tableCounts.addLast(new TableCounts(now, counts));
        long longest = WINDOWS_MS[WINDOWS_MS.length - 1];
        // keep one sample at or before the longest window's start, so that window has a full span to measure
        while (t.tableCounts.size() > 2) {
            Iterator<TableCounts> it = t.tableCounts.iterator();
            it.next();
            if (it.next().t() <= now - longest) {
                t.tableCounts.removeFirst();
            } else {
                break;
            }
        }
    }

    /** Events per table and op so far: the runs before this process's (kept) plus its own, by name. */
    private static Map<String, Map<String, Long>> totals(Track t) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        t.tablesBefore.forEach((table, ops) -> out.put(table, new TreeMap<>(ops)));
        if (!t.tableCounts.isEmpty()) {
            t.tableCounts
                    .getLast()
                    .counts()
                    .forEach((table, ops) -> ops.forEach((op, n) ->
                            out.computeIfAbsent(table, k -> new TreeMap<>()).merge(op, n, Long::sum)));
        }
        return out;
    }

    /**
     * Events per second of each table and op over each of {@link #WINDOWS_MS} (over the time sampled when the
     * process is younger than a window), busiest first by the shortest window, then by name; a table only the runs
     * before wrote to is there with its total and no rate.
     */
    synchronized List<TableRate> tableRates(String pipeline) {
        Track t = tracks.get(pipeline);
        if (t == null) {
            return new ArrayList<>();
        }
        return tableRates(t);
    }

    /** How long this process has sampled the pipeline's tables (0 before two samples). */
    synchronized long sampledMs(String pipeline) {
        Track t = tracks.get(pipeline);
        return t == null || t.tableCounts.isEmpty() || t.firstTableSample < 0
                ? 0
                : t.tableCounts.getLast().t() - t.firstTableSample;
    }

    /**
     * What is kept of the rates at a save: this process's own once it sampled twice, else the ones it was given by
     * the runs before (so a restart right after a restart keeps them).
     */
    private static Map<String, Map<String, double[]>> lastRates(Track t) {
        if (t.tableCounts.size() < 2) {
            return t.ratesBefore;
        }
        Map<String, Map<String, double[]>> out = new TreeMap<>();
        for (TableRate r : tableRates(t)) {
            out.computeIfAbsent(r.table(), k -> new TreeMap<>()).put(r.op(), r.perSecond());
        }
        return out;
    }

    /**
     * See {@link #tableRates(String)}. A window longer than this process has sampled shows, for a table and op the
     * runs before measured, their last rate over it (marked by {@link TableRate#keptFrom}): after a restart the rates
     * carry on until the windows fill again, instead of starting empty.
     */
    private static List<TableRate> tableRates(Track t) {
        List<TableRate> out = new ArrayList<>();
        TableCounts last = t.tableCounts.isEmpty() ? new TableCounts(0, Map.of()) : t.tableCounts.getLast();
        TableCounts[] from = new TableCounts[WINDOWS_MS.length];
        for (int w = 0; w < WINDOWS_MS.length; w++) {
            from[w] = last;
            for (TableCounts c : t.tableCounts) {
                if (from[w] == last || c.t() <= last.t() - WINDOWS_MS[w]) {
                    from[w] = c; // the newest sample at or before the window's start, else the oldest there is
                }
            }
        }
        for (Map.Entry<String, Map<String, Long>> table : totals(t).entrySet()) {
            for (Map.Entry<String, Long> op : table.getValue().entrySet()) {
                long now = count(last, table.getKey(), op.getKey());
                double[] rates = new double[WINDOWS_MS.length];
                double[] before =
                        t.ratesBefore.getOrDefault(table.getKey(), Map.of()).get(op.getKey());
                long sampled = t.firstTableSample < 0 ? 0 : last.t() - t.firstTableSample;
                long keptFrom = -1;
                for (int w = 0; w < WINDOWS_MS.length; w++) {
                    long span = last.t() - from[w].t();
                    if (sampled < WINDOWS_MS[w] && before != null && w < before.length) {
                        rates[w] = before[w];
                        keptFrom = t.ratesBeforeAt;
                    } else {
                        rates[w] = span <= 0
                                ? 0
                                : round((now - count(from[w], table.getKey(), op.getKey())) * 1000.0 / span);
                    }
                }
                out.add(new TableRate(table.getKey(), op.getKey(), op.getValue(), rates, keptFrom));
            }
        }
        out.sort(java.util.Comparator.comparingDouble((TableRate r) -> -r.perSecond()[0]));
        return out;
    }

    private static long count(TableCounts c, String table, String op) {
        return c.counts().getOrDefault(table, Map.of()).getOrDefault(op, 0L);
    }

    /** Records failures and retries not seen before. */
    synchronized void observe() {
        long now = clock.millis();
        for (ManagedPipeline m : pipelines) {
            Track t = tracks.get(m.name());
            Pipeline p = m.pipeline();
            PipelineState state = p.state();
            long retries = p.stats().retries();
            if (state == PipelineState.FAILED && !t.failureRecorded) {
                t.failureRecorded = true;
                add(new ErrorEntry(
                        m.name(),
                        now,
                        "ERROR",
                        state.name(),
                        p.failure().map(Sampler::message).orElse("failed")));
            } else if ((state == PipelineState.RETRYING && t.lastState != PipelineState.RETRYING)
                    || retries > t.lastRetries) {
                add(new ErrorEntry(
                        m.name(),
                        now,
                        "WARN",
                        PipelineState.RETRYING.name(),
                        "source error; retrying from the last checkpoint (retry " + Math.max(retries, 1) + ")"));
            }
            t.lastState = state;
            t.lastRetries = retries;
        }
    }

    /** Records a WARN or ERROR log line ({@link RecentLog}). */
    synchronized void logged(String pipeline, long time, String severity, String message) {
        add(new ErrorEntry(pipeline, time, severity, null, message));
    }

    private void add(ErrorEntry e) {
        if (errors.size() == errorCapacity) {
            errors.removeFirst();
        }
        errors.addLast(e);
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Events per second over the last sampling interval (0 before two samples). */
    synchronized double eventsPerSecond(String pipeline) {
        Track t = tracks.get(pipeline);
        return t == null ? 0 : round(t.eventsPerSecond);
    }

    /**
     * The pipeline's points at or after {@code sinceMs}, oldest first: the per-minute points kept across restarts
     * from before this process's first sample, then this process's samples.
     */
    synchronized List<Sample> history(String pipeline, long sinceMs) {
        List<Sample> out = new ArrayList<>();
        Track t = tracks.get(pipeline);
        if (t != null) {
            long firstSample =
                    t.history.isEmpty() ? Long.MAX_VALUE : t.history.getFirst().t();
            for (Sample s : t.minutes) {
                if (s.t() >= sinceMs && s.t() < firstSample) {
                    out.add(s);
                }
            }
            for (Sample s : t.history) {
                if (s.t() >= sinceMs) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Recent errors, newest first. */
    synchronized List<ErrorEntry> errors() {
        List<ErrorEntry> out = new ArrayList<>(errors.size());
        for (Iterator<ErrorEntry> it = errors.descendingIterator(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
