package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.http.ControlServer;
import io.sluice.app.http.HttpOptions;
import io.sluice.app.run.Version;
import io.sluice.core.SluiceException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command line. Subcommands parse options and load configuration, then hand over to
 * {@link Commands}. This is the one place exceptions become {@code error:} lines on stderr and exit codes.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCli.VersionProvider.class,
        description = "Change data capture from MySQL and MariaDB binlogs.",
        subcommands = CommandLine.HelpCommand.class)
public final class SluiceCli implements Runnable {
    @Spec
    CommandSpec spec;

    private SluiceCli() {
    }

    /** A ready command line; set its out and err writers to capture output. */
    public static CommandLine create(Commands commands, ConfigLoader loader) {
        return create(commands, loader, new String[0]);
    }

    /**
     * A ready command line for these arguments: when the first names a command, the others are left out, since
     * picocli builds each command's model from its annotations up front, which costs start-up time; otherwise (help,
     * a mistyped name, none) all are there.
     */
    public static CommandLine create(Commands commands, ConfigLoader loader, String... args) {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(loader, "loader");
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("version", VersionCommand::new);
        all.put("run", () -> new RunCommand(commands, loader));
        all.put("check", () -> new CheckCommand(commands, loader));
        all.put("tail", () -> new TailCommand(loader));
        all.put("schema", () -> new SchemaCommand(loader));
        all.put("snapshot", () -> new SnapshotCommand(loader));
        String named = args.length > 0 && all.containsKey(args[0]) ? args[0] : null;
        CommandLine cli = new CommandLine(new SluiceCli());
        all.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        return cli.setExecutionExceptionHandler(new ErrorHandler());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, check, tail, snapshot, schema or version");
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

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the pipelines of the given configuration files until stopped.")
    static final class RunCommand implements Callable<Integer> {
        private final Commands commands;
        private final ConfigLoader loader;

        @Option(names = "--config", required = true, paramLabel = "<file|dir>",
                description = "A pipeline file, or a directory of *.yaml/*.yml files; repeatable.")
        List<Path> configs;

        @Option(names = "--http-bind", paramLabel = "<address>", defaultValue = ControlServer.DEFAULT_BIND,
                description = "Address of the HTTP API and console (default: ${DEFAULT-VALUE}). Any address other "
                        + "than loopback needs --http-token.")
        String httpBind;

        @Option(names = "--http-port", paramLabel = "<port>", defaultValue = "" + ControlServer.DEFAULT_PORT,
                description = "Port of the HTTP API and console (default: ${DEFAULT-VALUE}); 0 picks a free port, "
                        + "-1 turns HTTP off.")
        int httpPort;

        @Option(names = "--http-token", paramLabel = "<token>", defaultValue = "${env:SLUICE_HTTP_TOKEN}",
                description = "Token the API and /metrics require, as 'Authorization: Bearer <token>' or "
                        + "?token=<token> (default: $SLUICE_HTTP_TOKEN).")
        String httpToken;

        RunCommand(Commands commands, ConfigLoader loader) {
            this.commands = commands;
            this.loader = loader;
        }

        @Override
        public Integer call() throws InterruptedException {
            return commands.run(loader.loadAll(configs), new HttpOptions(httpBind, httpPort, httpToken));
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates the configuration files and checks the servers they name.")
    static final class CheckCommand implements Callable<Integer> {
        private final Commands commands;
        private final ConfigLoader loader;

        @Option(names = "--config", required = true, paramLabel = "<file|dir>",
                description = "A pipeline file, or a directory of *.yaml/*.yml files; repeatable.")
        List<Path> configs;

        CheckCommand(Commands commands, ConfigLoader loader) {
            this.commands = commands;
            this.loader = loader;
        }

        @Override
        public Integer call() {
            return commands.check(loader.loadAll(configs));
        }
    }

    /** Exceptions to {@code error:} lines and exit codes. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            int code;
            if (e instanceof ConfigException config) {
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
