package io.sluice.rules;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one rule: events it matched, dropped ({@code where} false, deletes skipped), changed (any column,
 * key, route or op it altered), failed on, set aside in the dead-letter file ({@code on-error: dead-letter}), and the
 * time it took. Safe to read from any thread.
 */
public final class RuleStats {
    private final String rule;
    final LongAdder matched = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder changed = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder nanos = new LongAdder();

    RuleStats(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    public long matched() {
        return matched.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long changed() {
        return changed.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** Events of this rule's failures written to the dead-letter file (each is counted in {@link #errors()} too). */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** Time spent in this rule, in seconds, on the pipeline's clock. */
    public double seconds() {
        return nanos.sum() / 1e9;
    }

    @Override
    public String toString() {
        return rule + "[matched=" + matched() + ", dropped=" + dropped() + ", changed=" + changed() + ", errors="
                + errors() + ", deadLettered=" + deadLettered() + "]";
    }
}
