package io.sluice.mysql.source;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.ResumeInside;
import io.sluice.core.time.Scheduler;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.Quarantine;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableMapDefinitions;
import io.sluice.mysql.snapshot.SnapshotCoordinator;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The composition of a MySQL pipeline's capture, built once per pipeline by the application's composition root and
 * handed to its {@link MySqlSource}: the one place that decides what a binlog session's output passes through
 * (resume-inside a transaction the sink holds part of, then the quarantine of tables whose breaking versions are not
 * approved), how snapshots are coordinated with the binlog, and which time, schema history and approvals they use.
 * The source opens a session on every (re)connect and builds none of these itself.
 *
 * <p>Thread-safety: a session's parts are made on the binlog reader thread at its start; {@link #snapshotStatus()}
 * is read from any thread.
 */
public final class SourceWiring {
    private final MySqlSourceConfig config;
    private final Path stateDir;
    private final SchemaPolicy policy;
    private final Scheduler scheduler;
    /** The pipeline's schema state (its history opened on first use: a source that never streams never reads it). */
    private final SchemaState schemas;
    /** The snapshot tracker of the current (or last) session, or null: what {@link #snapshotStatus()} shows. */
    private volatile SnapshotTracker snapshots;
    /** The options that name this pipeline in a {@code sluice} command its messages tell the operator to run. */
    private final String commandOption;

    private SourceWiring(Builder b) {
        this.config = b.config;
        this.stateDir = b.stateDir;
        this.policy = b.policy;
        this.scheduler = b.scheduler;
        this.schemas = b.schemas;
        this.commandOption = b.commandOption == null ? b.config.configOption() : b.commandOption;
    }

    /** A wiring for {@code config}: no durable state and no compatibility policy until the builder says so. */
    public static Builder builder(MySqlSourceConfig config) {
        return new Builder(config);
    }

    /** The settings of a {@link SourceWiring}. */
    public static final class Builder {
        private final MySqlSourceConfig config;
        private Path stateDir;
        private SchemaPolicy policy = new SchemaPolicy(Compatibility.Mode.NONE, SchemaPolicy.Action.WARN, null);
        private Scheduler scheduler;
        private SchemaState schemas = SchemaState.inMemory();
        private String commandOption;

        private Builder(MySqlSourceConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Keeps the schema history, quarantine files and reads schema approvals in {@code stateDir} (null: all in
         * memory), checking schema changes against {@code policy}.
         */
        public Builder state(Path stateDir, SchemaPolicy policy) {
            this.stateDir = stateDir;
            this.policy = Objects.requireNonNull(policy, "policy");
            this.schemas = SchemaState.in(stateDir);
            return this;
        }

        /**
         * Keeps the schema history, approvals and quarantine in {@code schemas}, the pipeline's one schema state
         * that readers in the process (the HTTP API) share; after {@link #state}, which names the directory.
         */
        public Builder schemas(SchemaState schemas) {
            this.schemas = Objects.requireNonNull(schemas, "schemas");
            return this;
        }

        /** The pipeline's time (the process's one scheduler); default the system's, in UTC. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The options that name this pipeline in the {@code sluice} commands its messages give (e.g. {@code sluice
         * schema approve <options> --table ...}); default {@link MySqlSourceConfig#configOption()}, the pipeline file.
         */
        public Builder commandOption(String option) {
            this.commandOption = Objects.requireNonNull(option, "option");
            return this;
        }

        public SourceWiring build() {
            if (scheduler == null) {
                scheduler = Scheduler.system(Clock.systemUTC());
            }
            return new SourceWiring(this);
        }
    }

    /** The clock of the pipeline's time. */
    /** The pipeline's time (the heartbeat's writes run by it). */
    Scheduler scheduler() {
        return scheduler;
    }

    Clock clock() {
        return scheduler.clock();
    }

    /** Where state lives, or null. */
    Path stateDir() {
        return stateDir;
    }

    /** The options naming this pipeline in a {@code sluice} command ({@link Builder#commandOption}). */
    String commandOption() {
        return commandOption;
    }

    Approvals approvals() {
        return schemas.approvals();
    }

    /** A schema tracker for one session over the pipeline's history (opened on first use). */
    SchemaTracker schemaTracker(TableMapDefinitions.Catalog catalog, BiPredicate<String, String> captured) {
        return new SchemaTracker(config.name(), schemas.history(), schemas.approvals(), policy, catalog, captured)
                .configOption(commandOption);
    }

    /**
     * What one session's events and commits pass through on their way to {@code out}: first the events of a
     * transaction the sink already holds part of are dropped ({@link ResumeInside}, for the checkpoint
     * {@code from}), then the events of quarantined tables go to their side files ({@link Quarantine}, judged by
     * the session's {@code schema}). Close it when the session ends.
     */
    Output output(Emitter out, SchemaTracker schema, Checkpoint from) {
        Quarantine quarantine = new Quarantine(out, schema, schemas.store(), clock());
        return new Output(ResumeInside.wrap(quarantine, config.name(), from), quarantine);
    }

    /** A session's output chain: {@link #emitter()} takes the session's events; {@link #close()} ends it. */
    record Output(Emitter emitter, Quarantine quarantine) implements AutoCloseable {
        @Override
        public void close() {
            quarantine.close();
        }
    }

    /**
     * The snapshot coordination of one session: a tracker that interleaves snapshot chunks with the binlog on
     * {@code out} (the session's output), with table versions from {@code versions}, resuming {@code initial}; and
     * a coordinator thread reading chunks over its own connections, which reports a failure to {@code onFailure}.
     */
    Snapshots snapshots(
            Emitter out,
            SnapshotTracker.Schemas versions,
            Predicate<String> captured,
            SnapshotProgress initial,
            SnapshotCoordinator.Jdbc jdbc,
            Consumer<Throwable> onFailure) {
        SnapshotTracker tracker = new SnapshotTracker(config.name(), out, versions, captured, initial, clock());
        snapshots = tracker;
        return new Snapshots(
                tracker, new SnapshotCoordinator(config.name(), config.snapshot(), tracker, jdbc, onFailure));
    }

    /** A session's snapshot tracker and coordinator. */
    record Snapshots(SnapshotTracker tracker, SnapshotCoordinator coordinator) {}

    /** Snapshot progress of the current (or last) session in this process; empty when none ran. */
    List<SnapshotTracker.TableStatus> snapshotStatus() {
        SnapshotTracker t = snapshots;
        return t == null ? List.of() : t.status();
    }

    /**
     * Hands a snapshot request to the current session's tracker (see {@link SnapshotTracker#submit}); null when no
     * session runs in this process.
     */
    String submitSnapshotRequest(String kind, String tables, String filter) {
        SnapshotTracker t = snapshots;
        return t == null ? null : t.submit(kind, tables, filter, null);
    }

    /** True while the current session's snapshots are paused (a pause signal, until a resume). */
    boolean snapshotsPaused() {
        SnapshotTracker t = snapshots;
        return t != null && t.paused();
    }
}
