package io.sluice.app.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One configuration key, declared once in {@link ConfigKeys}: its dotted path, type, default or requiredness,
 * the condition under which it applies, and a one-line description. The loader, its error messages and the
 * reference in {@code docs/configuration.md} all read these declarations.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {
    private final String path;
    private final ValueType<T> type;
    private final boolean required;
    private final BiFunction<String, Path, T> defaultValue;
    private final String defaultText;
    private final Condition<?> when;
    private final boolean secret;
    private final String doc;

    /** The key applies only when another key has a given value, e.g. {@code sink.path} only for {@code sink.type: file}. */
    record Condition<V>(ConfigKey<V> key, V value) {
        boolean holds(V actual) {
            return value.equals(actual);
        }

        String describe() {
            return key.path() + " is " + key.type().format(value);
        }
    }

    private ConfigKey(String path, ValueType<T> type, boolean required, BiFunction<String, Path, T> defaultValue,
                      String defaultText, Condition<?> when, boolean secret, String doc) {
        this.path = Objects.requireNonNull(path);
        this.type = Objects.requireNonNull(type);
        this.required = required;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.when = when;
        this.secret = secret;
        this.doc = Objects.requireNonNull(doc);
    }

    static <T> ConfigKey<T> required(String path, ValueType<T> type, String doc) {
        return new ConfigKey<>(path, type, true, null, null, null, false, doc);
    }

    static <T> ConfigKey<T> optional(String path, ValueType<T> type, T defaultValue, String doc) {
        Objects.requireNonNull(defaultValue);
        return new ConfigKey<>(path, type, false, (name, base) -> defaultValue, type.format(defaultValue), null,
                false, doc);
    }

    /** A default computed from the pipeline name and the config file's directory; {@code defaultText} documents it. */
    static <T> ConfigKey<T> derived(String path, ValueType<T> type, String defaultText,
                                    BiFunction<String, Path, T> defaultValue, String doc) {
        return new ConfigKey<>(path, type, false, defaultValue, defaultText, null, false, doc);
    }

    /** This key applies only when {@code key} is {@code value}; elsewhere, setting it is an error. */
    <V> ConfigKey<T> onlyWhen(ConfigKey<V> key, V value) {
        return new ConfigKey<>(path, type, required, defaultValue, defaultText, new Condition<>(key, value), secret,
                doc);
    }

    /** The value is never shown: not in errors, not in {@code toString()}. */
    ConfigKey<T> secret() {
        return new ConfigKey<>(path, type, required, defaultValue, defaultText, when, true, doc);
    }

    /** The dotted path, e.g. {@code source.port}. */
    public String path() {
        return path;
    }

    /** What a valid value looks like, e.g. {@code an integer from 1 to 65535}. */
    public String expected() {
        return type.expected();
    }

    public boolean isRequired() {
        return required;
    }

    /** The default as written in YAML, or empty for required keys. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    /** When the key applies, e.g. {@code sink.type is file}; empty if always. */
    public Optional<String> condition() {
        return Optional.ofNullable(when).map(Condition::describe);
    }

    public boolean isSecret() {
        return secret;
    }

    /** One line saying what the key does. */
    public String doc() {
        return doc;
    }

    ValueType<T> type() {
        return type;
    }

    Condition<?> when() {
        return when;
    }

    T defaultValue(String pipelineName, Path baseDir) {
        return defaultValue.apply(pipelineName, baseDir);
    }

    @Override
    public String toString() {
        return path;
    }
}
