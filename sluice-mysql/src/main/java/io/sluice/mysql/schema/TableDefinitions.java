package io.sluice.mysql.schema;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;

/**
 * Gives the definition to decode a table's rows with at the current binlog position. Today's implementation
 * reads TABLE_MAP metadata (completed from information_schema); a full schema history plugs in here.
 */
public interface TableDefinitions {

    /** The definition for the rows that follow this TABLE_MAP event. */
    TableDef resolve(TableMapEventData tableMap);

    /** Forgets what is cached about a table (after DDL touching it), or about every table when db is null. */
    void invalidate(String db, String table);

    /**
     * The {@code CURRENT} partition of a system-versioned table partitioned {@code BY SYSTEM_TIME}, as the catalog
     * knows it today (the others hold history, which no event shows; the server drops no current partition), or null
     * for other tables or where unknown.
     */
    default String currentPartition(String db, String table) {
        return null;
    }

    /**
     * The server's foreign keys whose actions change rows of tables in the databases {@code childSchemas} accepts,
     * read afresh (none where unknown).
     */
    default ForeignKeyCascades cascades(java.util.function.Predicate<String> childSchemas) {
        return ForeignKeyCascades.NONE;
    }
}
