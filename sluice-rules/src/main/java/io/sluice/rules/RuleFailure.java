package io.sluice.rules;

import io.sluice.core.SluiceException;
import io.sluice.core.event.ChangeEvent;
import java.util.Collections;
import java.util.Map;

/**
 * A rule failed on an event (a type error at run time, an expression's failure, the per-event budget exceeded): fatal,
 * naming the rule, the event and its row. With {@code on-error: dead-letter} the rules stage writes it to the
 * dead-letter file ({@link DeadLetters}) instead of stopping.
 */
public final class RuleFailure extends SluiceException {
    private final String rule;
    private final transient ChangeEvent event;
    private final transient Map<String, Object> value;
    private final String error;

    RuleFailure(
            String rule, ChangeEvent event, Map<String, Object> value, String error, String message, Throwable cause) {
        super(message, false, cause);
        this.rule = rule;
        this.event = event;
        this.value = Collections.unmodifiableMap(value);
        this.error = error;
    }

    /** The rule's name. */
    public String rule() {
        return rule;
    }

    /** The event the rule failed on, as the source gave it. */
    public ChangeEvent event() {
        return event;
    }

    /** The row the rule was looking at when it failed, column by column. */
    public Map<String, Object> value() {
        return value;
    }

    /** What went wrong, without the rule and event (those are {@link #rule()} and {@link #event()}). */
    public String error() {
        return error;
    }
}
