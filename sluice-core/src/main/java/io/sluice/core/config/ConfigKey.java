package io.sluice.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One configuration key, declared once, as data: its dotted path, type (which validates it), default or
 * requiredness, the condition under which it applies, and a one-line description. The loader, its error messages
 * and the reference in {@code docs/configuration.md} all read these declarations.
 *
 * <p>A sink provider declares its keys by their names under {@code sink:} ({@code path}); the application places
 * them there with {@link #in(String)} and reads their values back for the provider by the provider's own key
 * ({@link ConfigValues#get}).
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
    private final boolean outputDirectory;
    private final String doc;
    /** The key this one was placed from with {@link #in}; itself otherwise. */
    private final ConfigKey<T> origin;

    /**
     * The key applies only when another key has a given value, e.g. {@code sink.path} only for {@code sink.type:
     * file}.
     */
    public record Condition<V>(ConfigKey<V> key, V value) {
        /** Whether the other key's value makes this key apply. */
        public boolean holds(V actual) {
            return value.equals(actual);
        }

        /** The condition as the reference and error messages say it: {@code sink.type is file}. */
        public String describe() {
            return key.path() + " is " + key.type().format(value);
        }
    }

    private ConfigKey(
            String path,
            ValueType<T> type,
            boolean required,
            BiFunction<String, Path, T> defaultValue,
            String defaultText,
            Condition<?> when,
            boolean secret,
            boolean outputDirectory,
            String doc,
            ConfigKey<T> origin) {
        this.path = Objects.requireNonNull(path);
        this.type = Objects.requireNonNull(type);
        this.required = required;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.when = when;
        this.secret = secret;
        this.outputDirectory = outputDirectory;
        this.doc = Objects.requireNonNull(doc);
        this.origin = origin == null ? this : origin;
    }

    private ConfigKey<T> with(
            String newPath,
            Condition<?> newWhen,
            boolean newSecret,
            boolean newOutputDirectory,
            ConfigKey<T> newOrigin) {
        return new ConfigKey<>(
                newPath,
                type,
                required,
                defaultValue,
                defaultText,
                newWhen,
                newSecret,
                newOutputDirectory,
                doc,
                newOrigin);
    }

    /** A key that must be given. */
    public static <T> ConfigKey<T> required(String path, ValueType<T> type, String doc) {
        return new ConfigKey<>(path, type, true, null, null, null, false, false, doc, null);
    }

    /** A key that may be left out, then taking {@code defaultValue}. */
    public static <T> ConfigKey<T> optional(String path, ValueType<T> type, T defaultValue, String doc) {
        Objects.requireNonNull(defaultValue);
        return new ConfigKey<>(
                path,
                type,
                false,
                (name, base) -> defaultValue,
                type.format(defaultValue),
                null,
                false,
                false,
                doc,
                null);
    }

    /**
     * A default computed from the pipeline name and the config file's directory (it may be null: no value);
     * {@code defaultText} documents it.
     */
    public static <T> ConfigKey<T> derived(
            String path, ValueType<T> type, String defaultText, BiFunction<String, Path, T> defaultValue, String doc) {
        return new ConfigKey<>(path, type, false, defaultValue, defaultText, null, false, false, doc, null);
    }

    /** This key applies only when {@code key} is {@code value}; elsewhere, setting it is an error. */
    public <V> ConfigKey<T> onlyWhen(ConfigKey<V> key, V value) {
        return with(path, new Condition<>(key, value), secret, outputDirectory, origin == this ? null : origin);
    }

    /** The value is never shown: not in errors, not in {@code toString()}. */
    public ConfigKey<T> secret() {
        return with(path, when, true, outputDirectory, origin == this ? null : origin);
    }

    /**
     * The value (a path) is the directory the sink writes its output to: no other pipeline may use it, in any role
     * (checked when pipelines are loaded together), a running pipeline locks it, status pages show it, and the
     * pipeline keeps its tables' schema documents there, beside the data. At most one key of a sink is so marked.
     */
    public ConfigKey<T> outputDirectory() {
        return with(path, when, secret, true, origin == this ? null : origin);
    }

    /**
     * This key placed in a section: {@code path} becomes {@code section.path}; everything else stays, and
     * {@link ConfigValues} finds its value under this key or the original one.
     */
    public ConfigKey<T> in(String section) {
        return with(section + "." + path, when, secret, outputDirectory, origin);
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

    /** Whether the value is the sink's output directory: see {@link #outputDirectory()}. */
    public boolean isOutputDirectory() {
        return outputDirectory;
    }

    /** One line saying what the key does. */
    public String doc() {
        return doc;
    }

    /** How the value reads, validates and is written. */
    public ValueType<T> type() {
        return type;
    }

    /** The condition under which the key applies, or null if always. */
    public Condition<?> when() {
        return when;
    }

    /** The key as it was declared, before {@link #in} placed it in a section; this key if it was not. */
    public ConfigKey<T> origin() {
        return origin;
    }

    /** The default for a pipeline of this name whose file is in {@code baseDir}; null when there is none. */
    public T defaultValue(String pipelineName, Path baseDir) {
        return defaultValue.apply(pipelineName, baseDir);
    }

    @Override
    public String toString() {
        return path;
    }
}
