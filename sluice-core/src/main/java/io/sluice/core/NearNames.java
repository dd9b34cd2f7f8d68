package io.sluice.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the names near a misspelt one, for messages about configuration keys, databases and tables.
 * Nearness is the Levenshtein edit distance; a name that differs only in letter case counts as nearest.
 */
public final class NearNames {
    private NearNames() {}

    /**
     * The candidates within {@code maxDistance} edits of {@code name} (case-insensitive equals first), nearest first
     * and then in the candidates' order, at most {@code limit} of them; never {@code name} itself.
     */
    public static List<String> near(String name, Collection<String> candidates, int maxDistance, int limit) {
        record Scored(String name, int score) {}
        List<Scored> found = new ArrayList<>();
        for (String c : candidates) {
            if (c.equals(name)) {
                continue;
            }
            int d = c.equalsIgnoreCase(name)
                    ? 0
                    : distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)) + 1;
            if (d <= maxDistance + 1) {
                found.add(new Scored(c, d));
            }
        }
        return found.stream()
                .sorted(Comparator.comparingInt(Scored::score))
                .limit(limit)
                .map(Scored::name)
                .toList();
    }

    /** The usual allowance for a name of this length: one edit for short names, two from 6 characters, three from 11. */
    public static int allowance(String name) {
        return name.length() > 10 ? 3 : name.length() > 5 ? 2 : 1;
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
