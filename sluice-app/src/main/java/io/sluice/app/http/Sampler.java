package io.sluice.app.http;

import io.sluice.app.metrics.Lag;
import io.sluice.app.metrics.LagReader;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the pipelines' counters into figures over time: events per second, a bounded history of lag and
 * throughput per pipeline, and a bounded list of recent errors (failures and retries as observed, WARN and ERROR log
 * lines).
 *
 * <p>{@link #tick()} is called by the server's sampler thread every interval; {@link #observe()} may be called
 * from any thread (the request handlers call it so an error shows at once). All state is guarded by {@code this}.
 */
final class Sampler {
    /** One point of a pipeline's history. */
    record Sample(long t, Long lagMs, double eventsPerSecond) {}

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
    }

    private final List<ManagedPipeline> pipelines;
    private final LagReader lag;
    private final Clock clock;
    private final int historyCapacity;
    private final int errorCapacity;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final ArrayDeque<ErrorEntry> errors = new ArrayDeque<>();

    Sampler(List<ManagedPipeline> pipelines, LagReader lag, Clock clock, int historyCapacity, int errorCapacity) {
        this.pipelines = List.copyOf(pipelines);
        this.lag = lag;
        this.clock = clock;
        this.historyCapacity = Math.max(1, historyCapacity);
        this.errorCapacity = Math.max(1, errorCapacity);
        for (ManagedPipeline p : this.pipelines) {
            tracks.put(p.name(), new Track());
        }
    }

    /** The pipeline's source lag as its metrics define it ({@link Lag}); null when unknown. */
    Long lagMs(String pipeline) {
        return lag.lag(pipeline).map(Lag::sourceMs).orElse(null);
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
            t.history.addLast(new Sample(now, lagMs(m.name()), round(t.eventsPerSecond)));
        }
        observe();
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

    /** The pipeline's samples taken at or after {@code sinceMs}, oldest first. */
    synchronized List<Sample> history(String pipeline, long sinceMs) {
        List<Sample> out = new ArrayList<>();
        Track t = tracks.get(pipeline);
        if (t != null) {
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
