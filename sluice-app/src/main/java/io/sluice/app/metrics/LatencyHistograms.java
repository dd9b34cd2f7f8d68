package io.sluice.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code sluice_end_to_end_latency_seconds}: a classic Prometheus histogram (with {@code _max}) of every committed
 * event's latency, one series per pipeline. Recorded in bulk, once per flush: the events of one flush that share a
 * source time (a transaction, a snapshot chunk; the source clock ticks in seconds) share a latency, so a flush of
 * 100,000 events costs a few bucket lookups instead of 100,000 timer calls (a Micrometer timer takes ~110 ns per
 * call under the C1 compiler, a sizeable share of the sink thread's time in a bulk load).
 */
final class LatencyHistograms implements MultiCollector {
    static final String NAME = "sluice_end_to_end_latency_seconds";
    /** Bucket upper bounds in milliseconds (then +Inf). */
    static final long[] BOUNDS_MS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000
    };

    private static final double[] BOUNDS_SECONDS = new double[BOUNDS_MS.length + 1];
    /** {@code _max} is the largest latency of the current and the previous window. */
    static final long MAX_WINDOW_MS = 60_000;

    static {
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            BOUNDS_SECONDS[i] = BOUNDS_MS[i] / 1000.0;
        }
        BOUNDS_SECONDS[BOUNDS_MS.length] = Double.POSITIVE_INFINITY;
    }

    private final List<Latency> pipelines = new CopyOnWriteArrayList<>();

    /** The histogram of one pipeline (its series appears at once, with zero counts). */
    Latency forPipeline(String pipeline) {
        Latency l = new Latency(pipeline);
        pipelines.add(l);
        return l;
    }

    @Override
    public MetricSnapshots collect() {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
        List<GaugeSnapshot.GaugeDataPointSnapshot> maxima = new ArrayList<>();
        for (Latency l : pipelines) {
            long[] counts;
            long sumMs;
            long maxMs;
            synchronized (l) {
                counts = l.counts.clone();
                sumMs = l.sumMs;
                maxMs = Math.max(l.maxMs, l.previousMaxMs);
            }
            Labels labels = Labels.of("pipeline", l.pipeline);
            points.add(new HistogramSnapshot.HistogramDataPointSnapshot(
                    ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts), sumMs / 1000.0, labels, Exemplars.EMPTY, 0L));
            maxima.add(new GaugeSnapshot.GaugeDataPointSnapshot(maxMs / 1000.0, labels, null));
        }
        return MetricSnapshots.of(
                new HistogramSnapshot(
                        new MetricMetadata(NAME, "Source commit to sink commit, per committed event", Unit.SECONDS),
                        points),
                new GaugeSnapshot(
                        new MetricMetadata(
                                NAME + "_max", "The largest end-to-end latency of the last" + " one to two minutes"),
                        maxima));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(NAME, NAME + "_max");
    }

    /** One pipeline's counts; {@link #record} comes from its writer thread, {@link #collect} from the scraper. */
    static final class Latency {
        final String pipeline;
        final long[] counts = new long[BOUNDS_MS.length + 1];
        long sumMs;
        long maxMs;
        long previousMaxMs;
        private long windowStartMs = Long.MIN_VALUE;

        Latency(String pipeline) {
            this.pipeline = pipeline;
        }

        /** Records events {@code 0..n-1} with these source times, made durable at {@code durableAtMs}. */
        void record(long[] sourceTsMs, int n, long durableAtMs) {
            long[] add = new long[counts.length];
            long sum = 0;
            long max = 0;
            int i = 0;
            while (i < n) {
                long ts = sourceTsMs[i];
                int j = i + 1;
                while (j < n && sourceTsMs[j] == ts) {
                    j++;
                }
                long ms = Math.max(0, durableAtMs - ts);
                add[bucket(ms)] += j - i;
                sum += ms * (j - i);
                max = Math.max(max, ms);
                i = j;
            }
            synchronized (this) {
                for (int b = 0; b < add.length; b++) {
                    counts[b] += add[b];
                }
                sumMs += sum;
                if (windowStartMs == Long.MIN_VALUE || durableAtMs - windowStartMs >= MAX_WINDOW_MS) {
                    previousMaxMs = durableAtMs - windowStartMs >= 2 * MAX_WINDOW_MS ? 0 : maxMs;
                    maxMs = 0;
                    windowStartMs = durableAtMs;
                }
                maxMs = Math.max(maxMs, max);
            }
        }

        static int bucket(long ms) {
            int lo = 0;
            int hi = BOUNDS_MS.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (BOUNDS_MS[mid] >= ms) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo; // BOUNDS_MS.length for +Inf
        }
    }
}
