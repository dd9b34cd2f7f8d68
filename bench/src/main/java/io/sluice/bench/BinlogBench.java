package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.testkit.MariaDbServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The binlog benchmark (not a test): loads row changes into a private MariaDB and measures, on the same binlog,
 * (a) the raw binlog library counting rows, (b) {@code sluice run} with the file sink end to end as its own JVM,
 * (c) end-to-end latency at a steady commit rate and (d) one huge transaction into a Sluice JVM with a small heap;
 * and the same into a local Kafka broker with exactly-once on: (k) throughput on b's binlog, (l) latency at a
 * steady rate as a read_committed consumer sees it, (m) d's huge transaction.
 * See BENCHMARKS.md; run it with {@code bench/run.sh}.
 */
public final class BinlogBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "bench";

    private long rows = 1_000_000;
    private int chunk = 100;
    private String parts = "abcd";
    private int latencySeconds = 30;
    private int latencyRate = 1000;
    private int latencyWarmup = 5000;
    private long bigRows = -1;
    private long snapshotRows = 5_000_000;
    /** The {@code source.start} YAML of the next Sluice run, when not the given position. */
    private String startYaml;
    /** Top-level YAML lines added to the next Sluice run's config (a part s variant), or null. */
    private String extraYaml;
    /** Part s variants run after the default one: label=YAML lines separated by ';' (see --help). */
    private final List<String> snapshotVariants = new ArrayList<>();
    /** Part s: how many times s (and the baseline, if any) runs, each between two plain reads. */
    private int snapshotRounds = 1;
    /** Part b: how many times b runs; with --baseline-cp each round runs the baseline build (b0) first. */
    private int streamRounds = 1;
    /** Class path of another Sluice build for one more part s run (a before/after in one run), or null. */
    private String baselineCp;
    /** The class data sharing archive the --baseline-cp build's own ./sluice made, or null. */
    private String baselineCds;

    /** Rounds of the throughput parts (a, a', x, z, b and the b variants, in that order in each round). */
    private int rounds = 1;
    /** bench/peers, built (bench/run.sh --peers): parts x (Maxwell) and z (Debezium embedded) run from there. */
    private Path peers;
    /** More part-a lines: the raw library with these compatibility modes (comma-separated names). */
    private final List<String> rawVariants = new ArrayList<>();
    /** More part-b lines: label|cpus for taskset (empty: all)|JVM options (empty: --sluice-opts). */
    private final List<String> streamVariants = new ArrayList<>();
    /** A rule file for one more b line per round: the same run through these rules (issue 15), or null. */
    private Path bRules;
    /** A command the next Sluice JVM is started under (taskset -c 0), or empty. */
    private List<String> launchPrefix = List.of();
    /** More part-k lines (with --rounds): label|cpus for taskset (empty: all)|JVM options (empty: --sluice-opts). */
    private final List<String> kafkaVariants = new ArrayList<>();
    /** --compare-cp: another build run as b0 and k0 in the throughput rounds (and its CDS archive), or null. */
    private String compareCp;

    private String compareCds;
    /** Part k ran in the throughput rounds (with --rounds), and the median of its rates there. */
    private boolean kafkaInRounds;

    private double kafkaRoundsRate = Double.NaN;
    /** The workload's range, for runs started from the rounds. */
    private BinlogPosition currentStart;

    private BinlogPosition currentEnd;

    private String bigXmx = "512m";
    private boolean profile;
    private boolean latencyNoFsync = true;
    private Path work = Path.of("bench/target/bench-run");
    private String sluiceCp = "sluice-app/target/sluice-app.jar:sluice-app/target/lib/*";
    private List<String> sluiceOpts = new ArrayList<>();
    /** The class data sharing archive of the --sluice-cp build (the one ./sluice makes), or null: not for --baseline-cp. */
    private String sluiceCds;

    private Duration timeout = Duration.ofMinutes(20);
    private int kafkaLatencyRate = 2000;
    private int kafkaBatchEvents;
    private java.util.Map<String, String> kafkaBatch = new java.util.LinkedHashMap<>();
    private java.util.Map<String, String> kafkaProps = new java.util.LinkedHashMap<>();
    private java.util.Map<String, String> brokerProps = new java.util.LinkedHashMap<>();
    private KafkaSide kafka;

    /** Where a measured Sluice writes. */
    private enum Into {
        FILE,
        FILE_NOFSYNC,
        FILE_BUFFERED,
        KAFKA,
        /** The JDBC sink into a private PostgreSQL (part p). */
        POSTGRESQL,
        /** The same with {@code sink.batch-form: unnest} (part u). */
        POSTGRESQL_UNNEST,
        /** The JDBC sink into a second private MariaDB (part q). */
        MARIADB
    }

    private MariaDbServer db;
    /** The JDBC sink's targets (parts p, q), started on first use. */
    private final JdbcTargets jdbc = new JdbcTargets();
    /** The names (directories) of the runs into a JDBC target. */
    private final java.util.Set<String> jdbcRuns = new java.util.HashSet<>();

    private final List<String[]> table = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int serverIds = 7000;
    /** Part n: the packaged connector's plugin directory (sluice-connect/target/plugin). */
    private Path connectPlugins;
    /** Part n's progress through GET /connectors/n/offsets (the old way) instead of Connect's offsets topic. */
    private boolean connectProgressRest;

    public static void main(String[] args) throws Exception {
        BinlogBench b = new BinlogBench();
        b.parse(args);
        b.run();
        System.exit(0);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--chunk" -> chunk = Integer.parseInt(args[++i]);
                case "--parts" -> parts = args[++i];
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--latency-rate" -> latencyRate = Integer.parseInt(args[++i]);
                case "--big-rows" -> bigRows = Long.parseLong(args[++i].replace("_", ""));
                case "--big-xmx" -> bigXmx = args[++i];
                case "--snapshot-rows" -> snapshotRows = Long.parseLong(args[++i].replace("_", ""));
                case "--snapshot-variant" -> snapshotVariants.add(args[++i]);
                case "--snapshot-rounds" -> snapshotRounds = Integer.parseInt(args[++i]);
                case "--b-rounds" -> streamRounds = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--peers" -> peers = Path.of(args[++i]);
                case "--connect-plugins" -> connectPlugins = Path.of(args[++i]);
                case "--connect-progress" -> connectProgressRest = args[++i].equals("rest");
                case "--raw-variant" -> rawVariants.add(args[++i]);
                case "--b-variant" -> streamVariants.add(args[++i]);
                case "--b-rules" -> bRules = Path.of(args[++i]).toAbsolutePath();
                case "--baseline-cp" -> baselineCp = args[++i];
                case "--compare-cp" -> compareCp = args[++i];
                case "--compare-cds" -> compareCds = args[++i];
                case "--k-variant" -> kafkaVariants.add(args[++i]);
                case "--baseline-cds" -> baselineCds = args[++i];
                case "--profile" -> profile = true;
                case "--no-latency-nofsync" -> latencyNoFsync = false;
                case "--work" -> work = Path.of(args[++i]);
                case "--sluice-cp" -> sluiceCp = args[++i];
                case "--sluice-opts" ->
                    sluiceOpts = Arrays.stream(args[++i].split(" "))
                            .filter(s -> !s.isBlank())
                            .toList();
                case "--sluice-cds" -> sluiceCds = args[++i];
                case "--timeout-min" -> timeout = Duration.ofMinutes(Long.parseLong(args[++i]));
                case "--kafka-latency-rate" -> kafkaLatencyRate = Integer.parseInt(args[++i]);
                case "--kafka-batch-events" -> kafkaBatchEvents = Integer.parseInt(args[++i]);
                case "--kafka-batch" -> kafkaBatch.putAll(keyValues(args[++i]));
                case "--kafka-props" -> kafkaProps.putAll(keyValues(args[++i]));
                case "--broker-props" -> brokerProps.putAll(keyValues(args[++i]));
                case "-h", "--help" -> {
                    System.out.println("""
                            BinlogBench [--rows N] [--parts abcd] [--chunk 100] [--latency-seconds 30]
                                        [--latency-rate 1000] [--big-rows N] [--big-xmx 512m] [--profile]
                                        [--work DIR] [--sluice-cp CP] [--sluice-opts "JVM OPTS"] [--timeout-min 20]
                                        [--sluice-cds ARCHIVE (class data sharing, as ./sluice; not for the baseline)]
                                        [--kafka-latency-rate 2000] [--kafka-props "linger.ms=5,…"] [--broker-props "k=v,…"]
                                        [--kafka-batch-events N (batch.max-events of k, l, m)]
                                        [--kafka-batch "max-events=N,max-bytes=64MiB,max-ms=200" (batch.* of k, l, m)]
                              a: raw binlog library at its fastest configuration (byte arrays, longs), then a' with its
                                 default deserializers   b: sluice run end to end   (all read the same binlog)
                              x: Maxwell, z: Debezium embedded, reading the same binlog into a JSON file (need
                                 --peers DIR: bench/peers, built; bench/run.sh --peers does both)
                              --rounds N: a, a', x, z, b and the b variants run N times, interleaved, and the
                                 summary gives the medians (rows/s, cpu s per million rows, peak RSS)
                              --raw-variant MODES: one more raw library line with these CompatibilityMode names
                              --b-rules FILE: one more b line per round, the pipeline naming this rule file (with
                                 --baseline-cp, also on that build: b0 rules, the rules' cost before and after)
                              --b-variant 'label|CPUS|JVM OPTS': one more b line per round, under taskset -c CPUS
                                 (empty: all CPUs) with these JVM options (empty: --sluice-opts)
                              c: latency at a steady commit rate (then again with sink.fsync=false unless
                                 --no-latency-nofsync)   d: one big transaction, sluice at -Xmx<big-xmx>
                              k: as b into a local Kafka broker (exactly once)   l: latency into Kafka at
                                 --kafka-latency-rate single-row commits/s, read by a read_committed consumer
                              m: as d into Kafka (split by sink.max-transaction-events)
                              n: as k through the Kafka Connect connector (one distributed worker in its own
                                 JVM, exactly.once.source.support=enabled, transaction.boundary=connector), on
                                 the same binlog and broker as k; --connect-plugins DIR: the packaged plugin
                                 (sluice-connect/target/plugin; bench/run.sh passes it); progress read from
                                 Connect's offsets topic (--connect-progress rest: GET .../offsets every 50 ms, as
                                 before session 11: costs the worker ~40 CPU s per M rows)
                              o: as n with transaction.boundary=poll (weaker: a Kafka transaction per poll)
                              p: as b into a private PostgreSQL (sink.type: jdbc, exactly once, upserts;
                                 sink.batch-form: values)
                              u: as p with sink.batch-form: unnest (UNNEST arrays; auto's choice for PostgreSQL)
                              q: as b into a second private MariaDB (sink.type: jdbc)
                              j: latency into PostgreSQL (jdbc) at --latency-rate single-row commits/s, a row
                                 visible when a query of the target (every ms) finds it
                              --kafka-props: producer properties for k, l, m (sink.properties)
                              s: snapshot of a --snapshot-rows (5,000,000) row sysbench-like table into the file
                                 sink (start: snapshot), against a plain JDBC SELECT * of it (r) as the ceiling
                              --snapshot-variant 'label=snapshot: {chunk-size: 65536};batch: {max-events: 50000}':
                                 one more s run with these top-level YAML lines (';' separates lines; the label
                                 nofsync... sets sink.fsync: false, buffered... sink.direct-io: false, durable... runs it with sync_binlog = 1 and
                                 innodb_flush_log_at_trx_commit = 1 on the server); repeatable. With --profile, s runs once more
                                 with JFR (<work>/s-profile/sluice.jfr)
                              --snapshot-rounds N: s runs N times, each between two plain reads (r1 s r2 s r3 ...),
                                 and each is rated against the faster of the reads on either side of it; the median
                                 of those ratios is the verdict (default 1)
                              --baseline-cp CP: part s with another Sluice build's class path before (s0) and
                                 after (s0') the others, and part b with it before each b round (b0); --baseline-cds
                                 FILE: the archive that build's ./sluice made (sluice-app/target/sluice.jsa), so
                                 that both start alike
                              --compare-cp CP: with --rounds, another Sluice build's class path run as b0 (file sink) and,
                                 with part k, k0 (Kafka) in the same rounds (k runs in the rounds too): k/b, k0/b0, b/b0,
                                 k/k0 from medians; --compare-cds FILE: that build's class data sharing archive
                              --k-variant 'label|CPUS|JVM OPTS': with --rounds and part k, one more k line per round
                                 (as --b-variant, into Kafka)
                              --b-rounds N: part b runs N times (each after a b0 run with --baseline-cp); the
                                 median of the b/b0 ratios is the verdict (default 1)
                              --profile: one more (b) run with JFR, written to <work>/b-profile/sluice.jfr; with
                                 --b-rules also a rules run with JFR (<work>/b-rules-profile/sluice.jfr)""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (bigRows < 0) {
            bigRows = rows;
        }
        if ((parts.contains("x") || parts.contains("z")) && peers == null) {
            throw new IllegalArgumentException("parts x and z (Maxwell, Debezium) need the peers built: run"
                    + " bench/run.sh --peers (or pass --peers bench/peers after mvn -f bench/peers/pom.xml package)");
        }
    }

    /** {@code k=v,k=v} as a map, in order. */
    private static java.util.Map<String, String> keyValues(String list) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : list.split(",")) {
            if (!kv.isBlank()) {
                m.put(kv.substring(0, kv.indexOf('=')).strip(), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return m;
    }

    private void run() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        notes.add("load average at start: " + loadAvg());
        notes.add("disk: " + fsyncLatency(work));
        log("starting a private MariaDB");
        db = MariaDbServer.builder()
                .option("innodb-buffer-pool-size", "256M")
                .option("innodb-log-file-size", "256M")
                .option("innodb-log-buffer-size", "16M")
                .option("max-binlog-size", "1G")
                .startTimeout(Duration.ofSeconds(120))
                .start();
        try {
            db.execute("CREATE DATABASE " + DB);
            if (parts.matches(".*[klmn].*")) {
                log("starting a local Kafka broker");
                kafka = new KafkaSide(brokerProps);
                notes.add("Kafka: one local KRaft broker (kafka "
                        + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                        + ", its own JVM: -Xmx512m, SerialGC, C1), log.flush.interval.messages default"
                        + " (no fsync per message); producer transactional, acks=all, idempotent"
                        + (kafkaProps.isEmpty() ? "" : "; sink.properties " + kafkaProps)
                        + (brokerProps.isEmpty() ? "" : "; broker settings " + brokerProps));
            }
            notes.add("MariaDB " + query("SELECT VERSION()") + ", binlog_format=ROW, binlog_row_image=FULL,"
                    + " sync_binlog=0, innodb_flush_log_at_trx_commit=2");
            if (parts.matches(".*[abknxzpqu].*")) {
                part("a/b", this::throughput);
            }
            if (parts.contains("c")) {
                part("c", this::latency);
            }
            if (parts.contains("l")) {
                part("l", () -> latency("l", "lat_k", Into.KAFKA, kafkaLatencyRate));
            }
            if (parts.contains("j")) {
                part("j", () -> latency("j", "lat_j", Into.POSTGRESQL, latencyRate));
            }
            if (parts.contains("d") || parts.contains("m")) {
                part("d", this::bigTransaction);
            }
            if (parts.contains("s")) {
                part("s", this::snapshot);
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            jdbc.close();
            db.close();
        }
        notes.add("load average at end: " + loadAvg());
        printResults();
    }

    /** Median and p99 of 100 fsyncs of a 4 KiB write in {@code dir}: a floor for any durable sink's latency. */
    private static String fsyncLatency(Path dir) throws IOException {
        Path f = dir.resolve("fsync-probe");
        long[] t = new long[100];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                f, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
            for (int i = 0; i < t.length; i++) {
                buf.clear();
                long t0 = System.nanoTime();
                ch.write(buf);
                ch.force(true);
                t[i] = System.nanoTime() - t0;
            }
        } finally {
            Files.deleteIfExists(f);
        }
        Arrays.sort(t);
        return String.format(
                Locale.ROOT,
                "append 4 KiB + fsync in the work directory: median %.1f ms, p99 %.1f ms",
                pct(t, 0.5),
                pct(t, 0.99));
    }

    private interface Part {
        void run() throws Exception;
    }

    /** Runs a part; a failure is reported in the results instead of losing the other parts' figures. */
    private void part(String name, Part p) {
        try {
            p.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            table.add(new String[] {name, "", "", "", "", "", "FAILED: " + e});
        }
    }

    private static String loadAvg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    // ----------------------------------------------------------------------------------------------------- a, b

    private void throughput() throws Exception {
        db.execute(Workload.createTables(DB + ".sbtest", DB + ".mixed"));
        BinlogPosition start = masterStatus();
        log("loading " + rows + " row changes in " + chunk + "-row transactions from " + start);
        Workload w = new Workload(DB + ".sbtest", DB + ".mixed");
        long t0 = System.nanoTime();
        try (Connection c = connect()) {
            w.run(c, rows, chunk, false);
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        BinlogPosition end = masterStatus();
        log(String.format(
                Locale.ROOT,
                "loaded in %.1f s to %s (%d inserts, %d updates, %d deletes, %d transactions)",
                loadS,
                end,
                w.inserts,
                w.updates,
                w.deletes,
                w.transactions));
        notes.add(String.format(
                Locale.ROOT,
                "workload: %d row changes (%d inserts, %d updates, %d deletes) in %d"
                        + " transactions, binlog %s..%s (%s), loaded in %.1f s",
                rows,
                w.inserts,
                w.updates,
                w.deletes,
                w.transactions,
                start,
                end,
                binlogSize(start, end),
                loadS));
        double rawRate = Double.NaN;
        double fileRate = Double.NaN;
        boolean oldB = streamRounds > 1 || baselineCp != null;
        if (rounds > 1 || peers != null || !streamVariants.isEmpty() || !rawVariants.isEmpty() || bRules != null) {
            kafkaInRounds = parts.contains("k") && !oldB;
            double[] ab = contenderRounds(start, end, !oldB);
            rawRate = ab[0];
            fileRate = ab[1];
            if (oldB && parts.contains("b")) {
                fileRate = streamRounds(start, end, rawRate);
            }
        } else {
            if (parts.contains("a")) {
                rawRate = raw("a  raw library, fastest (" + chunk + "-row txns)", start, end, rows, "fastest");
                raw("a' raw library, default deserializers", start, end, rows, "default");
            }
            if (parts.contains("b")) {
                fileRate = oldB
                        ? streamRounds(start, end, rawRate)
                        : measured("b", "sluice run", Into.FILE, start, end, rawRate, "b/a", "target >= 60%: ");
            }
        }
        if (parts.contains("p")) {
            measured(
                    "p",
                    "sluice run -> PostgreSQL (jdbc, batch-form: values)",
                    Into.POSTGRESQL,
                    start,
                    end,
                    fileRate,
                    "p/b",
                    "issue 16's goal >= 50,000 rows/s; ratio to the file sink: ");
        }
        if (parts.contains("u")) {
            measured(
                    "u",
                    "sluice run -> PostgreSQL (jdbc, batch-form: unnest)",
                    Into.POSTGRESQL_UNNEST,
                    start,
                    end,
                    fileRate,
                    "u/b",
                    "UNNEST arrays; ratio to the file sink: ");
        }
        if (parts.contains("q")) {
            measured(
                    "q",
                    "sluice run -> MariaDB (jdbc)",
                    Into.MARIADB,
                    start,
                    end,
                    fileRate,
                    "q/b",
                    "ratio to the file sink: ");
        }
        double kafkaRate = kafkaRoundsRate;
        if (parts.contains("k") && !kafkaInRounds) {
            kafkaRate = measured(
                    "k",
                    "sluice run -> Kafka",
                    Into.KAFKA,
                    start,
                    end,
                    fileRate,
                    "k/b",
                    "target >= 60% of the file sink: ");
        }
        if (parts.contains("n")) {
            double base = kafkaRate;
            part("n", () -> connector(start, end, base, "connector"));
        }
        if (parts.contains("o")) {
            double base = kafkaRate;
            part("o", () -> connector(start, end, base, "poll"));
        }
    }

    /**
     * Part n: the connector on one distributed Connect worker (its own JVM, started before the clock runs) reads the
     * same binlog into the same broker as k; timed from the connector's creation until its committed offset (the
     * Connect offsets topic, through the worker's REST API) reaches {@code end}, then every event counted
     * read_committed. The worker's CPU and peak RSS are its whole JVM's (the Connect runtime included).
     */
    private void connector(BinlogPosition start, BinlogPosition end, double kafkaRate, String boundary)
            throws Exception {
        Path plugins = connectPlugins != null ? connectPlugins : Path.of("sluice-connect", "target", "plugin");
        if (!Files.isDirectory(plugins.resolve("sluice-connect"))) {
            throw new IllegalStateException("part n needs the packaged connector in " + plugins.toAbsolutePath()
                    + ": build it (mvn -DskipTests package -pl sluice-connect -am) or pass --connect-plugins DIR");
        }
        boolean poll = boundary.equals("poll");
        String label = (poll ? "o" : "n") + "  connector -> Kafka (" + chunk + "-row txns, boundary " + boundary + ")";
        String name = poll ? "bo" : "bn";
        log("(" + label + ") starting a Connect worker");
        try (io.sluice.testkit.ConnectWorker worker = io.sluice.testkit.ConnectWorker.start(
                kafka.bootstrap(), "bench-connect", plugins, java.util.Map.of())) {
            long pid = worker.pid(); // this worker's JVM (one left over from a failed start must not be measured)
            java.util.Map<String, String> c = io.sluice.testkit.ConnectWorker.sluiceConnector(
                    db, serverIds++, "[\"bench.*\"]", kafka.bootstrap());
            c.put("source.start", "{\"file\": \"" + start.file() + "\", \"pos\": " + start.pos() + "}");
            c.put("source.tls", "disabled");
            c.put("state.topic", name + "-connect-state"); // outside the prefix: not counted as events
            c.put("transaction.boundary", boundary);
            kafkaProps.forEach((k, v) -> c.put("producer.override." + k, v));
            double cpu0 = ProcStats.of(pid).cpuSeconds();
            double brokerCpu0 = ProcStats.descendantCpu("KafkaBrokerMain");
            long t0 = System.nanoTime();
            io.sluice.testkit.ConnectWorker.Response created =
                    worker.rest("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(c));
            if (created.status() / 100 != 2) {
                throw new IllegalStateException("creating the connector failed: " + created.body());
            }
            long deadline = t0 + timeout.toNanos();
            BinlogPosition at = null;
            String failure = null;
            long statusAt = 0;
            // the committed offsets followed in Connect's offsets topic, not through GET .../offsets: each such call
            // builds an offset store in the worker that reads the whole topic (on the worker's pool-1 thread), which
            // polled every 50 ms was a third of the worker's CPU (BENCHMARKS.md)
            try (KafkaSide.OffsetsWatcher offsets =
                    connectProgressRest ? null : kafka.new OffsetsWatcher("bench-connect-offsets", name)) {
                while (at == null || at.compareTo(end) < 0) {
                    if (System.nanoTime() > deadline) {
                        failure = "timeout after " + timeout.toMinutes() + " min at offset " + at;
                        break;
                    }
                    if (connectProgressRest || System.nanoTime() - statusAt > 1_000_000_000L) {
                        statusAt = System.nanoTime();
                        String status = worker.rest("GET", "/connectors/" + name + "/status", null)
                                .body();
                        if (status.contains("\"FAILED\"")) {
                            failure = "the task failed: " + status;
                            break;
                        }
                    }
                    if (connectProgressRest) {
                        at = connectorPosition(worker.rest("GET", "/connectors/" + name + "/offsets", null)
                                .body());
                        Thread.sleep(50); // the REST call's own cost bounds the resolution
                    } else {
                        at = offsets.position(); // waits up to 20 ms for records
                    }
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            ProcStats ps = ProcStats.of(pid);
            ps = new ProcStats(ps.cpuSeconds() - cpu0, ps.peakRssKiB());
            notes.add(String.format(
                    Locale.ROOT,
                    "%s: Kafka broker CPU meanwhile %.1f s; the worker's busiest threads %s",
                    label.strip(),
                    ProcStats.descendantCpu("KafkaBrokerMain") - brokerCpu0,
                    ProcStats.busiestThreads(pid, 6)));
            worker.rest("DELETE", "/connectors/" + name, null);
            if (failure != null) {
                log("(" + label + ") FAILED: " + failure);
                table.add(
                        row(label, rows, Double.NaN, ps, "FAILED: " + failure + " (worker log " + worker.log() + ")"));
                return;
            }
            long[] counted = kafka.countEvents(name);
            String note = counted[0] == rows && counted[1] == rows
                    ? "events in Kafka (read_committed) = distinct ids = rows; worker JVM's CPU, RSS incl. Connect"
                    : "EVENTS IN KAFKA " + counted[0] + " (" + counted[1] + " distinct ids) != " + rows;
            log("(" + label + ") done in " + fmt(wall) + " s, load " + loadAvg());
            table.add(row(label, rows, wall, ps, note));
            if (!Double.isNaN(kafkaRate)) {
                table.add(new String[] {
                    poll ? "o/k" : "n/k",
                    "",
                    "",
                    String.format(Locale.ROOT, "%.1f%%", 100 * rows / wall / kafkaRate),
                    "",
                    "",
                    ""
                });
            }
        }
    }

    /** The binlog position of a connector's committed offset (GET /connectors/n/offsets), or null before one. */
    private static BinlogPosition connectorPosition(String offsetsJson) throws IOException {
        for (com.fasterxml.jackson.databind.JsonNode o :
                JSON.readTree(offsetsJson).path("offsets")) {
            String cp = o.path("offset").path("checkpoint").asText(null);
            if (cp != null) {
                com.fasterxml.jackson.databind.JsonNode p = JSON.readTree(cp).path("position");
                if (p.has("file")) {
                    return new BinlogPosition(
                            p.get("file").asText(), p.get("pos").asLong(), null);
                }
            }
        }
        return null;
    }

    /** One measured run of a contender: rows, wall seconds, CPU seconds, peak RSS (KiB); NaN or -1 if it failed. */
    private record Measure(long rows, double wall, double cpu, long rssKiB) {
        double rate() {
            return rows / wall;
        }

        double cpuPerMillion() {
            return cpu / rows * 1e6;
        }
    }

    /** A contender of the throughput rounds: its label and how to run it once (it adds its row to the table). */
    private record Contender(String key, String label, Part run) {}

    /**
     * Parts a, a', the raw variants, x, z, b and the b variants, {@code rounds} times over the same binlog, each round
     * in that order (so that all see the machine alike), each run's load average noted; then one summary line per
     * contender with the medians, and the ratios of b to the others. Returns {median a, median b}.
     */
    private double[] contenderRounds(BinlogPosition start, BinlogPosition end, boolean withB) throws Exception {
        currentStart = start;
        currentEnd = end;
        List<Contender> all = new ArrayList<>();
        if (parts.contains("a")) {
            all.add(new Contender(
                    "a", "a  raw library, fastest", () -> raw("a  raw library, fastest", start, end, rows, "fastest")));
            all.add(new Contender(
                    "a'",
                    "a' raw library, default deserializers",
                    () -> raw("a' raw library, default deserializers", start, end, rows, "default")));
            for (String modes : rawVariants) {
                all.add(new Contender(
                        "a:" + modes,
                        "a  raw library, " + modes,
                        () -> raw("a  raw " + modes, start, end, rows, modes)));
            }
        }
        if (parts.contains("x")) {
            all.add(new Contender("x", "x  Maxwell", () -> maxwell(start)));
        }
        if (parts.contains("z")) {
            all.add(new Contender("z", "z  Debezium embedded", () -> debezium(start)));
        }
        if (parts.contains("b") && withB) {
            all.add(new Contender(
                    "b", "b  sluice run", () -> sluice("b  sluice run", "b", start, end, rows, sluiceOpts, Into.FILE)));
        }
        if (parts.contains("b")) {
            if (bRules != null) {
                all.add(new Contender("b:rules", "b  rules " + bRules.getFileName(), () -> {
                    extraYaml = "rules: " + bRules + "\n";
                    try {
                        if (profile) {
                            // before the measured run: its line is the one the round's median takes
                            List<String> opts = new ArrayList<>(sluiceOpts);
                            Path jfr = work.resolve("b-rules-profile").toAbsolutePath();
                            opts.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                                    + jfr.resolve("sluice.jfr"));
                            sluice(
                                    "b' rules with JFR (profiling)",
                                    "b-rules-profile",
                                    start,
                                    end,
                                    rows,
                                    opts,
                                    Into.FILE);
                        }
                        sluice("b  rules " + bRules.getFileName(), "b-rules", start, end, rows, sluiceOpts, Into.FILE);
                    } finally {
                        extraYaml = null;
                    }
                }));
                if (baselineCp != null) {
                    // the same rule set on the --baseline-cp build: the rules' cost before and after in one run
                    all.add(new Contender("b0:rules", "b0 rules, baseline build", () -> {
                        extraYaml = "rules: " + bRules + "\n";
                        try {
                            baselineRun(
                                    "b0 rules " + bRules.getFileName() + ", baseline build",
                                    "b0-rules",
                                    start,
                                    end,
                                    rows);
                        } finally {
                            extraYaml = null;
                        }
                    }));
                }
            }
            if (compareCp != null) {
                all.add(new Contender("b0", "b0 sluice run, compared build", () -> compareRun("b0", Into.FILE)));
            }
            for (String v : streamVariants) {
                all.add(variant(v, "b", Into.FILE, start, end));
            }
        }
        if (parts.contains("k") && withB) {
            // into Kafka in the same rounds as b, so that k/b is a ratio of medians measured alike (issue 19)
            all.add(new Contender(
                    "k",
                    "k  sluice run -> Kafka",
                    () -> sluice("k  sluice run -> Kafka", "k", start, end, rows, sluiceOpts, Into.KAFKA)));
            if (compareCp != null) {
                all.add(new Contender(
                        "k0", "k0 sluice run -> Kafka, compared build", () -> compareRun("k0", Into.KAFKA)));
            }
            for (String v : kafkaVariants) {
                all.add(variant(v, "k", Into.KAFKA, start, end));
            }
        }
        java.util.Map<String, List<Measure>> seen = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            notes.add("round " + round + " of the throughput parts: load average at its start " + loadAvg());
            for (Contender c : all) {
                String load = loadAvg().split(" ")[0];
                int before = table.size();
                part(c.label(), c.run());
                String[] r = table.get(table.size() - 1);
                if (table.size() > before) {
                    r[0] = r[0] + (rounds > 1 ? ", round " + round : "");
                    r[6] = r[6] + "; load " + load + " -> " + loadAvg().split(" ")[0];
                }
                seen.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(measureOf(r));
            }
        }
        java.util.Map<String, Measure> med = new java.util.LinkedHashMap<>();
        for (Contender c : all) {
            List<Measure> ms = seen.get(c.key());
            List<Measure> ok = ms.stream().filter(m -> !Double.isNaN(m.wall())).toList();
            if (ok.isEmpty()) {
                continue;
            }
            Measure m = new Measure(
                    ok.get(0).rows(),
                    median(ok.stream().map(Measure::wall).toList()),
                    median(ok.stream().map(Measure::cpu).toList()),
                    (long) median(ok.stream().map(x -> (double) x.rssKiB()).toList()));
            med.put(c.key(), m);
            table.add(new String[] {
                c.label() + ": median of " + ok.size(),
                String.valueOf(m.rows()),
                fmt(m.wall()),
                String.format(Locale.ROOT, "%,.0f rows/s", m.rate()),
                cpu(m.cpu()),
                fmt(m.rssKiB() / 1024.0),
                String.format(
                        Locale.ROOT,
                        "%.1f cpu s per million rows; rounds: %s rows/s",
                        m.cpuPerMillion(),
                        ms.stream()
                                .map(x -> Double.isNaN(x.wall())
                                        ? "failed"
                                        : String.format(Locale.ROOT, "%,.0f", x.rate()))
                                .collect(java.util.stream.Collectors.joining(", ")))
            });
        }
        Measure b = med.get("b");
        if (b != null) {
            for (String[] ratio : new String[][] {
                {"a", "b/a (fastest library)", "target >= 60%"},
                {"a'", "b/a' (library, default deserializers)", ""},
                {"x", "b/x (Maxwell)", "target >= 200%"},
                {"z", "b/z (Debezium)", ""}
            }) {
                Measure o = med.get(ratio[0]);
                if (o != null) {
                    double q = b.rate() / o.rate();
                    double need =
                            ratio[2].isEmpty() ? Double.NaN : Double.parseDouble(ratio[2].replaceAll("[^0-9]", ""));
                    table.add(new String[] {
                        ratio[1] + ", medians",
                        "",
                        "",
                        String.format(Locale.ROOT, "%.1f%%", 100 * q),
                        "",
                        "",
                        ratio[2].isEmpty()
                                ? ""
                                : ratio[2] + ": " + (100 * q >= need ? "met" : "NOT met") + " in this run"
                                        + loadCaveat()
                    });
                }
            }
            for (String v : streamVariants) {
                Measure o = med.get("b:" + v.split("\\|", -1)[0]);
                if (o != null) {
                    table.add(new String[] {
                        v.split("\\|", -1)[0] + " / b, medians",
                        "",
                        "",
                        String.format(Locale.ROOT, "%.1f%%", 100 * o.rate() / b.rate()),
                        "",
                        "",
                        String.format(
                                Locale.ROOT,
                                "cpu s per million rows %.1f vs b's %.1f",
                                o.cpuPerMillion(),
                                b.cpuPerMillion())
                    });
                }
            }
        }
        List<String[]> ratios = new ArrayList<>(List.of(
                new String[] {"k", "b", "k/b (Kafka / file sink)", "target >= 60%"},
                new String[] {"k0", "b0", "k0/b0 (compared build)", ""},
                new String[] {"b", "b0", "b/b0 (this build / compared)", ""},
                new String[] {"k", "k0", "k/k0 (this build / compared)", ""}));
        for (String v : kafkaVariants) {
            String label = v.split("\\|", -1)[0];
            ratios.add(new String[] {"k:" + label, "k", label + " / k (into Kafka)", ""});
        }
        for (String[] ratio : ratios) {
            Measure x = med.get(ratio[0]);
            Measure y = med.get(ratio[1]);
            if (x != null && y != null) {
                double q = x.rate() / y.rate();
                ratioRow(
                        ratio[2],
                        q,
                        (ratio[3].isEmpty() ? "" : ratio[3] + ": " + (q >= 0.6 ? "met" : "NOT met") + " in this run; ")
                                + String.format(
                                        Locale.ROOT,
                                        "cpu s per million rows %.1f vs %.1f",
                                        x.cpuPerMillion(),
                                        y.cpuPerMillion()));
            }
        }
        Measure ruled = med.get("b:rules");
        if (b != null && ruled != null) {
            double q = ruled.rate() / b.rate();
            table.add(new String[] {
                "rules / b, medians",
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * q),
                "",
                "",
                "target >= 75%: " + (q >= 0.75 ? "met" : "NOT met") + " in this run" + loadCaveat()
                        + String.format(
                                Locale.ROOT,
                                "; cpu s per million rows %.1f vs b's %.1f",
                                ruled.cpuPerMillion(),
                                b.cpuPerMillion())
            });
        }
        if (profile && withB && parts.contains("b")) {
            List<String> opts = new ArrayList<>(sluiceOpts);
            opts.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                    + work.resolve("b-profile").toAbsolutePath().resolve("sluice.jfr"));
            part(
                    "b'",
                    () -> sluice("b' sluice run with JFR (profiling)", "b-profile", start, end, rows, opts, Into.FILE));
        }
        Measure k = med.get("k");
        kafkaRoundsRate = k == null ? Double.NaN : k.rate();
        Measure a = med.get("a");
        return new double[] {a == null ? Double.NaN : a.rate(), b == null ? Double.NaN : b.rate()};
    }

    /** A warning that a verdict needs a quiet machine, when the 1-minute load average is above 1; else empty. */
    private static String loadCaveat() {
        String load = loadAvg().split(" ")[0];
        try {
            return Double.parseDouble(load) > 1 ? " (load " + load + ": no verdict, repeat on a quiet machine)" : "";
        } catch (NumberFormatException e) {
            return " (load unknown: no verdict)";
        }
    }

    /** The measure in a table row that {@link #row} made (NaN where it failed). */
    private static Measure measureOf(String[] r) {
        try {
            double wall = r[2].equals("-") || r[2].isEmpty() ? Double.NaN : Double.parseDouble(r[2]);
            double cpu = r[4].equals("-") || r[4].isEmpty() ? Double.NaN : Double.parseDouble(r[4]);
            long rss = r[5].equals("-") || r[5].isEmpty() ? -1 : (long) (Double.parseDouble(r[5]) * 1024);
            return new Measure(Long.parseLong(r[1]), r[6].startsWith("FAILED") ? Double.NaN : wall, cpu, rss);
        } catch (RuntimeException e) {
            return new Measure(0, Double.NaN, Double.NaN, -1);
        }
    }

    /** Part x: Maxwell (bench/peers/maxwell) from the workload's start into a JSON file; adds its row. */
    private void maxwell(BinlogPosition start) throws Exception {
        String schemaDb = "maxwell_" + serverIds;
        peer("x  Maxwell", "x", "maxwell", start.file(), String.valueOf(start.pos()), schemaDb);
        db.execute("DROP DATABASE IF EXISTS " + schemaDb);
    }

    /** Part z: Debezium embedded (bench/peers/debezium) from the workload's start into a JSON file; adds its row. */
    private void debezium(BinlogPosition start) throws Exception {
        String gtids = query("SELECT BINLOG_GTID_POS('" + start.file() + "', " + start.pos() + ")");
        peer("z  Debezium embedded", "z", "debezium", start.file(), String.valueOf(start.pos()), gtids);
    }

    /**
     * Runs the peer {@code bench/peers/<peer>} in its own JVM (main class {@code io.sluice.bench.peers.<peer>.
     * <Peer>Peer}, arguments: host port user password serverId expectedRows outputFile, then {@code more}) until
     * its DONE line; adds its row (with the lines it wrote) and deletes its output.
     */
    private void peer(String label, String name, String peer, String... more) throws Exception {
        Path dir = work.resolve(name).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path out = dir.resolve("out.json");
        List<String> cmd = new ArrayList<>(List.of(
                javaBin(),
                "-cp",
                peers.resolve(peer + "/target/classes") + ":" + peers.resolve(peer + "/target/lib/*"),
                "io.sluice.bench.peers." + peer + "." + Character.toUpperCase(peer.charAt(0)) + peer.substring(1)
                        + "Peer",
                db.host(),
                String.valueOf(db.port()),
                "root",
                "",
                String.valueOf(serverIds++),
                String.valueOf(rows),
                out.toString()));
        cmd.addAll(List.of(more));
        log("(" + label + ") starting");
        Child c = child(cmd);
        Files.writeString(out.resolveSibling("peer.log"), c.output);
        log("(" + label + ") " + c.done + " load " + loadAvg());
        if (c.done == null || !c.done.startsWith("DONE")) {
            String tail = c.output
                    .lines()
                    .skip(Math.max(0, c.output.lines().count() - 30))
                    .collect(java.util.stream.Collectors.joining("\n"));
            notes.add(label + " failed; its last output lines:\n" + tail);
            table.add(row(label, rows, Double.NaN, c.ps, "FAILED: " + (c.done == null ? "no DONE line" : c.done)));
            return;
        }
        long got = Long.parseLong(c.done.replaceAll(".*rows=(\\d+).*", "$1"));
        double inner = Long.parseLong(c.done.replaceAll(".*nanos=(\\d+).*", "$1")) / 1e9;
        long lines;
        try (Stream<String> l = Files.lines(out)) {
            lines = l.count();
        }
        Files.deleteIfExists(out);
        table.add(row(
                label,
                got,
                c.wall,
                c.ps,
                String.format(
                        Locale.ROOT,
                        "after start (connect..end): %.2f s = %,.0f rows/s; %d JSON lines written%s",
                        inner,
                        got / inner,
                        lines,
                        got == rows ? "" : "; EXPECTED " + rows + " ROWS")));
    }

    /**
     * One measured {@code sluice run} over the workload (and with {@code --profile} one more with JFR); adds the
     * ratio to {@code base} (a rate measured on the same binlog) as a row of its own. Returns rows/s.
     */
    private double measured(
            String part,
            String what,
            Into into,
            BinlogPosition start,
            BinlogPosition end,
            double base,
            String ratioLabel,
            String target)
            throws Exception {
        double rate = sluice(
                String.format("%-3s", part) + what + " (" + chunk + "-row txns)",
                part,
                start,
                end,
                rows,
                sluiceOpts,
                into);
        if (!Double.isNaN(base) && !Double.isNaN(rate)) {
            double ratio = rate / base;
            table.add(new String[] {
                ratioLabel,
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * ratio),
                "",
                "",
                target + (ratio >= 0.6 ? "MET" : "NOT MET")
            });
        }
        if (profile) {
            List<String> opts = new ArrayList<>(sluiceOpts);
            opts.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                    + work.resolve(part + "-profile").toAbsolutePath().resolve("sluice.jfr"));
            sluice(part + "' " + what + " with JFR (profiling)", part + "-profile", start, end, rows, opts, into);
        }
        return rate;
    }

    /**
     * Part b in {@code streamRounds} rounds over the same binlog; with --baseline-cp each round runs the baseline
     * build (b0) just before ours, so both see the same load, and the verdict is the median of the rounds' b/b0
     * ratios (the before/after of a change). Returns the median of our rates.
     */
    private double streamRounds(BinlogPosition start, BinlogPosition end, double rawRate) throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Double> vsBase = new ArrayList<>();
        for (int round = 1; round <= streamRounds; round++) {
            double base = Double.NaN;
            if (baselineCp != null) {
                base = baselineRun("b0 baseline build, round " + round, "b0-" + round, start, end, rows);
            }
            double rate = sluice(
                    "b  sluice run (" + chunk + "-row txns), round " + round,
                    "b-" + round,
                    start,
                    end,
                    rows,
                    sluiceOpts,
                    Into.FILE);
            rates.add(rate);
            if (!Double.isNaN(base)) {
                vsBase.add(rate / base);
                table.add(new String[] {
                    "b/b0 round " + round,
                    "",
                    "",
                    String.format(Locale.ROOT, "%.1f%%", 100 * rate / base),
                    "",
                    "",
                    "load " + loadAvg()
                });
            }
        }
        double median = median(rates);
        if (!Double.isNaN(rawRate)) {
            double ratio = median / rawRate;
            table.add(new String[] {
                "b/a (median b)",
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * ratio),
                "",
                "",
                "target >= 60%: " + (ratio >= 0.6 ? "MET" : "NOT MET")
            });
        }
        if (!vsBase.isEmpty()) {
            double m = median(vsBase);
            table.add(new String[] {
                "b/b0: median of " + vsBase.size() + " rounds",
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * m),
                "",
                "",
                "target >= 97%: " + (m >= 0.97 ? "MET" : "NOT MET") + "; each round " + percents(vsBase)
            });
        }
        return median;
    }

    // ---------------------------------------------------------------------------------------------------------- s

    /**
     * Part s: a sysbench-like table of {@code snapshotRows} rows (loaded without binlogging), read by a plain JDBC
     * {@code SELECT *} in its own JVM (the ceiling, r), then snapshotted by {@code sluice run} with
     * {@code start: snapshot} into the file sink until its checkpoint lists no snapshot work (s).
     */
    private void snapshot() throws Exception {
        String snapTable = DB + ".sbsnap";
        db.execute("CREATE TABLE " + snapTable + " (id INT NOT NULL PRIMARY KEY, k INT NOT NULL DEFAULT 0,"
                + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '')");
        long t0 = System.nanoTime();
        try (Connection c = connect();
                java.sql.Statement st = c.createStatement()) {
            st.execute("SET sql_log_bin = 0");
            for (long from = 1; from <= snapshotRows; from += 500_000) {
                long to = Math.min(snapshotRows, from + 499_999);
                // sysbench's c and pad: groups of 11 digits joined by '-'
                st.execute("INSERT INTO " + snapTable + " SELECT seq, FLOOR(RAND(seq) * " + snapshotRows + "),"
                        + " CONCAT_WS('-', LPAD(seq * 7919 % 99999999999, 11, '0'), LPAD(seq * 104729 % 99999999999,"
                        + " 11, '0'), LPAD(seq * 1299709 % 99999999999, 11, '0'), LPAD(seq * 15485863 % 99999999999,"
                        + " 11, '0'), LPAD(seq % 99999999999, 11, '0'), LPAD(seq * 3 % 99999999999, 11, '0'),"
                        + " LPAD(seq * 5 % 99999999999, 11, '0'), LPAD(seq * 11 % 99999999999, 11, '0'),"
                        + " LPAD(seq * 13 % 99999999999, 11, '0'), LPAD(seq * 17 % 99999999999, 11, '0')),"
                        + " CONCAT_WS('-', LPAD(seq * 19 % 99999999999, 11, '0'), LPAD(seq * 23 % 99999999999, 11, '0'),"
                        + " LPAD(seq * 29 % 99999999999, 11, '0'), LPAD(seq * 31 % 99999999999, 11, '0'),"
                        + " LPAD(seq * 37 % 99999999999, 11, '0')) FROM seq_" + from + "_to_" + to);
            }
            st.execute("ANALYZE TABLE " + snapTable);
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        log(String.format(Locale.ROOT, "loaded %d rows into %s in %.1f s", snapshotRows, snapTable, loadS));
        settle();
        notes.add(String.format(
                Locale.ROOT,
                "snapshot table: %s (id INT PK, k INT, c CHAR(120), pad CHAR(60)), %d"
                        + " rows of sysbench-shaped values, %s of data, loaded in %.1f s",
                snapTable,
                snapshotRows,
                query("SELECT CONCAT(ROUND(DATA_LENGTH / 1048576), ' MiB') FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = 'bench' AND TABLE_NAME = 'sbsnap'"),
                loadS));
        if (snapshotRounds > 1) {
            snapshotRounds(snapTable);
            return;
        }
        double ceiling = rawSelect("r  plain JDBC SELECT * (ceiling)", snapTable, snapshotRows);
        BinlogPosition now = masterStatus();
        startYaml = "snapshot";
        try {
            baseline("s0", ceiling, now);
            double rate = sluice("s  sluice run, start: snapshot", "s", now, null, snapshotRows, sluiceOpts, Into.FILE);
            double first = rate;
            snapshotRatio("s/r", rate, ceiling);
            int n = 0;
            for (String v : snapshotVariants) {
                String label = v.substring(0, Math.max(0, v.indexOf('=')));
                extraYaml = String.join("\n", v.substring(v.indexOf('=') + 1).split(";")) + "\n";
                n++;
                boolean durable = label.startsWith("durable");
                if (durable) {
                    // a source that makes every commit durable, as production servers do: each watermark write
                    // then costs the server an fsync of the binlog and of the redo log
                    db.execute("SET GLOBAL sync_binlog = 1");
                    db.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 1");
                }
                try {
                    rate = sluice(
                            "s" + n + " " + label,
                            "s" + n,
                            now,
                            null,
                            snapshotRows,
                            sluiceOpts,
                            label.startsWith("nofsync")
                                    ? Into.FILE_NOFSYNC
                                    : label.startsWith("buffered") ? Into.FILE_BUFFERED : Into.FILE);
                } finally {
                    if (durable) {
                        db.execute("SET GLOBAL sync_binlog = 0");
                        db.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
                    }
                }
                snapshotRatio("s" + n + "/r", rate, ceiling);
                extraYaml = null;
            }
            baseline("s0'", ceiling, now); // again, so that a change of the machine's load shows
            if (profile) {
                List<String> opts = new ArrayList<>(sluiceOpts);
                opts.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                        + work.resolve("s-profile").toAbsolutePath().resolve("sluice.jfr"));
                sluice(
                        "s' sluice run, start: snapshot, with JFR (profiling)",
                        "s-profile",
                        now,
                        null,
                        snapshotRows,
                        opts,
                        Into.FILE);
            }
            double after = rawSelect("r' plain JDBC SELECT * again (ceiling)", snapTable, snapshotRows);
            snapshotRatio("s/r'", first, after);
            notes.add(String.format(
                    Locale.ROOT,
                    "r and r': the plain read before and after the Sluice runs: %,.0f and" + " %,.0f rows/s",
                    ceiling,
                    after));
        } finally {
            startYaml = null;
            extraYaml = null;
        }
    }

    /**
     * Part s with --snapshot-rounds N: r1 (s0) s r2 (s0) s r3 ... r(N+1). The plain read's speed varies from one run
     * to the next by 10-25% on this machine (its JVM's heap growth, the server's state), so one s against one r is
     * not a verdict: each s is rated against the faster of the two reads around it (the stricter ceiling), and the
     * median over the rounds is the verdict.
     */
    private void snapshotRounds(String snapTable) throws Exception {
        BinlogPosition now = masterStatus();
        List<Double> ratios = new ArrayList<>();
        List<Double> baseRatios = new ArrayList<>();
        double before = rawSelect("r1 plain JDBC SELECT * (ceiling)", snapTable, snapshotRows);
        startYaml = "snapshot";
        try {
            for (int round = 1; round <= snapshotRounds; round++) {
                double base = Double.NaN;
                if (baselineCp != null) {
                    base = baselineRun("s0 baseline build, round " + round, "s0-" + round, now);
                }
                double rate = sluice(
                        "s  sluice run, start: snapshot, round " + round,
                        "s-" + round,
                        now,
                        null,
                        snapshotRows,
                        sluiceOpts,
                        Into.FILE);
                double after = rawSelect("r" + (round + 1) + " plain JDBC SELECT * (ceiling)", snapTable, snapshotRows);
                double ceiling = Math.max(before, after);
                snapshotRatio("s/max(r" + round + ", r" + (round + 1) + ")", rate, ceiling);
                ratios.add(rate / ceiling);
                if (baselineCp != null) {
                    snapshotRatio("s0/max(r" + round + ", r" + (round + 1) + ")", base, ceiling);
                    baseRatios.add(base / ceiling);
                }
                before = after;
            }
        } finally {
            startYaml = null;
        }
        double median = median(ratios);
        table.add(new String[] {
            "s: median of " + ratios.size() + " rounds",
            "",
            "",
            String.format(Locale.ROOT, "%.1f%%", 100 * median),
            "",
            "",
            "target >= 70%: " + (median >= 0.7 ? "MET" : "NOT MET") + "; each round " + percents(ratios)
        });
        if (!baseRatios.isEmpty()) {
            table.add(new String[] {
                "s0: median of " + baseRatios.size() + " rounds",
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * median(baseRatios)),
                "",
                "",
                "each round " + percents(baseRatios)
            });
        }
    }

    private static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String percents(List<Double> values) {
        return values.stream()
                .map(d -> String.format(Locale.ROOT, "%.1f%%", 100 * d))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void settle() throws Exception {
        long t0 = System.nanoTime();
        String pct = query("SELECT @@innodb_max_dirty_pages_pct");
        db.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
        long dirty = -1;
        try {
            while (System.nanoTime() - t0 < 120_000_000_000L) {
                dirty = Long.parseLong(query("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                        + " WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'"));
                if (dirty < 16) {
                    break;
                }
                Thread.sleep(250);
            }
        } finally {
            db.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + pct);
        }
        Thread.sleep(1000); // the flushing threads' last writes
        String line = String.format(
                Locale.ROOT,
                "waited %.1f s for InnoDB to flush the load's dirty pages" + " (%d left) before the reads",
                (System.nanoTime() - t0) / 1e9,
                dirty);
        log(line);
        notes.add(line);
    }

    /** With --baseline-cp: part s with the other build (a before/after on the same table and machine). */
    private void baseline(String label, double ceiling, BinlogPosition now) throws Exception {
        if (baselineCp == null) {
            return;
        }
        double before = baselineRun(label + " baseline build", label.replace("'", "b"), now);
        snapshotRatio(label + "/r", before, ceiling);
    }

    /** How many Kafka runs of each name this bench made. */
    private final java.util.Map<String, Integer> kafkaRuns = new java.util.HashMap<>();

    /**
     * A name of its own for each Kafka run of one name (k in every round): the name is the pipeline's, its topics'
     * prefix and the key of its checkpoint; a second run under the first one's name found that checkpoint at the end
     * already and was counted done in a second, with the first run's events (session 12, rounds 2 and 3).
     */
    private String kafkaRunName(String name) {
        int n = kafkaRuns.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "-" + n;
    }

    /** A row of the summary: the ratio {@code q} of two medians, with a note. */
    private void ratioRow(String label, double q, String note) {
        table.add(new String[] {label + ", medians", "", "", String.format(Locale.ROOT, "%.1f%%", 100 * q), "", "", note
        });
    }

    /**
     * A --b-variant or --k-variant line ({@code label|cpus|jvm options}) as a contender of the throughput rounds:
     * part {@code part} into {@code into} under {@code taskset -c cpus} (empty: all) with those options (empty:
     * --sluice-opts).
     */
    private Contender variant(String v, String part, Into into, BinlogPosition start, BinlogPosition end) {
        String[] f = v.split("\\|", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException("--" + part + "-variant must be label|cpus|jvm options, not " + v);
        }
        List<String> opts = f[2].isBlank()
                ? sluiceOpts
                : Arrays.stream(f[2].split(" ")).filter(x -> !x.isBlank()).toList();
        List<String> prefix = f[1].isBlank() ? List.of() : List.of("taskset", "-c", f[1].strip());
        String label = part + "  " + f[0];
        return new Contender(part + ":" + f[0], label, () -> {
            launchPrefix = prefix;
            try {
                sluice(
                        label + (into == Into.KAFKA ? " -> Kafka" : ""),
                        part + "-" + f[0],
                        start,
                        end,
                        rows,
                        opts,
                        into);
            } finally {
                launchPrefix = List.of();
            }
        });
    }

    /** One run of the --compare-cp build over the workload into {@code into}, in the throughput rounds. */
    private void compareRun(String name, Into into) throws Exception {
        onBuild(
                compareCp,
                compareCds,
                "compared build (b0, k0): class path " + compareCp,
                () -> sluice(
                        String.format("%-3s", name) + "compared build" + (into == Into.KAFKA ? " -> Kafka" : ""),
                        name,
                        currentStart,
                        currentEnd,
                        rows,
                        sluiceOpts,
                        into));
    }

    /** One s run of the --baseline-cp build; returns its rate. */
    private double baselineRun(String label, String name, BinlogPosition now) throws Exception {
        return baselineRun(label, name, now, null, snapshotRows);
    }

    /** One run of the --baseline-cp build from {@code start} to {@code end} (null: a snapshot); returns its rate. */
    private double baselineRun(String label, String name, BinlogPosition start, BinlogPosition end, long expected)
            throws Exception {
        return onBuild(
                baselineCp,
                baselineCds,
                "baseline build: class path " + baselineCp,
                () -> sluice(label, name, start, end, expected, sluiceOpts, Into.FILE));
    }

    /**
     * Runs {@code run} with another build's class path and class data sharing archive in place of ours (ours is
     * made for our jars: the other build's JVM would drop it; its own archive, if given, is fair), noting the build.
     */
    private double onBuild(String cp, String cds, String note, java.util.concurrent.Callable<Double> run)
            throws Exception {
        String ours = sluiceCp;
        String oursCds = sluiceCds;
        sluiceCp = cp;
        sluiceCds = cds;
        try {
            return run.call();
        } finally {
            sluiceCp = ours;
            sluiceCds = oursCds;
            if (!notes.contains(note)) {
                notes.add(note);
            }
        }
    }

    private void snapshotRatio(String label, double rate, double ceiling) {
        if (!Double.isNaN(ceiling) && !Double.isNaN(rate)) {
            double ratio = rate / ceiling;
            table.add(new String[] {
                label,
                "",
                "",
                String.format(Locale.ROOT, "%.1f%%", 100 * ratio),
                "",
                "",
                "target >= 70%: " + (ratio >= 0.7 ? "MET" : "NOT MET") + "; load " + loadAvg()
            });
        }
    }

    /** What a measured child JVM printed up to its DONE (or TIMEOUT) line, its wall time and its /proc figures. */
    private record Child(String done, String output, double wall, ProcStats ps) {}

    /**
     * Runs a child JVM until it prints a line starting with DONE or TIMEOUT, reads its CPU and peak RSS, then closes
     * its standard input (which ends it) and waits for it.
     */
    private static Child child(List<String> cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String done = null;
        StringBuilder all = new StringBuilder();
        while ((line = out.readLine()) != null) {
            all.append(line).append('\n');
            if (line.startsWith("DONE") || line.startsWith("TIMEOUT")) {
                done = line;
                break;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        ProcStats ps = ProcStats.of(p.pid());
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Child(done, all.toString(), wall, ps);
    }

    /** Runs {@link RawSelect} in its own JVM; returns rows/s from its cold start (NaN on failure). */
    private double rawSelect(String label, String from, long expected) throws Exception {
        log("(" + label + ") reading " + from);
        double dbCpu0 = ProcStats.descendantCpu("mariadbd");
        Child c = child(List.of(
                javaBin(),
                "-cp",
                System.getProperty("java.class.path"),
                RawSelect.class.getName(),
                db.host(),
                String.valueOf(db.port()),
                "root",
                "",
                from));
        notes.add(String.format(
                Locale.ROOT,
                "%s: CPU of MariaDB meanwhile %.1f s",
                label.strip(),
                ProcStats.descendantCpu("mariadbd") - dbCpu0));
        String done = c.done;
        double wall = c.wall;
        ProcStats ps = c.ps;
        if (done == null || !done.startsWith("DONE")) {
            table.add(row(label, expected, Double.NaN, ps, "FAILED: " + c.output.strip()));
            return Double.NaN;
        }
        long got = Long.parseLong(done.replaceAll(".*rows=(\\d+).*", "$1"));
        double inner = Long.parseLong(done.replaceAll(".*nanos=(\\d+).*", "$1")) / 1e9;
        log("(" + label + ") " + done + " load " + loadAvg());
        table.add(row(
                label,
                got,
                wall,
                ps,
                String.format(
                        Locale.ROOT,
                        "query only (connect..last row): %.2f s =" + " %,.0f rows/s%s",
                        inner,
                        got / inner,
                        got == expected ? "" : "; EXPECTED " + expected + " ROWS")));
        return got / wall;
    }

    /** Runs the raw library in its own JVM from start to end; returns rows/s (NaN on failure). */
    private double raw(String label, BinlogPosition start, BinlogPosition end, long expected, String deserializer)
            throws Exception {
        log("(" + label + ") reading " + start + " .. " + end);
        Child c = child(List.of(
                javaBin(),
                "-cp",
                System.getProperty("java.class.path"),
                RawReader.class.getName(),
                db.host(),
                String.valueOf(db.port()),
                "root",
                "",
                String.valueOf(serverIds++),
                start.file(),
                String.valueOf(start.pos()),
                end.file(),
                String.valueOf(end.pos()),
                deserializer));
        String done = c.done;
        double wall = c.wall;
        ProcStats ps = c.ps;
        log("(" + label + ") " + done + " load " + loadAvg());
        if (done == null || !done.startsWith("DONE")) {
            table.add(row(label, expected, Double.NaN, ps, "FAILED: " + c.output.strip()));
            return Double.NaN;
        }
        long got = Long.parseLong(done.replaceAll(".*rows=(\\d+).*", "$1"));
        double inner = Long.parseLong(done.replaceAll(".*nanos=(\\d+).*", "$1")) / 1e9;
        table.add(row(
                label,
                got,
                wall,
                ps,
                String.format(
                        Locale.ROOT,
                        "streaming only (connect..end): %.2f s = %,.0f rows/s%s",
                        inner,
                        got / inner,
                        got == expected ? "" : "; EXPECTED " + expected + " ROWS")));
        return got / wall;
    }

    /**
     * Runs {@code sluice run} as its own JVM from a cold start until its checkpoint reaches {@code end}; returns
     * rows/s (NaN on failure).
     */
    private double sluice(
            String label,
            String name,
            BinlogPosition start,
            BinlogPosition end,
            long expected,
            List<String> jvmOpts,
            Into into)
            throws Exception {
        if (into == Into.KAFKA) {
            name = kafkaRunName(name);
        }
        Path dir = work.resolve(name).toAbsolutePath();
        SluiceProc s =
                startSluice(name, dir, start, jvmOpts, end == null ? "bench.sbsnap" : "bench.*", sinkYaml(into, dir));
        try (KafkaSide.OffsetsWatcher offsets = into == Into.KAFKA ? kafka.new OffsetsWatcher("b" + name) : null) {
            return sluice(label, name, dir, s, end, expected, jvmOpts, offsets);
        }
    }

    private double sluice(
            String label,
            String name,
            Path dir,
            SluiceProc s,
            BinlogPosition end,
            long expected,
            List<String> jvmOpts,
            KafkaSide.OffsetsWatcher offsets)
            throws Exception {
        log("(" + label + ") sluice pid " + s.proc.pid() + " reading " + (end == null ? "a snapshot" : "to " + end));
        double brokerCpu0 = ProcStats.descendantCpu("KafkaBrokerMain");
        double dbCpu0 = ProcStats.descendantCpu("mariadbd");
        double pgCpu0 = jdbc.postgresCpu();
        long deadline = s.t0 + timeout.toNanos();
        double wall = Double.NaN;
        ProcStats ps = null;
        String failure = null;
        long lastLog = System.nanoTime();
        while (true) {
            BinlogPosition at = offsets != null
                    ? offsets.position()
                    : jdbcTarget(dir) ? jdbc.position("b" + name) : checkpointPosition(dir.resolve("state"));
            long now = System.nanoTime();
            if (end == null ? snapshotDone(dir.resolve("state")) : at != null && at.compareTo(end) >= 0) {
                ps = ProcStats.of(s.proc.pid());
                notes.add(label.strip() + ": busiest threads (CPU) " + ProcStats.busiestThreads(s.proc.pid(), 6));
                notes.add(label.strip() + ": MariaDB's busiest threads since it started "
                        + ProcStats.busiestThreads(ProcStats.descendant("mariadbd"), 3));
                notes.add(String.format(
                        Locale.ROOT,
                        "%s: CPU of the other processes meanwhile: MariaDB %.1f s%s%s",
                        label.strip(),
                        ProcStats.descendantCpu("mariadbd") - dbCpu0,
                        Double.isNaN(pgCpu0)
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", PostgreSQL %.1f s (%.2f s per million rows)",
                                        jdbc.postgresCpu() - pgCpu0,
                                        (jdbc.postgresCpu() - pgCpu0) / expected * 1e6),
                        offsets == null
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        ", Kafka broker %.1f s; %d Kafka transactions",
                                        ProcStats.descendantCpu("KafkaBrokerMain") - brokerCpu0,
                                        offsets.records())));
                wall = (now - s.t0) / 1e9;
                break;
            }
            if (!s.proc.isAlive()) {
                failure = "sluice exited with code " + s.proc.exitValue() + " at checkpoint " + at;
                break;
            }
            if (now > deadline) {
                ps = ProcStats.of(s.proc.pid());
                failure = "timeout after " + timeout.toMinutes() + " min at checkpoint " + at;
                threadDump(s.proc.pid(), dir.resolve("threads-at-timeout.txt"));
                break;
            }
            if (now - lastLog > 10e9) {
                lastLog = now;
                ProcStats p = ProcStats.of(s.proc.pid());
                log(String.format(
                        Locale.ROOT,
                        "  ... %.0f s, checkpoint %s, cpu %.1f s, peak RSS %.0f MiB",
                        (now - s.t0) / 1e9,
                        at,
                        p.cpuSeconds(),
                        p.peakRssMiB()));
            }
            // a snapshot run is watched at 25 ms: reading and parsing the checkpoint every 10 ms took ~3.5% of a core
            // of the two the measured run has (perf), for a wall-time resolution it does not need
            Thread.sleep(offsets != null ? 0 : jdbcTarget(dir) ? 50 : end == null ? 25 : 10);
        }
        if (ps == null) {
            ps = new ProcStats(Double.NaN, -1);
        }
        stop(s.proc);
        log("(" + label + ") " + (failure == null ? "done in " + fmt(wall) + " s" : failure) + ", load " + loadAvg());
        if (failure != null) {
            String tail = tail(dir.resolve("sluice.log"), 25);
            log("(" + label + ") FAILED: " + failure + "\n" + tail);
            table.add(row(
                    label,
                    expected,
                    Double.NaN,
                    ps,
                    "FAILED: " + failure + " (see " + dir.resolve("sluice.log") + ")"));
            notes.add(label + " failed: " + failure + "; last log lines:\n" + tail);
            return Double.NaN;
        }
        String note;
        if (offsets != null) {
            long[] counted = kafka.countEvents("b" + name);
            note = counted[0] == expected && counted[1] == expected
                    ? "events in Kafka (read_committed) = distinct ids" + " = rows"
                    : "EVENTS IN KAFKA " + counted[0] + " (" + counted[1] + " distinct ids) != " + expected;
        } else if (jdbcTarget(dir)) {
            try (Connection c = connect()) {
                note = jdbc.verify(c, List.of(DB + ".sbtest", DB + ".mixed"), "b" + name);
            }
        } else {
            long events = countLines(dir.resolve("out"));
            note = events == expected
                    ? "events written = rows"
                    : extraYaml != null && extraYaml.startsWith("rules:") && events < expected
                            ? events + " events written of " + expected + " rows (the rules' filters drop the rest)"
                            : "EVENTS WRITTEN " + events + " != " + expected;
            if (end == null) {
                deleteRecursively(dir.resolve("out")); // a snapshot's output is GBs: counted, it is not kept
            }
        }
        if (!jvmOpts.isEmpty()) {
            note += "; JVM " + String.join(" ", jvmOpts).replaceAll("filename=\\S+", "filename=...");
        }
        if (s.cds()) {
            note += "; class data sharing";
        }
        if (!launchPrefix.isEmpty()) {
            note += "; under " + String.join(" ", launchPrefix);
        }
        table.add(row(label, expected, wall, ps, note));
        return expected / wall;
    }

    private record SluiceProc(Process proc, long t0, boolean cds) {}

    /** The sink block of a measured Sluice's config. */
    private String sinkYaml(Into into, Path dir) {
        return switch (into) {
            case FILE -> "sink:\n  type: file\n  path: " + dir.resolve("out") + "\n";
            case FILE_NOFSYNC -> "sink:\n  type: file\n  path: " + dir.resolve("out") + "\n  fsync: false\n";
            case FILE_BUFFERED -> "sink:\n  type: file\n  path: " + dir.resolve("out") + "\n  direct-io: false\n";
            case KAFKA -> kafka.sinkYaml(kafkaProps) + kafkaBatchYaml();
            case POSTGRESQL -> jdbcSink(JdbcTargets.Kind.POSTGRESQL, dir) + "  batch-form: values\n";
            case POSTGRESQL_UNNEST -> jdbcSink(JdbcTargets.Kind.POSTGRESQL, dir) + "  batch-form: unnest\n";
            case MARIADB -> jdbcSink(JdbcTargets.Kind.MARIADB, dir);
        };
    }

    /** The JDBC sink's block, into a new database of the target; the run is noted as one into a JDBC target. */
    private String jdbcSink(JdbcTargets.Kind kind, Path dir) {
        jdbcRuns.add(dir.getFileName().toString());
        return jdbc.sinkYaml(kind, "b" + dir.getFileName());
    }

    /** Whether the run in {@code dir} writes into a JDBC target ({@link #jdbcSink}). */
    private boolean jdbcTarget(Path dir) {
        return jdbcRuns.contains(dir.getFileName().toString());
    }

    /** The batch block of the Kafka runs: {@code --kafka-batch} keys, {@code --kafka-batch-events}. */
    private String kafkaBatchYaml() {
        java.util.Map<String, String> b = new java.util.LinkedHashMap<>(kafkaBatch);
        if (kafkaBatchEvents > 0) {
            b.put("max-events", String.valueOf(kafkaBatchEvents));
        }
        StringBuilder y = new StringBuilder(b.isEmpty() ? "" : "batch:\n");
        b.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        return y.toString();
    }

    private SluiceProc startSluice(
            String name, Path dir, BinlogPosition start, List<String> jvmOpts, String include, String sinkYaml)
            throws IOException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        String yaml = "name: b" + name + "\n"
                + "source:\n"
                + "  host: " + db.host() + "\n"
                + "  port: " + db.port() + "\n"
                + "  user: root\n"
                + "  server-id: " + (serverIds++) + "\n"
                + "  include: [\"" + include + "\"]\n"
                + "  start: "
                + (startYaml != null ? startYaml : "{file: " + start.file() + ", pos: " + start.pos() + "}")
                + "\n"
                + "  tls: disabled\n"
                + sinkYaml
                + (extraYaml != null ? extraYaml : "")
                + "state: " + dir.resolve("state") + "\n";
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, yaml);
        List<String> cmd = new ArrayList<>(launchPrefix);
        cmd.add(javaBin());
        cmd.addAll(jvmOpts);
        if (sluiceCds != null) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + sluiceCds, "-Xlog:cds=off"));
        }
        // the console on a free port: on the default one, a run overlapping another Sluice (another bench, a second
        // engineer's) would find it taken and run without HTTP, costing less CPU than a run that serves it
        cmd.addAll(List.of(
                "-cp", sluiceCp, "io.sluice.app.Main", "run", "--http-port", "0", "--config", config.toString()));
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sluice.log").toFile())
                .start();
        return new SluiceProc(p, t0, sluiceCds != null);
    }

    // ---------------------------------------------------------------------------------------------------------- c

    private void latency() throws Exception {
        latency("c", "lat", Into.FILE, latencyRate);
        if (latencyNoFsync) {
            latency("c2", "lat2", Into.FILE_NOFSYNC, latencyRate);
        }
    }

    /** Where a latency run sees events: the file sink's checkpointed output, or a read_committed consumer. */
    private interface Seen {
        List<JsonNode> poll() throws IOException;
    }

    /** True once the sink is open: the file sink's first state document, the Kafka sink's log line. */
    private boolean sinkOpen(Path dir, Into into) {
        if (into == Into.POSTGRESQL || into == Into.POSTGRESQL_UNNEST || into == Into.MARIADB) {
            return jdbc.opened("b" + dir.getFileName());
        }
        if (into != Into.KAFKA) {
            return Files.exists(dir.resolve("state").resolve("checkpoint.json"));
        }
        try {
            return Files.readString(dir.resolve("sluice.log")).contains("Kafka sink open");
        } catch (IOException e) {
            return false;
        }
    }

    /** One latency run on a fresh table at {@code rate} single-row commits/s. */
    private void latency(String name, String tableName, Into into, int rate) throws Exception {
        db.execute("CREATE TABLE " + DB + "." + tableName
                + " (id INT NOT NULL PRIMARY KEY, t BIGINT NOT NULL) ENGINE=InnoDB");
        BinlogPosition start = masterStatus();
        Path dir = work.resolve(name).toAbsolutePath();
        SluiceProc s = startSluice(name, dir, start, sluiceOpts, DB + "." + tableName, sinkYaml(into, dir));
        // Do not start committing before the sink is open (its first state document is written on open): on a busy
        // machine the JVM start alone takes seconds, and that backlog is cold-start cost, not steady-state latency.
        long openBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sinkOpen(dir, into) && System.nanoTime() < openBy && s.proc.isAlive()) {
            Thread.sleep(10);
        }
        int total = latencyWarmup + latencySeconds * rate;
        long[] committed = new long[total + 1];
        long[] seen = new long[total + 1];
        log("(" + name + ") " + rate + " single-row commits/s for " + latencySeconds + " s (after " + latencyWarmup
                + " warm-up commits), sluice pid " + s.proc.pid());
        long period = 1_000_000_000L / rate;
        long[] writerSpan = new long[2];
        Throwable[] writerError = new Throwable[1];
        Thread writer = new Thread(
                () -> {
                    try (Connection c = connect();
                            PreparedStatement ps = c.prepareStatement(
                                    "INSERT INTO " + DB + "." + tableName + " (id, t) VALUES (?, ?)")) {
                        c.setAutoCommit(true);
                        long t0 = System.nanoTime();
                        for (int i = 1; i <= total; i++) {
                            long target = t0 + (long) (i - 1) * period;
                            long wait;
                            while ((wait = target - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            if (i == latencyWarmup + 1) {
                                writerSpan[0] = System.nanoTime();
                            }
                            ps.setInt(1, i);
                            ps.setLong(2, System.currentTimeMillis());
                            ps.executeUpdate();
                            committed[i] = System.nanoTime();
                        }
                        writerSpan[1] = System.nanoTime();
                    } catch (Throwable e) {
                        writerError[0] = e;
                    }
                },
                "latency-writer");
        writer.setDaemon(true);
        writer.start();

        KafkaSide.Receiver receiver =
                into == Into.KAFKA ? kafka.new Receiver("b" + name + "." + DB + "." + tableName) : null;
        Seen tailer = receiver != null
                ? receiver::poll
                : jdbcTarget(dir)
                        ? jdbc.rows("b" + name, DB + "." + tableName)::poll
                        : new Tailer(dir.resolve("out"), dir.resolve("state"))::poll;
        int seenCount = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(latencySeconds + 120L);
        while (seenCount < total && System.nanoTime() < deadline && s.proc.isAlive()) {
            List<JsonNode> got = tailer.poll();
            // file: the time the poll found the events checkpointed; Kafka: the time the consumer received them
            long now = System.nanoTime();
            for (JsonNode ev : got) {
                JsonNode id = ev.path("after").path("id");
                if (id.isInt() && id.asInt() >= 1 && id.asInt() <= total && seen[id.asInt()] == 0) {
                    seen[id.asInt()] = now;
                    seenCount++;
                }
            }
            if (writerError[0] != null) {
                break;
            }
            if (receiver == null) {
                Thread.sleep(1);
            }
        }
        if (receiver != null) {
            receiver.close();
        }
        ProcStats ps = ProcStats.of(s.proc.pid());
        boolean alive = s.proc.isAlive();
        stop(s.proc);
        writer.join(10_000);
        String label = String.format("%-3s", name) + "latency @ " + rate + " commits/s"
                + switch (into) {
                    case FILE -> "";
                    case FILE_NOFSYNC -> ", sink.fsync=false";
                    case FILE_BUFFERED -> ", sink.direct-io=false";
                    case KAFKA -> " -> Kafka";
                    case POSTGRESQL -> " -> PostgreSQL (jdbc)";
                    case POSTGRESQL_UNNEST -> " -> PostgreSQL (jdbc, batch-form: unnest)";
                    case MARIADB -> " -> MariaDB (jdbc)";
                };
        if (writerError[0] != null || seenCount < total) {
            String why = writerError[0] != null
                    ? "writer failed: " + writerError[0]
                    : "saw " + seenCount + " of " + total + " events" + (alive ? "" : " (sluice exited)");
            table.add(new String[] {label, "", "", "", "", "", "FAILED: " + why});
            notes.add(label + " failed: " + why + "\n" + tail(dir.resolve("sluice.log"), 25));
            return;
        }
        StringBuilder csv = new StringBuilder("id,commit_ms_since_start,latency_ms\n");
        for (int i = 1; i <= total; i++) {
            csv.append(i)
                    .append(',')
                    .append(String.format(
                            Locale.ROOT,
                            "%.3f,%.3f",
                            (committed[i] - committed[1]) / 1e6,
                            (seen[i] - committed[i]) / 1e6))
                    .append('\n');
        }
        Files.writeString(dir.resolve("latency.csv"), csv);
        long[] lat = new long[total - latencyWarmup];
        for (int i = latencyWarmup + 1; i <= total; i++) {
            lat[i - latencyWarmup - 1] = seen[i] - committed[i];
        }
        Arrays.sort(lat);
        double achieved = (total - latencyWarmup) / ((writerSpan[1] - writerSpan[0]) / 1e9);
        // issue 16's goal for the JDBC sink: p99 commit->visible <= 100 ms at 1,000 rows/s, as Kafka's
        int targetMs =
                into == Into.KAFKA || into == Into.POSTGRESQL || into == Into.POSTGRESQL_UNNEST || into == Into.MARIADB
                        ? 100
                        : 20;
        double p50 = pct(lat, 0.50);
        double p99 = pct(lat, 0.99);
        double max = lat[lat.length - 1] / 1e6;
        table.add(new String[] {
            label,
            String.valueOf(lat.length),
            String.format(Locale.ROOT, "%.1f", (writerSpan[1] - writerSpan[0]) / 1e9),
            String.format(Locale.ROOT, "%,.0f commits/s", achieved),
            cpu(ps.cpuSeconds()),
            fmt(ps.peakRssMiB()),
            String.format(
                    Locale.ROOT,
                    "p50 %.1f ms, p99 %.1f ms, max %.1f ms (min %.1f); target p99 < %d ms: %s",
                    p50,
                    p99,
                    max,
                    lat[0] / 1e6,
                    targetMs,
                    p99 < targetMs ? "MET" : "NOT MET")
        });
        String def = into == Into.KAFKA
                ? "Kafka latency = time a read_committed consumer in the benchmark JVM received the event (poll"
                        + " returned it; fetch.max.wait.ms 5) minus the time the INSERT's autocommit returned to the"
                        + " client (both System.nanoTime of the benchmark JVM)"
                : into == Into.POSTGRESQL || into == Into.POSTGRESQL_UNNEST || into == Into.MARIADB
                        ? "JDBC latency = time a query of the target table (SELECT id > last seen, every ~1 ms, its"
                                + " own autocommit connection) found the row minus the time the INSERT's autocommit"
                                + " returned to the client"
                        : "latency = time the event is covered by checkpoint.json (sink output read up to the"
                                + " checkpointed length, polled every ~1 ms) minus the time the INSERT's autocommit"
                                + " returned to the client";
        if (!notes.contains(def)) {
            notes.add(def);
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Reads the file sink's output as it grows, but only up to what {@code checkpoint.json} says is durable. */
    private static final class Tailer {
        private final Path out;
        private final Path stateFile;
        private String segment;
        private long offset;
        private final StringBuilder partial = new StringBuilder();

        Tailer(Path out, Path state) {
            this.out = out;
            this.stateFile = state.resolve("checkpoint.json");
        }

        List<JsonNode> poll() throws IOException {
            List<JsonNode> events = new ArrayList<>();
            JsonNode doc;
            try {
                doc = JSON.readTree(Files.readAllBytes(stateFile));
            } catch (IOException e) {
                return events; // not there yet
            }
            if (doc == null || doc.get("checkpoint") == null) {
                return events;
            }
            String seg = doc.path("segment").asText();
            long length = doc.path("length").asLong();
            if (segment != null && !seg.equals(segment)) {
                read(segment, Long.MAX_VALUE, events); // rotated: the old segment is complete
                segment = null;
            }
            if (segment == null) {
                segment = seg;
                offset = 0;
            }
            read(seg, length, events);
            return events;
        }

        private void read(String seg, long upTo, List<JsonNode> events) throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(out.resolve(seg).toFile(), "r")) {
                long end = Math.min(upTo, f.length());
                if (end <= offset) {
                    return;
                }
                byte[] buf = new byte[(int) (end - offset)];
                f.seek(offset);
                f.readFully(buf);
                offset = end;
                partial.append(new String(buf, StandardCharsets.UTF_8));
            }
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                events.add(JSON.readTree(partial.substring(0, nl)));
                partial.delete(0, nl + 1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------- d

    private void bigTransaction() throws Exception {
        db.execute(Workload.createTables(DB + ".sbtest_big", DB + ".mixed_big"));
        BinlogPosition start = masterStatus();
        log("(d) loading " + bigRows + " row changes as ONE transaction from " + start);
        Workload w = new Workload(DB + ".sbtest_big", DB + ".mixed_big");
        long t0 = System.nanoTime();
        try (Connection c = connect()) {
            w.run(c, bigRows, chunk, true);
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        BinlogPosition end = masterStatus();
        notes.add(String.format(
                Locale.ROOT,
                "big transaction: %d row changes (%d inserts, %d updates, %d deletes) in 1"
                        + " transaction, binlog %s..%s (%s), loaded in %.1f s",
                bigRows,
                w.inserts,
                w.updates,
                w.deletes,
                start,
                end,
                binlogSize(start, end),
                loadS));
        List<String> opts = new ArrayList<>(sluiceOpts);
        opts.removeIf(o -> o.startsWith("-Xmx"));
        opts.add("-Xmx" + bigXmx);
        if (parts.contains("d")) {
            raw("d0 raw library, fastest (1 txn)", start, end, bigRows, "fastest");
            sluice("d  sluice run (1 txn, -Xmx" + bigXmx + ")", "d", start, end, bigRows, opts, Into.FILE);
        }
        if (parts.contains("m")) {
            sluice("m  sluice run -> Kafka (1 txn, -Xmx" + bigXmx + ")", "m", start, end, bigRows, opts, Into.KAFKA);
        }
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(DB), "root", "");
    }

    private String query(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private BinlogPosition masterStatus() throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new BinlogPosition(rs.getString(1), rs.getLong(2), null);
        }
    }

    private String binlogSize(BinlogPosition a, BinlogPosition b) {
        if (a.file().equals(b.file())) {
            return String.format(Locale.ROOT, "%.1f MiB", (b.pos() - a.pos()) / 1048576.0);
        }
        return "spans " + a.file() + " to " + b.file();
    }

    private static BinlogPosition checkpointPosition(Path stateDir) {
        try {
            JsonNode pos = JSON.readTree(Files.readAllBytes(stateDir.resolve("checkpoint.json")))
                    .path("checkpoint")
                    .path("position");
            if (pos.isMissingNode() || !pos.has("file")) {
                return null;
            }
            return new BinlogPosition(pos.get("file").asText(), pos.get("pos").asLong(), null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True once the checkpoint exists and lists no snapshot work (a snapshot run is complete and durable). */
    private static boolean snapshotDone(Path stateDir) {
        try {
            JsonNode cp = JSON.readTree(Files.readAllBytes(stateDir.resolve("checkpoint.json")))
                    .path("checkpoint");
            return cp.has("position") && !cp.has("snapshot");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void threadDump(long pid, Path to) {
        try {
            new ProcessBuilder("jcmd", String.valueOf(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(to.toFile())
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort
        }
    }

    private static long countLines(Path dir) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                try (var in = Files.newInputStream(f)) {
                    byte[] buf = new byte[1 << 20];
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        for (int i = 0; i < r; i++) {
                            if (buf[i] == '\n') {
                                n++;
                            }
                        }
                    }
                }
            }
        }
        return n;
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String[] row(String label, long rows, double seconds, ProcStats ps, String note) {
        return new String[] {
            label,
            String.valueOf(rows),
            fmt(seconds),
            Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%,.0f rows/s", rows / seconds),
            cpu(ps.cpuSeconds()),
            ps.peakRssKiB() < 0 ? "-" : fmt(ps.peakRssMiB()),
            note
        };
    }

    /** CPU seconds to the clock tick (10 ms): a start-up change of a few hundredths shows in short runs. */
    private static String cpu(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }

    private void printResults() throws IOException {
        String[] head = {"part", "rows", "wall s", "rate", "cpu s", "peak RSS MiB", "notes"};
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(table);
        int[] w = new int[head.length - 1];
        for (String[] r : all) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("\n");
        for (String[] r : all) {
            sb.append("| ");
            for (int i = 0; i < w.length; i++) {
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("%" + w[i] + "s", r[i]))
                        .append(" | ");
            }
            sb.append(r[w.length]).append(" |\n");
            if (r == head) {
                sb.append("|");
                for (int x : w) {
                    sb.append("-".repeat(x + 2)).append("|");
                }
                sb.append("---|\n");
            }
        }
        sb.append("\nwall s and rate: from starting the reader's JVM (cold) until the last row was counted (a) or"
                + " durably written and checkpointed (b, d); cpu s and peak RSS: the reader's JVM (/proc utime+stime,"
                + " VmHWM) at that moment.\n");
        for (String n : notes) {
            sb.append("- ").append(n).append('\n');
        }
        sb.append("- machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs shared with other builds; java ")
                .append(System.getProperty("java.version"))
                .append('\n');
        System.out.print(sb);
        Files.writeString(work.resolve("results.md"), sb.toString());
    }

    private static void log(String s) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
