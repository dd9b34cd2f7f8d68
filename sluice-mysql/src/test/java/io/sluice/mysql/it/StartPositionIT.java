package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.sink.FileSinkConfig;
import io.sluice.core.sink.Sinks;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code start: latest} (and {@code snapshot}, {@code earliest}) is resolved once and kept: a pipeline that loses its
 * connection, or is restarted, before its first transaction begins again where it first began, so the rows committed
 * meanwhile on an otherwise idle server are all emitted. The pipeline reads through a {@link TcpProxy} as its own
 * user, so the test sees on the server when its binlog connection is up.
 */
class StartPositionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(7600);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void aConnectionCutBeforeTheFirstCommitLosesNothingCommittedWhileItWasDown() throws Exception {
        try (Scenario sc = new Scenario("startcut")) {
            Pipeline p = sc.start();
            sc.proxy.setRefusing(true);
            sc.proxy.cutAll();
            sc.insert(1, 2, 3); // while the pipeline is disconnected, before it committed anything
            awaitRetries(p, 1);
            sc.proxy.setRefusing(false);
            sc.awaitBinlogReaders(1, p);
            sc.insert(4);
            assertThat(ids(awaitEvents(sc.dir, 4, p)))
                    .as("every row committed after the pipeline first started")
                    .containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void aRestartBeforeTheFirstCommitBeginsWhereTheFirstRunBegan() throws Exception {
        try (Scenario sc = new Scenario("startrestart")) {
            Pipeline first = sc.start();
            first.stop();
            assertThat(first.await(Duration.ofSeconds(30))).isTrue();
            sc.awaitBinlogReaders(0, first);
            sc.insert(1, 2); // while no Sluice runs, before any commit
            Pipeline second = sc.start();
            sc.insert(3);
            assertThat(ids(awaitEvents(sc.dir, 3, second)))
                    .as("the rows committed while no Sluice ran too")
                    .containsExactly(1, 2, 3);
        }
    }

    @Test
    void startSnapshotResolvesToTheLatestPositionOnItsServerWithTheInitialSnapshotsTablesUnderOneRunName()
            throws Exception {
        String s = db.createDatabase("startsnap");
        db.execute("CREATE TABLE " + s + ".a (id INT PRIMARY KEY)", "CREATE TABLE " + s + ".b (id INT PRIMARY KEY)");
        try (TcpProxy proxy = TcpProxy.start(db.host(), db.port())) {
            MySqlSource source = new MySqlSource(config(proxy, "root", s, new StartPosition.Snapshot()));
            int before = proxy.accepted();
            Checkpoint cp = source.resolveStart();
            assertThat(proxy.accepted() - before)
                    .as("connections the resolution opened: one asks every question (a handshake each, at every start)")
                    .isEqualTo(1);
            assertThat(cp.position()).isNotNull();
            assertThat(cp.server()).as("the server the position belongs to").isNotNull();
            assertThat(cp.position().gtids())
                    .as("MariaDB's GTID state at the position")
                    .isNotBlank();
            assertThat(cp.snapshot()).isNotNull();
            assertThat(cp.snapshot().jobs())
                    .extracting(SnapshotProgress.Job::table)
                    .containsExactly(s + ".a", s + ".b");
            assertThat(cp.snapshot().jobs())
                    .extracting(SnapshotProgress.Job::run)
                    .containsOnly(cp.snapshot().jobs().get(0).run());
            MySqlSource fixed = new MySqlSource(config(
                    proxy,
                    "root",
                    s,
                    new StartPosition.At(cp.position().file(), cp.position().pos())));
            assertThat(fixed.resolveStart())
                    .as("a fixed position needs no resolution")
                    .isNull();
        }
    }

    /**
     * A table {@code t} in a new schema, a user of its own to read it with (so the server shows its binlog readers), a
     * proxy to the server and a directory for the pipelines; closing stops every pipeline it started.
     */
    private final class Scenario implements AutoCloseable {
        final String schema;
        final String user;
        final Path dir;
        final TcpProxy proxy;
        private final List<Pipeline> started = new ArrayList<>();

        Scenario(String prefix) throws Exception {
            schema = db.createDatabase(prefix);
            user = schema + "_u";
            db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
            db.createUser(user, "pw", "ALL PRIVILEGES ON *.*");
            dir = Files.createTempDirectory("sluice-it-start-");
            proxy = TcpProxy.start(db.host(), db.port());
        }

        /** Starts a pipeline with {@code start: latest} and waits until it reads the binlog. */
        Pipeline start() throws Exception {
            Pipeline p = pipeline(config(proxy, user, schema, new StartPosition.Latest()), dir);
            started.add(p);
            p.start();
            awaitBinlogReaders(1, p);
            return p;
        }

        void insert(int... ids) {
            for (int id : ids) {
                db.execute("INSERT INTO " + schema + ".t VALUES (" + id + ")");
            }
        }

        /** Waits until the server shows {@code n} binlog dump threads of the scenario's user. */
        void awaitBinlogReaders(int n, Pipeline p) {
            Capture.waiting(n + " binlog reader(s) of " + user, TIMEOUT, p)
                    .until(() -> binlogReaders(user), r -> r == n);
        }

        @Override
        public void close() throws InterruptedException {
            for (Pipeline p : started) {
                p.stop();
                p.await(Duration.ofSeconds(30));
            }
            proxy.close();
        }
    }

    private MySqlSourceConfig config(TcpProxy proxy, String user, String schema, StartPosition start) {
        return Capture.source(proxy.host(), proxy.port(), SERVER_IDS.incrementAndGet(), List.of(schema + ".*"), start)
                .user(user)
                .password(user.equals("root") ? "" : "pw")
                .build();
    }

    private static Pipeline pipeline(MySqlSourceConfig config, Path dir) {
        MySqlSource source = new MySqlSource(config, dir.resolve("state"), SchemaPolicy.DEFAULT);
        return new Pipeline(
                "it",
                source,
                Sinks.file(FileSinkConfig.of(dir.resolve("out")).withStateDir(dir.resolve("state")), Clock.systemUTC()),
                new BatchPolicy(1000, 1 << 20, 50),
                4096,
                Clock.systemUTC());
    }

    private int binlogReaders(String user) throws Exception {
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                        + user + "' AND COMMAND LIKE 'Binlog Dump%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitRetries(Pipeline p, long n) {
        Capture.waiting(n + " retries", TIMEOUT, p).until(() -> p.stats().retries(), r -> r >= n);
    }

    /**
     * Waits until the sink's files hold {@code n} events and the pipeline has caught up with the server (so any extra
     * event would be in too), returns them all.
     */
    private List<JsonNode> awaitEvents(Path dir, int n, Pipeline p) throws Exception {
        Capture.waiting(n + " events in the sink's files", TIMEOUT, p)
                .until(() -> events(dir.resolve("out")), events -> events.size() >= n);
        Capture.awaitCaughtUp(db, p);
        return events(dir.resolve("out"));
    }

    private static List<JsonNode> events(Path out) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return events;
        }
        try (var files = Files.list(out)) {
            for (Path seg : files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(seg)) {
                    if (line.endsWith("}")) {
                        events.add(JSON.readTree(line));
                    }
                }
            }
        }
        return events;
    }

    private static List<Integer> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("after").path("id").asInt()).toList();
    }
}
