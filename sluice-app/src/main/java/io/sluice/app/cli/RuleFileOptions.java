package io.sluice.app.cli;

import io.sluice.app.config.PipelineConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options the {@code sluice rules} commands share, each declared once and mixed in ({@code @Mixin}): the
 * candidate rule file and the message kept with a new version.
 */
final class RuleFileOptions {

    /** {@code -r/--rules <file>}: a candidate rule file, the pipeline's own when not given ({@code deploy}). */
    static final class Candidate {
        @Option(
                names = {"-r", "--rules"},
                paramLabel = "<file>",
                description = "The candidate rule file (default: the pipeline's).")
        Path rules;

        /** The file given, or the pipeline's rule file. */
        Path orPipelines(PipelineConfig pc) {
            return rules != null ? rules : pc.rules();
        }
    }

    /** {@code -m/--message <why>}: why, kept with the version a command records ({@code deploy}, {@code rollback}). */
    static final class Message {
        @Option(
                names = {"-m", "--message"},
                paramLabel = "<why>",
                description = "Why, kept with the version.")
        String message;
    }

    private RuleFileOptions() {}
}
