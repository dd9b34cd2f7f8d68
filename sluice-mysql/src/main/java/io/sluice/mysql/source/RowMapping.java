package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.sluice.core.SluiceException;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.decode.ColumnDecoder;
import io.sluice.mysql.schema.ColumnDef;
import io.sluice.mysql.schema.CoreSchemas;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.TableDef;
import io.sluice.mysql.schema.TableDefinitions;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows events to change events: each captured table as its latest TABLE_MAP maps it (its definition, decoders, key
 * and version number, which {@link SchemaTracker} gives), then each row decoded with that mapping into a {@code c},
 * {@code u} or {@code d} event with its key. An update that changes the key becomes a delete of the old key and an
 * insert of the new one. The signal table's rows go to the snapshot hook instead.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class RowMapping {
    /**
     * A captured table as mapped by its latest TABLE_MAP event. {@code cells} is the number of columns the
     * binlog's rows hold, {@code rowEnd} the index of a system-versioned table's row-end column there (else -1).
     */
    private record Mapped(
            TableDef def,
            TableSchema schema,
            String[] names,
            String[] keyNames,
            int[] key,
            ColumnDecoder[] decoders,
            int version,
            int cells,
            int rowEnd) {}

    private final TableFilter filter;
    private final TableDefinitions definitions;
    private final SchemaTracker schema;
    private final TransactionBoundaries boundaries;
    private final Map<Long, Mapped> mapped = new HashMap<>();
    private final Set<Long> ignoredTables = new HashSet<>();
    /** The snapshot hook: signal-table rows go to it, captured rows mark keys in its window. Null when off. */
    private SnapshotTracker snapshots;

    private SnapshotConfig snapshotConfig;
    private final Set<Long> signalTables = new HashSet<>();

    RowMapping(
            TableFilter filter, TableDefinitions definitions, SchemaTracker schema, TransactionBoundaries boundaries) {
        this.filter = filter;
        this.definitions = definitions;
        this.schema = schema;
        this.boundaries = boundaries;
    }

    /** Turns on the snapshot hook (see {@link SnapshotTracker}). */
    void snapshots(SnapshotTracker tracker, SnapshotConfig config) {
        this.snapshots = tracker;
        this.snapshotConfig = config;
    }

    /** A TABLE_MAP: maps a captured (or the signal) table for the rows events that follow; others are ignored. */
    void tableMap(TableMapEventData tm) {
        long id = tm.getTableId();
        if (snapshots != null && snapshotConfig.isSignal(tm.getDatabase(), tm.getTable())) {
            signalTables.add(id);
            ignoredTables.remove(id);
            mapped.put(id, map(definitions.resolve(tm), 0));
            return;
        }
        signalTables.remove(id);
        if (!filter.captures(tm.getDatabase(), tm.getTable())) {
            ignoredTables.add(id);
            mapped.remove(id);
            return;
        }
        ignoredTables.remove(id);
        Mapped m = mapped.get(id);
        TableDef def = definitions.resolve(tm);
        if (m != null && m.def == def) {
            return;
        }
        mapped.put(id, map(def));
    }

    private Mapped map(TableDef def) {
        return map(def, -1);
    }

    /** The mapping of a table; its version is counted unless given. */
    private Mapped map(TableDef def, int fixedVersion) {
        List<ColumnDef> cols = def.columns();
        ColumnDecoder[] decoders = new ColumnDecoder[cols.size()];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = ColumnDecoder.of(cols.get(i));
        }
        int version = fixedVersion >= 0 ? fixedVersion : version(def);
        TableSchema schema = CoreSchemas.of(def, version);
        String[] names = schema.names();
        TableDef.Versioning v = def.versioning();
        return new Mapped(
                def,
                schema,
                names,
                schema.keyNames(),
                def.key(),
                decoders,
                version,
                v == null ? names.length : v.binlogColumns(),
                v == null ? -1 : v.rowEnd());
    }

    /**
     * The table's version number for this definition, from the schema's owner. While re-reading held XA groups
     * before the checkpoint's position, the numbering is not advanced (those table maps were counted when first read).
     */
    private int version(TableDef def) {
        Transaction txn = boundaries.current();
        return schema.tableMap(def, boundaries.file(), boundaries.eventPos(), txn != null && txn.replayOnly);
    }

    /** A rows event of the open transaction: a change event per current row of a captured table. */
    void rows(Object d) throws InterruptedException {
        if (d instanceof WriteRowsEventData w) {
            Mapped m = mappedFor(w.getTableId(), w.getIncludedColumns());
            if (m == null) {
                return;
            }
            for (Serializable[] r : w.getRows()) {
                if (!current(m, r)) {
                    continue; // a system-versioned table's history row: the row's old state, kept by the server
                }
                Row after = row(m, r);
                emit(m, Op.CREATE, key(m, after), null, after);
            }
        } else if (d instanceof UpdateRowsEventData u) {
            Mapped m = mappedFor(u.getTableId(), u.getIncludedColumnsBeforeUpdate());
            if (m == null) {
                return;
            }
            checkFull(m, u.getIncludedColumns());
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                updated(m, r.getKey(), r.getValue());
            }
        } else if (d instanceof DeleteRowsEventData del) {
            Mapped m = mappedFor(del.getTableId(), del.getIncludedColumns());
            if (m == null) {
                return;
            }
            for (Serializable[] r : del.getRows()) {
                if (!current(m, r)) {
                    continue; // history removed (DELETE HISTORY): no current row changes
                }
                Row before = row(m, r);
                emit(m, Op.DELETE, key(m, before), before, null);
            }
        }
    }

    /**
     * An updated row: a {@code u}, or a {@code d} and a {@code c} when its key changed. In a system-versioned table
     * the server ends a current row by updating its row end (a DELETE): that is a {@code d}; a history row made
     * current again is a {@code c}; a history row's update changes no current row.
     */
    private void updated(Mapped m, Serializable[] beforeCells, Serializable[] afterCells) throws InterruptedException {
        boolean wasCurrent = current(m, beforeCells);
        boolean isCurrent = current(m, afterCells);
        if (!wasCurrent && !isCurrent) {
            return;
        }
        Row before = wasCurrent ? row(m, beforeCells) : null;
        Row after = isCurrent ? row(m, afterCells) : null;
        Row oldKey = before == null ? null : key(m, before);
        Row newKey = after == null ? null : key(m, after);
        if (after == null) {
            emit(m, Op.DELETE, oldKey, before, null);
        } else if (before == null) {
            emit(m, Op.CREATE, newKey, null, after);
        } else if (oldKey != null && !oldKey.sameValues(newKey)) {
            emit(m, Op.DELETE, oldKey, before, null);
            emit(m, Op.CREATE, newKey, null, after);
        } else {
            emit(m, Op.UPDATE, newKey, before, after);
        }
    }

    /** True unless the row is a system-versioned table's history row. */
    private static boolean current(Mapped m, Serializable[] cells) {
        return m.rowEnd < 0 || TableDef.Versioning.current(cells[m.rowEnd]);
    }

    /** Hands the signal table's written rows to the snapshot hook; false for other tables' rows. */
    boolean signalRows(Object d, Transaction txn) throws InterruptedException {
        if (signalTables.isEmpty()) {
            return false;
        }
        List<Serializable[]> images = new ArrayList<>();
        long tableId;
        if (d instanceof WriteRowsEventData w) {
            tableId = w.getTableId();
            images.addAll(w.getRows());
        } else if (d instanceof UpdateRowsEventData u) {
            tableId = u.getTableId();
            u.getRows().forEach(r -> images.add(r.getValue()));
        } else if (d instanceof DeleteRowsEventData del) {
            tableId = del.getTableId();
        } else {
            return false;
        }
        if (!signalTables.contains(tableId)) {
            return false;
        }
        if (!txn.replayOnly) {
            Mapped m = mapped.get(tableId);
            for (Serializable[] image : images) {
                snapshots.signal(row(m, image), txn.file, txn.pos);
            }
        }
        return true;
    }

    private Mapped mappedFor(long tableId, BitSet included) {
        if (ignoredTables.contains(tableId)) {
            return null;
        }
        Mapped m = mapped.get(tableId);
        if (m == null) {
            throw SluiceException.fatal("row event for table id " + tableId + " at " + boundaries.file()
                    + " without its TABLE_MAP event: the binlog stream is not one Sluice understands");
        }
        checkFull(m, included);
        return m;
    }

    private static void checkFull(Mapped m, BitSet included) {
        if (included.cardinality() != m.cells) {
            throw SluiceException.fatal("table " + m.def.qualifiedName() + " was logged with partial rows ("
                    + included.cardinality() + " of " + m.cells + " columns); Sluice needs full row images:"
                    + " SET GLOBAL binlog_row_image = 'FULL' (and in my.cnf), then restart Sluice");
        }
    }

    /** The row's values; of a system-versioned table's cells, those of its columns (not the implicit period). */
    private static Row row(Mapped m, Serializable[] cells) {
        int n = m.names.length;
        Object[] values = new Object[n];
        ColumnDecoder[] dec = m.decoders;
        for (int i = 0; i < n; i++) {
            Serializable c = cells[i];
            if (c != null) {
                try {
                    values[i] = dec[i].decode(c);
                } catch (SluiceException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw SluiceException.fatal(
                            "column " + m.def.qualifiedName() + "." + m.names[i]
                                    + " could not be decoded (" + c.getClass().getSimpleName() + " cell, definition "
                                    + m.def.columns().get(i) + "): " + ex + "; please report it with the column's"
                                    + " definition",
                            ex);
                }
            }
        }
        return new Row(m.names, m.schema.columns(), values);
    }

    private static Row key(Mapped m, Row row) {
        if (m.key.length == 0) {
            return null;
        }
        Object[] values = new Object[m.key.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = row.value(m.key[k]);
        }
        return new Row(m.keyNames, m.schema.keyColumns(), values);
    }

    private void emit(Mapped m, Op op, Row key, Row before, Row after) throws InterruptedException {
        // typed only: the pipeline's encoder stage renders the event ahead, on this same thread
        Transaction txn = boundaries.current();
        if (snapshots != null && !txn.replayOnly && !txn.xa) {
            snapshots.changed(m.def.qualifiedName(), key); // an XA group's keys: at its commit (see XaHolding)
        }
        if (!txn.replayOnly && !txn.xa) {
            // a version no s event announced to this sink yet (first seen in a table map): announced first. Not in
            // an XA group: its events are held, and a restart reads it again with the flags of a later checkpoint,
            // so an s there would shift the group's ids (docs/change-event.md, What is not there yet)
            SchemaTracker.SchemaEvent s = schema.firstRow(m.def.db(), m.def.table(), m.version);
            if (s != null) {
                boundaries.announce(s.event(), m.def.db(), m.def.table());
            }
        }
        boundaries.emit(ChangeEvent.row(op, m.schema, key, before, after), m.def.db(), m.def.table());
    }
}
