package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.TestPipelines;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.Source;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.sink.Sink;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import io.sluice.mysql.schema.ColumnModel;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.schema.TableModel;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the control server on a random port, over pipelines with in-test sources and sinks: one that
 * commits a checkpoint (with table versions and a held XA) and then idles, one that fails at once.
 */
class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Checkpoint CHECKPOINT = new Checkpoint(
            new BinlogPosition("mysql-bin.000003", 4711, "0-1-42"),
            List.of(new HeldXa("'x1'", new BinlogPosition("mysql-bin.000003", 4000, "0-1-40"))),
            Map.of("shop.orders", new TableVersion(2, "f00d"), "shop.items", new TableVersion(1, "beef")));

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Pipeline> started = new ArrayList<>();
    private ControlServer server;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
        for (Pipeline p : started) {
            p.stop();
            p.await(Duration.ofSeconds(10));
        }
    }

    /** Emits one checkpoint, then waits until stopped. */
    static final class CommittingSource implements Source {
        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            out.commit(CHECKPOINT);
            stop.await();
        }

        @Override
        public void stop() {
            stop.countDown();
        }
    }

    static final class FailingSource implements Source {
        @Override
        public void stream(Checkpoint from, Emitter out) {
            throw SluiceException.fatal("binlog position purged (1236)");
        }

        @Override
        public void stop() {}
    }

    static final class NullSink implements Sink {
        @Override
        public Optional<Checkpoint> open() {
            return Optional.empty();
        }

        @Override
        public long write(ChangeEvent event) {
            return 1;
        }

        @Override
        public void commit(Checkpoint checkpoint) {}

        @Override
        public boolean flush() {
            return true;
        }

        @Override
        public void close() {}
    }

    /** A pipeline's configuration: a MariaDB source capturing shop.*, the file sink into {@code out}. */
    static PipelineConfig config(String name, Path state, Path out) {
        return TestPipelines.withFileSink(name, state, out)
                .file(Path.of("/etc/sluice/" + name + ".yaml"))
                .build();
    }

    static ManagedPipeline managed(String name, Source source) {
        return managed(name, source, SchemaState.in(Path.of("/var/sluice/" + name + "-state")));
    }

    static ManagedPipeline managed(String name, Source source, SchemaState schemas) {
        PipelineConfig cfg = config(name, Path.of("/var/sluice/" + name + "-state"), Path.of("/var/sluice/" + name));
        return new ManagedPipeline(
                cfg, new Pipeline(name, source, new NullSink(), BatchPolicy.DEFAULT, 1024, Clock.systemUTC()), schemas);
    }

    private ControlServer start(ControlServer.Builder b, ManagedPipeline... ps) throws InterruptedException {
        for (ManagedPipeline p : ps) {
            p.pipeline().start();
            started.add(p.pipeline());
        }
        server = b.port(0).sampleEvery(Duration.ofMillis(100)).build();
        server.start();
        return server;
    }

    private ControlServer startShop() throws InterruptedException {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        start(ControlServer.builder(List.of(shop)).metrics(() -> "sluice_up 1\n"), shop);
        waitFor("shop's first commit", () -> shop.pipeline().stats().lastCommitted() != null);
        return server;
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Reply call(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private Reply get(String path) throws IOException, InterruptedException {
        return call("GET", path);
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        await(what).atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
    }

    private static void assertError(Reply r, int status, String fragment) throws IOException {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).contains(fragment);
    }

    @Test
    void randomPortModeServesOnTheChosenPort() throws Exception {
        startShop();
        assertThat(server.port()).isPositive().isNotEqualTo(ControlServer.DEFAULT_PORT);
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        assertThat(get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void liveIsAlways200AndReadyFollowsThePipelineStates() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        ManagedPipeline broken = managed("broken", new FailingSource());
        start(ControlServer.builder(List.of(shop, broken)), shop, broken);
        waitFor("broken failed", () -> broken.pipeline().state() == PipelineState.FAILED);
        assertThat(get("/health/live").json().get("status").asText()).isEqualTo("UP");
        Reply ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("pipelines").get("broken").asText()).isEqualTo("FAILED");
        assertThat(ready.json().get("pipelines").get("shop").asText()).isEqualTo("RUNNING");
    }

    @Test
    void readyIs200WhenEveryPipelineRunsOrIsPaused() throws Exception {
        startShop();
        assertThat(get("/health/ready").status()).isEqualTo(200);
        assertThat(call("POST", "/api/pipelines/shop/pause").status()).isEqualTo(202);
        assertThat(get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void metricsServesTheSuppliersText() throws Exception {
        startShop();
        Reply r = get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(r.body()).isEqualTo("sluice_up 1\n");
    }

    @Test
    void metricsBodyIsEmptyByDefault() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        start(ControlServer.builder(List.of(shop)), shop);
        Reply r = get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void pipelinesListsStateSourceSinkAndLastCommittedPosition() throws Exception {
        startShop();
        JsonNode list = get("/api/pipelines").json();
        assertThat(list).hasSize(1);
        JsonNode p = list.get(0);
        assertThat(p.get("name").asText()).isEqualTo("shop");
        assertThat(p.get("state").asText()).isEqualTo("RUNNING");
        assertThat(p.get("paused").asBoolean()).isFalse();
        assertThat(p.get("source").get("host").asText()).isEqualTo("db.example");
        assertThat(p.get("source").get("port").asInt()).isEqualTo(3306);
        assertThat(p.get("source").get("include").get(0).asText()).isEqualTo("shop.*");
        assertThat(p.get("sink").get("type").asText()).isEqualTo("file");
        assertThat(p.get("sink").get("path").asText()).isEqualTo("/var/sluice/shop");
        assertThat(p.get("position").get("file").asText()).isEqualTo("mysql-bin.000003");
        assertThat(p.get("position").get("pos").asLong()).isEqualTo(4711);
        assertThat(p.get("position").get("gtids").asText()).isEqualTo("0-1-42");
        assertThat(p.get("lagMs").isNull()).as("no event read yet: no lag").isTrue();
        assertThat(p.get("eventsTotal").asLong()).isZero();
        assertThat(p.get("eventsPerSecond").asDouble()).isZero();
        assertThat(p.get("commits").asLong()).isEqualTo(1);
        assertThat(p.get("retries").asLong()).isZero();
        assertThat(p.get("error").isNull()).isTrue();
        assertThat(p.toString()).doesNotContain("pw");
    }

    /** The state store's schema history log, counting its reads. */
    record CountedLog(RecordLog log, AtomicInteger reads) implements RecordLog {
        @Override
        public List<byte[]> read() throws IOException {
            reads.incrementAndGet();
            return log.read();
        }

        @Override
        public void append(byte[] record) throws IOException {
            log.append(record);
        }

        @Override
        public void sync() throws IOException {
            log.sync();
        }

        @Override
        public boolean existed() {
            return log.existed();
        }

        @Override
        public String where() {
            return log.where();
        }
    }

    @TempDir
    Path stateDir;

    @Test
    void schemasAreTheLiveHistoryOfTheRunningPipelineNotAReadOfTheStore() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        FileStateStore files = FileStateStore.open(stateDir);
        RecordLog counted = new CountedLog(files.schemaHistory(), reads);
        SchemaState schemas = SchemaState.of(new io.sluice.core.state.StateStore() {
            @Override
            public RecordLog schemaHistory() {
                return counted;
            }

            @Override
            public RecordLog approvals() {
                return files.approvals();
            }

            @Override
            public RecordLog quarantine(String table) {
                return files.quarantine(table);
            }

            @Override
            public RecordLog ruleVersions() {
                return files.ruleVersions();
            }

            @Override
            public io.sluice.core.state.CheckpointStore checkpoint(String sink) {
                return files.checkpoint(sink);
            }

            @Override
            public void close() {
                files.close();
            }
        });
        ManagedPipeline shop = managed("shop", new CommittingSource(), schemas);
        start(ControlServer.builder(List.of(shop)), shop);
        TableModel m = new TableModel(
                "shop",
                "orders",
                List.of(new ColumnModel("id", "int", null, null, false, null, null, false, false, null, null)),
                List.of("id"),
                List.of(),
                null);
        // what the running source does when it reads a new version
        schemas.history()
                .append(new SchemaVersion(
                        "shop.orders", 1, "mysql-bin.000003", 4, null, SchemaVersion.TABLE_MAP, m, List.of()));
        assertThat(get("/api/pipelines/shop/schemas").json().get(0).get("table").asText())
                .isEqualTo("shop.orders");
        schemas.history()
                .append(new SchemaVersion(
                        "shop.orders",
                        2,
                        "mysql-bin.000003",
                        900,
                        "ALTER TABLE orders ...",
                        SchemaVersion.DDL,
                        m.withColumns(List.of(
                                m.columns().get(0),
                                new ColumnModel("qty", "int", null, null, true, null, null, false, false, null, null))),
                        List.of()));
        Files.delete(stateDir.resolve(FileStateStore.SCHEMA_HISTORY)); // a copy read again from disk would be empty
        JsonNode versions = get("/api/pipelines/shop/schemas/shop.orders").json();
        assertThat(versions).extracting(v -> v.get("version").asInt()).containsExactly(1, 2);
        assertThat(get("/api/pipelines/shop/schemas/shop.orders/2")
                        .json()
                        .get("model")
                        .get("columns"))
                .hasSize(2);
        assertThat(reads)
                .as("the history is read from the store once, when the source opens it")
                .hasValue(1);
    }

    @Test
    void onePipelineHasItsTablesSchemaVersionsAndHeldXa() throws Exception {
        startShop();
        JsonNode p = get("/api/pipelines/shop").json();
        assertThat(p.get("name").asText()).isEqualTo("shop");
        assertThat(p.get("tables")).hasSize(2);
        assertThat(p.get("tables").get(0).get("table").asText()).isEqualTo("shop.items");
        assertThat(p.get("tables").get(1).get("table").asText()).isEqualTo("shop.orders");
        assertThat(p.get("tables").get(1).get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(p.get("tables").get(1).get("fingerprint").asText()).isEqualTo("f00d");
        assertThat(p.get("heldXa").get(0).get("xid").asText()).isEqualTo("'x1'");
        assertThat(p.get("heldXa").get(0).get("at").get("pos").asLong()).isEqualTo(4000);
    }

    /** A snapshot's progress as a source shows it: the API knows it through the source's status, not its class. */
    @Test
    void onePipelineHasTheSnapshotProgressItsSourceShows() throws Exception {
        CommittingSource committing = new CommittingSource();
        SourceStatus.SnapshotTableStatus orders = new SourceStatus.SnapshotTableStatus() {
            public String run() {
                return "initial-1";
            }

            public String table() {
                return "shop.orders";
            }

            public long rows() {
                return 300;
            }

            public long totalEstimate() {
                return 1200;
            }

            public long chunks() {
                return 3;
            }

            public long superseded() {
                return 0;
            }

            public double rate() {
                return 100.4;
            }

            public long etaSeconds() {
                return 9;
            }

            public boolean done() {
                return false;
            }

            public boolean cancelled() {
                return false;
            }
        };
        Source snapshotting = new Source() {
            public void stream(Checkpoint from, Emitter out) throws InterruptedException {
                committing.stream(from, out);
            }

            public void stop() {
                committing.stop();
            }

            public SourceStatus status() {
                return new SourceStatus() {
                    public List<SnapshotTableStatus> snapshots() {
                        return List.of(orders);
                    }
                };
            }
        };
        ManagedPipeline shop = managed("shop", snapshotting);
        start(ControlServer.builder(List.of(shop)), shop);
        JsonNode snapshot = get("/api/pipelines/shop").json().get("snapshot");
        assertThat(snapshot).hasSize(1);
        assertThat(snapshot.get(0).get("run").asText()).isEqualTo("initial-1");
        assertThat(snapshot.get(0).get("table").asText()).isEqualTo("shop.orders");
        assertThat(snapshot.get(0).get("rows").asLong()).isEqualTo(300);
        assertThat(snapshot.get(0).get("rowsEstimate").asLong()).isEqualTo(1200);
        assertThat(snapshot.get(0).get("chunks").asLong()).isEqualTo(3);
        assertThat(snapshot.get(0).get("rowsPerSecond").asLong()).isEqualTo(100);
        assertThat(snapshot.get(0).get("etaSeconds").asLong()).isEqualTo(9);
        assertThat(snapshot.get(0).get("state").asText()).isEqualTo("running");
    }

    @Test
    void historyHasSamplesOfLagAndThroughput() throws Exception {
        startShop();
        waitFor("3 samples in the history", () -> {
            try {
                return get("/api/pipelines/shop/history").json().size() >= 3;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        JsonNode h = get("/api/pipelines/shop/history").json();
        JsonNode s = h.get(h.size() - 1);
        assertThat(s.get("t").asLong())
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5000L));
        assertThat(s.has("lagMs")).isTrue();
        assertThat(s.get("eventsPerSecond").asDouble()).isZero();
        long cut = h.get(h.size() - 1).get("t").asLong();
        // samples at or after the cut: the cut one first, none older (more may come under load, 100 ms apart)
        JsonNode since = get("/api/pipelines/shop/history?since=" + cut).json();
        assertThat(since.get(0).get("t").asLong()).isEqualTo(cut);
        since.forEach(x -> assertThat(x.get("t").asLong()).isGreaterThanOrEqualTo(cut));
        assertThat(h.get(h.size() - 2).get("t").asLong())
                .as("an older sample exists and is left out")
                .isLessThan(cut);
    }

    @Test
    void historyIsBoundedToTheKeptWindow() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        // only this process's ring of samples: no per-minute points, which show once the ring has moved past a minute
        start(
                ControlServer.builder(List.of(shop))
                        .historyKept(Duration.ofMillis(300))
                        .historyKeptAcrossRestarts(Duration.ZERO),
                shop);
        long first = get("/api/pipelines/shop/history").json().get(0).get("t").asLong();
        await("the history window moved past its first sample")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> get("/api/pipelines/shop/history")
                                .json()
                                .get(0)
                                .get("t")
                                .asLong(),
                        t -> t > first);
        assertThat(get("/api/pipelines/shop/history").json().size()).isEqualTo(3);
    }

    @Test
    void badSinceIs400() throws Exception {
        startShop();
        assertError(get("/api/pipelines/shop/history?since=yesterday"), 400, "since");
    }

    @Test
    void pauseAndResumeAnswer202AndActOnThePipeline() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        start(ControlServer.builder(List.of(shop)), shop);
        Reply r = call("POST", "/api/pipelines/shop/pause");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("name").asText()).isEqualTo("shop");
        assertThat(r.json().has("state")).isTrue();
        assertThat(r.json().get("paused").asBoolean()).isTrue();
        assertThat(shop.pipeline().paused()).isTrue();
        Reply back = call("POST", "/api/pipelines/shop/resume");
        assertThat(back.status()).isEqualTo(202);
        assertThat(shop.pipeline().paused()).isFalse();
    }

    @Test
    void restartHandsTheNameToTheRunnerAndAnswers409WhenItRefuses() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        ManagedPipeline broken = managed("broken", new FailingSource());
        List<String> restarted = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(
                ControlServer.builder(List.of(shop, broken)).restart(name -> {
                    if (name.equals("shop")) {
                        throw new IllegalStateException(
                                "pipeline shop is RUNNING; only a FAILED pipeline is restarted");
                    }
                    restarted.add(name);
                }),
                shop,
                broken);
        Reply r = call("POST", "/api/pipelines/broken/restart");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("name").asText()).isEqualTo("broken");
        assertThat(restarted).containsExactly("broken");
        assertError(call("POST", "/api/pipelines/shop/restart"), 409, "only a FAILED pipeline is restarted");
        assertError(call("GET", "/api/pipelines/broken/restart"), 405, "POST");
        assertError(call("POST", "/api/pipelines/nope/restart"), 404, "nope");
    }

    @Test
    void resumingAFailedPipelineIs409AndPointsToRestart() throws Exception {
        ManagedPipeline broken = managed("broken", new FailingSource());
        start(ControlServer.builder(List.of(broken)), broken);
        waitFor("broken failed", () -> broken.pipeline().state() == PipelineState.FAILED);
        assertError(call("POST", "/api/pipelines/broken/resume"), 409, "sluice restart --pipeline broken");
    }

    @Test
    void pausingAFailedPipelineIs409() throws Exception {
        ManagedPipeline broken = managed("broken", new FailingSource());
        start(ControlServer.builder(List.of(broken)), broken);
        waitFor("broken failed", () -> broken.pipeline().state() == PipelineState.FAILED);
        assertError(call("POST", "/api/pipelines/broken/pause"), 409, "FAILED");
    }

    @Test
    void errorsListWarningsAndErrorsLoggedForAPipelineOrTheProcess() throws Exception {
        startShop();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.sluice.mysql.snapshot.SnapshotCoordinator");
        log.info("[shop] an info line is not an error");
        log.error("[shop] snapshot r1 of shop.orders cannot be read: Unknown column 'nope'; the table's snapshot is"
                + " cancelled");
        log.warn("a warning of the process");
        JsonNode errors = get("/api/errors").json();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("severity").asText()).isEqualTo("WARN");
        assertThat(errors.get(0).get("pipeline").asText()).isEmpty();
        assertThat(errors.get(1).get("severity").asText()).isEqualTo("ERROR");
        assertThat(errors.get(1).get("pipeline").asText()).isEqualTo("shop");
        assertThat(errors.get(1).get("message").asText()).startsWith("snapshot r1 of shop.orders cannot be read");
    }

    @Test
    void lagIsTheMetricsFigureNotNowMinusTheLastEvent() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        start(
                ControlServer.builder(List.of(shop))
                        .lag(name -> name.equals("shop")
                                ? java.util.Optional.of(new io.sluice.app.metrics.Lag(0L, 120L, 0L))
                                : java.util.Optional.empty()),
                shop);
        JsonNode p = get("/api/pipelines/shop").json();
        assertThat(p.get("lagMs").asLong()).isZero();
        assertThat(p.get("sinkLagMs").asLong()).isEqualTo(120);
        assertThat(p.get("bytesBehind").asLong()).isZero();
    }

    @Test
    void errorsListsPipelineFailures() throws Exception {
        ManagedPipeline broken = managed("broken", new FailingSource());
        start(ControlServer.builder(List.of(broken)), broken);
        waitFor("broken failed", () -> broken.pipeline().state() == PipelineState.FAILED);
        JsonNode errors = get("/api/errors").json();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("pipeline").asText()).isEqualTo("broken");
        assertThat(errors.get(0).get("message").asText()).contains("purged");
        assertThat(errors.get(0).get("time").asLong()).isPositive();
        JsonNode p = get("/api/pipelines/broken").json();
        assertThat(p.get("state").asText()).isEqualTo("FAILED");
        assertThat(p.get("error").asText()).contains("purged");
        assertThat(get("/api/errors").json()).as("recorded once").hasSize(1);
    }

    @Test
    void processDescribesThisProcess() throws Exception {
        startShop();
        JsonNode p = get("/api/process").json();
        assertThat(p.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(p.get("pipelines").asInt()).isEqualTo(1);
    }

    @Test
    void unknownPipelineIs404() throws Exception {
        startShop();
        assertError(get("/api/pipelines/nope"), 404, "nope");
        assertError(get("/api/pipelines/nope/history"), 404, "nope");
        assertError(call("POST", "/api/pipelines/nope/pause"), 404, "nope");
    }

    @Test
    void unknownPathIs404() throws Exception {
        startShop();
        assertError(get("/nothing-here"), 404, "/nothing-here");
        assertError(get("/api/tables"), 404, "/api/tables");
        assertError(get("/console/../../etc/passwd"), 404, "");
        assertError(get("/console/missing.js"), 404, "missing.js");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        startShop();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/pipelines/shop/pause"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertError(call("DELETE", "/api/pipelines"), 405, "GET");
        assertError(call("POST", "/health/live"), 405, "GET");
        assertError(call("PUT", "/metrics"), 405, "GET");
    }

    @Test
    void consoleIsServedFromTheJar() throws Exception {
        startShop();
        Reply index = get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(index.body()).contains("<title>Sluice console</title>").contains("/console/app.js");
        assertThat(get("/console/").body()).isEqualTo(index.body());
        assertThat(get("/console/app.js").contentType()).startsWith("text/javascript");
        assertThat(get("/console/style.css").contentType()).startsWith("text/css");
    }

    @Test
    void withATokenTheApiAndMetricsNeedIt() throws Exception {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        start(ControlServer.builder(List.of(shop)).token("s3cret"), shop);
        assertError(get("/api/pipelines"), 401, "token is required");
        assertError(get("/metrics"), 401, "token is required");
        assertError(call("POST", "/api/pipelines/shop/pause"), 401, "token");
        assertError(call("GET", "/api/pipelines", "Authorization", "Bearer wrong"), 401, "wrong token");
        assertError(get("/api/pipelines?token=wrong"), 401, "wrong token");
        assertThat(shop.pipeline().paused()).isFalse();

        assertThat(call("GET", "/api/pipelines", "Authorization", "Bearer s3cret")
                        .status())
                .isEqualTo(200);
        assertThat(get("/api/pipelines?token=s3cret").status()).isEqualTo(200);
        assertThat(get("/metrics?token=s3cret").status()).isEqualTo(200);
        assertThat(call("POST", "/api/pipelines/shop/pause?token=s3cret").status())
                .isEqualTo(202);
        // probes and the console's static files stay open
        assertThat(get("/health/live").status()).isEqualTo(200);
        assertThat(get("/").status()).isEqualTo(200);
    }

    @Test
    void anAddressOtherThanLoopbackNeedsAToken() {
        ManagedPipeline shop = managed("shop", new CommittingSource());
        assertThatThrownBy(() ->
                        ControlServer.builder(List.of(shop)).bind("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--http-token")
                .hasMessageContaining("0.0.0.0");
        assertThat(ControlServer.builder(List.of(shop))
                        .bind("0.0.0.0")
                        .token("t")
                        .build())
                .isNotNull();
        assertThat(ControlServer.builder(List.of(shop)).bind("127.0.0.1").build())
                .isNotNull();
    }

    @Test
    void badPortIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ControlServer.builder(List.of()).port(70000).build())
                .hasMessageContaining("--http-port");
    }

    @Test
    void portInUseLeavesTheServerOffWithoutThrowing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            server = ControlServer.builder(List.of()).port(taken.getLocalPort()).build();
            server.start();
            assertThat(server.running()).isFalse();
            assertThat(server.port()).isEqualTo(-1);
        }
    }

    @Test
    void portMinusOneTurnsTheServerOff() {
        server = ControlServer.builder(List.of()).port(ControlServer.OFF).build();
        server.start();
        assertThat(server.running()).isFalse();
        assertThat(server.url()).isNull();
    }
}
