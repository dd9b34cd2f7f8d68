package io.sluice.app.config;

import io.sluice.core.NearNames;
import java.util.List;
import java.util.Optional;

/** "Did you mean" for misspelt keys: the nearest known key by edit distance, if near enough. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate nearest to {@code unknown}: by edit distance of the whole dotted path (at most 2, or 3 for
     * long paths), or else one with the same last segment in another section ({@code source.fsync} → {@code sink.fsync}).
     */
    static Optional<String> nearest(String unknown, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = NearNames.distance(unknown, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = unknown.length() > 10 ? 3 : 2;
        if (best != null && bestDistance <= limit) {
            return Optional.of(best);
        }
        String leaf = leaf(unknown);
        for (String c : candidates) {
            if (!c.equals(leaf) && NearNames.distance(leaf(c), leaf) <= (leaf.length() > 6 ? 2 : 1)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
