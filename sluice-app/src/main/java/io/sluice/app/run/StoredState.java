package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.state.CheckpointFile;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.server.Finding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a pipeline keeps between runs, as tools see it ({@code sluice check}, {@code sluice schema}): its state
 * store, read only (so safe while the pipeline runs) except where a command says otherwise; and how to start it
 * afresh, which depends on where its sink keeps the checkpoint.
 */
public final class StoredState {
    /** The file and stdout sinks' state document in the state directory. */
    public static final String CHECKPOINT_FILE = CheckpointFile.NAME;

    private StoredState() {}

    /** The pipeline's state store (its state directory). */
    public static FileStateStore store(PipelineConfig pc) {
        return FileStateStore.open(pc.state());
    }

    /** The pipeline's schema state in its store, for a tool (a running pipeline's is {@link ManagedPipeline#schemas}). */
    public static SchemaState schemas(PipelineConfig pc) {
        return SchemaState.of(store(pc));
    }

    /**
     * False for a pipeline whose sink keeps its checkpoint elsewhere (Kafka: in its offsets topic), not in the state
     * directory.
     */
    public static boolean checkpointInStateDir(PipelineConfig pc) {
        return pc.sink().checkpointElsewhere().isEmpty();
    }

    /**
     * The committed checkpoint of a pipeline whose sink keeps it in the state directory ({@code
     * <state>/checkpoint.json}, the file and stdout sinks); empty when it has none yet (or keeps it elsewhere: see
     * {@link #checkpointInStateDir}).
     *
     * @throws SluiceException when the file cannot be read or is not a checkpoint document
     */
    public static Optional<Checkpoint> checkpoint(PipelineConfig pc) {
        if (!checkpointInStateDir(pc)) {
            return Optional.empty();
        }
        String kind = pc.sink().type(); // the kind the file and stdout sinks write into their checkpoint file
        try {
            return store(pc).checkpoint(kind).read();
        } catch (IOException e) {
            throw SluiceException.fatal(
                    "cannot read the checkpoint file " + pc.state().resolve(CHECKPOINT_FILE) + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The committed checkpoint wherever the sink keeps it: in the state directory ({@link #checkpoint}), or elsewhere
     * (Kafka: its offsets topic, read without taking the sink over, so safe while the pipeline runs); empty when none
     * was committed yet.
     *
     * @param instead what to do when the sink cannot read its checkpoint outside a run (said in the error)
     * @throws ConfigException when the sink cannot read it outside a run
     * @throws SluiceException when it cannot be read
     */
    public static Optional<Checkpoint> committed(PipelineConfig pc, String instead) {
        if (checkpointInStateDir(pc)) {
            return checkpoint(pc);
        }
        String where = pc.sink().checkpointElsewhere().orElseThrow();
        try {
            return pc.sink().readCheckpoint();
        } catch (UnsupportedOperationException e) {
            throw new ConfigException("pipeline " + pc.name() + " keeps its checkpoint in " + where + ": "
                    + e.getMessage() + "; " + instead);
        } catch (IOException e) {
            throw SluiceException.fatal(
                    "cannot read the checkpoint of pipeline " + pc.name() + " in " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the check finds in the pipeline's own state, given its checkpoint (null: none, or not readable here): a
     * checkpoint kept elsewhere that was not read (a note), and a schema history missing under a checkpoint that
     * names table versions (the pipeline refuses to start so).
     */
    public static List<Finding> findings(PipelineConfig pc, Checkpoint cp) {
        List<Finding> out = new ArrayList<>();
        if (!checkpointInStateDir(pc)) {
            out.add(new Finding(
                    Finding.Kind.CHECKPOINT_NOT_READ,
                    "The checkpoint of this pipeline (sink.type: "
                            + pc.sink().type() + ") is in "
                            + pc.sink().checkpointElsewhere().orElseThrow() + ", which the"
                            + " check does not read: whether the server still has its position was not verified.",
                    "If the pipeline has been stopped for long, compare its last position (GET" + " /api/pipelines/"
                            + pc.name() + " while it ran, or its log) with SHOW BINARY LOGS."));
        }
        RecordLog history = store(pc).schemaHistory();
        if (cp != null && !cp.schemas().isEmpty() && !history.existed()) {
            out.add(new Finding(
                    Finding.Kind.SCHEMA_HISTORY_MISSING,
                    "The checkpoint records versions of "
                            + cp.schemas().size() + " table(s), but the schema history " + history.where()
                            + " is missing: `sluice"
                            + " run` refuses to start without it.",
                    "restore it from a backup; or rebuild it from"
                            + " information_schema: sluice schema rebuild --config " + pc.file()
                            + "; or, to go on without it,"
                            + " create it empty: touch " + history.where()));
        }
        return out;
    }

    /**
     * How to start the pipeline afresh, for when the server no longer has its checkpoint's position ({@code
     * source.start} is ignored once a checkpoint exists): {@code sluice position set}, to a position the server has or
     * to a new snapshot, wherever the sink keeps the checkpoint (the state directory, Kafka's offsets topic, a JDBC
     * target's checkpoint table).
     */
    public static String startOver(PipelineConfig pc) {
        String file = pc.file() == null ? "<pipeline file>" : pc.file().toString();
        return "stop the pipeline and set its position with sluice position set: to the tables' current rows"
                + " (a snapshot), then the binlog from its end: sluice position set -c " + file + " --snapshot; or"
                + " to a binlog position the server still has (what lies between is skipped): sluice position set"
                + " -c " + file + " --file <binlog> --pos <n>; then start it again";
    }
}
