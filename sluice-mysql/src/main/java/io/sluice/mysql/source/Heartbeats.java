package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.sluice.core.value.TimestampValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the time a heartbeat row was written from a rows event of the heartbeat table. */
final class Heartbeats {
    private Heartbeats() {}

    /**
     * The newest {@code ts} (epoch ms, to the microsecond's millisecond) among the rows {@code data} writes to table
     * {@code tableId}; 0 when it writes rows there without a readable time; -1 when it writes none there.
     */
    static long writtenAt(Object data, long tableId) {
        List<Serializable[]> images = new ArrayList<>();
        if (data instanceof WriteRowsEventData w && w.getTableId() == tableId) {
            images.addAll(w.getRows());
        } else if (data instanceof UpdateRowsEventData u && u.getTableId() == tableId) {
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                images.add(r.getValue());
            }
        } else {
            return -1;
        }
        long newest = 0;
        for (Serializable[] image : images) {
            for (Serializable v : image) {
                if (v instanceof TimestampValue t) {
                    newest = Math.max(newest, t.epochSecond() * 1000 + t.micros() / 1000);
                }
            }
        }
        return newest;
    }
}
