package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.app.config.SinkConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.sink.FileSinkConfig;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.Sinks;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.kafka.KafkaSinkConfig;
import io.sluice.kafka.KafkaSinks;
import io.sluice.mysql.schema.SchemaFiles;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.SourceWiring;
import java.time.Clock;

/**
 * The composition root: turns one pipeline's configuration into a runnable {@link Pipeline}, once per pipeline.
 * The process's one {@link Scheduler} (its clock and timer) is passed down from here to the pipeline, its sink and
 * its source's wiring ({@link SourceWiring}: resume-inside, quarantine, snapshot coordination).
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** Builds a pipeline on the system's time with {@code clock}. */
    public static Pipeline build(PipelineConfig config, Clock clock) {
        return build(config, Scheduler.system(clock));
    }

    /** Builds a pipeline whose time is {@code scheduler}'s. */
    public static Pipeline build(PipelineConfig config, Scheduler scheduler) {
        return manage(config, scheduler).pipeline();
    }

    /**
     * The pipeline with its configuration and its live state: the one {@link SchemaState} over the pipeline's
     * state store, which its source writes and the HTTP API reads.
     */
    public static ManagedPipeline manage(PipelineConfig config, Scheduler scheduler) {
        SchemaState state = SchemaState.of(FileStateStore.open(config.state()));
        return new ManagedPipeline(config, build(config, state, scheduler), state);
    }

    /** The pipeline, its time {@code scheduler}'s, its source keeping its schema state in {@code state}. */
    public static Pipeline build(PipelineConfig config, SchemaState state, Scheduler scheduler) {
        Clock clock = scheduler.clock();
        Sink sink;
        if (config.sink() instanceof SinkConfig.FileSinkSettings f) {
            sink = Sinks.file(new FileSinkConfig(f.path(), config.state(), f.segmentBytes(), f.fsync(),
                    f.directIo()), clock);
        } else if (config.sink() instanceof SinkConfig.KafkaSinkSettings k) {
            sink = KafkaSinks.kafka(kafkaConfig(config.name(), k), clock);
        } else {
            sink = Sinks.stdout(config.state(), clock);
        }
        SourceWiring wiring = SourceWiring.builder(config.source()).state(config.state(), config.schema())
                .schemas(state).scheduler(scheduler).build();
        MySqlSource source = new MySqlSource(config.source(), wiring).startOver(StoredState.startOver(config));
        if (config.sink() instanceof SinkConfig.FileSinkSettings f) {
            source.writeSchemasTo(f.path().resolve(SchemaFiles.DIR_NAME));
        }
        return new Pipeline(config.name(), source, sink, config.batch(), config.queueEvents(), scheduler);
    }

    /** The Kafka sink settings of a pipeline as the sink takes them. */
    public static KafkaSinkConfig kafkaConfig(String pipeline, SinkConfig.KafkaSinkSettings k) {
        return new KafkaSinkConfig(pipeline, k.bootstrapServers(), k.topicPrefix(), KafkaSinkConfig.DEFAULT_TOPIC_TEMPLATE,
                k.partitions(), (short) k.replicationFactor(), k.retention(), k.bufferBytes(),
                KafkaSinkConfig.DEFAULT_HOLD_BACK_BYTES, KafkaSinkConfig.DEFAULT_OUTAGE_TIMEOUT, k.properties(),
                k.maxTransactionEvents());
    }
}
