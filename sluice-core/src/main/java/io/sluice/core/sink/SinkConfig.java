package io.sluice.core.sink;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline's configured sink: its provider and typed settings, and the output directory its keys name, if one
 * does ({@link ConfigKey#outputDirectory()}). What the application knows of a sink is this, whatever its type.
 *
 * @param provider        the kind of sink
 * @param settings        its settings
 * @param outputDirectory the directory it writes its output to, if it writes one
 * @param <C>             the settings' type
 */
public record SinkConfig<C>(SinkProvider<C> provider, C settings, Optional<Path> outputDirectory) {
    public SinkConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /** The sink configured by validated values of {@code provider}'s keys. */
    public static <C> SinkConfig<C> of(SinkProvider<C> provider, ConfigValues values) {
        Optional<Path> out = Optional.empty();
        for (ConfigKey<?> key : provider.keys()) {
            if (key.isOutputDirectory()) {
                if (!(values.get(key) instanceof Path dir)) {
                    throw new IllegalStateException("sink " + provider.type() + " marks " + key.path()
                            + " as its output directory, but its value is no path: " + values.get(key));
                }
                out = Optional.of(dir);
            }
        }
        return new SinkConfig<>(provider, provider.settings(values), out);
    }

    /** The {@code sink.type}. */
    public String type() {
        return provider.type();
    }

    /** The target's problems before a run; see {@link SinkProvider#check}. */
    public List<SinkFinding> check() {
        return provider.check(settings);
    }

    /** A new sink for the pipeline; see {@link SinkProvider#create}. */
    public Sink create(SinkContext context) {
        return provider.create(settings, context);
    }

    /** See {@link SinkProvider#checkpointElsewhere}. */
    public Optional<String> checkpointElsewhere() {
        return provider.checkpointElsewhere(settings);
    }

    /** See {@link SinkProvider#readCheckpoint}. */
    public java.util.Optional<io.sluice.core.checkpoint.Checkpoint> readCheckpoint() throws java.io.IOException {
        return provider.readCheckpoint(settings);
    }

    /** See {@link SinkProvider#clearHalt}. */
    public Optional<String> clearHalt(String table) throws java.io.IOException {
        return provider.clearHalt(settings, table);
    }

    /** See {@link SinkProvider#writeCheckpoint}. */
    public void writeCheckpoint(
            io.sluice.core.checkpoint.Checkpoint expected, io.sluice.core.checkpoint.Checkpoint next)
            throws java.io.IOException {
        provider.writeCheckpoint(settings, expected, next);
    }

    @Override
    public String toString() {
        return "SinkConfig[type=" + type() + ", settings=" + settings + "]";
    }
}
