package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private MariaDB server for integration tests: a {@code mariadbd} child process with its own temporary data
 * directory, a free TCP port on 127.0.0.1, and its own socket, pid file and error log.
 *
 * <p>By default it writes a binlog the way Sluice wants it ({@code log-bin=mysql-bin}, {@code binlog_format=ROW},
 * {@code binlog_row_image=FULL}, {@code binlog_row_metadata=FULL}, {@code server_id=1}, {@code gtid_domain_id=0},
 * {@code log_slave_updates} off), uses {@code utf8mb4}, skips name resolution and keeps InnoDB small so that it
 * starts in a couple of seconds. Any server option can be overridden or removed through the {@link Builder}:
 *
 * <pre>{@code
 * try (MariaDbServer db = MariaDbServer.builder().option("binlog_format", "STATEMENT").start()) {
 *     String schema = db.createDatabase("orders");
 *     db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
 *     try (Connection c = db.rootConnection()) { ... }
 * }
 * }</pre>
 *
 * <p>The user {@code root} has an empty password and may connect over TCP from 127.0.0.1. Starting a server costs
 * seconds: test classes that need no special settings should use {@link #shared()}.
 *
 * <p>A JVM shutdown hook kills every server still running and deletes its files; a small watchdog process kills
 * the server even if the test JVM itself is killed.
 */
public final class MariaDbServer implements AutoCloseable {

    /** Seconds allowed for a start before it is reported as failed. */
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";
    private static final AtomicInteger DB_COUNTER = new AtomicInteger();
    private static final Set<MariaDbServer> LIVE = ConcurrentHashMap.newKeySet();
    private static final Object SHARED_LOCK = new Object();
    private static volatile MariaDbServer shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(MariaDbServer::cleanUpAtExit, "mariadb-server-cleanup"));
    }

    private final Map<String, String> options;
    private final Duration startTimeout;
    private final Path baseDir;
    private final Path dataDir;
    private final boolean isShared;
    private int port;
    private Process process;
    private Process watchdog;
    private boolean closed;

    private MariaDbServer(Builder b, boolean isShared) throws IOException {
        this.options = new LinkedHashMap<>(b.options);
        this.startTimeout = b.startTimeout;
        this.isShared = isShared;
        this.baseDir = Files.createTempDirectory("sluice-mariadb-");
        this.dataDir = baseDir.resolve("data");
    }

    /** A builder with Sluice's default server settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The one server with default settings shared by all test classes of this JVM: started on first use, killed
     * and deleted when the JVM exits. Give each test its own database ({@link #createDatabase(String)}); do not
     * stop, kill or restart it ({@link #close()} is a no-op on it, the others throw).
     */
    public static MariaDbServer shared() {
        MariaDbServer s = shared;
        if (s == null) {
            synchronized (SHARED_LOCK) {
                s = shared;
                if (s == null) {
                    s = builder().start(true);
                    shared = s;
                }
            }
        }
        return s;
    }

    /** Builder of a {@link MariaDbServer}: server options on top of Sluice's defaults. */
    public static final class Builder {
        private final Map<String, String> options = new LinkedHashMap<>();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {
            option("log-bin", "mysql-bin");
            option("binlog-format", "ROW");
            option("binlog-row-image", "FULL");
            option("binlog-row-metadata", "FULL");
            option("server-id", "1");
            option("gtid-domain-id", "0");
            option("log-slave-updates", "0");
            option("skip-name-resolve", null);
            option("character-set-server", "utf8mb4");
            option("collation-server", "utf8mb4_general_ci");
            option("innodb-buffer-pool-size", "16M");
            option("innodb-log-file-size", "8M");
            option("innodb-log-buffer-size", "1M");
            // Safe against a killed process (the OS still holds the writes); only a machine crash could lose them.
            option("innodb-flush-log-at-trx-commit", "2");
            option("sync-binlog", "0");
            option("max-connections", "100");
        }

        /**
         * Sets a server option, replacing an earlier value. Names are as on the {@code mariadbd} command line or in
         * my.cnf; {@code _} and {@code -} are the same ({@code binlog_format} = {@code binlog-format}).
         *
         * @param name  option name, with or without leading {@code --}
         * @param value its value, or null for a flag without value ({@code --skip-name-resolve})
         */
        public Builder option(String name, String value) {
            String key = normalize(name);
            options.remove(key);
            options.put(key, value);
            return this;
        }

        /** Removes an option (a default or one set earlier): {@code without("log_bin")} starts with no binlog. */
        public Builder without(String name) {
            options.remove(normalize(name));
            return this;
        }

        /** How long {@link #start()} waits for the server to accept connections (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Creates a data directory, starts the server and waits until root can connect.
         *
         * @throws IllegalStateException if it cannot be started in time, with the tail of its error log
         */
        public MariaDbServer start() {
            return start(false);
        }

        private MariaDbServer start(boolean isShared) {
            MariaDbServer server;
            try {
                server = new MariaDbServer(this, isShared);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for MariaDB", e);
            }
            try {
                server.initialize();
                server.firstStart();
                return server;
            } catch (RuntimeException | Error e) {
                server.destroyQuietly();
                throw e;
            }
        }

        private static String normalize(String name) {
            String n = name.strip();
            while (n.startsWith("-")) {
                n = n.substring(1);
            }
            return n.replace('_', '-');
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

    /** A JDBC URL without default database. */
    public String jdbcUrl() {
        return jdbcUrl("");
    }

    /** A JDBC URL with {@code db} as default database. */
    public String jdbcUrl(String db) {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + (db == null ? "" : db)
                + "?sslMode=disable&connectTimeout=5000";
    }

    /** A new connection as root (empty password) over TCP; the caller closes it. */
    public Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "root", "");
    }

    /** Runs statements in order as root, on one connection. Failures become unchecked. */
    public void execute(String... sql) {
        Statements.run(this, this::rootConnection, sql);
    }

    /**
     * Creates a fresh database named {@code prefix_N} (unique within this JVM) and returns its name, so that each
     * test has its own.
     */
    public String createDatabase(String prefix) {
        String clean = prefix.replaceAll("[^A-Za-z0-9_]", "_");
        String name = clean + "_" + DB_COUNTER.incrementAndGet();
        execute("CREATE DATABASE `" + name + "`");
        return name;
    }

    /**
     * Creates (or re-creates) {@code 'user'@'%'} with the password and grants it each privilege clause, e.g.
     * {@code createUser("sluice", "pw", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON shop.*")}.
     */
    public void createUser(String user, String password, String... grants) {
        String account = quote(user) + "@'%'";
        List<String> sql = new ArrayList<>();
        sql.add("DROP USER IF EXISTS " + account);
        sql.add("CREATE USER " + account + " IDENTIFIED BY " + quote(password));
        for (String g : grants) {
            sql.add("GRANT " + g + " TO " + account);
        }
        execute(sql.toArray(String[]::new));
    }

    /**
     * Makes this server a GTID replica of {@code primary} ({@code CHANGE MASTER TO ... MASTER_USE_GTID = slave_pos},
     * as root) and starts replicating. For a replica that logs what it applies under the primary's GTIDs, start both
     * with {@code log_slave_updates} on and distinct {@code server_id}s.
     */
    public void replicateFrom(MariaDbServer primary) {
        execute(
                "CHANGE MASTER TO MASTER_HOST = '" + primary.host() + "', MASTER_PORT = " + primary.port()
                        + ", MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos",
                "START SLAVE");
    }

    /**
     * Waits until this replica has applied everything {@code primary} has logged (its {@code @@gtid_slave_pos}
     * reaches the primary's {@code @@gtid_binlog_pos}).
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}, with the replica's last error
     */
    public void awaitReplicated(MariaDbServer primary, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String want = primary.variable("gtid_binlog_pos");
        String have = variable("gtid_slave_pos");
        while (!want.equals(have)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(this + " did not apply " + want + " within " + timeout.toSeconds()
                        + " s: it has " + have + "; replication: " + replicationError());
            }
            sleep(50);
            have = variable("gtid_slave_pos");
        }
    }

    private String variable(String name) {
        try (Connection c = rootConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT @@" + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read @@" + name + " on " + this + ": " + e.getMessage(), e);
        }
    }

    private String replicationError() {
        try (Connection c = rootConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next()
                    ? "IO: " + rs.getString("Last_IO_Error") + " SQL: " + rs.getString("Last_SQL_Error")
                    : "not a replica";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** Stops the server gracefully (SIGTERM, then waits for shutdown). The data directory is kept. */
    public synchronized void stop() {
        requireNotShared("stop");
        stopProcess(STOP_TIMEOUT);
    }

    /** Kills the server with SIGKILL, as a crash would. The data directory is kept. */
    public synchronized void kill() {
        requireNotShared("kill");
        killProcess();
    }

    /** Stops the server if it runs and starts it again on the same data directory and port. */
    public synchronized void restart() {
        requireNotShared("restart");
        if (closed) {
            throw new IllegalStateException("server was closed");
        }
        stopProcess(STOP_TIMEOUT);
        launchAndWait();
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The data directory (binlogs are there as {@code mysql-bin.NNNNNN}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The server's error log. */
    public Path errorLog() {
        return baseDir.resolve("error.log");
    }

    /** Stops the server and deletes its files. A no-op on {@link #shared()}, which is closed at JVM exit. */
    @Override
    public void close() {
        if (!isShared) {
            destroy(STOP_TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return "MariaDB at " + HOST + ":" + port + " (" + baseDir + ")";
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Creates the system tables. On a heavily loaded machine the bootstrap server has been seen to fail once without
     * a reason in the last lines of its log, so a failed install is tried once more on an empty data directory; the
     * error then carries both attempts' logs.
     */
    private void initialize() {
        try {
            install();
        } catch (IllegalStateException first) {
            deleteRecursively(dataDir);
            try {
                Files.createDirectories(dataDir);
                install();
                System.err.println("[testkit] mariadb-install-db succeeded on its second attempt; the first: "
                        + first.getMessage());
            } catch (IllegalStateException second) {
                second.addSuppressed(first);
                throw second;
            } catch (IOException e) {
                first.addSuppressed(e);
                throw first;
            }
        }
    }

    private void install() {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary("mariadb-install-db", "mysql_install_db"));
        cmd.add("--no-defaults");
        if (runningAsRoot()) {
            cmd.add("--user=root");
        }
        cmd.add("--datadir=" + dataDir);
        cmd.add("--auth-root-authentication-method=normal");
        cmd.add("--skip-test-db");
        cmd.add("--skip-name-resolve");
        // The redo log and buffer pool sizes also apply while bootstrapping, so the files are created small.
        options.forEach((k, v) -> {
            if (k.startsWith("innodb-") && v != null) {
                cmd.add("--" + k + "=" + v);
            }
        });
        Path log = baseDir.resolve("install.log");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db did not finish within 120 s\n" + tail(log, 30));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "mariadb-install-db failed with exit code " + p.exitValue() + ":\n" + tail(log, 80));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void firstStart() {
        // A free port can be taken by someone else before mariadbd binds it: then try another one.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                launchAndWait();
                break;
            } catch (IllegalStateException e) {
                if (attempt >= 3
                        || !e.getMessage().contains("Address already in use")
                                && !e.getMessage().contains("Bind on TCP/IP port")) {
                    throw e;
                }
            }
        }
        ensureRootOverTcp();
    }

    /** Root must reach the server over TCP from 127.0.0.1 with an empty password; checked right away. */
    private void ensureRootOverTcp() {
        if (rootLoginWorks() == null) {
            return;
        }
        // Where the bootstrap made root socket-only, allow it from 127.0.0.1 via the socket (unix_socket auth).
        String sql = "SET sql_log_bin=0; CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';"
                + " GRANT ALL PRIVILEGES ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
                + " ALTER USER root@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');";
        List<String> cmd = List.of(
                binary("mariadb", "mysql"),
                "--no-defaults",
                "-uroot",
                "--socket=" + baseDir.resolve("mariadb.sock"),
                "-e",
                sql);
        Path log = baseDir.resolve("bootstrap.log");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        SQLException e = rootLoginWorks();
        if (e != null) {
            throw new IllegalStateException(
                    "root cannot log in over TCP with an empty password on " + this + ": " + e.getMessage() + "\n"
                            + tail(log, 10),
                    e);
        }
    }

    private SQLException rootLoginWorks() {
        try (Connection c = rootConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private synchronized void launchAndWait() {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary("mariadbd", "mysqld"));
        cmd.add("--no-defaults");
        if (runningAsRoot()) {
            cmd.add("--user=root");
        }
        cmd.add("--datadir=" + dataDir);
        cmd.add("--tmpdir=" + baseDir);
        cmd.add("--port=" + port);
        cmd.add("--bind-address=" + HOST);
        cmd.add("--socket=" + baseDir.resolve("mariadb.sock"));
        cmd.add("--pid-file=" + baseDir.resolve("mariadb.pid"));
        cmd.add("--log-error=" + errorLog());
        options.forEach((k, v) -> cmd.add(v == null ? "--" + k : "--" + k + "=" + v));
        long logStart = size(errorLog());
        long outStart = size(consoleLog());
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(consoleLog().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        }
        LIVE.add(this);
        startWatchdog();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("MariaDB exited with code " + process.exitValue()
                        + " while starting on port " + port + ".\n" + diagnostics(logStart, outStart));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(), "root", "")) {
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() == 1045 || e.getErrorCode() == 1130 || e.getErrorCode() == 1698) {
                    return; // the server answers; the login is dealt with by ensureRootOverTcp
                }
                last = e;
            }
            sleep(100);
        }
        killProcess();
        throw new IllegalStateException("MariaDB did not accept connections on port " + port + " within "
                + startTimeout.toSeconds() + " s (last error: " + (last == null ? "none" : last.getMessage())
                + ").\n" + diagnostics(logStart, outStart));
    }

    private Path consoleLog() {
        return baseDir.resolve("mariadbd.out");
    }

    /** What the server said since this start: its console output (option errors) and its error log. */
    private String diagnostics(long logStart, long outStart) {
        StringBuilder sb = new StringBuilder();
        if (size(consoleLog()) > outStart) {
            sb.append("Console output:\n")
                    .append(tailFrom(consoleLog(), outStart, 15))
                    .append('\n');
        }
        sb.append("Error log ").append(errorLog());
        sb.append(size(errorLog()) > logStart ? " ends with:\n" + tailFrom(errorLog(), logStart, 30) : " is empty");
        return sb.toString();
    }

    /** A shell loop that SIGKILLs the server and deletes its files if this JVM disappears without cleaning up. */
    private void startWatchdog() {
        long jvm = ProcessHandle.current().pid();
        long child = process.pid();
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; kill -9 " + child
                + " 2>/dev/null; sleep 1; rm -rf '" + baseDir + "'";
        try {
            watchdog = new ProcessBuilder("sh", "-c", script)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            watchdog = null; // the shutdown hook still covers an orderly exit
        }
    }

    private synchronized void stopProcess(Duration timeout) {
        stopWatchdog();
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: mariadbd shuts down cleanly
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        process = null;
        LIVE.remove(this);
    }

    private synchronized void killProcess() {
        stopWatchdog();
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        LIVE.remove(this);
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.destroyForcibly();
            watchdog = null;
        }
    }

    private synchronized void destroy(Duration stopTimeout) {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess(stopTimeout);
        deleteRecursively(baseDir);
    }

    private void destroyQuietly() {
        try {
            destroy(Duration.ofSeconds(5));
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    private void requireNotShared(String what) {
        if (isShared) {
            throw new UnsupportedOperationException("cannot " + what + " the shared server; start your own");
        }
    }

    /** At JVM exit the data is thrown away anyway: SIGKILL is quick, and test runners may halt a slow hook. */
    private static void cleanUpAtExit() {
        List<MariaDbServer> all = new ArrayList<>(LIVE);
        MariaDbServer s = shared;
        if (s != null) {
            all.add(s);
        }
        for (MariaDbServer server : all) {
            try {
                synchronized (server) {
                    if (!server.closed) {
                        server.closed = true;
                        server.killProcess();
                        deleteRecursively(server.baseDir);
                    }
                }
            } catch (RuntimeException ignored) {
                // best effort; the watchdog is the last resort
            }
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String binary(String... names) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"));
        if (path != null) {
            dirs.addAll(0, List.of(path.split(":")));
        }
        for (String name : names) {
            for (String dir : dirs) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new IllegalStateException(names[0] + " not found on PATH or in /usr/sbin: install MariaDB "
                + "(Debian: apt-get install mariadb-server)");
    }

    /** A free TCP port on 127.0.0.1 (the testkit's servers share these helpers). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + HOST, e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(Path file, int lines) {
        return tailFrom(file, 0, lines);
    }

    /** The last lines of a file written after byte {@code from}. */
    static String tailFrom(Path file, long from, int lines) {
        try {
            byte[] all = Files.readAllBytes(file);
            int start = (int) Math.min(Math.max(from, 0), all.length);
            String text = new String(all, start, all.length - start, StandardCharsets.UTF_8);
            List<String> l = text.lines().toList();
            return String.join("\n", l.subList(Math.max(0, l.size() - lines), l.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
