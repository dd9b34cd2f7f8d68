package io.sluice.rules;

import io.sluice.core.event.Op;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule of a rule file, as written: what it matches and what it does, in the order it does it ({@code where},
 * then {@code drop}, {@code rename}, {@code keep}, {@code set}, {@code mask}, then {@code route}, {@code key} and
 * delete handling). Validated when parsed ({@link RuleFile}); compiled per table and schema version.
 *
 * @param name    the rule's name, unique in its file
 * @param tables  {@code db.table} globs ({@code *} any run of characters, {@code ?} one)
 * @param ops     the row ops it applies to
 * @param where   a boolean CEL expression; events for which it is false are dropped; or null
 * @param drop    columns removed
 * @param rename  columns renamed, old name to new
 * @param keep    the columns kept (all others removed), or empty for all
 * @param set     computed columns, name to CEL expression, in order
 * @param mask    masked columns, name to how
 * @param route   the destination, or null
 * @param key     the destination's key columns, or empty to keep the source's
 * @param deletes what becomes of deletes
 */
record RuleSpec(
        String name,
        List<String> tables,
        Set<Op> ops,
        String where,
        List<String> drop,
        Map<String, String> rename,
        List<String> keep,
        Map<String, String> set,
        Map<String, Mask> mask,
        Route route,
        List<String> key,
        Deletes deletes) {

    /** How a column is masked. */
    sealed interface Mask {
        /** HMAC-SHA-256 of the value's text, keyed by an environment variable, as lower-case hex. */
        record Hash(String keyEnv) implements Mask {}

        /** The value replaced by {@code ***}. */
        record Redact() implements Mask {}

        /** All but the last {@code n} characters replaced by {@code *}. */
        record KeepLast(int n) implements Mask {}
    }

    /** A destination: a template with {@code {db}} and {@code {table}}, or a CEL expression giving a string. */
    record Route(String template, String expression) {}

    /** What becomes of a delete: kept as it is, skipped (counted as dropped), or an update setting a flag column. */
    record Deletes(Kind kind, String flag) {
        enum Kind {
            KEEP,
            SKIP,
            SOFT
        }

        static final Deletes KEEP = new Deletes(Kind.KEEP, null);
    }

    /** True when {@code db.table} matches one of the rule's globs. */
    boolean matches(String db, String table) {
        String name = db + "." + table;
        for (String glob : tables) {
            if (glob(glob, name)) {
                return true;
            }
        }
        return false;
    }

    static boolean glob(String glob, String s) {
        return glob(glob, 0, s, 0);
    }

    private static boolean glob(String g, int gi, String s, int si) {
        while (gi < g.length()) {
            char c = g.charAt(gi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(g, gi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            gi++;
            si++;
        }
        return si == s.length();
    }
}
