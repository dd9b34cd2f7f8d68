package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.PipelineLocks;
import io.sluice.app.run.SchemaApproval;
import io.sluice.app.run.StoredState;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.kafka.StateTopic;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.ConsumerSchemas;
import io.sluice.mysql.schema.HistoryRebuild;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.schema.SchemaVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
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
 * {@code sluice schema}: the schema history of a pipeline (docs/schemas.md). Reads the history in the pipeline's
 * state directory; {@code approve} and {@code rebuild} write there. {@code rebuild} claims the directory
 * ({@link PipelineLocks}) and refuses while a pipeline runs on it; {@code approve} only appends an approval, which a
 * running pipeline reads at its next check.
 */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = "Shows, compares, approves and rebuilds a pipeline's table schema versions.",
        subcommands = {
            SchemaCommand.ListCommand.class,
            SchemaCommand.ShowCommand.class,
            SchemaCommand.DiffCommand.class,
            SchemaCommand.ApproveCommand.class,
            SchemaCommand.RebuildCommand.class
        })
final class SchemaCommand implements Runnable {
    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    SchemaCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a schema command is required: list, show, diff, approve or rebuild");
    }

    /** Options every schema command has. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        SchemaCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        PipelineFileOption.One file;

        /** The pipeline's schema state, from its state store. */
        SchemaState state;

        /** Where the state is, for messages. */
        String where;

        @Override
        public final Integer call() throws IOException {
            ConnectorStateOption c = connector();
            if (c != null && c.given()) {
                // -c given on the command line, not $SLUICE_CONFIG's default: the connector's options are a choice
                boolean fileGiven = spec.commandLine().getParseResult().hasMatchedOption("--config");
                try (StateTopic topic = c.open(fileGiven)) {
                    state = SchemaState.of(topic);
                    where = topic.where();
                    return run(null, state.history());
                }
            }
            PipelineConfig pc = file.load(parent.loader, spec);
            state = StoredState.schemas(pc);
            where = pc.state().toString();
            return run(pc, state.history());
        }

        /** The connector options of a command that works on a connector's state too; null for one that does not. */
        ConnectorStateOption connector() {
            return null;
        }

        /**
         * The command's work on the schema history {@code h}; {@code pc} is null when it works on a connector's state
         * ({@link #connector()}).
         */
        abstract int run(PipelineConfig pc, SchemaHistory h) throws IOException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        static SchemaVersion pick(SchemaHistory h, String table, Integer version) {
            List<SchemaVersion> versions = h.versions(table);
            if (versions.isEmpty()) {
                throw new ConfigException("the schema history has no table " + table + "; it knows "
                        + (h.tables().isEmpty() ? "none yet" : String.join(", ", h.tables())));
            }
            if (version == null) {
                return versions.get(versions.size() - 1);
            }
            return versions.stream()
                    .filter(v -> v.version() == version)
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(table + " has no version " + version
                            + " in the schema history; it has "
                            + versions.stream().map(v -> "" + v.version()).toList()));
        }
    }

    /** A schema command that works on a Kafka Connect connector's state topic too ({@link ConnectorStateOption}). */
    abstract static class OnPipelineOrConnector extends Base {
        @Mixin
        ConnectorStateOption connectorState;

        @Override
        ConnectorStateOption connector() {
            return connectorState;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the table versions in the schema history, oldest first.")
    static final class ListCommand extends OnPipelineOrConnector {
        @Option(names = "--table", paramLabel = "<db.table>", description = "Only this table.")
        String table;

        @CommandLine.Mixin
        Listing.Output output;

        @Override
        int run(PipelineConfig pc, SchemaHistory h) {
            Approvals approvals = state.approvals();
            Listing listing = new Listing(
                    new Listing.Column("table", "TABLE"),
                    new Listing.Column("version", "VERSION"),
                    new Listing.Column("file", "FILE"),
                    new Listing.Column("pos", "POS"),
                    new Listing.Column("origin", "ORIGIN"),
                    new Listing.Column("columns", "COLUMNS"),
                    new Listing.Column("breaking", "BREAKING"),
                    new Listing.Column("approved", "APPROVED"),
                    new Listing.Column("ddl", "DDL"));
            List<String> tables = table == null ? h.tables() : List.of(table);
            for (String t : tables) {
                for (SchemaVersion v : h.versions(t)) {
                    // a rebuilt version may have no model: the table was gone at the checkpoint
                    listing.row(
                            t,
                            v.version(),
                            v.file(),
                            v.pos(),
                            v.origin(),
                            v.model() == null ? null : v.model().columns().size(),
                            v.breaking(),
                            v.breaking().isEmpty() ? null : approvals.approved(t, v.version()),
                            v.ddl() == null ? null : oneLine(v.ddl()));
                }
            }
            if (listing.isEmpty() && output.format == Listing.Format.TABLE) {
                out().println("the schema history in " + where + " is empty");
                out().flush();
            } else {
                listing.print(out(), output.format);
            }
            return ExitCodes.OK;
        }

        private static String oneLine(String ddl) {
            String s = ddl.replaceAll("\\s+", " ").strip();
            return s.length() > 120 ? s.substring(0, 117) + "..." : s;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints one table version: the history's model, JSON Schema or Avro.")
    static final class ShowCommand extends Base {
        @Option(names = "--table", required = true, paramLabel = "<db.table>", description = "The table.")
        String table;

        @Option(names = "--version", paramLabel = "<n>", description = "The version (default: the latest).")
        Integer version;

        @Option(
                names = "--format",
                paramLabel = "<format>",
                defaultValue = "json",
                description = "json (the history's model), json-schema (draft 2020-12) or avro.")
        String format;

        @Override
        int run(PipelineConfig pc, SchemaHistory h) throws IOException {
            ConsumerSchemas.Format f;
            try {
                f = ConsumerSchemas.Format.parse(format);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--format must be json, json-schema or avro, not " + format);
            }
            SchemaVersion v = pick(h, table, version);
            out().println(SchemaHistoryJson.pretty(ConsumerSchemas.render(v, f)));
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "Compares two versions of a table and checks the pipeline's compatibility policy.")
    static final class DiffCommand extends Base {
        @Option(names = "--table", required = true, paramLabel = "<db.table>", description = "The table.")
        String table;

        @Option(
                names = "--from",
                paramLabel = "<n>",
                description = "The older version (default: the one before" + " --to).")
        Integer from;

        @Option(names = "--to", paramLabel = "<n>", description = "The newer version (default: the latest).")
        Integer to;

        @Override
        int run(PipelineConfig pc, SchemaHistory h) {
            SchemaVersion b = pick(h, table, to);
            SchemaVersion a;
            if (from != null) {
                a = pick(h, table, from);
            } else {
                List<SchemaVersion> older = h.versions(table).stream()
                        .filter(v -> v.version() < b.version())
                        .toList();
                if (older.isEmpty()) {
                    throw new ConfigException(table + " has no version before " + b.version() + " to compare with");
                }
                a = older.get(older.size() - 1);
            }
            PrintWriter out = out();
            out.println(table + ": version " + a.version() + " -> " + b.version());
            List<String> lines = ConsumerSchemas.diff(a.model(), b.model());
            lines.forEach(out::println);
            if (lines.isEmpty()) {
                out.println("  (same columns and keys)");
            }
            Compatibility.Mode mode = pc.schema().ruleFor(table).mode();
            List<String> breaking = Compatibility.breaking(a.model(), b.model(), mode);
            out.println(
                    breaking.isEmpty()
                            ? "compatible (" + mode.name().toLowerCase() + ")"
                            : "breaking: " + String.join("; ", breaking));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Lets a halted pipeline continue past a breaking table version (--table, --version), or an"
                    + " unparseable statement or one that changed captured rows without row events (--at file:pos);"
                    + " restart the pipeline afterwards (sluice restart). For a Kafka Connect connector give"
                    + " --connect-state, --state-topic and --connector instead of -c, and restart its task through"
                    + " Connect's REST API.")
    static final class ApproveCommand extends OnPipelineOrConnector {
        @Option(names = "--table", paramLabel = "<db.table>", description = "The table whose version to approve.")
        String table;

        @Option(names = "--version", paramLabel = "<n>", description = "The version to approve.")
        Integer version;

        @Option(
                names = "--at",
                paramLabel = "<file:pos>",
                description = "The binlog position of a statement to"
                        + " accept (as the halt message gives it): an unparseable one, or one that changed captured rows"
                        + " without row events (re-load those tables with sluice snapshot afterwards).")
        String at;

        @Override
        int run(PipelineConfig pc, SchemaHistory h) {
            Approvals approvals = state.approvals();
            String restartHint = pc == null ? connectorState.restartHint() : restartHint(pc);
            PrintWriter out = out();
            if (at != null) {
                if (table != null || version != null) {
                    throw new ConfigException("give --at, or --table with --version, not both");
                }
                if (!at.matches(".+:[0-9]+")) {
                    throw new ConfigException("--at must be a binlog position file:pos, e.g. mysql-bin.000003:4711");
                }
                int colon = at.lastIndexOf(':');
                if (approvals.approvedAt(at.substring(0, colon), Long.parseLong(at.substring(colon + 1)))) {
                    throw new ExitException(
                            ExitCodes.NOTHING_TO_DO,
                            "the statement at " + at + " is approved already;" + " nothing changed. " + restartHint);
                }
                approvals.add(new Approvals.Approval(null, null, at, "approved with sluice schema approve"));
                out.println("approved the statement at " + at + ". " + restartHint);
            } else {
                if (table == null || version == null) {
                    throw new ConfigException(
                            "give --table and --version (or --at file:pos for an unparseable" + " statement)");
                }
                String note = "approved with sluice schema approve";
                SchemaApproval.Result r = pc != null
                        ? SchemaApproval.approve(pc, h, approvals, table, version, note)
                        : SchemaApproval.approve(
                                h,
                                approvals,
                                table,
                                version,
                                note,
                                restartHint,
                                "sluice schema list " + connectorState.options());
                // a halt the sink recorded in its target for this table (a change it does not apply by itself) is
                // cleared by the approval too, also when the version itself needed none
                Optional<String> cleared = pc == null ? Optional.empty() : clearSinkHalt(pc, table);
                if (r.outcome() != SchemaApproval.Outcome.APPROVED && cleared.isEmpty()) {
                    throw new ExitException(ExitCodes.NOTHING_TO_DO, r.message());
                }
                out.println(r.message());
                cleared.ifPresent(out::println);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Clears the halt the pipeline's sink recorded for {@code table} where it keeps its checkpoint, if any. */
    private static Optional<String> clearSinkHalt(PipelineConfig pc, String table) {
        try {
            return pc.sink().clearHalt(table);
        } catch (IOException e) {
            throw SluiceException.fatal(
                    "the approval is recorded, but the halt the sink recorded could not be cleared: " + e.getMessage(),
                    e);
        }
    }

    /** What to do after an approval: a halted pipeline reads approvals when it starts. */
    static String restartHint(PipelineConfig pc) {
        return SchemaApproval.restartHint(pc);
    }

    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            description = "Recreates a lost schema history from the server's information_schema, as the current"
                    + " version of each table at the pipeline's checkpoint; says what it could and could not"
                    + " recover. Run it while the pipeline is stopped.")
    static final class RebuildCommand extends Base {
        @Option(names = "--force", description = "Replace an existing history (it is kept as a .bak file).")
        boolean force;

        @Override
        int run(PipelineConfig pc, SchemaHistory existing) throws IOException {
            // never under a running pipeline: it appends to the history this command replaces (the history is in
            // the state directory whichever sink keeps the checkpoint)
            try (PipelineLocks locks = PipelineLocks.forState(pc, "sluice schema rebuild")) {
                return rebuild(pc);
            }
        }

        private int rebuild(PipelineConfig pc) throws IOException {
            Path file = pc.state().resolve(SchemaHistory.FILE_NAME);
            PrintWriter out = out();
            if (Files.exists(file) && Files.size(file) > 0) {
                if (!force) {
                    throw new ConfigException("the schema history " + file + " exists; rebuild replaces it only with"
                            + " --force (the old one is kept as " + SchemaHistory.FILE_NAME + ".bak)");
                }
                Files.move(
                        file,
                        file.resolveSibling(SchemaHistory.FILE_NAME + ".bak"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            // the committed checkpoint wherever the sink keeps it: the state directory, Kafka's offsets topic, the
            // JDBC target's checkpoint table
            Checkpoint cp = StoredState.committed(
                            pc,
                            "without a history, the pipeline describes each table from the binlog and"
                                    + " information_schema when it next sees it")
                    .orElse(null);
            if (cp == null) {
                String where = StoredState.checkpointInStateDir(pc)
                        ? pc.state().toString()
                        : pc.sink().checkpointElsewhere().orElseThrow();
                out.println("pipeline " + pc.name() + " has no checkpoint in " + where + ": nothing to rebuild;"
                        + " the history is built as the pipeline reads the binlog");
                out.flush();
                return ExitCodes.OK;
            }
            SchemaHistory h = SchemaHistory.open(pc.state());
            HistoryRebuild.Result r;
            try (Connection conn = connect(pc)) {
                r = HistoryRebuild.at(cp, conn);
            } catch (SQLException e) {
                throw SluiceException.fatal(
                        "cannot read information_schema of " + pc.source().host() + ":"
                                + pc.source().port() + ": " + e.getMessage(),
                        e);
            }
            r.versions().forEach(h::append);
            out.println("rebuilt the schema history of " + pc.name() + " at its checkpoint " + cp.position() + ":");
            r.recovered().forEach(line -> out.println("  recovered " + line));
            r.lost().forEach(line -> out.println("  could not recover " + line));
            out.println("not recoverable: " + HistoryRebuild.NOT_RECOVERABLE);
            out.flush();
            return ExitCodes.OK;
        }

        private static Connection connect(PipelineConfig pc) throws SQLException {
            return pc.source().connect();
        }
    }

    /** Pretty JSON for humans. */
    static final class SchemaHistoryJson {
        private SchemaHistoryJson() {}

        static String pretty(Object doc) throws IOException {
            return CheckpointCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        }
    }
}
