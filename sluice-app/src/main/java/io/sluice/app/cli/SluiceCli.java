package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.http.ControlServer;
import io.sluice.app.http.HttpOptions;
import io.sluice.app.run.Version;
import io.sluice.core.SluiceException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command line. Subcommands parse options and load configuration, then hand over to
 * {@link Commands}. This is the one place exceptions become {@code error:} lines on stderr and exit codes.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.VersionProvider.class,
        description = "Change data capture from MySQL and MariaDB binlogs.",
        subcommands = CommandLine.HelpCommand.class)
public final class SluiceCli implements Runnable {
    @Spec
    CommandSpec spec;

    private SluiceCli() {}

    /** A ready command line; set its out and err writers to capture output. */
    public static CommandLine create(Commands commands, ConfigLoader loader) {
        return create(commands, loader, System.getenv(), new String[0]);
    }

    /** {@link #create(Commands, ConfigLoader, Map, String...)} with the process environment. */
    public static CommandLine create(Commands commands, ConfigLoader loader, String... args) {
        return create(commands, loader, System.getenv(), args);
    }

    /**
     * A ready command line for these arguments: when the first names a command, the others are left out, since
     * picocli builds each command's model from its annotations up front, which costs start-up time; otherwise (help,
     * a mistyped name, none) all are there. Options named in {@link EnvDefaults} default to {@code env}'s variables
     * ({@code SLUICE_CONFIG}, ...), and every command and subcommand takes {@code -h}/{@code --help}.
     */
    public static CommandLine create(Commands commands, ConfigLoader loader, Map<String, String> env, String... args) {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(loader, "loader");
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("version", VersionCommand::new);
        all.put("run", () -> new RunCommand(commands, loader));
        all.put("check", () -> new CheckCommand(commands, loader));
        all.put("tail", () -> new TailCommand(loader));
        all.put("schema", () -> new SchemaCommand(loader));
        all.put("rules", () -> new RulesCommand(loader));
        all.put("snapshot", () -> new SnapshotCommand(loader));
        all.put("position", () -> new PositionCommand(loader));
        all.put("status", RemoteCommands.StatusCommand::new);
        all.put("pause", RemoteCommands.PauseCommand::new);
        all.put("resume", RemoteCommands.ResumeCommand::new);
        all.put("restart", RemoteCommands.RestartCommand::new);
        String named = args.length > 0 && all.containsKey(args[0]) ? args[0] : null;
        CommandLine cli = new CommandLine(new SluiceCli());
        all.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        helpEverywhere(cli);
        cli.setDefaultValueProvider(new EnvDefaults(env));
        return cli.setExecutionExceptionHandler(new ErrorHandler());
    }

    /**
     * Gives each command that has no help option of its own {@code -h}/{@code --help} (one with an option of its
     * own named {@code --version}, such as {@code schema show}, cannot take picocli's standard mixin), so that help
     * works everywhere, required options or not.
     */
    private static void helpEverywhere(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.findOption("--help") == null) {
            String[] names = spec.findOption("-h") == null ? new String[] {"-h", "--help"} : new String[] {"--help"};
            spec.addOption(OptionSpec.builder(names)
                    .usageHelp(true)
                    .description("Show this help message and exit.")
                    .build());
        }
        cli.getSubcommands().values().stream().distinct().forEach(SluiceCli::helpEverywhere);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required: run, check, status,"
                        + " pause, resume, restart, snapshot, schema, position, tail or version");
    }

    /** {@code sluice --version}. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sluice " + Version.current()};
        }
    }

    @Command(name = "version", description = "Prints the Sluice version.")
    static final class VersionCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("sluice " + Version.current());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Runs the pipelines of the given configuration files until stopped.")
    static final class RunCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final Commands commands;
        private final ConfigLoader loader;

        @Mixin
        PipelineFileOption.Many files;

        @Option(
                names = "--http-bind",
                paramLabel = "<address>",
                defaultValue = ControlServer.DEFAULT_BIND,
                description = "Address of the HTTP API and console (default: ${DEFAULT-VALUE}). Any address other "
                        + "than loopback needs --http-token.")
        String httpBind;

        @Option(
                names = "--http-port",
                paramLabel = "<port>",
                defaultValue = "" + ControlServer.DEFAULT_PORT,
                description = "Port of the HTTP API and console (default: ${DEFAULT-VALUE}); 0 picks a free port, "
                        + "-1 turns HTTP off.")
        int httpPort;

        @Option(
                names = "--http-token",
                paramLabel = "<token>",
                defaultValue = "${env:SLUICE_HTTP_TOKEN}",
                description = "Token the API and /metrics require, as 'Authorization: Bearer <token>' or "
                        + "?token=<token> (default: $SLUICE_HTTP_TOKEN).")
        String httpToken;

        RunCommand(Commands commands, ConfigLoader loader) {
            this.commands = commands;
            this.loader = loader;
        }

        @Override
        public Integer call() throws InterruptedException {
            return commands.run(files.loadAll(loader, spec), new HttpOptions(httpBind, httpPort, httpToken));
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validates the configuration files and checks the servers they name.")
    static final class CheckCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final Commands commands;
        private final ConfigLoader loader;

        @Mixin
        PipelineFileOption.Many files;

        CheckCommand(Commands commands, ConfigLoader loader) {
            this.commands = commands;
            this.loader = loader;
        }

        @Override
        public Integer call() {
            return commands.check(files.loadAll(loader, spec));
        }
    }

    /** Exceptions to {@code error:} lines and exit codes. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            int code;
            if (e instanceof ExitException exit) {
                err.println("error: " + exit.getMessage());
                code = exit.code();
            } else if (e instanceof ConfigException config) {
                config.problems().forEach(p -> err.println("error: " + p));
                code = ExitCodes.CONFIG;
            } else if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted");
                code = ExitCodes.INTERRUPTED;
            } else if (e instanceof SluiceException) {
                err.println("error: " + e.getMessage());
                code = ExitCodes.FAILURE;
            } else {
                err.println("error: unexpected " + e);
                e.printStackTrace(err);
                code = ExitCodes.FAILURE;
            }
            err.flush();
            return code;
        }
    }
}
