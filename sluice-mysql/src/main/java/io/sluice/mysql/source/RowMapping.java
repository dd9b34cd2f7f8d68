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
import io.sluice.mysql.decode.BinlogRows;
import io.sluice.mysql.decode.ColumnDecoder;
import io.sluice.mysql.decode.RowDecoder;
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
            int rowEnd,
            Fast fast) {}

    /**
     * The decoder of a mapped table's rows from their bytes, for the TABLE_MAP it was last used with (the binlog has
     * one TABLE_MAP per table per transaction; a decoder serves as long as their column types stay the same).
     */
    private static final class Fast {
        TableMapEventData tableMap;
        RowDecoder decoder;
    }

    /**
     * With {@code -Dsluice.decode.crossCheck=true} (the module's tests set it) each rows event decoded from its bytes
     * is also decoded the library's way, and a value that differs stops the source: the two must agree exactly.
     */
    private static final boolean CROSS_CHECK = Boolean.getBoolean("sluice.decode.crossCheck");

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
                v == null ? -1 : v.rowEnd(),
                new Fast());
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
            RowDecoder fast = fast(m, d, w.getIncludedColumns(), w.getIncludedColumns());
            if (fast != null) {
                fromBytes(m, fast, (BinlogRows) d, Op.CREATE);
                return;
            }
            for (Serializable[] r : w.getRows()) {
                if (current(m, r)) { // else a system-versioned table's history row: its old state, kept by the server
                    created(m, row(m, r));
                }
            }
        } else if (d instanceof UpdateRowsEventData u) {
            Mapped m = mappedFor(u.getTableId(), u.getIncludedColumnsBeforeUpdate());
            if (m == null) {
                return;
            }
            checkFull(m, u.getIncludedColumns());
            RowDecoder fast = fast(m, d, u.getIncludedColumnsBeforeUpdate(), u.getIncludedColumns());
            if (fast != null) {
                fromBytes(m, fast, (BinlogRows) d, Op.UPDATE);
                return;
            }
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                updated(m, r.getKey(), r.getValue());
            }
        } else if (d instanceof DeleteRowsEventData del) {
            Mapped m = mappedFor(del.getTableId(), del.getIncludedColumns());
            if (m == null) {
                return;
            }
            RowDecoder fast = fast(m, d, del.getIncludedColumns(), del.getIncludedColumns());
            if (fast != null) {
                fromBytes(m, fast, (BinlogRows) d, Op.DELETE);
                return;
            }
            for (Serializable[] r : del.getRows()) {
                if (current(m, r)) { // else history removed (DELETE HISTORY): no current row changes
                    deleted(m, row(m, r));
                }
            }
        }
    }

    /**
     * The change events of a rows event decoded from its bytes: each row image (an update's before and after in
     * turn) straight into typed values.
     */
    private void fromBytes(Mapped m, RowDecoder fast, BinlogRows d, Op op) throws InterruptedException {
        byte[] b = d.body().bytes();
        for (int p = d.body().rowsAt(); p < b.length; ) {
            Object[] first = new Object[fast.columns()];
            p = read(m, fast, b, p, first);
            if (op == Op.CREATE) {
                created(m, typedRow(m, first));
            } else if (op == Op.DELETE) {
                deleted(m, typedRow(m, first));
            } else {
                Object[] after = new Object[fast.columns()];
                p = read(m, fast, b, p, after);
                updated(m, typedRow(m, first), typedRow(m, after));
            }
        }
    }

    private void created(Mapped m, Row after) throws InterruptedException {
        emit(m, Op.CREATE, key(m, after), null, after);
    }

    private void deleted(Mapped m, Row before) throws InterruptedException {
        emit(m, Op.DELETE, key(m, before), before, null);
    }

    /**
     * The decoder of the event's rows from its bytes, or null when they take the library's way: the event was not
     * kept as bytes, the table is system-versioned (its history rows are told apart by their cells), its TABLE_MAP
     * is unknown or not one for one with the definition, or not all its columns are in the images.
     */
    private static RowDecoder fast(Mapped m, Object d, BitSet before, BitSet after) {
        if (!(d instanceof BinlogRows r) || m.rowEnd >= 0) {
            return null;
        }
        TableMapEventData tm = r.body().tableMap();
        if (tm == null) {
            return null;
        }
        Fast f = m.fast;
        if (f.tableMap != tm) {
            if (f.decoder == null || !f.decoder.maps(tm)) {
                f.decoder = RowDecoder.of(tm, m.def.qualifiedName(), m.def.columns(), m.decoders);
            }
            f.tableMap = tm;
        }
        RowDecoder dec = f.decoder;
        if (dec == null
                || dec.columns() != m.names.length
                || before.nextClearBit(0) < dec.columns()
                || after.nextClearBit(0) < dec.columns()) {
            return null;
        }
        if (CROSS_CHECK) {
            crossCheck(m, d, dec);
        }
        return dec;
    }

    /** One row image's values from the event's bytes at {@code b[p]}; returns where the next image begins. */
    private static int read(Mapped m, RowDecoder dec, byte[] b, int p, Object[] values) {
        try {
            return dec.row(b, p, values);
        } catch (IndexOutOfBoundsException e) {
            throw SluiceException.fatal(
                    "a rows event of " + m.def.qualifiedName() + " ends inside a row ("
                            + b.length + " bytes, a row at " + p
                            + "): the event does not match its TABLE_MAP; please report"
                            + " it with the table's definition",
                    e);
        }
    }

    /** Decodes the event's rows both ways (from its bytes, and the library's cells) and fails where they differ. */
    private static void crossCheck(Mapped m, Object d, RowDecoder dec) {
        List<Serializable[]> cells = new ArrayList<>();
        if (d instanceof WriteRowsEventData w) {
            cells.addAll(w.getRows());
        } else if (d instanceof UpdateRowsEventData u) {
            u.getRows().forEach(e -> {
                cells.add(e.getKey());
                cells.add(e.getValue());
            });
        } else if (d instanceof DeleteRowsEventData del) {
            cells.addAll(del.getRows());
        }
        BinlogRows.Body body = ((BinlogRows) d).body();
        byte[] b = body.bytes();
        int image = 0;
        for (int p = body.rowsAt(); p < b.length; image++) {
            Object[] fast = new Object[dec.columns()];
            p = read(m, dec, b, p, fast);
            Row old = row(m, cells.get(image));
            for (int i = 0; i < fast.length; i++) {
                Object o = old.value(i);
                Object f = fast[i];
                if (!(o == null ? f == null : f != null && o.getClass() == f.getClass() && o.equals(f))) {
                    throw new IllegalStateException("column " + m.def.qualifiedName() + "." + m.names[i] + " of row "
                            + image + " decodes to " + describe(f) + " from the event's bytes but to " + describe(o)
                            + " from the library's cells");
                }
            }
        }
        if (image != cells.size()) {
            throw new IllegalStateException("a rows event of " + m.def.qualifiedName() + " holds " + image
                    + " row images decoded from its bytes but " + cells.size() + " from the library's cells");
        }
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    /**
     * An updated row: a {@code u}, or a {@code d} and a {@code c} when its key changed. In a system-versioned table
     * the server ends a current row by updating its row end (a DELETE): that is a {@code d}; a history row made
     * current again is a {@code c}; a history row's update changes no current row.
     */
    private void updated(Mapped m, Serializable[] beforeCells, Serializable[] afterCells) throws InterruptedException {
        boolean wasCurrent = current(m, beforeCells);
        boolean isCurrent = current(m, afterCells);
        if (wasCurrent || isCurrent) {
            updated(m, wasCurrent ? row(m, beforeCells) : null, isCurrent ? row(m, afterCells) : null);
        }
    }

    /** An updated row's current images (null where a system-versioned table's row is a history row). */
    private void updated(Mapped m, Row before, Row after) throws InterruptedException {
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
        long tableId;
        if (d instanceof WriteRowsEventData w) {
            tableId = w.getTableId();
        } else if (d instanceof UpdateRowsEventData u) {
            tableId = u.getTableId();
        } else if (d instanceof DeleteRowsEventData del) {
            tableId = del.getTableId();
        } else {
            return false;
        }
        if (!signalTables.contains(tableId)) {
            return false; // checked first: other tables' rows are not decoded into cells here
        }
        List<Serializable[]> images = new ArrayList<>();
        if (d instanceof WriteRowsEventData w) {
            images.addAll(w.getRows());
        } else if (d instanceof UpdateRowsEventData u) {
            u.getRows().forEach(r -> images.add(r.getValue()));
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
                    throw RowDecoder.undecodable(
                            m.def.qualifiedName(), m.def.columns().get(i), c, ex);
                }
            }
        }
        return typedRow(m, values);
    }

    /** The row of typed values. */
    private static Row typedRow(Mapped m, Object[] values) {
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
