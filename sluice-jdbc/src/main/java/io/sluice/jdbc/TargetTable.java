package io.sluice.jdbc;

import java.util.List;

/**
 * A target table as the sink writes it: the columns it sets, in order (the source's columns, then the metadata
 * columns the configuration asks for), their target type names, the key, and the statements made for it.
 *
 * @param schema          the target schema (PostgreSQL) or database (MySQL family), or null: the connection's
 * @param name            the table's name
 * @param qualified       {@code schema.name}, quoted
 * @param columns         the columns written: source columns first ({@link #sourceWidth()}), then metadata ones
 * @param types           the target type names of {@code columns} (lower case, as the target reports them)
 * @param sourceWidth     how many of {@code columns} are the source's
 * @param key             indexes into {@code columns} of the key, in key order; empty for a table without a key
 * @param otherUniqueKey  the target has a unique key besides {@code key}: upserts then never rely on matching by
 *                        whichever key conflicts (docs/jdbc.md, "a second unique key")
 * @param guard           the index in {@code columns} of {@code _sluice_pos} when the position guard is on (a change
 *                        never overwrites or deletes a row holding a later position), else -1
 */
record TargetTable(
        String schema,
        String name,
        String qualified,
        List<String> columns,
        List<String> types,
        int sourceWidth,
        int[] key,
        boolean otherUniqueKey,
        int guard) {

    TargetTable {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
    }

    /** A table without the position guard. */
    TargetTable(
            String schema,
            String name,
            String qualified,
            List<String> columns,
            List<String> types,
            int sourceWidth,
            int[] key,
            boolean otherUniqueKey) {
        this(schema, name, qualified, columns, types, sourceWidth, key, otherUniqueKey, -1);
    }

    boolean guarded() {
        return guard >= 0;
    }

    /**
     * The position guard's condition on a row the target holds: true where it may be changed by a change at the
     * position {@code later} (an expression) — it holds no position yet, or an earlier one.
     */
    String guardCondition(Dialect d, String held, String later) {
        return "(" + held + " IS NULL OR " + held + " < " + later + ")";
    }

    /** A guarded delete of one row by key: {@code DELETE … WHERE key = ? AND (_sluice_pos IS NULL OR … < ?)}. */
    String deleteByKeyGuarded(Dialect d) {
        StringBuilder sb = new StringBuilder("DELETE FROM ").append(qualified).append(" WHERE ");
        for (int k = 0; k < key.length; k++) {
            sb.append(k == 0 ? "" : " AND ")
                    .append(d.quote(column(key[k])))
                    .append(" = ")
                    .append(d.placeholder(type(key[k])));
        }
        return sb.append(" AND ")
                .append(guardCondition(d, d.quote(column(guard)), "?"))
                .toString();
    }

    int width() {
        return columns.size();
    }

    String column(int i) {
        return columns.get(i);
    }

    String type(int i) {
        return types.get(i);
    }

    boolean keyless() {
        return key.length == 0;
    }

    boolean isKey(int c) {
        for (int k : key) {
            if (k == c) {
                return true;
            }
        }
        return false;
    }

    /** {@code INSERT INTO t (c, …) VALUES (…), …} for {@code rows} rows of every column. */
    String insert(Dialect d, int rows) {
        StringBuilder sb = new StringBuilder(64 + rows * width() * 3)
                .append("INSERT INTO ")
                .append(qualified);
        sb.append(" (");
        for (int c = 0; c < width(); c++) {
            sb.append(c == 0 ? "" : ", ").append(d.quote(column(c)));
        }
        sb.append(") VALUES ");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < width(); c++) {
                sb.append(c == 0 ? "" : ", ").append(d.placeholder(type(c)));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** An upsert of {@code rows} rows by the key. */
    String upsert(Dialect d, int rows) {
        return insert(d, rows) + d.upsertClause(this);
    }

    /** {@code DELETE FROM t WHERE key IN (…)} for {@code rows} keys. */
    String deleteByKey(Dialect d, int rows) {
        StringBuilder sb = new StringBuilder(64 + rows * key.length * 3)
                .append("DELETE FROM ")
                .append(qualified)
                .append(" WHERE ");
        boolean tuple = key.length > 1;
        sb.append(tuple ? "(" : "");
        for (int k = 0; k < key.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(d.quote(column(key[k])));
        }
        sb.append(tuple ? ") IN (" : " IN (");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "" : ", ").append(tuple ? "(" : "");
            for (int k = 0; k < key.length; k++) {
                sb.append(k == 0 ? "" : ", ").append(d.placeholder(type(key[k])));
            }
            sb.append(tuple ? ")" : "");
        }
        return sb.append(')').toString();
    }
}
