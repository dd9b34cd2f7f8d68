package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkContext;
import io.sluice.mysql.schema.SchemaFiles;
import io.sluice.mysql.source.MySqlSource;
import java.time.Clock;

/** The composition root: turns one pipeline's configuration into a runnable {@link Pipeline}. */
public final class Pipelines {
    private Pipelines() {
    }

    public static Pipeline build(PipelineConfig config, Clock clock) {
        Sink sink = config.sink().create(new SinkContext(config.name(), config.state(), clock));
        MySqlSource source = new MySqlSource(config.source(), config.state(), config.schema())
                .startOver(StoredState.startOver(config));
        config.sink().outputDirectory().ifPresent(out -> source.writeSchemasTo(out.resolve(SchemaFiles.DIR_NAME)));
        return new Pipeline(config.name(), source, sink, config.batch(), config.queueEvents(), clock);
    }
}
