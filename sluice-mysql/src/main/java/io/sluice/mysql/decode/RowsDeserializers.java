package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * An {@link EventDeserializer} whose rows events carry cells Sluice can convert without loss: temporal values as
 * contract strings, character and binary columns as bytes, YEAR with its zero, BIT as an unsigned number; whose
 * statements carry their {@code sql_mode} ({@link StatementDeserializer}). It also decodes what the library
 * cannot: MariaDB's compressed events ({@link MariaDbCompressed}) and MySQL's compressed transaction payloads
 * ({@link PayloadDeserializer}), into the same events as uncompressed ones; its headers are {@link RawHeader}s,
 * which keep the type number of events it still cannot decode. Everything else is left to the
 * library.
 */
public final class RowsDeserializers {
    private RowsDeserializers() {}

    /**
     * A deserializer for one replication connection. Its rows events are {@link BinlogRows}: kept as their bytes,
     * decoded into typed values by {@link RowDecoder}, and into the library's cells (with the deserializers below)
     * only when asked for.
     */
    public static EventDeserializer create() {
        RawHeader.Reader headers = new RawHeader.Reader();
        EventDeserializer d = new EventDeserializer(headers);
        Map<Long, TableMapEventData> tables = tableMapsOf(d);
        d.setEventDataDeserializer(EventType.WRITE_ROWS, new RowsBodies(tables, RowsBodies.Kind.WRITE, false));
        d.setEventDataDeserializer(EventType.UPDATE_ROWS, new RowsBodies(tables, RowsBodies.Kind.UPDATE, false));
        d.setEventDataDeserializer(EventType.DELETE_ROWS, new RowsBodies(tables, RowsBodies.Kind.DELETE, false));
        d.setEventDataDeserializer(EventType.EXT_WRITE_ROWS, new RowsBodies(tables, RowsBodies.Kind.WRITE, true));
        d.setEventDataDeserializer(EventType.EXT_UPDATE_ROWS, new RowsBodies(tables, RowsBodies.Kind.UPDATE, true));
        d.setEventDataDeserializer(EventType.EXT_DELETE_ROWS, new RowsBodies(tables, RowsBodies.Kind.DELETE, true));
        d.setEventDataDeserializer(EventType.TABLE_MAP, new TableMaps());
        d.setEventDataDeserializer(EventType.TRANSACTION_PAYLOAD, new PayloadDeserializer());
        d.setEventDataDeserializer(EventType.QUERY, new StatementDeserializer(false));
        d.setEventDataDeserializer(EventType.EXECUTE_LOAD_QUERY, new StatementDeserializer(true));
        d.setEventDataDeserializer(EventType.UNKNOWN, new MariaDbCompressed(headers, d));
        return d;
    }

    /**
     * The table-map registry the deserializer fills as TABLE_MAP events pass (also those inside compressed
     * transaction payloads). The library keeps it private; the row deserializers must share it.
     */
    @SuppressWarnings("unchecked")
    private static Map<Long, TableMapEventData> tableMapsOf(EventDeserializer d) {
        try {
            var f = EventDeserializer.class.getDeclaredField("tableMapEventByTableId");
            f.setAccessible(true);
            return (Map<Long, TableMapEventData>) f.get(d);
        } catch (ReflectiveOperationException e) {
            // Fall back to a map of our own; TABLE_MAP events then register through the default deserializer's
            // map only, which a future library version would expose; fail loudly instead of decoding wrongly.
            throw new IllegalStateException("unsupported mysql-binlog-connector-java version: " + e, e);
        }
    }

    static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            Serializable v = Cells.read(type, meta, length, in);
            return v != Cells.LIBRARY ? v : super.deserializeCell(type, meta, length, in);
        }
    }

    static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            Serializable v = Cells.read(type, meta, length, in);
            return v != Cells.LIBRARY ? v : super.deserializeCell(type, meta, length, in);
        }
    }

    static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            Serializable v = Cells.read(type, meta, length, in);
            return v != Cells.LIBRARY ? v : super.deserializeCell(type, meta, length, in);
        }
    }
}
