package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.app.metrics.SluiceMetrics;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.time.Scheduler;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs several pipelines in one process, each isolated (own threads, checkpoint and failure: one failing does
 * not stop the others), until all have ended or the process is asked to stop (SIGTERM / Ctrl-C), when it stops
 * them all in two phases: ask each to stop, then wait for each.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final List<ManagedPipeline> managed = new ArrayList<>();
    /** The process's time, for the pipelines built now and those rebuilt by a restart. */
    private final Scheduler scheduler;

    private final List<Service> services = new ArrayList<>();
    private final PrintWriter err;
    private final SluiceMetrics metrics;
    /** Set once the runner ends or stops: no restart after that. Guarded by this. */
    private boolean closed;

    /**
     * Something that lives as long as the pipelines do (the HTTP control server): started after the pipelines
     * start, stopped once they have all ended or the process is asked to stop.
     */
    public interface Service {
        /** Starts the service; a failure here is logged and the pipelines keep running without it. */
        void start();

        /** Stops the service; must be idempotent and must not throw. */
        void stop();
    }

    /** Runs {@code configs} on the system's time with {@code clock}. */
    public Runner(List<PipelineConfig> configs, Clock clock, PrintWriter err) {
        this(configs, Scheduler.system(clock), err);
    }

    /** Runs {@code configs} with the process's one {@code scheduler} (its clock and timer). */
    public Runner(List<PipelineConfig> configs, Scheduler scheduler, PrintWriter err) {
        this.err = err;
        this.scheduler = scheduler;
        this.metrics = new SluiceMetrics(scheduler.clock(), Version.current());
        for (PipelineConfig c : configs) {
            ManagedPipeline m = Pipelines.manage(c, scheduler);
            Pipeline p = m.pipeline();
            p.listener(metrics.listenerFor(c, p));
            managed.add(m);
        }
    }

    /** The metrics of every pipeline this runner runs (serve {@link SluiceMetrics#scrape()} at /metrics). */
    public SluiceMetrics metrics() {
        return metrics;
    }

    /** The pipelines with their configurations, in configuration order. */
    public List<ManagedPipeline> pipelines() {
        return List.copyOf(managed);
    }

    /** Adds a service to start with the pipelines and stop with them; call before {@link #run()}. */
    public Runner attach(Service service) {
        services.add(service);
        return this;
    }

    /** Starts every pipeline and blocks until all have ended; returns 0 when none failed, else 1. */
    public int run() throws InterruptedException {
        Thread hook = new Thread(this::stopAll, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (ManagedPipeline m : managed) {
            m.pipeline().start();
        }
        for (Service s : services) {
            try {
                s.start();
            } catch (RuntimeException e) {
                LOG.warn("could not start {}: {}; the pipelines run without it", s, e.getMessage());
            }
        }
        try {
            while (!ended()) {
                for (ManagedPipeline m : managed) {
                    m.pipeline().await(Duration.ofSeconds(1)); // the shutdown hook stops pipelines
                }
            }
        } finally {
            stopServices();
        }
        closeStores(); // every pipeline has ended: nothing writes its state any more
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it stops the pipelines
        }
        int code = 0;
        for (ManagedPipeline m : managed) {
            Pipeline p = m.pipeline();
            if (p.state() == PipelineState.FAILED) {
                err.println("error: pipeline " + p.name() + " failed: "
                        + p.failure().map(Throwable::getMessage).orElse("unknown"));
                code = 1;
            }
        }
        err.flush();
        metrics.close();
        return code;
    }

    /** True, and no restart from now on, when every current pipeline has ended. */
    private synchronized boolean ended() throws InterruptedException {
        for (ManagedPipeline m : managed) {
            if (!m.pipeline().await(Duration.ZERO)) {
                return false;
            }
        }
        closed = true;
        return true;
    }

    /**
     * Restarts the FAILED pipeline {@code name} with a new source and sink built from its configuration: it resumes
     * from its checkpoint, as a restart of the process would, while the other pipelines run on. Its metrics go on
     * under the same series.
     *
     * @throws IllegalArgumentException when no pipeline has that name
     * @throws IllegalStateException    when the pipeline has not failed (only a failed one is restarted; a paused one
     *                                  is resumed) or the runner is stopping
     */
    public synchronized ManagedPipeline restart(String name) {
        ManagedPipeline m = managed.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline named \"" + name + "\""));
        PipelineState state = m.pipeline().state();
        if (closed) {
            throw new IllegalStateException("the process is stopping; pipeline " + name + " is not restarted");
        }
        if (state != PipelineState.FAILED) {
            throw new IllegalStateException("pipeline " + name + " is " + state + "; only a FAILED pipeline is"
                    + " restarted" + (state == PipelineState.PAUSED ? " (resume a paused one)" : ""));
        }
        Pipeline next = Pipelines.build(m.config(), m.schemas(), scheduler);
        next.listener(metrics.listenerFor(m.config(), next));
        m.replace(next);
        LOG.info("[{}] restarting after its failure", name);
        next.start();
        return m;
    }

    /** Closes each pipeline's state store (the files its logs hold open for appending). */
    private void closeStores() {
        for (ManagedPipeline m : managed) {
            try {
                m.schemas().store().close();
            } catch (RuntimeException e) {
                LOG.warn("[{}] closing its state store failed: {}", m.name(), e.getMessage());
            }
        }
    }

    private void stopServices() {
        for (Service s : services) {
            s.stop();
        }
    }

    /** Asks every pipeline to stop, then waits for each; stops the attached services too. */
    public void stopAll() {
        synchronized (this) {
            closed = true;
        }
        stopServices();
        List<Pipeline> pipelines =
                managed.stream().map(ManagedPipeline::pipeline).toList();
        for (Pipeline p : pipelines) {
            p.stop();
        }
        for (Pipeline p : pipelines) {
            try {
                if (!p.await(STOP_TIMEOUT)) {
                    LOG.warn("[{}] did not stop within {}", p.name(), STOP_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
