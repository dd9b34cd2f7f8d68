package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The TABLE_MAP deserializer: a table's TABLE_MAP comes again with every transaction, byte for byte the same until
 * its table changes, so the body is read in one bulk read and compared with the table id's last one; the same
 * bytes give the same (unchanged) {@link TableMapEventData} object, which the source's caches then recognize by
 * identity. Other bytes are decoded by the library's deserializer.
 */
final class TableMaps implements EventDataDeserializer<TableMapEventData> {
    /** Table ids kept before the cache starts over (a server rarely maps more tables than this between DDL). */
    private static final int MAX = 10_000;

    private record Seen(byte[] bytes, TableMapEventData data) {}

    private final TableMapEventDataDeserializer library = new TableMapEventDataDeserializer();
    private final Map<Long, Seen> seen = new HashMap<>();

    @Override
    public TableMapEventData deserialize(ByteArrayInputStream in) throws IOException {
        byte[] b = in.read(in.available());
        long tableId = b.length >= 6 ? RowsBodies.littleEndian(b, 0, 6) : -1;
        Seen s = seen.get(tableId);
        if (s != null && Arrays.equals(s.bytes, b)) {
            return s.data;
        }
        TableMapEventData data = library.deserialize(new ByteArrayInputStream(b));
        if (seen.size() >= MAX) {
            seen.clear();
        }
        seen.put(tableId, new Seen(b, data));
        return data;
    }
}
