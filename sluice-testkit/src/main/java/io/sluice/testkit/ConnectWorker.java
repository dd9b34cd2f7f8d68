package io.sluice.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Kafka Connect worker in distributed mode for integration tests: a child JVM running
 * {@code ConnectDistributed} from the test's class path (which must hold {@code org.apache.kafka:connect-runtime}),
 * with its REST API on a free port of 127.0.0.1, exactly-once source support enabled, and its plugins loaded from
 * {@code pluginPath} only: the test's own Sluice classes are left off the child's class path, so the packaged
 * plugin is what runs. Workers started with the same {@code group} form one cluster (their config, offset and status
 * topics are named after it), and a task moves to a surviving worker when one is killed.
 *
 * <pre>{@code
 * try (ConnectWorker w1 = ConnectWorker.start(kafka.bootstrapServers(), "g1", plugins, Map.of());
 *      ConnectWorker w2 = ConnectWorker.start(kafka.bootstrapServers(), "g1", plugins, Map.of())) {
 *     w1.rest("PUT", "/connectors/shop/config", json);
 *     w1.kill();   // SIGKILL: its tasks move to w2 after the group notices
 * }
 * }</pre>
 *
 * <p>Rebalance delays are short (heartbeat 1 s, session 6 s, {@code scheduled.rebalance.max.delay.ms} 0), so a
 * killed worker's tasks move within seconds. The child exits by itself when the test JVM dies.
 */
public final class ConnectWorker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final String HOST = "127.0.0.1";
    /** Class path entries of Sluice's own modules, left off the worker's class path. */
    private static final Pattern OWN = Pattern.compile(".*[/\\\\]sluice-[a-z]+([/\\\\]target[/\\\\].*|-[0-9].*\\.jar)");

    private final Path dir;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private ConnectWorker(Path dir, int port) {
        this.dir = dir;
        this.log = dir.resolve("worker.log");
        this.port = port;
    }

    /**
     * Starts a worker of cluster {@code group} on the broker {@code bootstrapServers}, loading plugins from
     * {@code pluginPath}; {@code overrides} replace or add worker properties. Returns once its REST API answers.
     */
    public static ConnectWorker start(
            String bootstrapServers, String group, Path pluginPath, Map<String, String> overrides) {
        try {
            Path dir = Files.createTempDirectory("sluice-connect-");
            ConnectWorker w = new ConnectWorker(dir, freePort());
            w.writeConfig(bootstrapServers, group, pluginPath, overrides);
            try {
                w.startProcess();
            } catch (RuntimeException | Error e) {
                w.kill(); // a worker that did not answer in time is not left running beside the next one
                throw e;
            }
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration of a Sluice connector as the tests and the benchmark run it: exactly once with
     * connector-defined boundaries, the contract's JSON bytes, reading {@code db} as root with {@code serverId}, the
     * tables matching {@code include} (a JSON list), writing to {@code bootstrapServers}; add the rest (start, ...).
     */
    public static Map<String, String> sluiceConnector(
            MariaDbServer db, int serverId, String include, String bootstrapServers) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.sluice.connect.SluiceSourceConnector");
        c.put("tasks.max", "1");
        c.put("exactly.once.support", "required");
        c.put("transaction.boundary", "connector");
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("source.host", db.host());
        c.put("source.port", Integer.toString(db.port()));
        c.put("source.user", "root");
        c.put("source.server-id", Integer.toString(serverId));
        c.put("source.include", include);
        c.put("kafka.bootstrap-servers", bootstrapServers);
        return c;
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:38211}. */
    public String url() {
        return "http://" + HOST + ":" + port;
    }

    /** The worker's log file. */
    /** The worker's process id (its JVM). */
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** A REST call: {@code method} on {@code path} with a JSON {@code body} (or null); the status and the body. */
    public Response rest(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + this + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A REST response. */
    public record Response(int status, String body) {}

    /**
     * Freezes the worker (SIGSTOP): it stops heartbeating, so the group moves its tasks elsewhere, and when
     * {@link #resume() resumed} its tasks run on for a moment as zombies, which Connect must fence.
     */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a {@link #pause() paused} worker run again (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills the worker (SIGKILL), as a crash would. */
    public void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the worker and deletes its files. */
    @Override
    public void close() {
        kill();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    private void writeConfig(String bootstrapServers, String group, Path pluginPath, Map<String, String> overrides)
            throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("group.id", group);
        c.put("config.storage.topic", group + "-configs");
        c.put("offset.storage.topic", group + "-offsets");
        c.put("status.storage.topic", group + "-status");
        c.put("config.storage.replication.factor", "1");
        c.put("offset.storage.replication.factor", "1");
        c.put("status.storage.replication.factor", "1");
        c.put("offset.storage.partitions", "1");
        c.put("status.storage.partitions", "1");
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("listeners", "http://" + HOST + ":" + port);
        c.put("rest.advertised.host.name", HOST);
        c.put("rest.advertised.port", Integer.toString(port));
        c.put("plugin.path", pluginPath.toAbsolutePath().toString());
        c.put("plugin.discovery", "hybrid_warn");
        c.put("exactly.once.source.support", "enabled");
        c.put("offset.flush.interval.ms", "1000");
        c.put("heartbeat.interval.ms", "1000");
        c.put("session.timeout.ms", "6000");
        c.put("rebalance.timeout.ms", "10000");
        c.put("scheduled.rebalance.max.delay.ms", "0");
        c.put("task.shutdown.graceful.timeout.ms", "5000");
        c.putAll(overrides);
        ChildJvmFiles.writeProperties(dir.resolve("worker.properties"), c, ConnectWorker.class);
        ChildJvmFiles.writeLogback(
                dir.resolve("logback.xml"),
                "io.sluice",
                "org.apache.kafka.connect.runtime.distributed.DistributedHerder");
    }

    private void startProcess() throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !OWN.matcher(e).matches() || e.contains("sluice-testkit"))
                .collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                java.toString(),
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp",
                classPath,
                ConnectWorkerMain.class.getName(),
                dir.resolve("worker.properties").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        process = pb.start();
        Waits.await("the Connect worker " + url() + " to answer (log: " + log + ")", START_TIMEOUT)
                .whileAlive(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "the Connect worker exited with " + process.exitValue() + "; see " + log);
                    }
                })
                .until(() -> {
                    try {
                        return rest("GET", "/connectors", null).status() == 200;
                    } catch (UncheckedIOException notYet) {
                        return false;
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "ConnectWorker[" + url() + ", " + dir + "]";
    }
}
