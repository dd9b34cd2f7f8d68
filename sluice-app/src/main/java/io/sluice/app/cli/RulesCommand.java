package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.RuleChecks;
import io.sluice.core.state.FileStateStore;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.rules.LineDiff;
import io.sluice.rules.RuleVersions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice rules}: the versions of a pipeline's transformation rules (docs/rules.md), kept in its state
 * directory. {@code deploy} and {@code rollback} append a version, which a running pipeline takes up at its next
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
            RulesCommand.RollbackCommand.class
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
                spec.commandLine(), "a rules command is required: deploy, list, show, diff or rollback");
    }

    /** Options every rules command has. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        RulesCommand parent;

        @Spec
        CommandSpec spec;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "<file>",
                description = "The pipeline's file (default: $SLUICE_CONFIG).")
        Path config;

        @Override
        public final Integer call() throws IOException {
            PipelineConfig pc = parent.loader.load(EnvDefaults.required(spec, config));
            if (pc.rules() == null) {
                throw new ConfigException(pc.file() + " names no rule file: add 'rules: <file>' to it (docs/rules.md)");
            }
            int rc = run(pc, new RuleVersions(FileStateStore.open(pc.state()).ruleVersions()), out());
            out().flush();
            return rc;
        }

        abstract int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) throws IOException;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(
            name = "deploy",
            mixinStandardHelpOptions = true,
            description = "Records a rule file as the next version; a running pipeline switches to it at its next"
                    + " source transaction boundary.")
    static final class DeployCommand extends Base {
        @Option(
                names = {"-r", "--rules"},
                paramLabel = "<file>",
                description = "The candidate rule file (default: the pipeline's).")
        Path rules;

        @Option(
                names = {"-m", "--message"},
                paramLabel = "<why>",
                description = "Why, kept with the version.")
        String message;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) throws IOException {
            Path file = rules != null ? rules : pc.rules();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int checked = checkAgainstSchemas(pc, text, file.toString());
            Optional<RuleVersions.Version> v =
                    versions.deploy(text, file.toString(), message == null ? "" : message, Instant.now());
            if (v.isEmpty()) {
                throw new ExitException(
                        ExitCodes.NOTHING_TO_DO,
                        "rule version " + versions.latest().orElseThrow().number() + " has this file's rules already;"
                                + " nothing deployed");
            }
            out.println("deployed rule version " + v.get().number() + " ("
                    + v.get().hash().substring(0, 12) + ") of "
                    + file + "; a running pipeline " + pc.name() + " switches to it at its next transaction boundary,"
                    + " a stopped one when it starts; checked against the current schema of " + checked
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
    static final class ListCommand extends Base {
        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            List<RuleVersions.Version> all = versions.list();
            if (all.isEmpty()) {
                out.println("no rule version yet: the pipeline records its rule file as version 1 when it starts,"
                        + " or deploy one with sluice rules deploy");
                return ExitCodes.OK;
            }
            for (RuleVersions.Version v : all) {
                out.printf(
                        "%4d  %s  %s  %s  %s%n",
                        v.number(), v.time(), v.hash().substring(0, 12), v.origin(), v.message());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a version's rule file.")
    static final class ShowCommand extends Base {
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
    static final class DiffCommand extends Base {
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
    static final class RollbackCommand extends Base {
        @Parameters(paramLabel = "<version>", description = "The version whose rules to run again.")
        int version;

        @Option(
                names = {"-m", "--message"},
                paramLabel = "<why>",
                description = "Why, kept with the version.")
        String message;

        @Override
        int run(PipelineConfig pc, RuleVersions versions, PrintWriter out) {
            RuleVersions.Version v = versions.rollback(version, message, Instant.now());
            out.println("deployed rule version " + v.number() + " with the rules of version " + version + "; a running"
                    + " pipeline " + pc.name() + " switches to it at its next transaction boundary");
            return ExitCodes.OK;
        }
    }
}
