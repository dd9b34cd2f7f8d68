package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.state.DirectoryLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The directories a command writes for its pipelines, each claimed ({@link DirectoryLock}) before anything is written
 * and held until the command ends: one writer per state directory and per sink output directory, across processes.
 * {@code sluice run} claims both for every pipeline, {@code sluice schema rebuild} the state directory. {@code sluice
 * schema approve} claims nothing: it only appends a line that a running pipeline reads at its next check.
 */
public final class PipelineLocks implements AutoCloseable {
    private final List<DirectoryLock> held;

    private PipelineLocks(List<DirectoryLock> held) {
        this.held = held;
    }

    /** For {@code sluice run}: every pipeline's state directory and sink output directory. */
    public static PipelineLocks forRun(List<PipelineConfig> configs) {
        Map<Path, String> dirs = new LinkedHashMap<>();
        for (PipelineConfig c : configs) {
            dirs.putIfAbsent(c.state(), "the state directory of pipeline " + c.name());
            c.sink()
                    .outputDirectory()
                    .ifPresent(out -> dirs.putIfAbsent(
                            out,
                            "the " + c.sink().type() + " sink directory (" + ConfigLoader.outputKey(c)
                                    + ") of pipeline " + c.name()));
        }
        return claim(
                dirs,
                "sluice run, pipelines "
                        + configs.stream().map(PipelineConfig::name).collect(Collectors.joining(", ")));
    }

    /** For a command that writes one pipeline's state directory ({@code command}, e.g. "sluice schema rebuild"). */
    public static PipelineLocks forState(PipelineConfig config, String command) {
        return claim(
                Map.of(config.state(), "the state directory of pipeline " + config.name()),
                command + ", pipeline " + config.name());
    }

    /**
     * For an offline command that reads and rewrites what a stopped pipeline keeps in its state directory (its
     * checkpoint, its schema history): refuses a pipeline whose sink keeps its checkpoint elsewhere (the command
     * would act on a copy the pipeline never reads), then claims the state directory as {@link #forState} does.
     *
     * @param instead what to do instead, for the refusal's message
     */
    public static PipelineLocks forOfflineEdit(PipelineConfig config, String command, String instead) {
        requireCheckpointInStateDir(config, command, instead);
        return forState(config, command);
    }

    /**
     * Refuses, with a {@link ConfigException} naming the sink and where it keeps the checkpoint, a command that reads
     * the checkpoint in the state directory of a pipeline whose sink keeps it elsewhere.
     */
    public static void requireCheckpointInStateDir(PipelineConfig config, String command, String instead) {
        if (!StoredState.checkpointInStateDir(config)) {
            throw new ConfigException("pipeline " + config.name() + " keeps its checkpoint in "
                    + config.sink().checkpointElsewhere().orElseThrow() + " (sink.type: "
                    + config.sink().type()
                    + "), which " + command + " does not read or write yet; " + instead);
        }
    }

    /** Claims every directory, or none: on a refusal, the ones already claimed are released again. */
    private static PipelineLocks claim(Map<Path, String> dirs, String holder) {
        List<DirectoryLock> held = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> d : dirs.entrySet()) {
                held.add(DirectoryLock.acquire(d.getKey(), d.getValue(), holder));
            }
        } catch (RuntimeException e) {
            held.forEach(DirectoryLock::close);
            throw e;
        }
        return new PipelineLocks(List.copyOf(held));
    }

    /** Releases every claim. */
    @Override
    public void close() {
        held.forEach(DirectoryLock::close);
    }
}
