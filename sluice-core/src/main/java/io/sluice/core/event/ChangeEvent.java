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
 * @param body   the event's JSON up to its emit time, rendered ahead by {@link EventBodies} (so the sink's thread
 *               only copies it), or null; a cache of a pure function of the other fields, left out of equality
 * @param shaping the rule set version that shaped the event and where a rule routed it, or null where no rule
 *               applied (the envelope's {@code rules} and {@code route} fields)
 */
public record ChangeEvent(
        String id,
        Op op,
        SourceInfo source,
        Row key,
        Row before,
        Row after,
        int schema,
        String ddl,
        SchemaChange change,
        byte[] body,
        Shaping shaping) {

    /** An event as a source makes it: shaped by no rule. */
    public ChangeEvent(
            String id,
            Op op,
            SourceInfo source,
            Row key,
            Row before,
            Row after,
            int schema,
            String ddl,
            SchemaChange change,
            byte[] body) {
        this(id, op, source, key, before, after, schema, ddl, change, body, null);
    }

    /** An event as the contract defines it, not rendered ahead. */
    public ChangeEvent(
            String id,
            Op op,
            SourceInfo source,
            Row key,
            Row before,
            Row after,
            int schema,
            String ddl,
            SchemaChange change) {
        this(id, op, source, key, before, after, schema, ddl, change, null, null);
    }

    /** An event without schema-change fields (every op but {@code s}). */
    public ChangeEvent(String id, Op op, SourceInfo source, Row key, Row before, Row after, int schema, String ddl) {
        this(id, op, source, key, before, after, schema, ddl, null, null, null);
    }

    /** Equal when every contract field is equal; the rendered body is a cache and does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeEvent e
                && schema == e.schema
                && java.util.Objects.equals(id, e.id)
                && op == e.op
                && java.util.Objects.equals(source, e.source)
                && java.util.Objects.equals(key, e.key)
                && java.util.Objects.equals(before, e.before)
                && java.util.Objects.equals(after, e.after)
                && java.util.Objects.equals(ddl, e.ddl)
                && java.util.Objects.equals(change, e.change)
                && java.util.Objects.equals(shaping, e.shaping);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, op, source, key, before, after, schema, ddl, change);
    }

    @Override
    public String toString() {
        return "ChangeEvent[id=" + id + ", op=" + op + ", source=" + source + ", key=" + key + ", before=" + before
                + ", after=" + after + ", schema=" + schema + ", ddl=" + ddl + ", change=" + change
                + (shaping == null ? "" : ", shaping=" + shaping) + "]";
    }

    /** The id of the {@code row}-th event of a transaction: {@code <name>:<txn>:<row>}. */
    public static String id(String sourceName, String txn, int row) {
        return sourceName + ':' + txn + ':' + row;
    }
}
