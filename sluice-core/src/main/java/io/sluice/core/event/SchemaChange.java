package io.sluice.core.event;

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
 */
public record SchemaChange(JsonText columns, JsonText oldColumns, List<String> breaking) {
    public SchemaChange {
        breaking = breaking == null ? List.of() : List.copyOf(breaking);
    }
}
