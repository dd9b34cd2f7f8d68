package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka for integration tests: one child JVM running the Apache Kafka server from the test
 * classpath in KRaft mode (combined broker and controller), listening on free ports of 127.0.0.1, with its log
 * directory in a temporary directory. Internal topics (offsets, transaction state) have replication factor 1 and
 * min ISR 1, so transactions work on one node.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start()) {
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 *     kafka.stop();   // a broker outage: clients see timeouts
 *     kafka.start();  // same ports, same data
 * }
 * }</pre>
 *
 * <p>{@link #stop()} ends the broker gracefully (SIGTERM), {@link #kill()} abruptly; {@link #start()} runs it again on
 * the same directory and ports. {@link #close()} stops it and deletes its files. The child exits by itself when the
 * test JVM dies (it watches its standard input), and a shutdown hook cleans up brokers still running.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final Set<KafkaBroker> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (KafkaBroker b : LIVE) {
                                b.close();
                            }
                        },
                        "kafka-broker-cleanup"));
    }

    private final Path baseDir;
    private final Path props;
    private final Path log;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private Process process;
    private boolean closed;

    private KafkaBroker(Map<String, String> overrides) throws IOException {
        this.overrides = Map.copyOf(overrides);
        this.baseDir = Files.createTempDirectory("sluice-kafka-");
        this.props = baseDir.resolve("server.properties");
        this.log = baseDir.resolve("broker.log");
        this.port = freePort();
        int c = freePort();
        while (c == port) {
            c = freePort();
        }
        this.controllerPort = c;
        writeConfig();
        LIVE.add(this);
    }

    /** Starts a new broker with the default settings and waits until it answers an admin request. */
    public static KafkaBroker start(Map<String, String> overrides) {
        try {
            KafkaBroker b = new KafkaBroker(overrides);
            b.startProcess();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a new broker with the default settings. */
    public static KafkaBroker startNew() {
        return start(Map.of());
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}; stable across stop and start. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The directory holding the broker's configuration, data and log file. */
    public Path directory() {
        return baseDir;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the stopped broker again on the same directory and ports, and waits until it is ready. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the broker in " + baseDir + " is closed");
        }
        if (running()) {
            return;
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker gracefully (SIGTERM; forcibly if it has not exited within 30 s); its data stays. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills the broker (SIGKILL), as a crash would; its data stays. */
    public synchronized void kill() {
        end(true);
    }

    /** Stops the broker and deletes its files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        end(true);
        LIVE.remove(this);
        deleteRecursively(baseDir);
    }

    private void end(boolean forcibly) {
        Process p = process;
        process = null;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            if (forcibly) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void writeConfig() throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", "1");
        c.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        c.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("log.dirs", baseDir.resolve("logs").toString());
        c.put("num.partitions", "1");
        c.put("default.replication.factor", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("min.insync.replicas", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("auto.create.topics.enable", "false");
        c.put("log.flush.interval.messages", "1");
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("background.threads", "2");
        c.put("log.cleaner.threads", "1");
        c.put("log.cleaner.dedupe.buffer.size", String.valueOf(2L << 20));
        c.putAll(overrides);
        ChildJvmFiles.writeProperties(props, c, KafkaBroker.class);
        ChildJvmFiles.writeLogback(baseDir.resolve("logback.xml"), "kafka.server.KafkaRaftServer");
    }

    private void startProcess() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                java.toString(),
                "-Xms64m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + baseDir.resolve("logback.xml"),
                "-cp",
                System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                props.toString(),
                clusterId);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        process = pb.start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        try (Admin admin = Admin.create(p)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("the Kafka broker exited with " + process.exitValue()
                            + " while starting; see " + log + ":\n" + tail());
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (notYet instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the Kafka broker", notYet);
                    }
                }
                if (System.nanoTime() > deadline) {
                    end(true);
                    throw new IOException("the Kafka broker did not become ready within " + START_TIMEOUT + "; see "
                            + log + ":\n" + tail());
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private String tail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: it is a temporary directory
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + baseDir + "]";
    }
}
