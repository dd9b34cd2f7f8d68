package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rows event kept as its bytes: the body of a WRITE, UPDATE or DELETE rows event, where its rows begin in it, and
 * the TABLE_MAP that maps them (the one in force when the event was read). The reader thread decodes the rows from
 * these bytes straight into typed values ({@link RowDecoder}); the library's row form ({@code getRows()}, cells as
 * the rows deserializers of {@link RowsDeserializers} read them) is decoded from the same bytes only when asked for
 * (heartbeat and signal tables, foreign-key parents, system-versioned tables, the cross-check of tests).
 */
public interface BinlogRows {

    /** The event's body: its bytes, where its rows begin, its TABLE_MAP (null when none was read before it). */
    Body body();

    /** The bytes of a rows event's body (from its table id on, without checksum), and its rows as cells once read. */
    final class Body {
        private final byte[] bytes;
        private final int rowsAt;
        private final TableMapEventData tableMap;
        private final RowsBodies.Kind kind;
        private final boolean extraInfo;
        private EventData cells;

        Body(byte[] bytes, int rowsAt, TableMapEventData tableMap, RowsBodies.Kind kind, boolean extraInfo) {
            this.bytes = bytes;
            this.rowsAt = rowsAt;
            this.tableMap = tableMap;
            this.kind = kind;
            this.extraInfo = extraInfo;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int rowsAt() {
            return rowsAt;
        }

        public TableMapEventData tableMap() {
            return tableMap;
        }

        /** The event in the library's row form, decoded from the bytes (once) by the cell-reading deserializers. */
        EventData cells(long tableId) {
            if (cells == null) {
                Map<Long, TableMapEventData> tables = new HashMap<>();
                if (tableMap != null) {
                    tables.put(tableId, tableMap);
                }
                EventDataDeserializer<?> d = RowsBodies.cellReader(tables, kind, extraInfo);
                try {
                    cells = d.deserialize(new ByteArrayInputStream(bytes));
                } catch (IOException e) {
                    throw new UncheckedIOException("a rows event could not be decoded: " + e.getMessage(), e);
                }
            }
            return cells;
        }
    }

    /** A WRITE_ROWS event (v1 or v2) whose rows are decoded from its bytes when first asked for. */
    final class Write extends WriteRowsEventData implements BinlogRows {
        private final Body body;

        Write(long tableId, BitSet included, Body body) {
            this.body = body;
            setTableId(tableId);
            setIncludedColumns(included);
        }

        @Override
        public Body body() {
            return body;
        }

        @Override
        public List<Serializable[]> getRows() {
            return ((WriteRowsEventData) body.cells(getTableId())).getRows();
        }

        @Override
        public String toString() {
            return body.cells(getTableId()).toString();
        }
    }

    /** An UPDATE_ROWS event (v1 or v2) whose rows are decoded from its bytes when first asked for. */
    final class Update extends UpdateRowsEventData implements BinlogRows {
        private final Body body;

        Update(long tableId, BitSet includedBefore, BitSet included, Body body) {
            this.body = body;
            setTableId(tableId);
            setIncludedColumnsBeforeUpdate(includedBefore);
            setIncludedColumns(included);
        }

        @Override
        public Body body() {
            return body;
        }

        @Override
        public List<Map.Entry<Serializable[], Serializable[]>> getRows() {
            return ((UpdateRowsEventData) body.cells(getTableId())).getRows();
        }

        @Override
        public String toString() {
            return body.cells(getTableId()).toString();
        }
    }

    /** A DELETE_ROWS event (v1 or v2) whose rows are decoded from its bytes when first asked for. */
    final class Delete extends DeleteRowsEventData implements BinlogRows {
        private final Body body;

        Delete(long tableId, BitSet included, Body body) {
            this.body = body;
            setTableId(tableId);
            setIncludedColumns(included);
        }

        @Override
        public Body body() {
            return body;
        }

        @Override
        public List<Serializable[]> getRows() {
            return ((DeleteRowsEventData) body.cells(getTableId())).getRows();
        }

        @Override
        public String toString() {
            return body.cells(getTableId()).toString();
        }
    }
}
