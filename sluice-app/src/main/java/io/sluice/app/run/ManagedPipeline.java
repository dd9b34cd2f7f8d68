package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import java.util.Objects;

/**
 * One pipeline the {@link Runner} runs, with the configuration it was built from: what the HTTP API and the
 * console show and act on.
 */
public record ManagedPipeline(PipelineConfig config, Pipeline pipeline) {
    public ManagedPipeline {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pipeline, "pipeline");
    }

    public String name() {
        return pipeline.name();
    }
}
