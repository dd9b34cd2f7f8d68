package io.sluice.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.DirectoryLock;
import io.sluice.app.run.PipelineLocks;
import io.sluice.app.run.Pipelines;
import io.sluice.app.run.StoredState;
import io.sluice.app.config.SinkConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice position}: shows and sets where a stopped pipeline resumes, in the checkpoint its file or stdout sink
 * keeps in {@code <state>/checkpoint.json} (a Kafka pipeline keeps it in its offsets topic: docs/cli.md says what to
 * do there). {@code set} claims the state directory ({@link PipelineLocks}), so it refuses while the pipeline runs,
 * checks the new position on the server, asks before it writes (unless {@code --yes}), keeps the old document next to
 * it, and replaces only the checkpoint in it: the sink's own fields (where its output ends) stay.
 */
@Command(name = "position", mixinStandardHelpOptions = true,
        description = "Shows or sets where a stopped pipeline resumes (its checkpoint).",
        subcommands = {PositionCommand.ShowCommand.class, PositionCommand.SetCommand.class})
final class PositionCommand implements Runnable {
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

        @Option(names = {"-c", "--config"}, paramLabel = "<file>",
                description = "The pipeline's file (default: $SLUICE_CONFIG).")
        Path config;

        @Override
        public final Integer call() throws IOException {
            PipelineConfig pc = parent.loader.load(EnvDefaults.required(spec, config));
            if (!StoredState.checkpointInStateDir(pc) && pc.sink() instanceof SinkConfig.KafkaSinkSettings k) {
                throw new ConfigException("pipeline " + pc.name() + " keeps its checkpoint in the Kafka topic "
                        + Pipelines.kafkaConfig(pc.name(), k).offsetsTopic() + ", which sluice position does not"
                        + " read or write yet; see docs/cli.md (\"Kafka pipelines\") for how to move it");
            }
            return run(pc);
        }

        abstract int run(PipelineConfig pc) throws IOException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "show", description = "Prints the pipeline's checkpoint: binlog file and position, GTID set,"
            + " the server it is on; and whether the pipeline runs.")
    static final class ShowCommand extends Base {
        @CommandLine.Mixin
        Listing.Output output;

        @Override
        int run(PipelineConfig pc) {
            Optional<Checkpoint> cp = StoredState.checkpoint(pc);
            boolean running = DirectoryLock.holder(pc.state()).isPresent();
            Listing listing = new Listing(new Listing.Column("pipeline", "PIPELINE"),
                    new Listing.Column("file", "FILE"), new Listing.Column("pos", "POS"),
                    new Listing.Column("gtids", "GTIDS"), new Listing.Column("server", "SERVER"),
                    new Listing.Column("heldXa", "HELD XA"), new Listing.Column("snapshot", "SNAPSHOT"),
                    new Listing.Column("running", "RUNNING"));
            if (cp.isEmpty() && output.format == Listing.Format.TABLE) {
                out().println("pipeline " + pc.name() + " has no checkpoint yet (" + pc.state() + "): it starts at"
                        + " source.start");
                out().flush();
                return ExitCodes.OK;
            }
            cp.ifPresent(c -> listing.row(pc.name(), c.position().file(), c.position().pos(),
                    c.position().gtids(), c.server(), c.heldXa().size(), c.snapshot() != null, running));
            listing.print(out(), output.format);
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = "Sets where the stopped pipeline resumes: a binlog position of the server"
            + " at source.host (--file with --pos), or a new start with a snapshot of every captured table"
            + " (--snapshot). Asks first unless --yes; the old checkpoint is kept as checkpoint.json.bak-<time>.")
    static final class SetCommand extends Base {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'",
                Locale.ROOT).withZone(ZoneOffset.UTC);

        @Option(names = "--file", paramLabel = "<binlog>", description = "A binlog file of the server, e.g."
                + " mysql-bin.000042 (with --pos).")
        String file;

        @Option(names = "--pos", paramLabel = "<n>", description = "The position of an event's start in --file.")
        Long pos;

        @Option(names = "--snapshot", description = "Start over: snapshot every captured table, then stream from the"
                + " server's binlog end (as source.start: snapshot does for a new pipeline).")
        boolean snapshot;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run(PipelineConfig pc) throws IOException {
            if (snapshot == (file != null || pos != null) || !snapshot && (file == null || pos == null)) {
                throw new ConfigException("give --file with --pos, or --snapshot");
            }
            if (pos != null && pos < 4) {
                throw new ConfigException("--pos must be an event's start, 4 or more, not " + pos);
            }
            Optional<String> holder = DirectoryLock.holder(pc.state());
            if (holder.isPresent()) {
                throw new ExitException(ExitCodes.RUNNING, "pipeline " + pc.name() + " is running: its state"
                        + " directory " + pc.state() + " is held by " + holder.get() + ". Stop it first (a running"
                        + " pipeline would overwrite the position at its next commit).");
            }
            try (PipelineLocks locks = PipelineLocks.forState(pc, "sluice position set")) {
                return set(pc);
            }
        }

        private int set(PipelineConfig pc) throws IOException {
            Path doc = pc.state().resolve(StoredState.CHECKPOINT_FILE);
            Checkpoint old = StoredState.checkpoint(pc).orElse(null);
            if (old == null) {
                throw new ConfigException("pipeline " + pc.name() + " has no checkpoint yet (" + doc + "): it starts"
                        + " at source.start, so set that in " + pc.file() + " instead (e.g. start: {file: "
                        + (file == null ? "mysql-bin.000001" : file) + ", pos: " + (pos == null ? 4 : pos)
                        + "}, or start: snapshot)");
            }
            Checkpoint next = snapshot ? snapshotStart(pc) : at(pc, old);
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
            out.println("it would resume at " + next.position() + (snapshot ? ", after a snapshot of every captured"
                    + " table" : "") + (dropped.isEmpty() ? "" : "; dropped: " + String.join(", ", dropped)));
            if (!yes && !confirmed(out)) {
                throw new ExitException(ExitCodes.NOTHING_TO_DO, "not confirmed; the checkpoint is unchanged");
            }
            Path backup = doc.resolveSibling(StoredState.CHECKPOINT_FILE + ".bak-" + STAMP.format(Instant.now()));
            Files.copy(doc, backup, StandardCopyOption.COPY_ATTRIBUTES);
            write(doc, next);
            out.println("set; the old document is kept as " + backup + ". Start the pipeline: sluice run -c "
                    + pc.file());
            out.flush();
            return ExitCodes.OK;
        }

        private boolean confirmed(PrintWriter out) throws IOException {
            out.print("change it? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null) {
                throw new ExitException(ExitCodes.CONFIG, "no answer (stdin is closed): give --yes to set the"
                        + " position without asking");
            }
            return answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes");
        }

        /**
         * The checkpoint at {@code --file/--pos}, checked on the server: the file must still be there, and on MariaDB
         * the position must start an event (its GTID state there goes into the checkpoint). Table versions are kept,
         * so numbering continues; the server's identity is the one answering now.
         */
        private Checkpoint at(PipelineConfig pc, Checkpoint old) {
            try (Connection conn = pc.source().connect(); Statement st = conn.createStatement()) {
                List<String> logs = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                    while (rs.next()) {
                        logs.add(rs.getString(1));
                    }
                }
                if (!logs.contains(file)) {
                    throw new ConfigException("--file: the server at " + where(pc) + " has no binlog " + file
                            + "; it has " + logs);
                }
                long serverId;
                boolean mariaDb;
                try (ResultSet rs = st.executeQuery("SELECT @@server_id, @@version")) {
                    rs.next();
                    serverId = rs.getLong(1);
                    mariaDb = rs.getString(2).toLowerCase(Locale.ROOT).contains("mariadb");
                }
                String uuid = null;
                String gtids = null;
                if (mariaDb) {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
                        ps.setString(1, file);
                        ps.setLong(2, pos);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            gtids = rs.getString(1);
                        }
                    }
                    if (gtids == null) {
                        throw new ConfigException("--pos: " + file + ":" + pos + " is not the start of an event"
                                + " (see SHOW BINLOG EVENTS IN '" + file + "' on " + where(pc) + ")");
                    }
                } else {
                    try (ResultSet rs = st.executeQuery("SELECT @@server_uuid")) {
                        rs.next();
                        uuid = rs.getString(1);
                    }
                }
                return new Checkpoint(new BinlogPosition(file, pos, gtids == null || gtids.isEmpty() ? null : gtids),
                        List.of(), old.schemas(), null, null, new ServerIdentity(serverId, uuid));
            } catch (SQLException e) {
                throw SluiceException.fatal("cannot check the position on " + where(pc) + ": " + e.getMessage(), e);
            }
        }

        /** A start as {@code source.start: snapshot} makes it: the server's binlog end, every captured table. */
        private static Checkpoint snapshotStart(PipelineConfig pc) {
            MySqlSourceConfig s = pc.source();
            MySqlSourceConfig asSnapshot = new MySqlSourceConfig(s.name(), s.host(), s.port(), s.user(), s.password(),
                    s.serverId(), s.include(), s.exclude(), new StartPosition.Snapshot(), s.tls(),
                    s.connectTimeout(), s.snapshot(), s.onStatementChanges());
            return new MySqlSource(asSnapshot, pc.state(), pc.schema()).resolveStart();
        }

        private static String where(PipelineConfig pc) {
            return pc.source().host() + ":" + pc.source().port();
        }

        /** Replaces the document's checkpoint, keeping its other fields; atomically (a temporary file renamed). */
        private static void write(Path doc, Checkpoint next) throws IOException {
            JsonNode tree = CheckpointCodec.mapper().readTree(Files.readAllBytes(doc));
            if (!(tree instanceof ObjectNode o)) {
                throw SluiceException.fatal(doc + " is not a JSON object");
            }
            o.set("checkpoint", CheckpointCodec.toJson(next));
            Path temp = doc.resolveSibling(StoredState.CHECKPOINT_FILE + ".position-set.tmp");
            Files.write(temp, CheckpointCodec.toBytes(o), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(temp, doc, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
