package io.sluice.rules;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one rule: events it matched, dropped ({@code where} false, deletes skipped), changed (any column,
 * key, route or op it altered), and failed on. Safe to read from any thread.
 */
public final class RuleStats {
    private final String rule;
    final LongAdder matched = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder changed = new LongAdder();
    final LongAdder errors = new LongAdder();

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

    @Override
    public String toString() {
        return rule + "[matched=" + matched() + ", dropped=" + dropped() + ", changed=" + changed() + ", errors="
                + errors() + "]";
    }
}
