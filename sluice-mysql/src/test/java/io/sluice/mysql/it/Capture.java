package io.sluice.mysql.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.sink.FileSinkConfig;
import io.sluice.core.sink.Sinks;
import io.sluice.mysql.schema.SchemaFiles;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import io.sluice.mysql.testing.LocalSources;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs a real pipeline (binlog source into the file sink) against a test server and reads back the events the
 * sink wrote, as JSON. Starts at the server's current binlog end, so only what the test does afterwards shows.
 */
final class Capture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(7000);

    final MariaDbServer server;
    final Path dir;
    final MySqlSourceConfig config;
    private Pipeline pipeline;
    private MySqlSource source;

    private Capture(MariaDbServer server, Path dir, MySqlSourceConfig config) {
        this.server = server;
        this.dir = dir;
        this.config = config;
    }

    /** A capture of the given tables ({@code db.table} globs) starting at the server's current position. */
    static Capture start(MariaDbServer server, String... include) throws Exception {
        return create(server, List.of(include), current(server)).run();
    }

    /** The settings of an {@code it} source: {@link LocalSources#source(String, int, long, List, StartPosition)}. */
    static MySqlSourceConfig.Builder source(
            String host, int port, long serverId, List<String> include, StartPosition start) {
        return LocalSources.source(host, port, serverId, include, start);
    }

    static Capture create(MariaDbServer server, List<String> include, StartPosition start) throws IOException {
        return create(server, include, start, "root", "", TlsMode.DISABLED);
    }

    static Capture create(
            MariaDbServer server, List<String> include, StartPosition start, String user, String password, TlsMode tls)
            throws IOException {
        Path dir = Files.createTempDirectory("sluice-it-");
        MySqlSourceConfig cfg = source(server.host(), server.port(), SERVER_IDS.incrementAndGet(), include, start)
                .user(user)
                .password(password)
                .tls(tls)
                .build();
        return new Capture(server, dir, cfg);
    }

    /** A capture whose statements that change captured rows without row events do what {@code policy} says. */
    static Capture create(
            MariaDbServer server,
            List<String> include,
            StartPosition start,
            io.sluice.mysql.source.StatementPolicy policy)
            throws IOException {
        Path dir = Files.createTempDirectory("sluice-it-");
        MySqlSourceConfig cfg = source(server.host(), server.port(), SERVER_IDS.incrementAndGet(), include, start)
                .onStatementChanges(policy)
                .build();
        return new Capture(server, dir, cfg);
    }

    /** Waits until the pipeline has failed and returns its error. */
    Throwable awaitFailure() throws Exception {
        Waits.await("the pipeline failed", Duration.ofSeconds(30))
                .until(() -> new Failing(pipeline.state(), new Seen(events())), f -> f.state() == PipelineState.FAILED);
        return pipeline.failure().orElseThrow();
    }

    /** A new capture of the same tables into the same directories (a restart: it resumes from the checkpoint). */
    static Capture reuse(Capture previous) {
        return new Capture(previous.server, previous.dir, previous.config).announceSchemas(previous.announceSchemas);
    }

    /** Whether the runs that follow announce versions no statement made (encoding.announce-schemas; off). */
    private boolean announceSchemas;

    /** Turns {@code encoding.announce-schemas} on (or off) for the runs that follow (and captures reusing this). */
    Capture announceSchemas(boolean on) {
        this.announceSchemas = on;
        return this;
    }

    /** A capture with snapshot settings (signal table, chunk size). */
    static Capture create(
            MariaDbServer server,
            List<String> include,
            StartPosition start,
            io.sluice.mysql.snapshot.SnapshotConfig snapshot)
            throws IOException {
        return create(server, server.host(), server.port(), include, start, snapshot);
    }

    /** A capture that starts with a snapshot read {@code chunk} rows at a time (default signal table). */
    static Capture snapshot(MariaDbServer server, List<String> include, int chunk) throws IOException {
        return create(
                server,
                include,
                new StartPosition.Snapshot(),
                new io.sluice.mysql.snapshot.SnapshotConfig(
                        io.sluice.mysql.snapshot.SnapshotConfig.DEFAULT_SIGNAL_TABLE, chunk));
    }

    /** A capture with snapshot settings whose connections all go through {@code proxy} to the server. */
    static Capture create(
            MariaDbServer server,
            io.sluice.testkit.TcpProxy proxy,
            List<String> include,
            StartPosition start,
            io.sluice.mysql.snapshot.SnapshotConfig snapshot)
            throws IOException {
        return create(server, proxy.host(), proxy.port(), include, start, snapshot);
    }

    private static Capture create(
            MariaDbServer server,
            String host,
            int port,
            List<String> include,
            StartPosition start,
            io.sluice.mysql.snapshot.SnapshotConfig snapshot)
            throws IOException {
        return createAs(server, host, port, "root", "", include, start, snapshot);
    }

    /** A capture with snapshot settings as {@code user} (with the grants the test gave it), over host:port. */
    static Capture createAs(
            MariaDbServer server,
            String host,
            int port,
            String user,
            String password,
            List<String> include,
            StartPosition start,
            io.sluice.mysql.snapshot.SnapshotConfig snapshot)
            throws IOException {
        Path dir = Files.createTempDirectory("sluice-it-");
        MySqlSourceConfig cfg = source(host, port, SERVER_IDS.incrementAndGet(), include, start)
                .user(user)
                .password(password)
                .snapshot(snapshot)
                .build();
        return new Capture(server, dir, cfg);
    }

    /** The running pipeline's source. */
    MySqlSource source() {
        return source;
    }

    static StartPosition current(MariaDbServer server) throws SQLException {
        return LocalSources.current(server);
    }

    Capture run() {
        return run(new MySqlSource(config));
    }

    /** Runs with the schema history kept in the capture's state directory, checked against {@code policy}. */
    Capture run(SchemaPolicy policy) {
        return run(new MySqlSource(config, stateDir(), policy));
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    /**
     * Runs with the schema history in the state directory and each version's schemas for consumers written next
     * to the output ({@link #schemasDir()}), as {@code sluice run} does for the file sink.
     */
    Capture runPublishingSchemas() {
        return run(new MySqlSource(config, stateDir(), SchemaPolicy.DEFAULT).writeSchemasTo(schemasDir()));
    }

    /** Where {@link #runPublishingSchemas()} writes the schemas: {@code <out>/_schemas/<db.table>/v<N>.*}. */
    Path schemasDir() {
        return dir.resolve("out").resolve(SchemaFiles.DIR_NAME);
    }

    /** The encoder of the runs that follow (encoding.* options); the contract's by default. */
    private io.sluice.core.encode.Encoder encoder = io.sluice.core.encode.Encoder.json();

    Capture encoder(io.sluice.core.encode.Encoder e) {
        this.encoder = e;
        return this;
    }

    private Capture run(MySqlSource source) {
        this.source = source.announceSchemas(announceSchemas);
        pipeline = new Pipeline(
                "it",
                source,
                Sinks.file(FileSinkConfig.of(dir.resolve("out")).withStateDir(dir.resolve("state")), Clock.systemUTC()),
                new BatchPolicy(1000, 1 << 20, 50),
                4096,
                Clock.systemUTC());
        pipeline.encoder(encoder);
        pipeline.start();
        return this;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** Stops the pipeline and waits for it. */
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.stop();
            pipeline.await(Duration.ofSeconds(30));
        }
    }

    /** Waits until at least n events are in the sink's files and returns all of them. */
    List<JsonNode> await(int n) {
        return awaitEvents(n + " events in the sink's files", Duration.ofSeconds(30), events -> events.size() >= n);
    }

    /** As {@link #awaitEvents}, over every event ({@link #allEvents()}). */
    List<JsonNode> awaitAll(String what, java.util.function.Predicate<List<JsonNode>> done) {
        return waiting(what, Duration.ofSeconds(60), pipeline)
                .until(() -> new Seen(allEvents()), seen -> done.test(seen.events()))
                .events();
    }

    /** Waits until the events in the sink's files are {@code done} and returns them. */
    List<JsonNode> awaitEvents(String what, Duration atMost, java.util.function.Predicate<List<JsonNode>> done) {
        return waiting(what, atMost, pipeline)
                .until(() -> new Seen(events()), seen -> done.test(seen.events()))
                .events();
    }

    /** A pipeline's state and its events, as a failed wait for its failure shows them. */
    private record Failing(PipelineState state, Seen events) {}

    /** Events a wait saw: a failed wait shows them all when there are few, else their number and the last. */
    private record Seen(List<JsonNode> events) {
        @Override
        public String toString() {
            return events.size() <= 20
                    ? events.toString()
                    : events.size() + " events, the last " + events.get(events.size() - 1);
        }
    }

    /**
     * Waits until at least n events are in the sink's files and the pipeline has caught up with the server (its
     * durable checkpoint is at the server's end of binlog), then returns all events: whatever the source emits for
     * what the test did before is in the files by then, so a test can check that nothing more came.
     */
    List<JsonNode> settled(int n) throws Exception {
        await(n);
        awaitCaughtUp(server, pipeline);
        return events();
    }

    /** Waits until the pipeline has fixed where it starts: its first checkpoint is durable (or it has read on). */
    void awaitStarted() {
        waiting("the pipeline's first checkpoint", Duration.ofSeconds(30), pipeline)
                .until(() -> pipeline.stats().lastCommitted() != null);
    }

    /** Waits until {@code pipeline}'s durable checkpoint is at (or past) {@code server}'s current end of binlog. */
    static void awaitCaughtUp(MariaDbServer server, Pipeline pipeline) throws SQLException {
        StartPosition.At end = (StartPosition.At) current(server);
        waiting(
                        "the checkpoint at the server's end of binlog " + end.file() + ":" + end.pos(),
                        Duration.ofSeconds(30),
                        pipeline)
                .until(
                        () -> {
                            Checkpoint cp = pipeline.stats().lastCommitted();
                            return cp == null ? null : cp.position();
                        },
                        at -> reached(at, end));
    }

    /**
     * Waits until the pipeline's durable checkpoint is less than {@code lead} bytes behind the server's end of binlog
     * (read on {@code c}), in the same file: a writer that calls it now and then writes no faster than the pipeline
     * reads, whatever the machine's load, so what it writes stays a bounded way ahead of the binlog reader.
     */
    void awaitWithin(Connection c, long lead) {
        waiting(
                        "the checkpoint within " + lead + " bytes of the server's end of binlog",
                        Duration.ofSeconds(60),
                        pipeline)
                .until(
                        () -> {
                            Checkpoint cp = pipeline.stats().lastCommitted();
                            StartPosition.At end;
                            try (Statement st = c.createStatement();
                                    ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                                rs.next();
                                end = new StartPosition.At(rs.getString(1), rs.getLong(2));
                            }
                            return cp == null || !cp.position().file().equals(end.file())
                                    ? Long.MAX_VALUE
                                    : end.pos() - cp.position().pos();
                        },
                        behind -> behind < lead);
    }

    /** Whether a checkpoint's position {@code at} is at or past {@code end} (in a later file, or further in it). */
    static boolean reached(io.sluice.core.checkpoint.BinlogPosition at, StartPosition.At end) {
        return at != null
                && (at.file().compareTo(end.file()) > 0 || at.file().equals(end.file()) && at.pos() >= end.pos());
    }

    /** A wait of at most {@code atMost} for {@code what} that ends at once, with its error, if {@code pipeline} fails. */
    static Waits waiting(String what, Duration atMost, Pipeline pipeline) {
        return Waits.await(what, atMost).whileAlive(() -> {
            if (pipeline.state() == PipelineState.FAILED) {
                throw new AssertionError("pipeline failed", pipeline.failure().orElse(null));
            }
        });
    }

    /** The sink's segment files, in order (none before the sink made its directory). */
    private List<Path> segments() throws IOException {
        Path out = dir.resolve("out");
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Every complete line in the sink's files, in order, unparsed (for tests that only count or compare ids),
     * without the announcing {@code s} events ({@link #events()}).
     */
    List<String> eventLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path seg : segments()) {
            for (String line : Files.readAllLines(seg)) {
                boolean announcement = line.contains(",\"op\":\"s\",") && line.contains(",\"ddl\":null");
                if (!line.isBlank() && line.endsWith("}") && !announcement) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * The events in the sink's files, in order, without the {@code s} events that announce a version no statement
     * made ({@code ddl} null: a table first seen in a table map or by a snapshot), which tests of rows need not
     * count; {@code SchemaAnnouncementIT} checks those with {@link #allEvents()}.
     */
    List<JsonNode> events() throws IOException {
        return allEvents().stream()
                .filter(e ->
                        !("s".equals(e.path("op").asText()) && e.path("ddl").isNull()))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** Every event in the sink's files, in order. */
    List<JsonNode> allEvents() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (Path seg : segments()) {
            for (String line : Files.readAllLines(seg)) {
                if (!line.isBlank()) {
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException partialLineBeingWritten) {
                        return events;
                    }
                }
            }
        }
        return events;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
