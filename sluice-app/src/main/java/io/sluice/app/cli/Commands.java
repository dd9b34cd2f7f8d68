package io.sluice.app.cli;

import io.sluice.app.config.PipelineConfig;
import io.sluice.app.http.HttpOptions;
import java.util.List;

/**
 * What {@code sluice run} and {@code sluice check} do once options are parsed and configuration is loaded and
 * valid. Implementations return an exit code ({@link ExitCodes}) and may throw unchecked exceptions, which the
 * command line turns into an {@code error:} line and an exit code.
 */
public interface Commands {

    /** Runs the pipelines until stopped, with the HTTP server {@code http} describes; blocks. */
    int run(List<PipelineConfig> configs, HttpOptions http) throws InterruptedException;

    /** Checks the pipelines against their servers and reports what it finds. */
    int check(List<PipelineConfig> configs);
}
