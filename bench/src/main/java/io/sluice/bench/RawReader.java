package io.sluice.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Part (a), run as its own JVM: the raw binlog library with a plain listener that counts rows, from a start
 * position until it has read past an end position. Prints {@code DONE rows=<n> nanos=<connect to end>} and then
 * waits for its standard input to close, so that the parent can read its CPU time and peak RSS first.
 *
 * <p>Arguments: host port user password serverId startFile startPos endFile endPos [deserializer], where
 * deserializer is {@code fastest} (the default: {@link #FASTEST}), {@code default} (the library's default
 * deserializers: strings, {@code java.util.Date}s, {@code java.sql.Timestamp}s) or a comma-separated list of the
 * library's {@code CompatibilityMode} names.
 */
public final class RawReader {
    /**
     * The library's fastest configuration for a decoder that renders values itself: character and binary columns
     * as the {@code byte[]} of the binlog (no {@code String} per value), temporal values as {@code long}s
     * (microseconds since the epoch for DATETIME and TIMESTAMP, no {@code Date} or {@code Calendar} per value),
     * invalid dates as {@link Long#MIN_VALUE} instead of an exception.
     */
    static final EventDeserializer.CompatibilityMode[] FASTEST = {
        EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
        EventDeserializer.CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE
    };

    private RawReader() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        BinaryLogClient client = new BinaryLogClient(host, port, args[2], args[3]);
        client.setServerId(Long.parseLong(args[4]));
        client.setBinlogFilename(args[5]);
        client.setBinlogPosition(Long.parseLong(args[6]));
        String endFile = args[7];
        long endPos = Long.parseLong(args[8]);
        client.setKeepAlive(false);
        client.setSSLMode(com.github.shyiko.mysql.binlog.network.SSLMode.DISABLED);
        String mode = args.length > 9 ? args[9] : "fastest";
        EventDeserializer deserializer = new EventDeserializer();
        switch (mode) {
            case "fastest" -> deserializer.setCompatibilityMode(FASTEST[0], Arrays.copyOfRange(FASTEST, 1, 3));
            case "default" -> {
                // the library as it comes
            }
            default -> {
                // a list of compatibility modes, as in CHAR_AND_BINARY_AS_BYTE_ARRAY,DATE_AND_TIME_AS_LONG
                EventDeserializer.CompatibilityMode[] modes = Arrays.stream(mode.split(","))
                        .map(EventDeserializer.CompatibilityMode::valueOf)
                        .toArray(EventDeserializer.CompatibilityMode[]::new);
                deserializer.setCompatibilityMode(modes[0], Arrays.copyOfRange(modes, 1, modes.length));
            }
        }
        client.setEventDeserializer(deserializer);

        long[] rows = new long[1];
        long[] counted = new long[1];
        String[] file = {args[5]};
        CountDownLatch done = new CountDownLatch(1);
        client.registerEventListener(event -> {
            EventData d = event.getData();
            if (d instanceof WriteRowsEventData w) {
                rows[0] += w.getRows().size();
            } else if (d instanceof UpdateRowsEventData u) {
                rows[0] += u.getRows().size();
            } else if (d instanceof DeleteRowsEventData x) {
                rows[0] += x.getRows().size();
            } else if (d instanceof RotateEventData r) {
                file[0] = r.getBinlogFilename();
            }
            if (event.getHeader() instanceof EventHeaderV4 h
                    && h.getNextPosition() >= endPos
                    && file[0].equals(endFile)
                    && done.getCount() > 0) {
                counted[0] = rows[0]; // the rows up to the end position: events after it (other runs') don't count
                done.countDown();
            }
        });
        long t0 = System.nanoTime();
        client.connect(10_000);
        if (!done.await(30, TimeUnit.MINUTES)) {
            System.out.println("TIMEOUT rows=" + rows[0]);
            System.exit(2);
        }
        long nanos = System.nanoTime() - t0;
        System.out.println("DONE rows=" + counted[0] + " nanos=" + nanos);
        System.out.flush();
        client.disconnect();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
    }
}
