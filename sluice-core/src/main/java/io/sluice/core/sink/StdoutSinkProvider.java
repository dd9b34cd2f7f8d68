package io.sluice.core.sink;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import java.util.List;

/** {@code sink.type: stdout}: {@link Sinks#stdout(java.nio.file.Path, java.time.Clock)}; it has no settings. */
public final class StdoutSinkProvider implements SinkProvider<StdoutSinkProvider.Settings> {

    /** The stdout sink has no settings of its own. */
    public record Settings() {}

    @Override
    public String type() {
        return "stdout";
    }

    @Override
    public String description() {
        return "one JSON line per event on standard output";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of();
    }

    @Override
    public Settings settings(ConfigValues values) {
        return new Settings();
    }

    @Override
    public Sink create(Settings settings, SinkContext context) {
        return Sinks.stdout(context.stateDir(), context.clock());
    }
}
