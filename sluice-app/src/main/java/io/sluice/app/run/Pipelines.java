package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkContext;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.mysql.schema.SchemaFiles;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.SourceWiring;
import io.sluice.rules.DeadLetters;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesStage;
import java.time.Clock;

/**
 * The composition root: turns one pipeline's configuration into a runnable {@link Pipeline}, once per pipeline.
 * The process's one {@link Scheduler} (its clock and timer) is passed down from here to the pipeline, its sink and
 * its source's wiring ({@link SourceWiring}: resume-inside, quarantine, snapshot coordination).
 */
public final class Pipelines {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pipelines.class);

    /** The rules' dead-letter file in the pipeline's state directory ({@code on-error: dead-letter}). */
    public static final String DEAD_LETTER_FILE = "rules-dead-letter.jsonl";

    private Pipelines() {}

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
        Sink sink = config.sink()
                .create(new SinkContext(config.name(), config.state(), scheduler.clock(), scheduler::nanoTime));
        SourceWiring wiring = SourceWiring.builder(config.source())
                .state(config.state(), config.schema())
                .schemas(state)
                .scheduler(scheduler)
                .build();
        MySqlSource source = new MySqlSource(config.source(), wiring).startOver(StoredState.startOver(config));
        config.sink().outputDirectory().ifPresent(out -> source.writeSchemasTo(out.resolve(SchemaFiles.DIR_NAME)));
        Pipeline pipeline = new Pipeline(config.name(), source, sink, config.batch(), config.queueEvents(), scheduler);
        if (config.rules() != null) {
            // the rules stage, between the source and the encoder (issue 15)
            pipeline.transform(rulesStage(config, scheduler));
        }
        return pipeline;
    }

    /**
     * The rules stage of a pipeline that names a rule file: the file is read now (a bad one fails at start) and
     * recorded as version 1 when the state has no version yet; after that the state's newest version is in effect
     * ({@code sluice rules deploy} records new ones, which the running stage takes up between transactions).
     */
    static RulesStage rulesStage(PipelineConfig config, Scheduler scheduler) {
        RuleSet file = RuleSet.load(config.rules());
        RuleVersions versions =
                new RuleVersions(FileStateStore.open(config.state()).ruleVersions());
        RuleVersions.Version latest = versions.latest().orElse(null);
        if (latest == null) {
            versions.deploy(
                    file.text(),
                    config.rules().toString(),
                    "from the pipeline's rule file",
                    scheduler.clock().instant());
        } else if (!latest.hash().equals(file.hash())) {
            LOG.warn(
                    "[{}] the rule file {} differs from the newest deployed rule version {}, which is the one that runs"
                            + " (after the version the checkpoint names, up to the next source transaction); deploy"
                            + " the file with: sluice rules deploy --config {} --rules {}",
                    config.name(),
                    config.rules(),
                    latest.number(),
                    config.file(),
                    config.rules());
        }
        return RulesStage.versioned(versions, System::getenv, scheduler::nanoTime)
                .deadLetters(new DeadLetters(config.state().resolve(DEAD_LETTER_FILE), scheduler.clock()));
    }
}
