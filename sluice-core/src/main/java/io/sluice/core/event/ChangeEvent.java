package io.sluice.core.event;

import io.sluice.core.schema.TableSchema;
import java.util.Objects;

/**
 * One change event, as the change-event contract ({@code docs/change-event.md}) defines it: typed values and the
 * table's schema, no encoded bytes (the encoder, {@code io.sluice.core.encode}, makes its JSON). Immutable. The emit
 * time ({@code ts_ms}) is not part of the record: the encoder stamps it when the event is written.
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
 * @param table  the table's schema at version {@code schema}, typed: the columns of {@code before} and {@code after}
 *               (and of {@code key}, its key columns), what a rule or a database sink reads; for an {@code s} event
 *               the new version's (null for a dropped table), for a {@code t} event the current one where known;
 *               null only for events made without one (tests). When given, its version is {@code schema}
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
        TableSchema table,
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
            TableSchema table) {
        this(id, op, source, key, before, after, schema, ddl, change, table, null);
    }

    public ChangeEvent {
        if (table != null && table.version() != schema) {
            throw new IllegalArgumentException("an event of schema version " + schema
                    + " with the table schema of version " + table.version() + " (" + table.qualifiedName() + ")");
        }
    }

    /**
     * A row event ({@code c}, {@code u}, {@code d}, {@code r}) of a table at one schema version, its id and source
     * block not set yet ({@link #withSource}).
     */
    public static ChangeEvent row(Op op, TableSchema table, Row key, Row before, Row after) {
        return new ChangeEvent(null, op, null, key, before, after, table.version(), null, null, table);
    }

    /** An event without its typed table schema ({@code s} events, tests). */
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
        this(id, op, source, key, before, after, schema, ddl, change, null);
    }

    /** An event without schema-change fields (every op but {@code s}). */
    public ChangeEvent(String id, Op op, SourceInfo source, Row key, Row before, Row after, int schema, String ddl) {
        this(id, op, source, key, before, after, schema, ddl, null, null);
    }

    /** This event with its id and source block (a source completes the events it made so). */
    public ChangeEvent withSource(String id, SourceInfo source) {
        return new ChangeEvent(id, op, source, key, before, after, schema, ddl, change, table, shaping);
    }

    /** This event with its table's typed schema (of version {@link #schema()}). */
    public ChangeEvent withTable(TableSchema table) {
        return new ChangeEvent(id, op, source, key, before, after, schema, ddl, change, table, shaping);
    }

    /** This event as a rule shaped it ({@code null}: shaped by no rule). */
    public ChangeEvent withShaping(Shaping shaping) {
        return new ChangeEvent(id, op, source, key, before, after, schema, ddl, change, table, shaping);
    }

    /**
     * Equal when every contract field is equal; the typed table schema does not count (the contract names it by {@code source.db}, {@code source.table} and {@code schema}).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeEvent e
                && schema == e.schema
                && Objects.equals(id, e.id)
                && op == e.op
                && Objects.equals(source, e.source)
                && Objects.equals(key, e.key)
                && Objects.equals(before, e.before)
                && Objects.equals(after, e.after)
                && Objects.equals(ddl, e.ddl)
                && Objects.equals(change, e.change)
                && Objects.equals(shaping, e.shaping);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, op, source, key, before, after, schema, ddl, change);
    }

    @Override
    public String toString() {
        return "ChangeEvent[id=" + id + ", op=" + op + ", source=" + source + ", key=" + key + ", before=" + before
                + ", after=" + after + ", schema=" + schema + ", ddl=" + ddl + ", change=" + change + ", table="
                + (table == null ? null : table.qualifiedName() + " v" + schema)
                + (shaping == null ? "" : ", shaping=" + shaping) + "]";
    }

    /** The id of the {@code row}-th event of a transaction: {@code <name>:<txn>:<row>}. */
    public static String id(String sourceName, String txn, int row) {
        return sourceName + ':' + txn + ':' + row;
    }
}
