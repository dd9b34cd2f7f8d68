package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;

/**
 * The deserializer of rows events as {@link BinlogRows}: reads the event's body in one bulk read, its header (table
 * id, flags, extra info, column count, included-columns bitmaps) from that array, and leaves the rows in it for the
 * reader thread to decode straight into typed values ({@link RowDecoder}). The library's own deserializers read a
 * body byte by byte into a boxed cell per value, which the source then converted again.
 */
final class RowsBodies implements EventDataDeserializer<EventData> {
    /** The kinds of rows event. */
    enum Kind {
        WRITE,
        UPDATE,
        DELETE
    }

    /**
     * Bodies past this size (a row of a large BLOB or text, not the server's usual ~8 KiB events) are read the
     * library's way: kept as bytes, a large value would be in the heap once more while it is decoded.
     */
    static final int LARGE = 1 << 20;

    private final Map<Long, TableMapEventData> tables;
    private final Kind kind;
    private final boolean extraInfo;
    private final EventDataDeserializer<?> cells;

    /**
     * @param tables    the TABLE_MAP registry the event deserializer fills (see {@link RowsDeserializers})
     * @param extraInfo the event is a v2 (EXT) rows event, whose header holds extra information
     */
    RowsBodies(Map<Long, TableMapEventData> tables, Kind kind, boolean extraInfo) {
        this.tables = tables;
        this.kind = kind;
        this.extraInfo = extraInfo;
        this.cells = cellReader(tables, kind, extraInfo);
    }

    /** The library's deserializer of the kind with Sluice's cell reading ({@link RowsDeserializers}). */
    static EventDataDeserializer<?> cellReader(Map<Long, TableMapEventData> tables, Kind kind, boolean extraInfo) {
        return switch (kind) {
            case WRITE -> new RowsDeserializers.Write(tables).setMayContainExtraInformation(extraInfo);
            case UPDATE -> new RowsDeserializers.Update(tables).setMayContainExtraInformation(extraInfo);
            case DELETE -> new RowsDeserializers.Delete(tables).setMayContainExtraInformation(extraInfo);
        };
    }

    @Override
    public EventData deserialize(ByteArrayInputStream in) throws IOException {
        int n = in.available();
        if (n > LARGE) {
            return cells.deserialize(in);
        }
        byte[] b = in.read(n);
        return of(b, tables, kind, extraInfo);
    }

    /** The rows event of a body's bytes, its TABLE_MAP looked up in {@code tables}. */
    static EventData of(byte[] b, Map<Long, TableMapEventData> tables, Kind kind, boolean extraInfo)
            throws IOException {
        try {
            long tableId = littleEndian(b, 0, 6);
            int p = 8; // table id, then two bytes of flags
            if (extraInfo) {
                p += (int) littleEndian(b, p, 2); // the length counts its own two bytes
            }
            int first = b[p++] & 0xFF;
            int columns;
            if (first < 251) {
                columns = first;
            } else if (first == 252) {
                columns = (int) littleEndian(b, p, 2);
                p += 2;
            } else if (first == 253) {
                columns = (int) littleEndian(b, p, 3);
                p += 3;
            } else {
                throw new IOException("a rows event's column count starts with byte " + first);
            }
            int bitmap = (columns + 7) >> 3;
            BitSet included = bits(b, p, columns);
            p += bitmap;
            BitSet after = null;
            if (kind == Kind.UPDATE) {
                after = bits(b, p, columns);
                p += bitmap;
            }
            BinlogRows.Body body = new BinlogRows.Body(b, p, tables.get(tableId), kind, extraInfo);
            return switch (kind) {
                case WRITE -> new BinlogRows.Write(tableId, included, body);
                case UPDATE -> new BinlogRows.Update(tableId, included, after, body);
                case DELETE -> new BinlogRows.Delete(tableId, included, body);
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("a rows event of " + b.length + " bytes ends inside its header", e);
        }
    }

    /** The first {@code n} bits of the bitmap at {@code b[p]}, bit i in byte i / 8 at (1 << i % 8). */
    private static BitSet bits(byte[] b, int p, int n) {
        BitSet bits = BitSet.valueOf(Arrays.copyOfRange(b, p, p + ((n + 7) >> 3)));
        bits.clear(n, Math.max(n, bits.length()));
        return bits;
    }

    static long littleEndian(byte[] b, int p, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }
}
