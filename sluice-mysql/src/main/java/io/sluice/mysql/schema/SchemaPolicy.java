package io.sluice.mysql.schema;

import java.util.Locale;
import java.util.Map;

/**
 * What a pipeline does with schema changes: the compatibility mode and the action on a breaking change, with
 * per-table overrides ({@code db.table} keys).
 *
 * @param mode      the pipeline's compatibility mode
 * @param action    what a breaking change does
 * @param overrides per-table settings that replace the pipeline's
 */
public record SchemaPolicy(Compatibility.Mode mode, Action action, Map<String, Rule> overrides) {

    /** The action on a breaking change. */
    public enum Action {
        /** Stop before the new version's first event, until the version is approved. */
        HALT,
        /** Continue and flag the version ({@code breaking} on the {@code s} event, a metric). */
        WARN,
        /** Send the table's events to a side file ({@link Quarantine}) until the version is approved. */
        QUARANTINE;

        public static Action parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** One table's settings. */
    public record Rule(Compatibility.Mode mode, Action action) {}

    public static final SchemaPolicy DEFAULT = new SchemaPolicy(Compatibility.Mode.BACKWARD, Action.HALT, Map.of());

    public SchemaPolicy {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    public Rule ruleFor(String table) {
        Rule r = overrides.get(table);
        return new Rule(
                r != null && r.mode() != null ? r.mode() : mode, r != null && r.action() != null ? r.action() : action);
    }
}
