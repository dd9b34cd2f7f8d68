package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import java.util.Objects;

/**
 * One pipeline the {@link Runner} runs, with the configuration it was built from: what the HTTP API and the
 * console show and act on. A {@link Pipeline} runs once; {@link Runner#restart} puts a new one, built from the same
 * configuration, in the place of a failed one, so {@link #pipeline()} is the current one.
 */
public final class ManagedPipeline {
    private final PipelineConfig config;
    private volatile Pipeline pipeline;

    public ManagedPipeline(PipelineConfig config, Pipeline pipeline) {
        this.config = Objects.requireNonNull(config, "config");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    public PipelineConfig config() {
        return config;
    }

    /** The pipeline running (or run last) under this configuration. */
    public Pipeline pipeline() {
        return pipeline;
    }

    public String name() {
        return pipeline.name();
    }

    /** Puts {@code next} in the place of the current pipeline (the runner's, under its lock). */
    void replace(Pipeline next) {
        this.pipeline = Objects.requireNonNull(next, "next");
    }

    @Override
    public String toString() {
        return "ManagedPipeline[" + name() + "]";
    }
}
