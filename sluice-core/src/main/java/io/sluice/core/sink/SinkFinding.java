package io.sluice.core.sink;

import java.util.Objects;

/**
 * One thing wrong with a sink's target (or, for a note, something its check could not verify), found by
 * {@link SinkProvider#check}: {@code sluice check} prints it next to the source's findings.
 *
 * @param problem what is wrong, in one line
 * @param fix     the exact statement, grant or configuration change that fixes it
 * @param isProblem false for a note, which does not make the check fail
 */
public record SinkFinding(String problem, String fix, boolean isProblem) {
    public SinkFinding {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    /** A problem: the pipeline would fail on it. */
    public static SinkFinding problem(String problem, String fix) {
        return new SinkFinding(problem, fix, true);
    }

    /** A note: something the check could not verify; it does not make the check fail. */
    public static SinkFinding note(String note, String advice) {
        return new SinkFinding(note, advice, false);
    }

    @Override
    public String toString() {
        return problem + (isProblem ? " Fix: " : " ") + fix;
    }
}
