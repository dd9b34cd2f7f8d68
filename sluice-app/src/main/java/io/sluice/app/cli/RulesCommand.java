package io.sluice.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.RuleChecks;
import io.sluice.app.run.RulePreviews;
import io.sluice.app.run.RuleReplays;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.kafka.StateTopic;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.rules.LineDiff;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesPreview;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice rules}: the versions of a pipeline's transformation rules (docs/rules.md), kept in its state
 * directory, or in a Kafka Connect connector's state topic ({@link ConnectorStateOption}; deploy, list, show, diff,
 * rollback). {@code deploy} and {@code rollback} append a version, which a running pipeline takes up at its next
 * source transaction boundary; {@code list}, {@code show} and {@code diff} read.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Deploys, lists, shows, compares and rolls back a pipeline's transformation rule versions.",
        subcommands = {
            RulesCommand.DeployCommand.class,
            RulesCommand.ListCommand.class,
            RulesCommand.ShowCommand.class,
            RulesCommand.DiffCommand.class,
            RulesCommand.RollbackCommand.class,
            RulesCommand.PreviewCommand.class,
            RulesCommand.ReplayCommand.class
        })
final class RulesCommand implements Runnable {
    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    RulesCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a rules command is required: deploy, list, show, diff, rollback, preview or replay");
    }

    /** Options every rules command has. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        PipelineFileOption.One file;

        /** The connector's state topic, when the command works on a connector's state ({@link #connector()}). */
        StateTopic connectorTopic;

        @Override
        public final Integer call() throws IOException, InterruptedException {
            ConnectorStateOption c = connector();
            if (c != null && c.given()) {
                // -c given on the command line, not $SLUICE_CONFIG's default: the connector's options are a choice
                boolean fileGiven = spec.commandLine().getParseResult().hasMatchedOption("--config");
                try (StateTopic topic = c.open(fileGiven)) {
                    connectorTopic = topic;
                    int rc = run(null, new RuleVersions(topic.ruleVersions()), out());
                    out().flush();
                    return rc;
                }
            }
            PipelineConfig pc = file.load(parent.loader, spec);
            if (pc.rules() == null) {
                throw new ConfigException(pc.file() + " names no rule file: add 'rules: <file>' to it (docs/rules.md)");
            }
            int rc = run(pc, new RuleVersions(FileStateStore.open(pc.state()).ruleVersions()), out());
            out().flush();
            return rc;
        }

        /**
         * The command's work on the rule {@code versions}; {@code pc} is null when it works on a connector's state
         * ({@link #connector()}, {@link #connectorTopic}).
         */
        abstract int run(PipelineConfig pc, RuleVersions versions, PrintWriter out)
                throws IOException, InterruptedException;

        /** The connector options of a command that works on a connector's state too; null for one that does not. */
        ConnectorStateOption connector() {
            return this instanceof OnPipelineOrConnector c ? c.connectorState : null;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** What a running pipeline, or connector task, does with a newly recorded version. */
        String takenUp(PipelineConfig pc) {
            if (pc != null) {
                return "a running pipeline " + pc.name() + " switches to it at its next transaction boundary, a"
                        + " stopped one when it starts";
            }
            return "connector " + connector().connector + "'s running task switches to it at its next source"
                    + " transaction boundary (its rules setting, unchanged, does not undo it)";
        }
    }

    /** A rules command that works on a Kafka Connect connector's state topic too ({@link ConnectorStateOption}). */
    abstract static class OnPipelineOrConnector extends Base {
        @Mixin
        ConnectorStateOption connectorState;
    }

    @Command(
            name = "deploy",
            mixinStandardHelpOptions = true,
            description = "Records a rule file as the next version; a running pipeline switches to it at its next"
                    + " source transaction boundary. For a Kafka Connect connector give --connect-state,"
                    + " --state-topic, --connector and -r instead of -c: its running task switches the same way.")
    static final class DeployCommand extends OnPipelineOrConnector {
        @Mixin
        RuleFileOptions.Candidate rules;

        @Mixin
        RuleFileOptions.Message message;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) throws IOException {
            if (pc == null && rules.rules == null) {
                throw new ConfigException(
                        "give the rule file to deploy to connector " + connector().connector + " with -r <file>");
            }
            Path file = rules.orPipelines(pc);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int checked = pc == null
                    ? RuleChecks.againstSchemas(SchemaState.of(connectorTopic).history(), text, file.toString())
                    : checkAgainstSchemas(pc, text, file.toString());
            Optional<RuleVersions.Version> v = versions.deploy(
                    text, file.toString(), message.message == null ? "" : message.message, Instant.now());
            if (v.isEmpty()) {
                throw new ExitException(
                        ExitCodes.NOTHING_TO_DO,
                        "rule version " + versions.latest().orElseThrow().number() + " has this file's rules already;"
                                + " nothing deployed");
            }
            out.println("deployed rule version " + v.get().number() + " ("
                    + v.get().hash().substring(0, 12) + ") of "
                    + file + "; " + takenUp(pc) + "; checked against the current schema of " + checked
                    + " table(s)");
            return ExitCodes.OK;
        }

        /**
         * Compiles the candidate against each table's current version in the pipeline's schema history, before
         * anything is recorded: a rule that names a column a table lacks (or does not type-check on it) is refused
         * with the rule, the column and the table named. Returns how many tables were checked (none before the
         * pipeline's first run, when there is no history yet).
         */
        static int checkAgainstSchemas(PipelineConfig pc, String text, String origin) {
            return RuleChecks.againstSchemas(SchemaHistory.open(pc.state()), text, origin);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the rule versions, oldest first.")
    static final class ListCommand extends OnPipelineOrConnector {
        @Mixin
        Listing.Output output;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            List<RuleVersions.Version> all = versions.list();
            if (all.isEmpty() && output.format == Listing.Format.TABLE) {
                out.println("no rule version yet: the pipeline records its rule file as version 1 when it starts,"
                        + " or deploy one with sluice rules deploy");
                return ExitCodes.OK;
            }
            Listing listing = new Listing(
                    new Listing.Column("version", "VERSION"),
                    new Listing.Column("time", "TIME"),
                    new Listing.Column("hash", "HASH"),
                    new Listing.Column("origin", "ORIGIN"),
                    new Listing.Column("message", "MESSAGE"));
            for (RuleVersions.Version v : all) {
                // the table shows the hash's first 12 digits (as deploy says it), JSON the whole SHA-256
                listing.row(
                        v.number(),
                        v.time().toString(),
                        output.format == Listing.Format.JSON
                                ? v.hash()
                                : v.hash().substring(0, 12),
                        v.origin(),
                        v.message().isEmpty() ? null : v.message());
            }
            listing.print(out, output.format);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a version's rule file.")
    static final class ShowCommand extends OnPipelineOrConnector {
        @Parameters(arity = "0..1", paramLabel = "<version>", description = "The version (default: the newest).")
        Integer version;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            RuleVersions.Version v = version == null
                    ? versions.latest().orElseThrow(() -> new ConfigException("no rule version yet"))
                    : versions.get(version);
            out.println("# rule version " + v.number() + ", " + v.time() + ", " + v.origin()
                    + (v.message().isEmpty() ? "" : ": " + v.message()));
            out.print(v.text());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description =
                    "Compares two versions' rule files line by line (default: the newest with the one" + " before).")
    static final class DiffCommand extends OnPipelineOrConnector {
        @Parameters(arity = "0..2", paramLabel = "<version>", description = "From and to (default: n-1 and n).")
        List<Integer> pair = new ArrayList<>();

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            int to = pair.size() == 2
                    ? pair.get(1)
                    : versions.latest().map(RuleVersions.Version::number).orElse(0);
            int from = pair.isEmpty() ? to - 1 : pair.get(0);
            RuleVersions.Version a = versions.get(from);
            RuleVersions.Version b = versions.get(to);
            out.println("--- rule version " + a.number());
            out.println("+++ rule version " + b.number());
            for (String line :
                    LineDiff.diff(a.text().lines().toList(), b.text().lines().toList())) {
                out.println(line);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Deploys an earlier version's rules again, as a new version.")
    static final class RollbackCommand extends OnPipelineOrConnector {
        @Parameters(paramLabel = "<version>", description = "The version whose rules to run again.")
        int version;

        @Mixin
        RuleFileOptions.Message message;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            RuleVersions.Version v = versions.rollback(version, message.message, Instant.now());
            out.println("deployed rule version " + v.number() + " with the rules of version " + version + "; "
                    + takenUp(pc));
            return ExitCodes.OK;
        }
    }

    /** The binlog range of {@code preview} and {@code replay}. */
    static final class RangeOption {
        @Option(
                names = "--from",
                paramLabel = "<position>",
                description = "The range's start: file:pos (a transaction's start, as events' source.file and"
                        + " source.pos give it), a MariaDB GTID set (the place after it), or a time"
                        + " (2026-12-07T10:00:00Z: the first transaction at or after it).")
        String from;

        @Option(
                names = "--to",
                paramLabel = "<position>",
                description = "The range's end (file:pos or a GTID set; the transactions beginning before it);"
                        + " default: the server's current end.")
        String to;
    }

    /** The server id option of the commands that open a binlog connection of their own. */
    static final class ServerIdOption {
        @Option(
                names = "--server-id",
                paramLabel = "<id>",
                description = "The server id of the re-read's own binlog connection (default: one picked at random"
                        + " between 2^30 and 2^31; never the pipeline's).")
        long serverId;
    }

    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = "Runs the deployed version and a candidate over events re-read from the binlog and prints"
                    + " what the candidate changes; writes nothing to any sink and moves no checkpoint.")
    static final class PreviewCommand extends Base {
        @Option(
                names = {"-r", "--rules"},
                required = true,
                paramLabel = "<file>",
                description = "The candidate rule file.")
        Path rules;

        @Option(
                names = "--last",
                paramLabel = "<n>",
                description = "The last n row events before the pipeline's checkpoint (or the server's end where the"
                        + " checkpoint is elsewhere or there is none yet); the default, with 100, when --from is not"
                        + " given.")
        Integer last;

        @Mixin
        RangeOption range;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "text|json",
                defaultValue = "text",
                description = "text (default) or json, for tools.")
        String output;

        @Option(
                names = "--limit",
                paramLabel = "<n>",
                defaultValue = "1000",
                description = "List at most n events (the totals count all; default 1000).")
        int limit;

        @Mixin
        ServerIdOption serverId;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) throws IOException, InterruptedException {
            if (last != null && range.from != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give either --last or --from [--to], not both");
            }
            if (!output.equals("text") && !output.equals("json")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "-o/--output takes text or json, not '" + output + "'");
            }
            if (range.to != null && range.from == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to needs --from");
            }
            RulePreviews.Preview p = RulePreviews.preview(
                    pc,
                    new RulePreviews.Request(
                            Files.readString(rules, StandardCharsets.UTF_8),
                            rules.toString(),
                            range.from == null && last == null ? Integer.valueOf(100) : last,
                            range.from,
                            range.to,
                            limit,
                            serverId.serverId),
                    System::getenv,
                    Scheduler.system(Clock.systemUTC()));
            RulesPreview.Result r = p.result();
            if (output.equals("json")) {
                ObjectNode doc = r.toJson();
                doc.put("range", p.range().toString());
                out.println(doc.toString());
            } else {
                printText(p, out);
            }
            return r.totals().getOrDefault(RulesPreview.Outcome.FAILED, 0L) > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        }

        private void printText(RulePreviews.Preview p, PrintWriter out) {
            RulesPreview.Result r = p.result();
            out.println("preview of " + rules + " (as version " + r.candidateVersion() + ") against "
                    + (r.deployedVersion() == 0 ? "no version" : "deployed version " + r.deployedVersion())
                    + ", over " + p.range());
            for (RulesPreview.Entry e : r.entries()) {
                StringBuilder line = new StringBuilder();
                line.append(String.format("%-9s %s  %s %s", e.outcome().label(), e.id(), e.op(), e.table()));
                String route = e.candidateRoute() == null ? "-" : e.candidateRoute();
                String before = e.deployedRoute() == null ? "-" : e.deployedRoute();
                line.append("  -> ").append(before.equals(route) ? route : before + " => " + route);
                e.added().forEach(f -> line.append(" +").append(f));
                e.removed().forEach(f -> line.append(" -").append(f));
                e.changed().forEach(f -> line.append(" ~").append(f));
                if (e.outcome() == RulesPreview.Outcome.DROPPED && e.deployedDropped()) {
                    line.append(" (dropped by the deployed version too)");
                }
                if (e.error() != null) {
                    line.append("\n          ").append(e.error());
                }
                out.println(line);
            }
            if (r.entries().size() < r.events()) {
                out.println("... " + (r.events() - r.entries().size()) + " more (--limit)");
            }
            StringBuilder totals = new StringBuilder(r.events() + " events:");
            for (RulesPreview.Outcome o : RulesPreview.Outcome.values()) {
                totals.append(' ')
                        .append(r.totals().getOrDefault(o, 0L))
                        .append(' ')
                        .append(o.label())
                        .append(o == RulesPreview.Outcome.FAILED ? "" : ",");
            }
            out.println(totals);
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = "Re-reads a binlog range through a rule version into an isolated sink with its own state;"
                    + " never touches the live pipeline's checkpoint or sink.")
    static final class ReplayCommand extends Base {
        @Mixin
        RangeOption range;

        @Option(
                names = {"-r", "--rules"},
                paramLabel = "<vN>",
                description = "The rule version to shape with (v2 or 2; default: the deployed one).")
        String version;

        @Option(
                names = "--into",
                required = true,
                paramLabel = "<dir|pipeline.yaml>",
                description = "A new or empty directory (a file sink in <dir>/events, its state in <dir>/state), or a"
                        + " pipeline file whose sink and state directory to use.")
        Path into;

        @Mixin
        ServerIdOption serverId;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) throws IOException, InterruptedException {
            if (range.from == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give the range's start: --from <file:pos|GTID set|time>");
            }
            RuleReplays.Target target;
            String name = into.getFileName() == null ? "" : into.getFileName().toString();
            if (Files.isRegularFile(into) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                target = RuleReplays.pipeline(pc, parent.loader.load(into));
            } else {
                if (Files.isDirectory(into)) {
                    try (var entries = Files.list(into)) {
                        if (entries.findAny().isPresent()) {
                            throw new ConfigException("--into " + into + " is not empty: give a new or empty"
                                    + " directory (a replay starts its own sink and state there)");
                        }
                    }
                } else if (Files.exists(into)) {
                    throw new ConfigException(
                            "--into " + into + " is neither a directory nor a pipeline file" + " (*.yaml)");
                }
                target = RuleReplays.directory(pc, into);
            }
            Integer v = null;
            if (version != null) {
                try {
                    v = Integer.valueOf(version.startsWith("v") ? version.substring(1) : version);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--rules takes a version number (v2 or 2), not '" + version + "'");
                }
            }
            RuleReplays.Replay r = RuleReplays.replay(
                    pc,
                    new RuleReplays.Request(range.from, range.to, v, target, serverId.serverId),
                    System::getenv,
                    Scheduler.system(Clock.systemUTC()));
            out.println("replayed " + r.range() + " through rule version " + r.version() + " into "
                    + target.describe() + ": " + r.events() + " event(s) in " + r.commits() + " commit(s); its"
                    + " checkpoint and schema history are in " + target.state());
            return ExitCodes.OK;
        }
    }
}
