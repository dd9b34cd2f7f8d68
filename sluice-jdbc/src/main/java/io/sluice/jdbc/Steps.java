package io.sluice.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes waiting to be applied, in order, as steps: runs of changes of one table and kind, each applied by one
 * statement (a multi-row upsert, insert or delete). A step never holds one key twice, so each key's changes stay in
 * order. Rows added since the last {@link #seal()} (the open source transaction's) are held: {@link #execute}
 * applies them only when asked to.
 *
 * <p><b>Grouping.</b> A change joins the last step when it can (same table and kind, its key not in it). At a seal,
 * each step of the transaction just ended moves into an earlier ready step of its table and kind where nothing in
 * between touches one of its keys ({@link #mergeable}): upserts and deletes by key of different keys commute, and
 * changes of different tables do too, so one statement carries a table's upserts of many source transactions. Steps
 * that do not commute so (inserts and deletes of tables without a key, the delete-and-insert of a table with a
 * second unique key, truncations) never move, and no step moves past them on their table.
 */
final class Steps {
    /** What a step does with its rows. */
    enum Kind {
        /** Insert or update by key. */
        UPSERT,
        /** Per row: delete by key, then insert (a target with a second unique key, MySQL family). */
        REPLACE,
        /** Insert (tables without a key). */
        INSERT,
        /** Delete by key. */
        DELETE_KEY,
        /** Per row: delete one row equal in every column (tables without a key, all-columns mode). */
        DELETE_EQUAL,
        /** Delete every row. */
        TRUNCATE
    }

    private static final class Step {
        final TargetTable table;
        final Kind kind;
        final List<Object[]> rows = new ArrayList<>();
        final Set<List<Object>> keys = new HashSet<>();

        Step(TargetTable table, Kind kind) {
            this.table = table;
            this.kind = kind;
        }
    }

    private final List<Step> steps = new ArrayList<>();
    /** Rows one statement carries at most ({@code sink.batch-rows}), as the last {@link #add} said. */
    private int batchLimit = Integer.MAX_VALUE;
    /** Steps before this index hold only ready rows; those from it only held ones. */
    private int sealedSteps;
    /** Rows (of any step) before the boundary: of committed source transactions. */
    private int readyRows;
    /** Rows past it: of the open source transaction. */
    private int heldRows;

    /** Adds a change; {@code key} is the row's key values (null for keyless tables and truncations). */
    void add(TargetTable t, Kind kind, Object[] row, List<Object> key, int batchEvents) {
        batchLimit = batchEvents;
        Step last = steps.size() <= sealedSteps ? null : steps.get(steps.size() - 1);
        boolean join = last != null
                && sameTarget(last.table, t)
                && last.kind == kind
                && kind != Kind.TRUNCATE
                && last.rows.size() < JdbcSink.maxRows(t, batchEvents)
                && (key == null || !last.keys.contains(key));
        if (!join) {
            last = new Step(t, kind);
            steps.add(last);
        }
        last.rows.add(row);
        if (key != null) {
            last.keys.add(key);
        }
        heldRows++;
    }

    /** The open source transaction ended: everything so far is ready; its steps join earlier ones where they can. */
    void seal() {
        readyRows += heldRows;
        heldRows = 0;
        List<Step> held = new ArrayList<>(steps.subList(sealedSteps, steps.size()));
        steps.subList(sealedSteps, steps.size()).clear();
        for (Step h : held) {
            Step into = mergeable(h);
            if (into != null) {
                into.rows.addAll(h.rows);
                into.keys.addAll(h.keys);
            } else {
                steps.add(h);
            }
        }
        sealedSteps = steps.size();
    }

    /**
     * The earlier step {@code h} can join without changing the outcome, or null: the latest step of its table and
     * kind with room for its rows and none of its keys, where no step after it on the same table holds one of its
     * keys or does not commute (keyless, replace, truncate).
     */
    private Step mergeable(Step h) {
        if (!commutes(h)) {
            return null;
        }
        int max = JdbcSink.maxRows(h.table, Integer.MAX_VALUE);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (!s.table.qualified().equals(h.table.qualified())) {
                continue; // another table's changes commute with these
            }
            if (!sameTarget(s.table, h.table) || !commutes(s)) {
                return null; // the table described otherwise (changed since), or a change that does not commute
            }
            boolean shared = false;
            for (List<Object> k : h.keys) {
                if (s.keys.contains(k)) {
                    shared = true;
                    break;
                }
            }
            if (shared) {
                return null; // the order of that key's changes must stay
            }
            if (s.kind == h.kind && s.rows.size() + h.rows.size() <= Math.min(max, batchLimit)) {
                return s;
            }
        }
        return null;
    }

    /** Whether a step's changes commute with changes of other keys of its table: upserts and deletes by key. */
    private static boolean commutes(Step s) {
        return !s.table.keyless() && (s.kind == Kind.UPSERT || s.kind == Kind.DELETE_KEY);
    }

    /** Whether two descriptions are of one target table, written alike (several source tables routed to it). */
    private static boolean sameTarget(TargetTable a, TargetTable b) {
        return a == b
                || (a.qualified().equals(b.qualified())
                        && a.columns().equals(b.columns())
                        && a.types().equals(b.types())
                        && java.util.Arrays.equals(a.key(), b.key())
                        && a.sourceWidth() == b.sourceWidth()
                        && a.otherUniqueKey() == b.otherUniqueKey()
                        && a.guard() == b.guard());
    }

    /** The steps as {@code "<table> <KIND> <rows>"}, in order (held ones marked {@code held}): for tests. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            out.add(st.table.name() + " " + st.kind + " " + st.rows.size() + (i >= sealedSteps ? " held" : ""));
        }
        return out;
    }

    int readyRows() {
        return readyRows;
    }

    int heldRows() {
        return heldRows;
    }

    void clear() {
        steps.clear();
        sealedSteps = 0;
        readyRows = 0;
        heldRows = 0;
    }

    /**
     * Takes the waiting changes, in order, as the work that applies them in the connection's open transaction
     * ({@link TargetWorker.Task}s, run in order), and forgets them: all of them, or ({@code all} false) only those of
     * committed source transactions, cutting a step at the boundary. What can be encoded ahead (UNNEST arrays) is
     * encoded here, on the caller's thread.
     */
    List<TargetWorker.Task> take(Dialect d, boolean all) {
        List<TargetWorker.Task> out = new ArrayList<>();
        int upTo = all ? readyRows + heldRows : readyRows;
        int done = 0;
        int n = 0;
        while (n < steps.size() && done < upTo) {
            Step s = steps.get(n);
            if (done + s.rows.size() > upTo) {
                // the boundary cuts this step: apply its first part, keep the rest
                int take = upTo - done;
                Step head = new Step(s.table, s.kind);
                head.rows.addAll(s.rows.subList(0, take));
                out.add(task(d, head));
                Step tail = new Step(s.table, s.kind);
                tail.rows.addAll(s.rows.subList(take, s.rows.size()));
                for (Object[] row : tail.rows) {
                    if (row != null && !s.table.keyless()) {
                        tail.keys.add(keyOf(s.table, row));
                    }
                }
                steps.set(n, tail);
                done += take;
                break;
            }
            out.add(task(d, s));
            done += s.rows.size();
            n++;
        }
        steps.subList(0, n).clear();
        sealedSteps = all ? 0 : Math.max(0, sealedSteps - n);
        if (all) {
            readyRows = 0;
            heldRows = 0;
        } else {
            readyRows = 0;
        }
        return out;
    }

    /** Takes the waiting changes as {@link #take} does and applies them on {@code c} at once. */
    void execute(Connection c, Dialect d, boolean all) throws SQLException {
        for (TargetWorker.Task t : take(d, all)) {
            t.run(c);
        }
    }

    /** The key values of a row the sink writes. */
    static List<Object> keyOf(TargetTable t, Object[] row) {
        if (t.keyless() || row == null) {
            return null;
        }
        Object[] k = new Object[t.key().length];
        for (int i = 0; i < k.length; i++) {
            k[i] = row[t.key()[i]];
        }
        return java.util.Arrays.asList(k);
    }

    /** The work applying one step; UNNEST arrays are encoded now, the rest is bound when it runs. */
    private static TargetWorker.Task task(Dialect d, Step s) {
        TargetTable t = s.table;
        if ((s.kind == Kind.UPSERT || s.kind == Kind.INSERT) && d.unnest() && PgArrays.fits(t)) {
            String sql = PgArrays.insert(t, d, s.kind == Kind.UPSERT);
            String[] arrays = PgArrays.arrays(t, s.rows);
            return c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < arrays.length; i++) {
                        ps.setString(i + 1, arrays[i]);
                    }
                    ps.executeUpdate();
                }
            };
        }
        return c -> run(c, d, s);
    }

    private static void run(Connection c, Dialect d, Step s) throws SQLException {
        TargetTable t = s.table;
        switch (s.kind) {
            case TRUNCATE -> {
                try (Statement st = c.createStatement()) {
                    st.execute(d.truncate(t));
                }
            }
            case UPSERT, INSERT -> {
                String sql = s.kind == Kind.UPSERT ? t.upsert(d, s.rows.size()) : t.insert(d, s.rows.size());
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int at = 1;
                    for (Object[] row : s.rows) {
                        JdbcSink.bindRow(ps, d, at, row, t.width());
                        at += t.width();
                    }
                    ps.executeUpdate();
                    d.checkApplied(ps, t);
                }
            }
            case DELETE_KEY -> {
                if (t.guarded()) {
                    try (PreparedStatement ps = c.prepareStatement(t.deleteByKeyGuarded(d))) {
                        for (Object[] row : s.rows) {
                            int at = 1;
                            for (int k : t.key()) {
                                d.bind(ps, at++, row[k]);
                            }
                            d.bind(ps, at, row[t.guard()]);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return;
                }
                try (PreparedStatement ps = c.prepareStatement(t.deleteByKey(d, s.rows.size()))) {
                    int at = 1;
                    for (Object[] row : s.rows) {
                        for (int k : t.key()) {
                            d.bind(ps, at++, row[k]);
                        }
                    }
                    ps.executeUpdate();
                }
            }
            case REPLACE -> {
                try (PreparedStatement del = c.prepareStatement(t.deleteByKey(d, 1));
                        PreparedStatement ins = c.prepareStatement(t.insert(d, 1))) {
                    for (Object[] row : s.rows) {
                        int at = 1;
                        for (int k : t.key()) {
                            d.bind(del, at++, row[k]);
                        }
                        del.executeUpdate();
                        JdbcSink.bindRow(ins, d, 1, row, t.width());
                        ins.executeUpdate();
                        d.checkApplied(ins, t);
                    }
                }
            }
            case DELETE_EQUAL -> {
                try (PreparedStatement ps = c.prepareStatement(d.deleteOneEqual(t))) {
                    for (Object[] row : s.rows) {
                        JdbcSink.bindRow(ps, d, 1, row, t.sourceWidth());
                        ps.executeUpdate();
                    }
                }
            }
        }
    }
}
