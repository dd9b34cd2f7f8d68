package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.SnapshotRequests;
import io.sluice.core.state.DirectoryLock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice snapshot}: asks a running pipeline to (re)load tables, by inserting a request row into its signal
 * table. The pipeline sees the row in the binlog and snapshots the tables in chunks while it keeps streaming;
 * the request is part of its checkpoint from then on, so it survives restarts. The same INSERT works from any SQL
 * client (see docs/snapshots.md).
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = "Asks a running pipeline to snapshot tables (op: r events) while it keeps streaming.")
final class SnapshotCommand implements Callable<Integer> {
    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    @Mixin
    PipelineFileOption.One file;

    @Option(
            names = "--table",
            paramLabel = "<db.table>",
            description = "A captured table to snapshot (or cancel); repeatable.")
    List<String> tables = List.of();

    @Option(
            names = "--where",
            paramLabel = "<condition>",
            description = "Only rows meeting this SQL condition, e.g. \"created > '2024-01-01'\".")
    String where;

    @Option(names = "--cancel", description = "Cancels the tables' snapshots instead (queued or running).")
    boolean cancel;

    @Option(
            names = "--pause",
            description = "Pauses the pipeline's snapshots (no --table): no chunk is read until"
                    + " --resume; streaming goes on.")
    boolean pause;

    @Option(names = "--resume", description = "Resumes the pipeline's paused snapshots (no --table).")
    boolean resume;

    SnapshotCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PipelineConfig pc = file.load(loader, spec);
        if ((pause || resume) && (!tables.isEmpty() || cancel || where != null || pause == resume)) {
            throw new ConfigException("--pause and --resume stand alone: they apply to all of the pipeline's"
                    + " snapshots (give one of them, without --table, --where or --cancel)");
        }
        // the remaining checks (tables captured, a table given, where only with a snapshot) are SnapshotRequests'
        SnapshotRequests.Kind kind = pause
                ? SnapshotRequests.Kind.PAUSE
                : resume
                        ? SnapshotRequests.Kind.RESUME
                        : cancel ? SnapshotRequests.Kind.CANCEL : SnapshotRequests.Kind.SNAPSHOT;
        if (DirectoryLock.holder(pc.state()).isEmpty()) {
            throw new ExitException(
                    ExitCodes.NOT_RUNNING,
                    "pipeline " + pc.name() + " is not running (no sluice run"
                            + " holds its state directory " + pc.state() + "): a snapshot request is carried out by the"
                            + " running pipeline. Start it with sluice run -c " + pc.file()
                            + " and ask again; or, to read"
                            + " every captured table from the start, see sluice position set --snapshot.");
        }
        SnapshotRequests.Written w = SnapshotRequests.request(pc, kind, tables, where);
        spec.commandLine().getOut().println(w.description());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
