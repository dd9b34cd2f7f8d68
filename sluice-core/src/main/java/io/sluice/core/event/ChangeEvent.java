package io.sluice.core.event;

/**
 * One change event, as the change-event contract ({@code docs/change-event.md}) defines it. Immutable.
 * The emit time ({@code ts_ms}) is not part of the record: the codec stamps it when the event is written.
 *
 * @param id     deterministic id, {@code <source.name>:<txn>:<row>}
 * @param op     what happened
 * @param source where and when
 * @param key    key columns, or null when the table has no key (and for t/s events)
 * @param before row before the change (u, d), else null
 * @param after  row after the change (c, u, r), else null
 * @param schema the table's schema version number the row was decoded with
 * @param ddl    statement text for {@code s} events, else null
 * @param change column lists and compatibility findings of an {@code s} event, else null
 */
public record ChangeEvent(String id, Op op, SourceInfo source, Row key, Row before, Row after, int schema, String ddl,
                          SchemaChange change) {

    /** An event without schema-change fields (every op but {@code s}). */
    public ChangeEvent(String id, Op op, SourceInfo source, Row key, Row before, Row after, int schema, String ddl) {
        this(id, op, source, key, before, after, schema, ddl, null);
    }

    /** The id of the {@code row}-th event of a transaction: {@code <name>:<txn>:<row>}. */
    public static String id(String sourceName, String txn, int row) {
        return sourceName + ':' + txn + ':' + row;
    }
}
