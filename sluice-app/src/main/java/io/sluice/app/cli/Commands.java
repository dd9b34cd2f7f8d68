package io.sluice.app.cli;

import io.sluice.app.config.PipelineConfig;
import java.util.List;

/**
 * What {@code sluice run} and {@code sluice check} do once options are parsed and configuration is loaded and
 * valid. Implementations return an exit code ({@link ExitCodes}) and may throw unchecked exceptions, which the
 * command line turns into an {@code error:} line and an exit code.
 */
public interface Commands {

    /** Runs the pipelines until stopped; blocks. */
    int run(List<PipelineConfig> configs) throws InterruptedException;

    /** Checks the pipelines against their servers and reports what it finds. */
    int check(List<PipelineConfig> configs);
}
