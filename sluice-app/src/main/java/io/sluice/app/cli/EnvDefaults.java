package io.sluice.app.cli;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults from environment variables, one table for every command: {@code -c/--config} from {@value #CONFIG},
 * {@code --http-token} from {@value #TOKEN}, {@code --url} from {@value #URL}. The environment is given (tests pass
 * their own map), never read here.
 */
final class EnvDefaults implements IDefaultValueProvider {
    /** The pipeline file (or directory) a command reads when {@code -c} is not given. */
    static final String CONFIG = "SLUICE_CONFIG";
    /** The token of the HTTP API of {@code sluice run}. */
    static final String TOKEN = "SLUICE_HTTP_TOKEN";
    /** The address of a running process's HTTP API, for status, pause, resume and restart. */
    static final String URL = "SLUICE_URL";

    private static final Map<String, String> BY_OPTION =
            Map.of("--config", CONFIG, "--http-token", TOKEN, "--url", URL);

    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        String variable = BY_OPTION.get(o.longestName());
        String value = variable == null ? null : env.get(variable);
        return value == null || value.isBlank() ? null : value;
    }

    /** The {@code -c} value, or a usage error (exit 2) that says how to give one. */
    static <T> T required(CommandSpec spec, T config) {
        if (config == null || config instanceof List<?> l && l.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "no pipeline file: give -c/--config" + " <file> or set " + CONFIG);
        }
        return config;
    }
}
