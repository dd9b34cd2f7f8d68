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
        return take(all).report(meters);
    }

    /**
     * Takes the sealed rows ({@code all}: the open transaction's too) for a target commit still under way: the batch
     * returned reports them once the commit is done ({@link Batch#report}).
     */
    Batch take(boolean all) {
        if (all) {
            seal();
        }
        Batch b = new Batch(new HashMap<>(ready), readyNewestTsMs);
        ready.clear();
        readyNewestTsMs = 0;
        return b;
    }

    /** Rows of one target commit, per table and op, and the newest source time among them. */
    static final class Batch {
        private final Map<String, long[]> rows;
        private final long newestTsMs;

        private Batch(Map<String, long[]> rows, long newestTsMs) {
            this.rows = rows;
            this.newestTsMs = newestTsMs;
        }

        /** Reports the rows to {@code meters}; returns the newest source time among them (0: none). */
        long report(SinkMeters meters) {
            for (Map.Entry<String, long[]> e : rows.entrySet()) {
                long[] n = e.getValue();
                for (int i = 0; i < n.length; i++) {
                    if (n[i] > 0) {
                        meters.applied(e.getKey(), OPS[i], n[i]);
                    }
                }
            }
            return newestTsMs;
        }
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
