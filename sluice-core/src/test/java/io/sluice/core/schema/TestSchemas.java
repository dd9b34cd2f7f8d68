package io.sluice.core.schema;

import java.util.ArrayList;
import java.util.List;

/** Table schemas for tests: columns known by their names only (type {@code text}, nullable). */
public final class TestSchemas {
    private TestSchemas() {}

    /** The schema {@code db.table} at {@code version} of the named columns, its key the columns at {@code key}. */
    public static TableSchema of(String db, String table, int version, String[] names, int... key) {
        List<Column> cols = new ArrayList<>();
        for (String n : names) {
            cols.add(new Column(n, "text", null, null, false, null, true, false, null, null));
        }
        return new TableSchema(db, table, version, cols, key);
    }
}
