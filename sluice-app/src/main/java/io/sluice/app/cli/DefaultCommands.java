package io.sluice.app.cli;

import io.sluice.app.config.PipelineConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;

/**
 * PLACEHOLDER, to be replaced by the real composition root: prints {@code not wired yet} and returns 3 for
 * every command.
 */
public final class DefaultCommands implements Commands {
    private static final int NOT_WIRED = 3;

    private final PrintWriter err;

    public DefaultCommands(PrintWriter err) {
        this.err = Objects.requireNonNull(err, "err");
    }

    @Override
    public int run(List<PipelineConfig> configs) {
        err.println("not wired yet");
        err.flush();
        return NOT_WIRED;
    }

    @Override
    public int check(List<PipelineConfig> configs) {
        err.println("not wired yet");
        err.flush();
        return NOT_WIRED;
    }
}
