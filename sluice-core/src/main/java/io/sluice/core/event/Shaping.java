package io.sluice.core.event;

import java.util.Objects;

/**
 * What transformation rules did to an event: the version of the rule set that shaped it (the envelope's {@code rules}
 * field) and the destination a rule routed it to (the envelope's {@code route} field; a Kafka sink's topic, a file
 * sink's sub-directory, a JDBC sink's target table), or null where no rule routed it.
 *
 * @param version the rule set's version, from 1
 * @param route   the destination name ({@code db.table} style, e.g. {@code sales.orders}), or null
 */
public record Shaping(int version, String route) {
    public Shaping {
        if (version < 1) {
            throw new IllegalArgumentException("rule set version " + version + " (versions count from 1)");
        }
        if (route != null && route.isBlank()) {
            throw new IllegalArgumentException("a blank route");
        }
    }

    /** The destination's database part: what precedes the first {@code .} of the route, or null without one. */
    public String routeDb() {
        int dot = route == null ? -1 : route.indexOf('.');
        return dot < 0 ? null : route.substring(0, dot);
    }

    /** The destination's table part: what follows the first {@code .} of the route, or the whole route. */
    public String routeTable() {
        int dot = route == null ? -1 : route.indexOf('.');
        return route == null ? null : route.substring(dot + 1);
    }

    @Override
    public String toString() {
        return "v" + version + (route == null ? "" : "->" + Objects.toString(route));
    }
}
