package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * MariaDB's compressed events ({@code log_bin_compress=ON}, MariaDB 10.2+), which the library does not know: they
 * reach it as {@link EventType#UNKNOWN}, and this deserializer of that type decodes them. Each is its uncompressed
 * twin with one part zlib-compressed: a Query_compressed event (165) its statement text; a
 * Write/Update/Delete_rows_compressed event, v1 (166-168) or v2 (169-171), its rows, after the table id, flags,
 * (v2) extra data, column count and column bitmaps, which stay as they are. The compressed part is a record: one
 * byte (bit 7 set; bits 4-6 the algorithm, 0 for zlib; bits 0-2 how many bytes the length takes), the
 * uncompressed length big-endian in 1 to 4 bytes, then the zlib stream.
 *
 * <p>The event is put back together uncompressed and read by the deserializer of its twin type, and its header
 * takes the twin's type, so from here on it is that event: the same handlers read it. The header keeps the number
 * written ({@link RawHeader#typeNumber()}). Events of other unknown types come out with no data.
 */
final class MariaDbCompressed implements EventDataDeserializer<EventData> {
    static final int QUERY = 165;
    private static final int ROWS_V1 = 166;
    private static final int ROWS_V2 = 169;
    private static final int LAST = 171;
    /** Thread id, execution time, database name length, error code, status variables length. */
    private static final int QUERY_POST_HEADER = 13;

    private static final EventType[] ROWS_V1_TWINS = {EventType.WRITE_ROWS, EventType.UPDATE_ROWS, EventType.DELETE_ROWS
    };
    private static final EventType[] ROWS_V2_TWINS = {
        EventType.EXT_WRITE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.EXT_DELETE_ROWS
    };

    private final RawHeader.Reader headers;
    private final EventDeserializer twins;

    /**
     * @param headers the header reader of the same deserializer (the header of the event being read)
     * @param twins   the deserializer whose readers of the uncompressed types read the events put back together
     */
    MariaDbCompressed(RawHeader.Reader headers, EventDeserializer twins) {
        this.headers = headers;
        this.twins = twins;
    }

    /** True for the type numbers of MariaDB's compressed events. */
    static boolean isCompressed(int typeNumber) {
        return typeNumber >= QUERY && typeNumber <= LAST;
    }

    @Override
    public EventData deserialize(ByteArrayInputStream in) throws IOException {
        RawHeader header = headers.last();
        int type = header.typeNumber();
        if (!isCompressed(type)) {
            return null;
        }
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        EventType twin;
        if (type == QUERY) {
            twin = EventType.QUERY;
            byte[] post = in.read(QUERY_POST_HEADER);
            int dbLength = post[8] & 0xFF;
            int statusLength = (post[11] & 0xFF) | (post[12] & 0xFF) << 8;
            event.writeBytes(post);
            event.writeBytes(in.read(statusLength + dbLength + 1)); // status variables, database name, NUL
        } else {
            boolean v2 = type >= ROWS_V2;
            int kind = type - (v2 ? ROWS_V2 : ROWS_V1);
            twin = (v2 ? ROWS_V2_TWINS : ROWS_V1_TWINS)[kind];
            event.writeBytes(in.read(8)); // table id, flags
            if (v2) {
                byte[] extraLength = in.read(2); // counts itself
                event.writeBytes(extraLength);
                event.writeBytes(in.read(((extraLength[0] & 0xFF) | (extraLength[1] & 0xFF) << 8) - 2));
            }
            int columns = packedInteger(in, event);
            int bitmaps = twin == EventType.UPDATE_ROWS || twin == EventType.EXT_UPDATE_ROWS ? 2 : 1;
            event.writeBytes(in.read(bitmaps * ((columns + 7) / 8)));
        }
        inflate(in.read(in.available()), event);
        header.setEventType(twin);
        return (EventData)
                twins.getEventDataDeserializer(twin).deserialize(new ByteArrayInputStream(event.toByteArray()));
    }

    /** Reads a length-encoded integer, copying its bytes to {@code out}. */
    private static int packedInteger(ByteArrayInputStream in, ByteArrayOutputStream out) throws IOException {
        int first = in.read();
        out.write(first);
        int more = first < 0xFB ? 0 : first == 0xFC ? 2 : first == 0xFD ? 3 : first == 0xFE ? 8 : -1;
        if (more < 0) {
            throw new IOException("compressed rows event with a bad column count (first byte " + first + ")");
        }
        if (more == 0) {
            return first;
        }
        byte[] b = in.read(more);
        out.writeBytes(b);
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        if (v > Integer.MAX_VALUE) {
            throw new IOException("compressed rows event with a bad column count " + v);
        }
        return (int) v;
    }

    /** Appends the uncompressed bytes of one compressed record to {@code out}. */
    static void inflate(byte[] record, ByteArrayOutputStream out) throws IOException {
        if (record.length == 0 || (record[0] & 0x80) == 0) {
            throw new IOException("compressed event without its compression header");
        }
        int algorithm = (record[0] & 0x70) >> 4;
        if (algorithm != 0) {
            throw new IOException("compressed event uses compression algorithm " + algorithm
                    + ", which Sluice does not know (only zlib, 0)");
        }
        int lengthBytes = record[0] & 0x07;
        if (lengthBytes < 1 || lengthBytes > 4 || record.length < 1 + lengthBytes) {
            throw new IOException("compressed event with a bad length header (" + lengthBytes + " bytes)");
        }
        long length = 0;
        for (int i = 1; i <= lengthBytes; i++) {
            length = length << 8 | (record[i] & 0xFF);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("compressed event of " + length + " bytes uncompressed, more than Sluice can hold");
        }
        byte[] plain = new byte[(int) length];
        Inflater zlib = new Inflater();
        try {
            zlib.setInput(record, 1 + lengthBytes, record.length - 1 - lengthBytes);
            long n = 0;
            byte[] beyond = new byte[1]; // the stream's end (its checksum) may still follow a full buffer
            while (!zlib.finished()) {
                int got =
                        n < plain.length ? zlib.inflate(plain, (int) n, plain.length - (int) n) : zlib.inflate(beyond);
                if (got == 0 && (zlib.needsInput() || zlib.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != plain.length || !zlib.finished()) {
                throw new IOException("compressed event is corrupt: " + n + " of " + length + " bytes uncompressed"
                        + (zlib.finished() ? "" : ", stream incomplete"));
            }
        } catch (DataFormatException e) {
            throw new IOException("compressed event is corrupt: " + e.getMessage(), e);
        } finally {
            zlib.end();
        }
        out.writeBytes(plain);
    }
}
