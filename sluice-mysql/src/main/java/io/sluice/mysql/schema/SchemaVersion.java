package io.sluice.mysql.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.checkpoint.BinlogPosition;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the schema history: a table's version, where in the binlog it begins and what produced it.
 *
 * @param table    {@code db.table}
 * @param version  the version number (the events' {@code schema} field)
 * @param file     binlog file of the event that produced it
 * @param pos      position of that event (the DDL's QUERY event, or the TABLE_MAP that first showed the layout);
 *                 the version applies to the rows after it
 * @param ddl      the statement that produced it, else null
 * @param origin   how the model was obtained: {@code ddl} (applied to the previous version), {@code table_map}
 *                 (binlog metadata, completed from information_schema), {@code snapshot} (information_schema when
 *                 a snapshot read the table before any table map showed that version), {@code rebuild}
 *                 (information_schema at {@code sluice schema rebuild}, marked "current")
 * @param model    the table's definition, null for a drop
 * @param breaking compatibility rules the change broke (empty when none, or not checked)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SchemaVersion(
        String table,
        int version,
        String file,
        long pos,
        String ddl,
        String origin,
        TableModel model,
        List<String> breaking) {

    public static final String DDL = "ddl", TABLE_MAP = "table_map", SNAPSHOT = "snapshot", REBUILD = "rebuild";

    public SchemaVersion {
        Objects.requireNonNull(table, "table");
        breaking = breaking == null ? List.of() : List.copyOf(breaking);
    }

    @JsonIgnore
    public BinlogPosition at() {
        return new BinlogPosition(file, pos, null);
    }

    @JsonIgnore
    public boolean dropped() {
        return model == null;
    }

    /** Same table, version and position: the same change read again (after a restart from an older checkpoint). */
    boolean sameChange(SchemaVersion o) {
        return table.equals(o.table)
                && version == o.version
                && file.equals(o.file)
                && pos == o.pos
                && dropped() == o.dropped();
    }
}
