package io.sluice.app.config;

import io.sluice.core.SluiceException;
import java.util.List;

/**
 * A configuration that cannot be used. Each {@linkplain #problems() problem} is one plain line naming the file and
 * the key, what was found and what was expected, e.g. {@code shop.yaml: source.port: expected an integer from 1 to
 * 65535, found "abc"}.
 */
public final class ConfigException extends SluiceException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems), false, null);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** The problems found, one line each, in file order. */
    public List<String> problems() {
        return problems;
    }
}
