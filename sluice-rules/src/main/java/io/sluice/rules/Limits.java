package io.sluice.rules;

import java.time.Duration;

/**
 * Bounds on what a rule's expressions may cost: their size (characters, parsed nodes, nesting), the iterations of
 * comprehensions ({@code all}, {@code exists}, {@code map}, {@code filter}), the size of regular expressions, and the
 * time spent on one event across all rules. An expression over a bound is refused when compiled; an event over one
 * halts the pipeline with the rule and the event named.
 *
 * @param maxChars       characters of one expression
 * @param maxNodes       parsed nodes of one expression
 * @param maxDepth       nesting of one expression
 * @param maxIterations  iterations of comprehensions in one evaluation
 * @param maxRegexSize   program size of one regular expression ({@code matches})
 * @param eventBudget    time all rules may spend on one event
 */
public record Limits(
        int maxChars, int maxNodes, int maxDepth, int maxIterations, int maxRegexSize, Duration eventBudget) {

    /** The defaults: 4,096 characters, 1,000 nodes, depth 32, 10,000 iterations, regex size 1,000, 1 s per event. */
    public static final Limits DEFAULTS = new Limits(4096, 1000, 32, 10_000, 1000, Duration.ofSeconds(1));

    public Limits {
        if (maxChars < 1 || maxNodes < 1 || maxDepth < 1 || maxIterations < 1 || maxRegexSize < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (eventBudget.isNegative() || eventBudget.isZero()) {
            throw new IllegalArgumentException("the per-event budget must be positive");
        }
    }
}
