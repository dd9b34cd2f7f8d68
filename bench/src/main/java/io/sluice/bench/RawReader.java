package io.sluice.bench;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Part (a), run as its own JVM: the raw binlog library with a plain listener that counts rows, from a start
 * position until it has read past an end position. Prints {@code DONE rows=<n> nanos=<connect to end>} and then
 * waits for its standard input to close, so that the parent can read its CPU time and peak RSS first.
 *
 * <p>Arguments: host port user password serverId startFile startPos endFile endPos
 */
public final class RawReader {
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

        long[] rows = new long[1];
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
                    && file[0].equals(endFile)) {
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
        System.out.println("DONE rows=" + rows[0] + " nanos=" + nanos);
        System.out.flush();
        client.disconnect();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
    }
}
