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
 * Changes waiting to be applied, in order, as steps: runs of consecutive changes of one table and kind, each applied
 * by one statement (a multi-row upsert, insert or delete). A step never holds one key twice, so each key's changes
 * stay in order. Rows added since the last {@link #seal()} (the open source transaction's) are held: {@link
 * #execute} applies them only when asked to.
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
    /** Rows (of any step) before the boundary: of committed source transactions. */
    private int readyRows;
    /** Rows past it: of the open source transaction. */
    private int heldRows;

    /** Adds a change; {@code key} is the row's key values (null for keyless tables and truncations). */
    void add(TargetTable t, Kind kind, Object[] row, List<Object> key, int batchEvents) {
        Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        boolean join = last != null
                && last.table == t
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

    /** The open source transaction ended: everything so far is ready. */
    void seal() {
        readyRows += heldRows;
        heldRows = 0;
    }

    int readyRows() {
        return readyRows;
    }

    int heldRows() {
        return heldRows;
    }

    void clear() {
        steps.clear();
        readyRows = 0;
        heldRows = 0;
    }

    /**
     * Applies the waiting changes in the connection's open transaction, in order, and forgets them: all of them, or
     * ({@code all} false) only those of committed source transactions, cutting a step at the boundary.
     */
    void execute(Connection c, Dialect d, boolean all) throws SQLException {
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
                run(c, d, head);
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
            run(c, d, s);
            done += s.rows.size();
            n++;
        }
        steps.subList(0, n).clear();
        if (all) {
            readyRows = 0;
            heldRows = 0;
        } else {
            readyRows = 0;
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
