package io.sluice.jdbc;

import io.sluice.core.event.Op;
import io.sluice.core.sink.SinkMeters;
import java.util.HashMap;
import java.util.Map;

/**
 * The rows the sink has handed to its target but the target has not committed yet, per target table and op, and the
 * newest source time among them; reported to the {@link SinkMeters} when a commit covers them. Like {@link Steps}, it
 * keeps the open source transaction's rows apart ({@link #seal} moves them over at its end), as a flush commits only
 * whole source transactions. Writer thread only.
 */
final class Applied {
    private static final Op[] OPS = Op.values();

    private final Map<String, long[]> open = new HashMap<>();
    private final Map<String, long[]> ready = new HashMap<>();
    private long openNewestTsMs;
    private long readyNewestTsMs;

    /** One row of {@code op} into {@code table}, of a change committed at the source at {@code tsMs}. */
    void add(String table, Op op, long tsMs) {
        open.computeIfAbsent(table, t -> new long[OPS.length])[op.ordinal()]++;
        openNewestTsMs = Math.max(openNewestTsMs, tsMs);
    }

    /** The open source transaction ended: its rows go with the next commit. */
    void seal() {
        merge(open, ready);
        readyNewestTsMs = Math.max(readyNewestTsMs, openNewestTsMs);
        openNewestTsMs = 0;
    }

    /**
     * A target commit covered the sealed rows ({@code all}: the open transaction's too, a commit inside it): reports
     * them and forgets them; returns the newest source time among them (0: none).
     */
    long committed(SinkMeters meters, boolean all) {
        if (all) {
            seal();
        }
        for (Map.Entry<String, long[]> e : ready.entrySet()) {
            long[] n = e.getValue();
            for (int i = 0; i < n.length; i++) {
                if (n[i] > 0) {
                    meters.applied(e.getKey(), OPS[i], n[i]);
                }
            }
        }
        ready.clear();
        long newest = readyNewestTsMs;
        readyNewestTsMs = 0;
        return newest;
    }

    /** Nothing handed over counts any more (a rollback). */
    void clear() {
        open.clear();
        ready.clear();
        openNewestTsMs = 0;
        readyNewestTsMs = 0;
    }

    private static void merge(Map<String, long[]> from, Map<String, long[]> into) {
        for (Map.Entry<String, long[]> e : from.entrySet()) {
            long[] to = into.computeIfAbsent(e.getKey(), t -> new long[OPS.length]);
            long[] n = e.getValue();
            for (int i = 0; i < n.length; i++) {
                to[i] += n[i];
            }
        }
        from.clear();
    }
}
