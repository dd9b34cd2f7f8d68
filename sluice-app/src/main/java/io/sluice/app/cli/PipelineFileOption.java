package io.sluice.app.cli;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config} option of the commands that work on one pipeline or on several: one declaration, mixed
 * into each command ({@code @Mixin}); its default comes from {@code $SLUICE_CONFIG} ({@link EnvDefaults}).
 */
final class PipelineFileOption {

    /** One pipeline's file ({@code position}, {@code schema}, {@code snapshot}, {@code tail}). */
    static final class One {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "<file>",
                description = "The pipeline's file (default: $SLUICE_CONFIG).")
        Path config;

        /** The file given, or a usage error naming the option and the variable when there is none. */
        Path required(CommandSpec spec) {
            return EnvDefaults.required(spec, config);
        }

        /** The pipeline the file describes. */
        PipelineConfig load(ConfigLoader loader, CommandSpec spec) {
            return loader.load(required(spec));
        }
    }

    /** Pipeline files or directories of them, repeatable ({@code run}, {@code check}). */
    static final class Many {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "<file|dir>",
                description = "A pipeline file, or a directory of *.yaml/*.yml files; repeatable (default: "
                        + "$SLUICE_CONFIG).")
        List<Path> configs;

        /** The pipelines the files and directories describe; a usage error when none is given. */
        List<PipelineConfig> loadAll(ConfigLoader loader, CommandSpec spec) {
            return loader.loadAll(EnvDefaults.required(spec, configs));
        }
    }

    private PipelineFileOption() {}
}
