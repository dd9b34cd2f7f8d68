package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A v4 event header that keeps the type number the server wrote. The library maps every number it does not know
 * (MariaDB's compressed events, MySQL's newer ones) to {@link EventType#UNKNOWN}; Sluice decodes some of those
 * itself and names the others in its error.
 */
public final class RawHeader extends EventHeaderV4 {
    /** LOG_EVENT_IGNORABLE_F: a replica that does not know the event's type may skip it (MySQL and MariaDB). */
    public static final int IGNORABLE_FLAG = 0x80;

    private final int typeNumber;

    RawHeader(int typeNumber) {
        this.typeNumber = typeNumber;
    }

    /** The event's type number as written in the binlog. */
    public int typeNumber() {
        return typeNumber;
    }

    /** The server marked the event as one a replica may skip when it does not know its type. */
    public boolean ignorable() {
        return (getFlags() & IGNORABLE_FLAG) != 0;
    }

    @Override
    public String toString() {
        return "event type " + typeNumber + " (" + getEventType() + ") at " + getPosition() + ", " + getEventLength()
                + " bytes";
    }

    /**
     * Reads headers like the library's own reader and remembers the last one, which the deserializer of unknown
     * event types ({@link MariaDbCompressed}) reads next: one replication stream, one thread, header then data.
     */
    static final class Reader implements EventHeaderDeserializer<RawHeader> {
        private RawHeader last;

        @Override
        public RawHeader deserialize(ByteArrayInputStream in) throws IOException {
            long timestamp = in.readLong(4) * 1000L;
            int type = in.readInteger(1);
            RawHeader h = new RawHeader(type);
            EventType known = EventType.byEventNumber(type);
            h.setTimestamp(timestamp);
            h.setEventType(known == null ? EventType.UNKNOWN : known);
            h.setServerId(in.readLong(4));
            h.setEventLength(in.readLong(4));
            h.setNextPosition(in.readLong(4));
            h.setFlags(in.readInteger(2));
            last = h;
            return h;
        }

        /** The header read last: the one of the event whose data is being read. */
        RawHeader last() {
            return last;
        }
    }
}
