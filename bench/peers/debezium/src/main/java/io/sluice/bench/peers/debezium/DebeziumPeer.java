package io.sluice.bench.peers.debezium;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark peer, run as its own JVM by BinlogBench (part z): Debezium's embedded engine with its MariaDB connector,
 * JSON change events (the engine's {@code Json} format, schemas off) written one a line to a file, until it has
 * produced the expected number of row events of database {@code bench}. It starts at the workload's first event as
 * a restarted connector would: from an offset file that holds that position, with {@code snapshot.mode=recovery}
 * rebuilding its (in-memory) schema history from the tables as they are, which the workload does not change.
 * ({@code snapshot.mode=never}, reading from the binlog's first file, is no longer offered.)
 * Prints {@code DONE rows=<n> nanos=<engine start to end>} and then waits for its standard input to close.
 *
 * <p>Arguments: host port user password serverId expectedRows outputFile startFile startPos startGtidPos
 */
public final class DebeziumPeer {
    private DebeziumPeer() {}

    /**
     * Writes the offset file Kafka Connect's {@code FileOffsetBackingStore} reads: a serialized
     * {@code HashMap<byte[], byte[]>} from the JSON of {@code [engine name, source partition]} to the JSON of the
     * source offset, here the binlog file and position the connector resumes streaming from, and the MariaDB GTID
 * position there (the connector always asks MariaDB for a GTID position).
     */
    private static void writeOffset(Path file, String engine, String server, String binlogFile, long pos, String gtids)
            throws IOException {
        java.util.HashMap<byte[], byte[]> map = new java.util.HashMap<>();
        map.put(
                ("[\"" + engine + "\",{\"server\":\"" + server + "\"}]").getBytes(StandardCharsets.UTF_8),
                ("{\"file\":\"" + binlogFile + "\",\"pos\":" + pos + ",\"gtids\":\"" + gtids + "\"}").getBytes(StandardCharsets.UTF_8));
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(Files.newOutputStream(file))) {
            o.writeObject(map);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel", System.getenv().getOrDefault("DEBEZIUM_LOG_LEVEL", "warn"));
        long expected = Long.parseLong(args[5]);
        Path output = Path.of(args[6]);

        Properties p = new Properties();
        p.setProperty("name", "bench-peer");
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("database.hostname", args[0]);
        p.setProperty("database.port", args[1]);
        p.setProperty("database.user", args[2]);
        p.setProperty("database.password", args[3]);
        p.setProperty("database.server.id", args[4]);
        p.setProperty("database.ssl.mode", "disable");
        p.setProperty("topic.prefix", "bench");
        p.setProperty("database.include.list", "bench");
        // start at the workload's first event: a stored offset there (as if a run had stopped there), and the schema
        // history rebuilt from the tables as they are (the workload changes no schema)
        p.setProperty("snapshot.mode", "recovery");
        p.setProperty("include.schema.changes", "false");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        Path offsets = output.resolveSibling("offsets.dat");
        writeOffset(offsets, "bench-peer", "bench", args[7], Long.parseLong(args[8]), args[9]);
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsets.toString());
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("converter.schemas.enable", "false");
        p.setProperty("key.converter.schemas.enable", "false");
        p.setProperty("value.converter.schemas.enable", "false");

        AtomicLong rows = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(p)
                .notifying((List<ChangeEvent<String, String>> batch,
                        DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) -> {
                    for (ChangeEvent<String, String> e : batch) {
                        if (e.value() != null) {
                            try {
                                out.write(e.value());
                                out.write('\n');
                            } catch (IOException x) {
                                throw new java.io.UncheckedIOException(x);
                            }
                            if (e.destination().startsWith("bench.bench.")) {
                                rows.incrementAndGet();
                            }
                        }
                        committer.markProcessed(e);
                    }
                    committer.markBatchFinished();
                    if (rows.get() >= expected) {
                        done.countDown();
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                        done.countDown();
                    }
                })
                .build();
        long t0 = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        if (!done.await(30, TimeUnit.MINUTES)) {
            System.out.println("TIMEOUT rows=" + rows.get());
            System.exit(2);
        }
        long nanos = System.nanoTime() - t0;
        if (failure.get() != null) {
            failure.get().printStackTrace(System.out);
            System.out.println("TIMEOUT rows=" + rows.get() + " (the engine stopped: " + failure.get() + ")");
        } else {
            out.flush();
            System.out.println("DONE rows=" + rows.get() + " nanos=" + nanos);
        }
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        System.exit(0);
    }
}
