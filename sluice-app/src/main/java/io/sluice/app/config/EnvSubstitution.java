package io.sluice.app.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in string values from the environment. As in the shell,
 * the default applies when the variable is unset or empty.
 */
final class EnvSubstitution {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Map<String, String> env;

    EnvSubstitution(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** A variable referenced without a default that the environment does not have. */
    static final class MissingVariable extends Exception {
        final String variable;

        MissingVariable(String variable) {
            super(variable, null, false, false);
            this.variable = variable;
        }
    }

    String apply(String text) throws MissingVariable {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty() && m.group(2) != null) {
                if (m.group(2) == null) {
                    throw new MissingVariable(m.group(1));
                }
                value = m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
