package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.mysql.schema.SchemaState;
import java.util.Objects;

/**
 * One pipeline the {@link Runner} runs, with the configuration it was built from and its live schema state (the
 * history its source records, read without going back to the store): what the HTTP API and the console show and
 * act on.
 */
public record ManagedPipeline(PipelineConfig config, Pipeline pipeline, SchemaState schemas) {
    public ManagedPipeline {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(schemas, "schemas");
    }

    public String name() {
        return pipeline.name();
    }
}
