package io.sluice.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineListener;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.rules.RulesStage;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The process's metrics: one Prometheus registry for every pipeline, each pipeline's series labelled
 * {@code pipeline=<name>}, and one daemon thread ({@code sluice-metrics-poll}) that polls each source server's
 * binlog end every few seconds. Attach {@link #listenerFor} to each pipeline before it starts; serve
 * {@link #scrape()} with {@code #contentType()} at {@code /metrics}. Also {@code sluice_build_info} and the JVM and
 * process meters of Micrometer's binders. The metric names are listed in {@code docs/metrics.md}.
 */
public final class SluiceMetrics implements LagReader, AutoCloseable {
    /** How often the poller asks each source for its binlog end, unless told otherwise. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Listens to the JVM's collections once the JVM and process meters are bound (at the first scrape); closed with
     * the metrics.
     */
    private JvmGcMetrics jvmGc;

    private final LatencyHistograms latencies = new LatencyHistograms();
    private final Clock clock;
    private final Duration pollInterval;
    private final Function<PipelineConfig, ServerBinlogs> binlogs;
    private final List<PipelineMetrics> pipelines = new CopyOnWriteArrayList<>();
    private final Map<String, PipelineMetrics> byName = new java.util.concurrent.ConcurrentHashMap<>();
    /** Null when polling is off (interval zero): tests then call {@link #pollNow()}. */
    private final ScheduledExecutorService poller;

    /**
     * Metrics with the given clock, polling every {@link #DEFAULT_POLL_INTERVAL}; {@code version} is the Sluice
     * version {@code sluice_build_info} shows.
     */
    public SluiceMetrics(Clock clock, String version) {
        this(clock, DEFAULT_POLL_INTERVAL, version);
    }

    /** Metrics with the given clock, polling each source's binlog end every {@code pollInterval}. */
    public SluiceMetrics(Clock clock, Duration pollInterval, String version) {
        this(clock, pollInterval, version, c -> new JdbcServerBinlogs(c.source()));
    }

    SluiceMetrics(Clock clock, Duration pollInterval, String version, Function<PipelineConfig, ServerBinlogs> binlogs) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.binlogs = Objects.requireNonNull(binlogs, "binlogs");
        Info.builder()
                .name("sluice_build_info")
                .help("The Sluice build this process runs (value always 1)")
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(
                        Objects.requireNonNull(version, "version"), System.getProperty("java.version", "unknown"));
        registry.getPrometheusRegistry().register(latencies);
        // two of Micrometer's process meters break Prometheus's naming rules (promtool): an abbreviated unit
        // (process_cpu_time_ns_total) and a _count suffix on a gauge (system_cpu_count)
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (pollInterval.isZero()) {
            poller = null;
        } else {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-metrics-poll");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, pollInterval.toMillis());
            poller.scheduleWithFixedDelay(this::pollNow, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A listener recording {@code pipeline}'s metrics; set it with {@link Pipeline#listener} before
     * {@link Pipeline#start()}. The binlog poller reaches the source with {@code config}'s JDBC URL and user. A
     * pipeline built again under the same name (a restart after its failure) gets the same listener back, its series
     * going on, now reading the new pipeline's source.
     */
    public PipelineListener listenerFor(PipelineConfig config, Pipeline pipeline) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pipeline, "pipeline");
        PipelineMetrics m = byName.get(pipeline.name());
        if (m == null) {
            m = new PipelineMetrics(
                    pipeline.name(), pipeline.state(), registry, latencies, binlogs.apply(config), clock);
            byName.put(pipeline.name(), m);
            pipelines.add(m);
        }
        SourceStatus status = pipeline.source().status();
        m.snapshots(status::snapshots);
        m.statementChanges(status::statementChanges);
        m.heartbeat(status::heartbeat);
        m.rules(pipeline.transform() instanceof RulesStage rules ? rules::stats : null);
        return m;
    }

    /** The current values in the Prometheus text format (version 0.0.4). */
    public synchronized String scrape() {
        bindJvmMeters();
        for (PipelineMetrics m : pipelines) {
            m.refresh();
        }
        return registry.scrape();
    }

    /**
     * Binds the JVM and process meters (memory, threads, collections, classes, CPU, uptime, file descriptors) once.
     * They are bound at the first scrape rather than at start: binding them builds the JVM's management beans, a
     * fixed cost of every run (about 120 classes and the collectors' notification listeners) that a pipeline nobody
     * scrapes never needs. So the collection series count collections from the first scrape on.
     */
    private void bindJvmMeters() {
        if (jvmGc != null) {
            return;
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time the process used")
                    .register(registry);
        }
        JvmGcMetrics gc = new JvmGcMetrics();
        for (MeterBinder b : List.<MeterBinder>of(
                new ClassLoaderMetrics(),
                new JvmMemoryMetrics(),
                gc,
                new JvmThreadMetrics(),
                new ProcessorMetrics(),
                new UptimeMetrics(),
                new FileDescriptorMetrics())) {
            b.bindTo(registry);
        }
        jvmGc = gc;
    }

    /** The pipeline's lag now, the same figure the lag gauges show at a scrape (the API and console show it). */
    @Override
    public Optional<Lag> lag(String pipeline) {
        PipelineMetrics m = byName.get(pipeline);
        return m == null ? Optional.empty() : Optional.of(m.lag());
    }

    @Override
    public Map<String, Map<String, Long>> tableEvents(String pipeline) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        for (io.micrometer.core.instrument.Counter c :
                registry.find("sluice.events").tag("pipeline", pipeline).counters()) {
            String table = c.getId().getTag("table");
            String op = c.getId().getTag("op");
            if (table != null && op != null) {
                out.computeIfAbsent(table, t -> new java.util.TreeMap<>()).merge(op, (long) c.count(), Long::sum);
            }
        }
        return out;
    }

    /** The HTTP {@code Content-Type} of {@link #scrape()}. */
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** The registry, for binding more meters (JVM, HTTP server). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The configured poll interval. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Polls every pipeline's source once, on the calling thread. */
    void pollNow() {
        for (PipelineMetrics m : pipelines) {
            try {
                m.poll();
            } catch (RuntimeException e) {
                // poll() counts its own failures; never let one end the scheduled task
            }
        }
    }

    /** Stops the poller and closes its connections. */
    @Override
    public void close() {
        synchronized (this) {
            if (jvmGc != null) {
                jvmGc.close();
            }
        }
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (PipelineMetrics m : pipelines) {
            m.close();
        }
    }
}
