package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for integration tests: {@code initdb} into a data directory of its own (under
 * {@code target/}, the module's build directory, when there is one the server's user can reach, else the temporary
 * directory), then a
 * {@code postgres} child process on a free TCP port of 127.0.0.1, with trust authentication for the superuser
 * {@code postgres} and fsync off (a killed server keeps what it committed; only a machine crash could lose it).
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {
 *     String db = pg.createDatabase("orders");
 *     try (Connection c = pg.connection(db)) { ... }
 * }
 * }</pre>
 *
 * <p>The binaries are Debian's ({@code postgresql} package: {@code /usr/lib/postgresql/<version>/bin}), or the
 * {@code initdb} and {@code postgres} on the PATH. PostgreSQL refuses to run as root: run as root (CI), the server
 * runs as the {@code postgres} user the package creates, its directory given to that user.
 *
 * <p>A JVM shutdown hook kills every server still running and deletes its files; a small watchdog process kills the
 * server even if the test JVM itself is killed.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DB_COUNTER = new AtomicInteger();
    private static final Set<PostgresServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::cleanUpAtExit, "postgres-server-cleanup"));
    }

    private final Path bin;
    private final Path baseDir;
    private final Path dataDir;
    private final boolean asPostgresUser;
    private int port;
    private Process process;
    private Process watchdog;
    private boolean closed;

    private PostgresServer() throws IOException {
        this.bin = binaries();
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        Path target = Paths.get("target").toAbsolutePath();
        // under target/ where the server's user can reach it (as root, a checkout under /root may not be)
        boolean inTarget = Files.isDirectory(target) && (!asPostgresUser || reachableByOthers(target));
        this.baseDir = inTarget
                ? Files.createTempDirectory(target, "postgres-")
                : Files.createTempDirectory("sluice-postgres-");
        this.dataDir = baseDir.resolve("data");
    }

    /** Whether every directory from the root down to {@code dir} lets other users through. */
    private static boolean reachableByOthers(Path dir) {
        try {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Creates a cluster, starts it and waits until it accepts connections.
     *
     * @throws IllegalStateException when PostgreSQL is not installed, or does not start in time (with its log)
     */
    public static PostgresServer start() {
        PostgresServer s;
        try {
            s = new PostgresServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
        try {
            s.initdb();
            for (int attempt = 1; ; attempt++) {
                s.port = MariaDbServer.freePort();
                try {
                    s.launchAndWait();
                    break;
                } catch (IllegalStateException e) {
                    if (attempt >= 3 || !e.getMessage().contains("already in use")) {
                        throw e;
                    }
                }
            }
            return s;
        } catch (RuntimeException | Error e) {
            s.killProcess();
            MariaDbServer.deleteRecursively(s.baseDir);
            throw e;
        }
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The TCP port, the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The superuser: {@code postgres}, no password (trust). */
    public String user() {
        return SUPERUSER;
    }

    /** A JDBC URL of a database. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + db + "?connectTimeout=5";
    }

    /** A new connection to {@code db} as the superuser; the caller closes it. */
    public Connection connection(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), SUPERUSER, "");
    }

    /** Runs statements in order on {@code db}, each committed. Failures become unchecked. */
    public void execute(String db, String... sql) {
        Statements.run(this, () -> connection(db), sql);
    }

    /** Creates a fresh database {@code prefix_N} (unique in this JVM) and returns its name. */
    public String createDatabase(String prefix) {
        String name = prefix.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT) + "_"
                + DB_COUNTER.incrementAndGet();
        execute("postgres", "CREATE DATABASE \"" + name + "\"");
        return name;
    }

    /**
     * Makes TCP logins of {@code user} need its password (the cluster trusts every login otherwise): a
     * {@code scram-sha-256} line for it first in {@code pg_hba.conf}, then the configuration reloaded.
     */
    public synchronized void requirePassword(String user) {
        Path hba = dataDir.resolve("pg_hba.conf");
        try {
            String rules = Files.readString(hba);
            Files.writeString(hba, "host all " + user + " 127.0.0.1/32 scram-sha-256\n" + rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + hba, e);
        }
        execute("postgres", "SELECT pg_reload_conf()");
    }

    /** The postmaster's pid (from {@code postmaster.pid}), or -1 when it is not running: for CPU accounting. */
    public long pid() {
        try {
            String first =
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            return Long.parseLong(first);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Kills the server with SIGKILL, as a crash would. The data directory is kept. */
    public synchronized void kill() {
        killProcess();
    }

    /** Stops the server (a fast shutdown: clients are disconnected) and starts it again on the same port. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("server was closed");
        }
        stopProcess();
        launchAndWait();
    }

    /** Starts the server again after {@link #kill()}, on the same data directory and port. */
    public synchronized void startAgain() {
        if (closed) {
            throw new IllegalStateException("server was closed");
        }
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("server is running");
        }
        launchAndWait();
    }

    /** The server's log. */
    public Path log() {
        return baseDir.resolve("postgres.log");
    }

    /** Stops the server and deletes its files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        LIVE.remove(this);
        MariaDbServer.deleteRecursively(baseDir);
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + HOST + ":" + port + " (" + baseDir + ")";
    }

    // ---------------------------------------------------------------------------------------------------------

    private List<String> asServerUser(List<String> cmd) {
        if (!asPostgresUser) {
            return cmd;
        }
        List<String> c = new ArrayList<>(
                List.of("setpriv", "--reuid=" + SUPERUSER, "--regid=" + SUPERUSER, "--init-groups", "--reset-env"));
        c.addAll(cmd);
        return c;
    }

    private void initdb() {
        if (asPostgresUser) {
            // the server's user must own its directory (and reach it: the build directory is world-readable)
            run(List.of("chown", "-R", SUPERUSER + ":", baseDir.toString()), baseDir.resolve("chown.log"), 30);
        }
        List<String> cmd = asServerUser(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync"));
        run(cmd, baseDir.resolve("initdb.log"), 120);
    }

    private void run(List<String> cmd, Path log, int seconds) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        cmd.get(0) + " did not finish within " + seconds + " s\n" + MariaDbServer.tailFrom(log, 0, 40));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue()
                        + ":\n" + MariaDbServer.tailFrom(log, 0, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized void launchAndWait() {
        List<String> cmd = asServerUser(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                dataDir.toString(),
                "-p",
                String.valueOf(port),
                "-c",
                "listen_addresses=" + HOST,
                "-c",
                "unix_socket_directories=" + baseDir,
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "shared_buffers=32MB",
                "-c",
                "max_connections=50",
                "-c",
                "logging_collector=off"));
        long logStart = MariaDbServer.size(log());
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        }
        LIVE.add(this);
        startWatchdog();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with code " + process.exitValue()
                        + " while starting on port " + port + ":\n" + MariaDbServer.tailFrom(log(), logStart, 40));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            MariaDbServer.sleep(100);
        }
        killProcess();
        throw new IllegalStateException("PostgreSQL did not accept connections on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s (last error: " + (last == null ? "none" : last.getMessage())
                + "):\n" + MariaDbServer.tailFrom(log(), logStart, 40));
    }

    private void startWatchdog() {
        stopWatchdog();
        long jvm = ProcessHandle.current().pid();
        long child = process.pid();
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; pkill -9 -P " + child
                + " 2>/dev/null; kill -9 " + child + " 2>/dev/null; sleep 1; rm -rf '" + baseDir + "'";
        try {
            watchdog = new ProcessBuilder("sh", "-c", script)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            watchdog = null; // the shutdown hook still covers an orderly exit
        }
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.destroyForcibly();
            watchdog = null;
        }
    }

    /** A fast shutdown (SIGINT: clients disconnected, everything committed kept), then a kill if it hangs. */
    private synchronized void stopProcess() {
        stopWatchdog();
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor(10, TimeUnit.SECONDS);
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    killProcess();
                }
            } catch (IOException e) {
                killProcess();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killProcess();
            }
        }
        process = null;
    }

    /** SIGKILL to the postmaster and its backends (which otherwise hold the port and shared memory). */
    private synchronized void killProcess() {
        stopWatchdog();
        if (process == null) {
            return;
        }
        ProcessHandle h = process.toHandle();
        List<ProcessHandle> children = h.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                c.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // gone or not: the next start says so
        }
        process = null;
    }

    private static void cleanUpAtExit() {
        LIVE.forEach(PostgresServer::destroyAtExit);
    }

    /** Kills the server and deletes its files, as the JVM exits; best effort (the watchdog is the last resort). */
    private synchronized void destroyAtExit() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            killProcess();
        } finally {
            MariaDbServer.deleteRecursively(baseDir);
        }
    }

    /** Debian's newest /usr/lib/postgresql/<version>/bin, else the directory of initdb on the PATH. */
    private static Path binaries() {
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path best = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(PostgresServer::version))
                        .orElse(null);
                if (best != null) {
                    return best.resolve("bin");
                }
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Paths.get(dir);
                if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("postgres"))) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed: no /usr/lib/postgresql/<version>/bin/initdb"
                + " and no initdb on the PATH. Install it: apt-get install postgresql (.ci/run does)");
    }

    private static int version(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
