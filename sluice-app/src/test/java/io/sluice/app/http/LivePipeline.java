package io.sluice.app.http;

import io.sluice.app.TestSinks;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.metrics.SluiceMetrics;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.app.run.Pipelines;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.mysql.source.HeartbeatConfig;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real pipeline (binlog source on the shared MariaDB into the file sink) built by the app's composition root,
 * with its own database and table, its metrics, and a writer thread that inserts rows until closed.
 */
final class LivePipeline implements AutoCloseable {
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(8100);

    final MariaDbServer server = MariaDbServer.shared();
    final String db;
    /** The replica server id the pipeline presents (its heartbeat row's key). */
    final long serverId;

    final ManagedPipeline managed;
    final AtomicLong inserted = new AtomicLong();
    /**
     * Events besides the inserted orders: the two customers (no s event announces the tables' version 1:
     * encoding.announce-schemas is off by default).
     */
    static final int FIXED_EVENTS = 2;
    /** The pipeline's metrics, polling the server's binlog end every 200 ms: the lag the API shows. */
    final SluiceMetrics metrics = new SluiceMetrics(Clock.systemUTC(), Duration.ofMillis(200), "0.0.0-test");

    private volatile boolean writing;
    private Thread writer;

    LivePipeline(String name) throws Exception {
        this(name, null);
    }

    /** A pipeline that starts at {@code startFile} (a binlog the server does not have: it fails at once), or null. */
    LivePipeline(String name, String startFile) throws Exception {
        this(name, startFile, "root", HeartbeatConfig.OFF, null);
    }

    /**
     * A pipeline connecting as {@code user} (no password; the test gave it its grants) with {@code heartbeat}, from
     * the server's current position.
     */
    LivePipeline(String name, String user, HeartbeatConfig heartbeat) throws Exception {
        this(name, null, user, heartbeat, null);
    }

    /**
     * A pipeline whose rule file holds {@code rules}; {@code {db}} in it stands for the pipeline's database.
     */
    static LivePipeline withRules(String name, String rules) throws Exception {
        return new LivePipeline(name, null, "root", HeartbeatConfig.OFF, rules);
    }

    private LivePipeline(String name, String startFile, String user, HeartbeatConfig heartbeat, String rules)
            throws Exception {
        db = server.createDatabase(name);
        server.execute(
                "CREATE TABLE `" + db + "`.orders (id INT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(40), qty INT)",
                "CREATE TABLE `" + db + "`.customers (id INT PRIMARY KEY, name VARCHAR(40))");
        String[] start;
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            start = new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "http-it-");
        this.serverId = SERVER_IDS.incrementAndGet();
        MySqlSourceConfig src = MySqlSourceConfig.builder()
                .name(name)
                .host(server.host())
                .port(server.port())
                .user(user)
                .password("")
                .serverId(serverId)
                .include(List.of(db + ".*"))
                .start(
                        startFile == null
                                ? new StartPosition.At(start[0], Long.parseLong(start[1]))
                                : new StartPosition.At(startFile, 4))
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .withHeartbeat(heartbeat);
        Path rulesFile = null;
        if (rules != null) {
            rulesFile = Files.writeString(dir.resolve("rules.yaml"), rules.replace("{db}", db));
        }
        PipelineConfig cfg = PipelineConfig.builder()
                .name(name)
                .source(src)
                .sink(TestSinks.file(dir.resolve("out"), 1 << 20, false))
                .state(dir.resolve("state"))
                .batch(new BatchPolicy(500, 1 << 20, 50))
                .queueEvents(4096)
                .file(dir.resolve(name + ".yaml"))
                .rules(rulesFile)
                .build();
        managed = Pipelines.manage(cfg, io.sluice.core.time.Scheduler.system(Clock.systemUTC()));
        managed.pipeline().listener(metrics.listenerFor(cfg, managed.pipeline()));
        managed.pipeline().start();
        if (startFile != null) {
            return;
        }
        server.execute("INSERT INTO `" + db + "`.customers VALUES (1, 'Ada'), (2, 'Grace')");
    }

    /** Starts inserting one row every {@code everyMs}. */
    void startWriting(long everyMs) {
        writing = true;
        writer = new Thread(
                () -> {
                    try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), "root", "");
                            Statement st = c.createStatement()) {
                        while (writing) {
                            st.executeUpdate("INSERT INTO orders (item, qty) VALUES ('widget', "
                                    + (inserted.get() % 7 + 1) + ")");
                            inserted.incrementAndGet();
                            Thread.sleep(everyMs); // the subject: a steady workload, one row every everyMs
                        }
                    } catch (Exception e) {
                        if (writing) {
                            throw new IllegalStateException(e);
                        }
                    }
                },
                "it-writer");
        writer.start();
    }

    void stopWriting() throws InterruptedException {
        writing = false;
        if (writer != null) {
            writer.join(5000);
        }
    }

    @Override
    public void close() throws Exception {
        stopWriting();
        managed.pipeline().stop();
        managed.pipeline().await(Duration.ofSeconds(30));
        metrics.close();
    }
}
