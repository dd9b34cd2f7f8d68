package io.sluice.core.event;

import io.sluice.core.schema.TableSchema;
import java.util.List;

/**
 * The additions an {@code s} event carries beyond the contract's core (see docs/change-event.md, "schema change
 * fields"): the table's column list after and before the change, each a JSON array already rendered by the source,
 * and the compatibility rules the change breaks.
 *
 * @param columns    JSON array of column objects of the new version, or null (a dropped table)
 * @param oldColumns JSON array of column objects of the previous version, or null (a new table, or unknown)
 * @param breaking   reasons the change breaks the configured compatibility policy (action {@code warn}); empty
 *                   when it breaks nothing
 * @param schema     the table's new schema, typed (what rules and sinks read; not written to the JSON, whose
 *                   {@code columns} say the same), or null (a dropped table, or unknown)
 */
public record SchemaChange(JsonText columns, JsonText oldColumns, List<String> breaking, TableSchema schema) {
    public SchemaChange {
        breaking = breaking == null ? List.of() : List.copyOf(breaking);
    }

    /** A change whose typed schema is not known. */
    public SchemaChange(JsonText columns, JsonText oldColumns, List<String> breaking) {
        this(columns, oldColumns, breaking, null);
    }
}
