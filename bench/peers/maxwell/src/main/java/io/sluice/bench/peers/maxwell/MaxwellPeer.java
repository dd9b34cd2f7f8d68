package io.sluice.bench.peers.maxwell;

import com.zendesk.maxwell.Maxwell;
import com.zendesk.maxwell.MaxwellConfig;
import com.zendesk.maxwell.MaxwellContext;
import com.zendesk.maxwell.producer.AbstractProducer;
import com.zendesk.maxwell.producer.FileProducer;
import com.zendesk.maxwell.producer.ProducerFactory;
import com.zendesk.maxwell.replication.BinlogPosition;
import com.zendesk.maxwell.replication.Position;
import com.zendesk.maxwell.row.RowMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark peer, run as its own JVM by BinlogBench (part x): Maxwell's daemon reading the workload's binlog range
 * into a JSON file with its own file producer (one JSON object per row, written and flushed per row, as
 * {@code maxwell --producer=file} does), from the workload's start position until it has produced the expected
 * number of rows of database {@code bench}. Prints {@code DONE rows=<n> nanos=<connect to end>} and then waits for
 * its standard input to close, so that the parent can read its CPU time and peak RSS first.
 *
 * <p>Arguments: host port user password serverId expectedRows outputFile startFile startPos schemaDatabase
 */
public final class MaxwellPeer {
    private MaxwellPeer() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        String port = args[1];
        String user = args[2];
        String password = args[3];
        long serverId = Long.parseLong(args[4]);
        long expected = Long.parseLong(args[5]);
        String output = args[6];
        String startFile = args[7];
        long startPos = Long.parseLong(args[8]);
        String schemaDb = args[9];

        java.util.List<String> opts = new java.util.ArrayList<>(java.util.List.of(
                "--host=" + host,
                "--port=" + port,
                "--user=" + user,
                "--producer=file",
                "--output_file=" + output,
                "--schema_database=" + schemaDb,
                "--client_id=" + schemaDb,
                "--replica_server_id=" + serverId,
                "--filter=exclude: *.*, include: bench.*",
                "--bootstrapper=none",
                "--log_level=" + System.getenv().getOrDefault("MAXWELL_LOG_LEVEL", "error")));
        if (!password.isEmpty()) {
            opts.add("--password=" + password);
        }
        MaxwellConfig config = new MaxwellConfig(opts.toArray(String[]::new));
        // Maxwell leaves an empty password null, and its binlog client then fails with a NullPointerException; the
        // replication and schema connections are copies of this one (made again when Maxwell validates its config)
        if (config.maxwellMysql.password == null) {
            config.maxwellMysql.password = password;
        }
        config.initPosition = new Position(new BinlogPosition(startPos, startFile), 0L);

        AtomicLong rows = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        config.producerFactory = new ProducerFactory() {
            @Override
            public AbstractProducer createProducer(MaxwellContext context) {
                try {
                    return new Counting(context, new FileProducer(context, output), rows, expected, done);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        long t0 = System.nanoTime();
        Maxwell maxwell = new Maxwell(config);
        Thread t = new Thread(maxwell, "maxwell");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
            if (!t.isAlive() || System.nanoTime() > deadline) {
                System.out.println("TIMEOUT rows=" + rows.get() + (t.isAlive() ? "" : " (Maxwell stopped, see above)"));
                System.exit(2);
            }
        }
        long nanos = System.nanoTime() - t0;
        System.out.println("DONE rows=" + rows.get() + " nanos=" + nanos);
        System.out.flush();
        maxwell.terminate();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        System.exit(0);
    }

    /** Maxwell's own file producer, counting the rows it wrote. */
    private static final class Counting extends AbstractProducer {
        private final FileProducer file;
        private final AtomicLong rows;
        private final long expected;
        private final CountDownLatch done;

        Counting(MaxwellContext context, FileProducer file, AtomicLong rows, long expected, CountDownLatch done) {
            super(context);
            this.file = file;
            this.rows = rows;
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void push(RowMap r) throws Exception {
            file.push(r);
            String type = r.getRowType();
            if (("insert".equals(type) || "update".equals(type) || "delete".equals(type))
                    && rows.incrementAndGet() >= expected) {
                done.countDown();
            }
        }
    }
}
