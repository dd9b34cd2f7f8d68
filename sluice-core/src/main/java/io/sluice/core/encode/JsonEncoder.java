package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Row;

/** {@link Encoder#json()}: renders an event's after image and key ahead, once. */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder();

    private JsonEncoder() {}

    @Override
    public ChangeEvent encode(ChangeEvent e) {
        if (e.body() != null) {
            return e; // rendered ahead whole by the snapshot's fast path
        }
        ahead(e.after());
        ahead(e.key());
        return e;
    }

    private static void ahead(Row row) {
        if (row != null && row.renderedSize() < 0) {
            row.render();
        }
    }
}
