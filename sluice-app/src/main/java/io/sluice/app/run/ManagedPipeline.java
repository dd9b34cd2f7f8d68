package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.mysql.schema.SchemaState;
import java.util.Objects;

/**
 * One pipeline the {@link Runner} runs, with the configuration it was built from and its live schema state (the
 * history its source records, read without going back to the store): what the HTTP API and the console show and
 * act on. A {@link Pipeline} runs once; {@link Runner#restart} puts a new one, built from the same configuration and
 * schema state, in the place of a failed one, so {@link #pipeline()} is the current one.
 */
public final class ManagedPipeline {
    private final PipelineConfig config;
    private final SchemaState schemas;
    private volatile Pipeline pipeline;

    public ManagedPipeline(PipelineConfig config, Pipeline pipeline, SchemaState schemas) {
        this.config = Objects.requireNonNull(config, "config");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
    }

    public PipelineConfig config() {
        return config;
    }

    /** The pipeline running (or run last) under this configuration. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The pipeline's live schema state, which its source (this one's and a restarted one's) records into. */
    public SchemaState schemas() {
        return schemas;
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
