package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.CheckpointEditor;
import io.sluice.app.run.PipelineLocks;
import io.sluice.app.run.StoredState;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.state.DirectoryLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice position}: shows and sets where a stopped pipeline resumes, in the checkpoint its file or stdout sink
 * keeps in {@code <state>/checkpoint.json}, or the one a Kafka or JDBC sink keeps in its system ({@link
 * io.sluice.core.sink.SinkProvider#writeCheckpoint}). {@code set} claims the state directory ({@link PipelineLocks}),
 * so it refuses while the pipeline runs, checks the new position on the server, asks before it writes (unless {@code
 * --yes}), keeps the old checkpoint next to it, and replaces only the checkpoint: the sink's own fields (where its
 * output ends) stay. A sink keeping it elsewhere writes only while it still holds the checkpoint shown, fencing an
 * instance that would run elsewhere.
 */
@Command(
        name = "position",
        mixinStandardHelpOptions = true,
        description = "Shows or sets where a stopped pipeline resumes (its checkpoint).",
        subcommands = {PositionCommand.ShowCommand.class, PositionCommand.SetCommand.class})
final class PositionCommand implements Runnable {
    /** What to do instead for a pipeline whose sink cannot read or write its checkpoint outside a run. */
    static final String POSITION_ELSEWHERE =
            "see docs/cli.md (\"Checkpoints kept by the sink\") for how to start it over";

    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    PositionCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a position command is required: show or set");
    }

    /** Options both commands have. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        PositionCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        PipelineFileOption.One file;

        @Override
        public final Integer call() throws IOException {
            return run(file.load(parent.loader, spec));
        }

        abstract int run(PipelineConfig pc) throws IOException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(
            name = "show",
            description = "Prints the pipeline's checkpoint: binlog file and position, GTID set,"
                    + " the server it is on; and whether the pipeline runs.")
    static final class ShowCommand extends Base {
        @CommandLine.Mixin
        Listing.Output output;

        @Override
        int run(PipelineConfig pc) {
            Optional<Checkpoint> cp = StoredState.committed(pc, POSITION_ELSEWHERE);
            boolean running = DirectoryLock.holder(pc.state()).isPresent();
            Listing listing = new Listing(
                    new Listing.Column("pipeline", "PIPELINE"),
                    new Listing.Column("file", "FILE"),
                    new Listing.Column("pos", "POS"),
                    new Listing.Column("gtids", "GTIDS"),
                    new Listing.Column("server", "SERVER"),
                    new Listing.Column("heldXa", "HELD XA"),
                    new Listing.Column("snapshot", "SNAPSHOT"),
                    new Listing.Column("running", "RUNNING"));
            if (cp.isEmpty() && output.format == Listing.Format.TABLE) {
                out().println("pipeline " + pc.name() + " has no checkpoint yet ("
                        + pc.sink().checkpointElsewhere().orElse(pc.state().toString()) + "): it starts at"
                        + " source.start");
                out().flush();
                return ExitCodes.OK;
            }
            cp.ifPresent(c -> listing.row(
                    pc.name(),
                    c.position().file(),
                    c.position().pos(),
                    c.position().gtids(),
                    c.server(),
                    c.heldXa().size(),
                    c.snapshot() != null,
                    running));
            listing.print(out(), output.format);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "set",
            description =
                    "Sets where the stopped pipeline resumes: a binlog position of the server"
                            + " at source.host (--file with --pos), the place right after a MariaDB GTID set (--gtid), or a new start with a snapshot of every captured table"
                            + " (--snapshot). Asks first unless --yes; the old checkpoint is kept as checkpoint.json.bak-<time>.")
    static final class SetCommand extends Base {
        @Option(
                names = "--file",
                paramLabel = "<binlog>",
                description = "A binlog file of the server, e.g." + " mysql-bin.000042 (with --pos).")
        String file;

        @Option(names = "--pos", paramLabel = "<n>", description = "The position of an event's start in --file.")
        Long pos;

        @Option(
                names = "--gtid",
                paramLabel = "<set>",
                description = "A MariaDB GTID set, e.g. 0-1-982: resume with the transaction after it"
                        + " (found in the binlogs the server at source.host still has).")
        String gtid;

        @Option(
                names = "--snapshot",
                description = "Start over: snapshot every captured table, then stream from the"
                        + " server's binlog end (as source.start: snapshot does for a new pipeline).")
        boolean snapshot;

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run(PipelineConfig pc) throws IOException {
            boolean byFile = file != null || pos != null;
            int ways = (snapshot ? 1 : 0) + (byFile ? 1 : 0) + (gtid != null ? 1 : 0);
            if (ways != 1 || byFile && (file == null || pos == null)) {
                throw new ConfigException("give --file with --pos, or --gtid, or --snapshot");
            }
            if (pos != null && pos < 4) {
                throw new ConfigException("--pos must be an event's start, 4 or more, not " + pos);
            }
            Optional<String> holder = DirectoryLock.holder(pc.state());
            if (holder.isPresent()) {
                throw new ExitException(
                        ExitCodes.RUNNING,
                        "pipeline " + pc.name() + " is running: its state"
                                + " directory " + pc.state() + " is held by " + holder.get()
                                + ". Stop it first (a running"
                                + " pipeline would overwrite the position at its next commit).");
            }
            try (PipelineLocks locks = PipelineLocks.forState(pc, "sluice position set")) {
                return set(pc);
            }
        }

        private int set(PipelineConfig pc) throws IOException {
            boolean inStateDir = StoredState.checkpointInStateDir(pc);
            String doc = inStateDir
                    ? pc.state().resolve(StoredState.CHECKPOINT_FILE).toString()
                    : pc.sink().checkpointElsewhere().orElseThrow();
            Checkpoint old = StoredState.committed(pc, POSITION_ELSEWHERE).orElse(null);
            if (old == null) {
                throw new ConfigException("pipeline " + pc.name() + " has no checkpoint yet (" + doc + "): it starts"
                        + " at source.start, so set that in " + pc.file() + " instead (e.g. start: {file: "
                        + (file == null ? "mysql-bin.000001" : file) + ", pos: " + (pos == null ? 4 : pos)
                        + "}, or start: snapshot)");
            }
            Checkpoint next = snapshot
                    ? CheckpointEditor.snapshotStart(pc)
                    : gtid != null
                            ? CheckpointEditor.afterGtids(pc, old, gtid)
                            : CheckpointEditor.at(pc, old, file, pos);
            List<String> dropped = new ArrayList<>();
            if (!old.heldXa().isEmpty()) {
                dropped.add(old.heldXa().size() + " prepared XA transaction(s) held back");
            }
            if (old.snapshot() != null) {
                dropped.add("the snapshot in progress");
            }
            PrintWriter out = out();
            out.println("pipeline " + pc.name() + ": the checkpoint is at " + old.position()
                    + (old.server() == null ? "" : " on " + old.server()));
            out.println("it would resume at " + next.position()
                    + (snapshot ? ", after a snapshot of every captured" + " table" : "")
                    + (dropped.isEmpty() ? "" : "; dropped: " + String.join(", ", dropped)));
            if (!yes && !confirmed(out)) {
                throw new ExitException(ExitCodes.NOTHING_TO_DO, "not confirmed; the checkpoint is unchanged");
            }
            if (inStateDir) {
                Path backup = CheckpointEditor.replace(pc, next, Instant.now());
                out.println("set; the old document is kept as " + backup + ". Start the pipeline: sluice run -c "
                        + pc.file());
            } else {
                Path backup;
                try {
                    backup = CheckpointEditor.replaceElsewhere(pc, old, next, Instant.now());
                } catch (SinkProvider.CheckpointMoved e) {
                    throw new ExitException(
                            ExitCodes.RUNNING,
                            "pipeline " + pc.name() + ": " + e.getMessage() + ". Stop every instance of it (on every"
                                    + " host), then run sluice position set again");
                }
                out.println("set in " + doc + "; the old checkpoint is kept as " + backup
                        + ". Start the pipeline: sluice run -c " + pc.file());
            }
            out.flush();
            return ExitCodes.OK;
        }

        private boolean confirmed(PrintWriter out) throws IOException {
            out.print("change it? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null) {
                throw new ExitException(
                        ExitCodes.CONFIG,
                        "no answer (stdin is closed): give --yes to set the" + " position without asking");
            }
            return answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes");
        }
    }
}
