package io.sluice.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.metrics.Lag;
import io.sluice.app.metrics.LagReader;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.app.run.Runner;
import io.sluice.app.run.SnapshotRequests;
import io.sluice.app.run.Version;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.pipeline.SourceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP control server of a {@code sluice run} process, on the JDK's {@link HttpServer}.
 *
 * <ul>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}: probes, never behind the token;</li>
 *   <li>{@code GET /metrics}: Prometheus text from the supplier given to the builder;</li>
 *   <li>{@code GET /api/pipelines[/{name}[/history]]},
 *       {@code POST /api/pipelines/{name}/pause|resume|restart|snapshot},
 *       {@code GET /api/pipelines/{name}/schemas[/{db.table}[/{version}]][?format=json|json-schema|avro]},
 *       {@code POST /api/pipelines/{name}/schemas/{db.table}/{version}/approve} (as {@code sluice schema approve}),
 *       {@code GET /api/pipelines/{name}/config} (secrets hidden),
 *       {@code GET /api/pipelines/{name}/rules[/versions/{n}|/diff]},
 *       {@code POST /api/pipelines/{name}/rules/deploy|rollback|preview} (as {@code sluice rules
 *       deploy|rollback|preview}),
 *       {@code GET /api/pipelines/{name}/throughput} (events per second by table and op),
 *       {@code GET /api/errors} (failures, retries, WARN and ERROR log lines), {@code GET /api/process}: the JSON
 *       API;</li>
 *   <li>{@code GET /} and {@code /console/*}: the web console, static files from the jar.</li>
 * </ul>
 *
 * <p>When a token is set, {@code /metrics} and {@code /api/*} need it, as {@code Authorization: Bearer <token>}
 * or {@code ?token=<token>}. Binding to an address other than loopback requires a token. Every error is JSON:
 * {@code {"error": "...", "status": N}}.
 *
 * <p><b>Threads.</b> Requests are served by a small pool ({@code sluice-http-N}); a sampler thread
 * ({@code sluice-http-sampler}) samples lag and throughput every {@code sampleEvery}. Both are daemons. The
 * pipelines are only read, except for pause and resume, which are safe from any thread.
 */
public final class ControlServer implements Runner.Service, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSOLE = "/io/sluice/app/http/console/";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int ERRORS_KEPT = 200;

    /** Port value that turns the server off. */
    public static final int OFF = -1;

    public static final int DEFAULT_PORT = 7878;

    /** The most row events a rules preview over HTTP compares (the CLI has no bound). */
    public static final long DEFAULT_PREVIEW_EVENTS = 100_000;

    /** How long a rules preview over HTTP may read before it is stopped with a 503. */
    public static final Duration DEFAULT_PREVIEW_TIME = Duration.ofSeconds(30);

    public static final String DEFAULT_BIND = "127.0.0.1";

    private final List<ManagedPipeline> pipelines;
    private final Map<String, ManagedPipeline> byName = new LinkedHashMap<>();
    private final String bind;
    private final int requestedPort;
    private final byte[] token;
    private final Supplier<String> metrics;
    private final Consumer<String> restart;
    private final LagReader lag;
    private final Clock clock;
    private final Duration sampleEvery;
    private final Sampler sampler;
    private final long startedAt;

    // guarded by this
    private HttpServer server;
    private ExecutorService workers;
    private final PreviewGate previewGate;
    private final io.sluice.app.run.RulePreviews.Limits previewLimits;
    private ScheduledExecutorService samplerThread;
    private RecentLog recentLog;

    private ControlServer(Builder b) {
        this.pipelines = List.copyOf(b.pipelines);
        for (ManagedPipeline p : pipelines) {
            byName.put(p.name(), p);
        }
        this.bind = b.bind;
        this.requestedPort = b.port;
        this.token = b.token == null || b.token.isEmpty() ? null : b.token.getBytes(StandardCharsets.UTF_8);
        this.metrics = b.metrics;
        this.restart = b.restart;
        this.clock = b.clock;
        this.sampleEvery = b.sampleEvery;
        this.previewGate = new PreviewGate(b.previewsAtOnce);
        this.previewLimits = b.previewLimits;
        int capacity = (int) Math.max(1, b.historyKept.toMillis() / Math.max(1, sampleEvery.toMillis()));
        this.lag = b.lag;
        int minutes = (int) Math.max(0, b.historyKeptAcrossRestarts.toMinutes());
        this.sampler = new Sampler(pipelines, lag, clock, capacity, ERRORS_KEPT, minutes, b.historySaveEvery);
        this.startedAt = clock.millis();
    }

    public static Builder builder(List<ManagedPipeline> pipelines) {
        return new Builder(pipelines);
    }

    /**
     * Starts serving. When the port is in use, logs a warning naming {@code --http-port} and returns without
     * serving: the pipelines run on without HTTP. Does nothing when the port is {@link #OFF}.
     */
    @Override
    public synchronized void start() {
        if (requestedPort == OFF || server != null) {
            if (requestedPort == OFF) {
                LOG.info("HTTP API and console are off (--http-port -1)");
            }
            return;
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), requestedPort), 0);
        } catch (BindException e) {
            LOG.warn(
                    "cannot serve HTTP on {}:{} ({}): the pipelines run without the HTTP API and console; "
                            + "choose a free port with --http-port (0 picks one, -1 turns HTTP off)",
                    bind,
                    requestedPort,
                    e.getMessage());
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTP server on " + bind + ":" + requestedPort, e);
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(4, r -> daemon(r, "sluice-http-" + n.incrementAndGet()));
        s.setExecutor(workers);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        sampler.tick();
        recentLog = RecentLog.attach(sampler, byName.keySet());
        samplerThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sluice-http-sampler"));
        long every = sampleEvery.toMillis();
        samplerThread.scheduleAtFixedRate(this::sampleQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info(
                "Sluice console: {}{}",
                url(),
                token == null ? "" : " (the API needs the token: open it with ?token=...)");
    }

    private void sampleQuietly() {
        try {
            sampler.tick();
        } catch (RuntimeException e) {
            LOG.warn("sampling the pipelines failed: {}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        samplerThread.shutdownNow();
        try {
            samplerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampler.save(); // the lag history outlives the process: the minute so far included
        if (recentLog != null) {
            recentLog.detach();
            recentLog = null;
        }
        server = null;
        LOG.info("HTTP server stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** True while serving. */
    public synchronized boolean running() {
        return server != null;
    }

    /** The port served on (the chosen one when 0 was asked for), or -1 when not serving. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** The console's URL, e.g. {@code http://127.0.0.1:7878/}, or null when not serving. */
    public synchronized String url() {
        if (server == null) {
            return null;
        }
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "localhost" : bind;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public String toString() {
        return "the HTTP server (" + bind + ":" + requestedPort + ")";
    }

    // ---------------------------------------------------------------- routing

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (HttpProblem p) {
                if (p.allow() != null) {
                    ex.getResponseHeaders().set("Allow", p.allow());
                }
                sendError(ex, p.status(), p.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
                sendError(ex, 500, "internal error: " + e);
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.length() > 1 && path.endsWith("/") && !path.equals("/console/")) {
            path = path.substring(0, path.length() - 1);
        }
        switch (path) {
            case "/health/live" -> {
                only(method, path, "GET");
                sendJson(ex, 200, Map.of("status", "UP"));
                return;
            }
            case "/health/ready" -> {
                only(method, path, "GET");
                ready(ex);
                return;
            }
            case "/metrics" -> {
                authorize(ex);
                only(method, path, "GET");
                send(
                        ex,
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        Objects.requireNonNullElse(metrics.get(), "").getBytes(StandardCharsets.UTF_8));
                return;
            }
            default -> {}
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            authorize(ex);
            api(ex, method, path);
        } else if (path.equals("/") || path.equals("/console") || path.startsWith("/console/")) {
            only(method, path, "GET");
            String file = path.equals("/") || path.equals("/console") || path.equals("/console/")
                    ? "index.html"
                    : path.substring("/console/".length());
            console(ex, file);
        } else {
            throw HttpProblem.notFound("no such path: " + path);
        }
    }

    private static void only(String method, String path, String allowed) {
        if (!method.equals(allowed)) {
            throw HttpProblem.methodNotAllowed(method, path, allowed);
        }
    }

    private void authorize(HttpExchange ex) {
        if (token == null) {
            return;
        }
        String given = null;
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = header.substring(7).trim();
        } else {
            given = query(ex).get("token");
        }
        if (given == null || given.isEmpty()) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice\"");
            throw new HttpProblem(401, "a token is required: send Authorization: Bearer <token> or ?token=<token>");
        }
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice\", error=\"invalid_token\"");
            throw new HttpProblem(401, "wrong token");
        }
    }

    private void api(HttpExchange ex, String method, String path) throws IOException {
        String[] parts = path.substring(1).split("/");
        // parts[0] == "api"
        if (parts.length == 2 && parts[1].equals("pipelines")) {
            only(method, path, "GET");
            sampler.observe();
            ArrayNode out = JSON.createArrayNode();
            long now = clock.millis();
            for (ManagedPipeline p : pipelines) {
                out.add(summary(p, now));
            }
            sendJson(ex, 200, out);
        } else if (parts.length == 2 && parts[1].equals("errors")) {
            only(method, path, "GET");
            sampler.observe();
            sendJson(ex, 200, sampler.errors());
        } else if (parts.length == 2 && parts[1].equals("process")) {
            only(method, path, "GET");
            sendJson(ex, 200, process());
        } else if (parts.length == 3 && parts[1].equals("pipelines")) {
            only(method, path, "GET");
            ManagedPipeline p = pipeline(parts[2]);
            sampler.observe();
            sendJson(ex, 200, detail(p, clock.millis()));
        } else if (parts.length == 4 && parts[1].equals("pipelines") && parts[3].equals("throughput")) {
            only(method, path, "GET");
            sendJson(ex, 200, throughput(pipeline(parts[2])));
        } else if (parts.length == 4 && parts[1].equals("pipelines") && parts[3].equals("history")) {
            only(method, path, "GET");
            ManagedPipeline p = pipeline(parts[2]);
            String since = query(ex).get("since");
            long sinceMs = 0;
            if (since != null) {
                try {
                    sinceMs = Long.parseLong(since);
                } catch (NumberFormatException e) {
                    throw HttpProblem.badRequest("since: expected epoch milliseconds, found \"" + since + "\"");
                }
            }
            sendJson(ex, 200, sampler.history(p.name(), sinceMs));
        } else if (parts.length == 7
                && parts[1].equals("pipelines")
                && parts[3].equals("schemas")
                && parts[6].equals("approve")) {
            only(method, path, "POST");
            ObjectNode approved = SchemaApi.approve(pipeline(parts[2]), parts[4], parts[5]);
            LOG.info("[{}] over HTTP: {}", parts[2], approved.get("message").asText());
            sendJson(ex, 200, approved);
        } else if (parts.length >= 4
                && parts.length <= 6
                && parts[1].equals("pipelines")
                && parts[3].equals("schemas")) {
            only(method, path, "GET");
            sendJson(
                    ex,
                    200,
                    SchemaApi.get(
                            pipeline(parts[2]),
                            List.of(parts).subList(4, parts.length),
                            query(ex).get("format")));
        } else if (parts.length == 4
                && parts[1].equals("pipelines")
                && (parts[3].equals("pause") || parts[3].equals("resume"))) {
            only(method, path, "POST");
            ManagedPipeline p = pipeline(parts[2]);
            Pipeline pl = p.pipeline();
            PipelineState state = pl.state();
            if (state == PipelineState.FAILED || state == PipelineState.STOPPED) {
                throw new HttpProblem(
                        409,
                        "pipeline " + p.name() + " is " + state + "; it cannot be " + parts[3] + "d"
                                + (state == PipelineState.FAILED
                                        ? ": restart it (POST /api/pipelines/" + p.name()
                                                + "/restart, or sluice restart --pipeline " + p.name() + ")"
                                        : ""));
            }
            if (parts[3].equals("pause")) {
                pl.pause();
                LOG.info("[{}] pause requested over HTTP", p.name());
            } else {
                pl.resume();
                LOG.info("[{}] resume requested over HTTP", p.name());
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("name", p.name());
            out.put("state", pl.state().name());
            out.put("paused", pl.paused());
            sendJson(ex, 202, out);
        } else if (parts.length >= 4 && parts[1].equals("pipelines") && parts[3].equals("rules")) {
            rules(ex, method, path, parts);
        } else if (parts.length == 4 && parts[1].equals("pipelines") && parts[3].equals("config")) {
            only(method, path, "GET");
            sendJson(ex, 200, ConfigView.of(pipeline(parts[2]).config()));
        } else if (parts.length == 4 && parts[1].equals("pipelines") && parts[3].equals("restart")) {
            only(method, path, "POST");
            sendJson(ex, 202, restart(pipeline(parts[2])));
        } else if (parts.length == 4 && parts[1].equals("pipelines") && parts[3].equals("snapshot")) {
            only(method, path, "POST");
            sendJson(ex, 202, snapshotRequest(pipeline(parts[2]), ex));
        } else {
            throw HttpProblem.notFound("no such API path: " + path);
        }
    }

    /** {@code /api/pipelines/{name}/rules[/versions/{n}|/diff|/deploy|/rollback|/preview]}: see {@link RulesApi}. */
    private void rules(HttpExchange ex, String method, String path, String[] parts) throws IOException {
        ManagedPipeline p = pipeline(parts[2]);
        String rest = String.join("/", List.of(parts).subList(4, parts.length));
        if (rest.isEmpty()) {
            only(method, path, "GET");
            sendJson(ex, 200, RulesApi.overview(p));
        } else if (parts.length == 6 && parts[4].equals("versions")) {
            only(method, path, "GET");
            sendJson(ex, 200, RulesApi.version(p, parts[5]));
        } else if (rest.equals("diff")) {
            only(method, path, "GET");
            sendJson(ex, 200, RulesApi.diff(p, query(ex)));
        } else if (rest.equals("deploy")) {
            only(method, path, "POST");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            boolean json = type != null && type.toLowerCase(Locale.ROOT).contains("json");
            ObjectNode out = RulesApi.deploy(p, RulesApi.body(ex.getRequestBody()), json, query(ex), clock.instant());
            LOG.info(
                    "[{}] over HTTP: deployed rule version {}",
                    p.name(),
                    out.get("version").asInt());
            sendJson(ex, 201, out);
        } else if (rest.equals("preview")) {
            only(method, path, "POST");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            boolean json = type != null && type.toLowerCase(Locale.ROOT).contains("json");
            sendJson(
                    ex,
                    200,
                    RulesApi.preview(
                            p,
                            RulesApi.body(ex.getRequestBody()),
                            json,
                            query(ex),
                            System::getenv,
                            io.sluice.core.time.Scheduler.system(clock),
                            previewGate,
                            previewLimits));
        } else if (rest.equals("rollback")) {
            only(method, path, "POST");
            ObjectNode out = RulesApi.rollback(p, RulesApi.body(ex.getRequestBody()), clock.instant());
            LOG.info(
                    "[{}] over HTTP: rule version {} rolls back to version {}",
                    p.name(),
                    out.get("version").asInt(),
                    out.get("rolledBackTo").asInt());
            sendJson(ex, 201, out);
        } else {
            throw HttpProblem.notFound("no such API path: " + path);
        }
    }

    /**
     * {@code POST /api/pipelines/{name}/restart}: a FAILED pipeline starts again from its checkpoint, the others run
     * on; 409 for a pipeline in any other state.
     */
    private ObjectNode restart(ManagedPipeline p) {
        try {
            restart.accept(p.name());
        } catch (IllegalStateException e) {
            throw new HttpProblem(409, e.getMessage());
        }
        LOG.info("[{}] restart requested over HTTP", p.name());
        ObjectNode out = JSON.createObjectNode();
        out.put("name", p.name());
        out.put("state", p.pipeline().state().name());
        return out;
    }

    /**
     * {@code POST /api/pipelines/{name}/snapshot} with {@code {"tables": ["db.t", ...], "where": "...",
     * "action": "snapshot|cancel|pause|resume"}} (action defaults to snapshot): writes the request into the
     * pipeline's signal table, as {@code sluice snapshot} does; the pipeline picks it up from the binlog.
     */
    private ObjectNode snapshotRequest(ManagedPipeline p, HttpExchange ex) throws IOException {
        com.fasterxml.jackson.databind.JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(64 * 1024);
            body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpProblem.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (!body.isObject()) {
            throw HttpProblem.badRequest("the body must be a JSON object like {\"tables\": [\"db.table\"]}");
        }
        List<String> tables = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode t = body.path("tables");
        if (t.isTextual()) {
            tables.add(t.asText());
        } else if (t.isArray()) {
            t.forEach(n -> tables.add(n.asText()));
        } else if (!t.isMissingNode() && !t.isNull()) {
            throw HttpProblem.badRequest("tables: expected a list of db.table names");
        }
        String where = body.hasNonNull("where") ? body.get("where").asText() : null;
        SnapshotRequests.Written w;
        try {
            SnapshotRequests.Kind kind =
                    SnapshotRequests.Kind.of(body.path("action").asText("snapshot"));
            w = SnapshotRequests.request(
                    p.config(), kind, tables, where, p.pipeline().source());
        } catch (ConfigException e) {
            throw HttpProblem.badRequest(e.getMessage());
        } catch (SluiceException e) {
            throw new HttpProblem(503, e.getMessage());
        }
        LOG.info("[{}] over HTTP: {}", p.name(), w.description());
        ObjectNode out = JSON.createObjectNode();
        out.put("name", p.name());
        out.put("id", w.id());
        out.put("requested", w.description());
        return out;
    }

    private ManagedPipeline pipeline(String name) {
        ManagedPipeline p = byName.get(name);
        if (p == null) {
            throw HttpProblem.notFound("no pipeline named \"" + name + "\"; known: " + byName.keySet());
        }
        return p;
    }

    private void ready(HttpExchange ex) throws IOException {
        Map<String, String> states = new LinkedHashMap<>();
        boolean ready = true;
        for (ManagedPipeline p : pipelines) {
            PipelineState s = p.pipeline().state();
            states.put(p.name(), s.name());
            ready &= s == PipelineState.RUNNING || s == PipelineState.PAUSED;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("status", ready ? "UP" : "DOWN");
        out.set("pipelines", JSON.valueToTree(states));
        sendJson(ex, ready ? 200 : 503, out);
    }

    // ---------------------------------------------------------------- views

    private ObjectNode summary(ManagedPipeline m, long now) {
        Pipeline p = m.pipeline();
        PipelineConfig c = m.config();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", m.name());
        o.put("state", p.state().name());
        o.put("paused", p.paused());
        o.put("config", c.file().toString());
        ObjectNode source = o.putObject("source");
        source.put("host", c.source().host());
        source.put("port", c.source().port());
        source.set("include", JSON.valueToTree(c.source().include()));
        ObjectNode sink = o.putObject("sink");
        sink.put("type", c.sink().type());
        sink.put("path", c.sink().outputDirectory().map(Path::toString).orElse(null));
        Checkpoint cp = p.stats().lastCommitted();
        o.set("position", cp == null ? JSON.nullNode() : position(cp.position()));
        lag(o, m.name());
        o.put("eventsTotal", p.stats().eventsWritten());
        o.put("eventsPerSecond", sampler.eventsPerSecond(m.name()));
        o.put("commits", p.stats().commits());
        o.put("retries", p.stats().retries());
        o.put(
                "error",
                p.failure()
                        .map(t -> t.getMessage() == null ? t.toString() : t.getMessage())
                        .orElse(null));
        return o;
    }

    /** Lag as the metrics define it (one definition everywhere): {@code lagMs}, {@code sinkLagMs}, {@code bytesBehind}. */
    private void lag(ObjectNode o, String pipeline) {
        Lag l = lag.lag(pipeline).orElse(new Lag(null, null, null));
        putNullable(o, "lagMs", l.sourceMs());
        putNullable(o, "sinkLagMs", l.sinkMs());
        putNullable(o, "bytesBehind", l.bytesBehind());
    }

    private static void putNullable(ObjectNode o, String field, Long value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private ObjectNode detail(ManagedPipeline m, long now) {
        ObjectNode o = summary(m, now);
        Checkpoint cp = m.pipeline().stats().lastCommitted();
        ArrayNode tables = o.putArray("tables");
        ArrayNode held = o.putArray("heldXa");
        if (cp != null) {
            for (Map.Entry<String, TableVersion> e : new TreeMap<>(cp.schemas()).entrySet()) {
                ObjectNode t = tables.addObject();
                t.put("table", e.getKey());
                t.put("schemaVersion", e.getValue().version());
                t.put("fingerprint", e.getValue().fingerprint());
            }
            for (HeldXa x : cp.heldXa()) {
                ObjectNode h = held.addObject();
                h.put("xid", x.xid());
                h.set("at", position(x.at()));
            }
        }
        ArrayNode snapshot = o.putArray("snapshot");
        SourceStatus status = m.pipeline().source().status();
        boolean paused = status.snapshotsPaused();
        o.put("snapshotsPaused", paused);
        for (SourceStatus.SnapshotTableStatus st : status.snapshots()) {
            ObjectNode t = snapshot.addObject();
            t.put("run", st.run());
            t.put("table", st.table());
            t.put("rows", st.rows());
            t.put("rowsEstimate", st.totalEstimate());
            t.put("chunks", st.chunks());
            t.put("rowsPerSecond", Math.round(st.rate()));
            t.put("etaSeconds", st.etaSeconds());
            t.put(
                    "state",
                    st.cancelled()
                            ? "cancelled"
                            : st.done()
                                    ? "done"
                                    : paused ? "paused" : st.chunks() == 0 && st.rows() == 0 ? "queued" : "running");
        }
        return o;
    }

    /**
     * {@code GET /api/pipelines/{name}/throughput}: events per second of each table and op over the last 10 s,
     * 1 min and 5 min (over the time sampled when the process is younger; a window not sampled in full since a
     * restart shows the rate kept from before it, with {@code keptFrom}), and the events written since it started.
     */
    private ObjectNode throughput(ManagedPipeline m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", m.name());
        ArrayNode windows = o.putArray("windowsSeconds");
        for (long w : Sampler.WINDOWS_MS) {
            windows.add(w / 1000);
        }
        o.put("sampledMs", sampler.sampledMs(m.name()));
        ArrayNode tables = o.putArray("tables");
        for (Sampler.TableRate r : sampler.tableRates(m.name())) {
            ObjectNode t = tables.addObject();
            t.put("table", r.table());
            t.put("op", r.op());
            t.put("total", r.total());
            ArrayNode rates = t.putArray("perSecond");
            for (double v : r.perSecond()) {
                rates.add(v);
            }
            if (r.keptFrom() >= 0) {
                // the longer windows this process has not sampled in full show the rates from before its restart
                t.put("keptFrom", r.keptFrom());
            }
        }
        return o;
    }

    private static ObjectNode position(BinlogPosition pos) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", pos.file());
        o.put("pos", pos.pos());
        o.put("gtids", pos.gtids());
        return o;
    }

    private ObjectNode process() {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", "Sluice");
        o.put("version", Version.current());
        o.put("pid", ProcessHandle.current().pid());
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        o.put("host", host);
        o.put("startedAt", startedAt);
        o.put("uptimeMs", clock.millis() - startedAt);
        o.put("pipelines", pipelines.size());
        o.put("sampleEveryMs", sampleEvery.toMillis());
        return o;
    }

    // ---------------------------------------------------------------- console and responses

    private void console(HttpExchange ex, String file) throws IOException {
        if (!FILE_NAME.matcher(file).matches()) {
            throw HttpProblem.notFound("no such console file: " + file);
        }
        try (InputStream in = ControlServer.class.getResourceAsStream(CONSOLE + file)) {
            if (in == null) {
                throw HttpProblem.notFound("no such console file: " + file);
            }
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            send(ex, 200, contentType(file), in.readAllBytes());
        }
    }

    private static String contentType(String file) {
        int dot = file.lastIndexOf('.');
        String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> "application/octet-stream";
        };
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(
                        URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw HttpProblem.badRequest("malformed query string: " + raw);
            }
        }
        return out;
    }

    private static void sendError(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        o.put("status", status);
        sendJson(ex, status, o);
    }

    private static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    // ---------------------------------------------------------------- builder

    /** Settings of a {@link ControlServer}; {@link #build()} checks them. */
    public static final class Builder {
        private final List<ManagedPipeline> pipelines;
        private String bind = DEFAULT_BIND;
        private int port = DEFAULT_PORT;
        private String token;
        private Supplier<String> metrics = () -> "";
        private Consumer<String> restart = name -> {
            throw new IllegalStateException("this server cannot restart pipelines");
        };
        private LagReader lag = LagReader.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration sampleEvery = Duration.ofSeconds(5);
        private Duration historyKept = Duration.ofHours(1);
        private Duration historyKeptAcrossRestarts = Duration.ofHours(6);
        private Duration historySaveEvery = Duration.ofMinutes(1);
        private io.sluice.app.run.RulePreviews.Limits previewLimits =
                new io.sluice.app.run.RulePreviews.Limits(DEFAULT_PREVIEW_EVENTS, DEFAULT_PREVIEW_TIME);
        private int previewsAtOnce = 2;

        private Builder(List<ManagedPipeline> pipelines) {
            this.pipelines = new ArrayList<>(Objects.requireNonNull(pipelines, "pipelines"));
        }

        /** The address to bind ({@code --http-bind}); default {@value #DEFAULT_BIND}. */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port ({@code --http-port}): 0 picks a free one, {@link #OFF} turns the server off. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The token the API needs ({@code --http-token}); null or empty for none. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The Prometheus text served at {@code /metrics}; default an empty body. */
        public Builder metrics(Supplier<String> metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Where the pipelines' lag comes from (the process's metrics); default none: lag shows as unknown. */
        public Builder lag(LagReader lag) {
            this.lag = Objects.requireNonNull(lag, "lag");
            return this;
        }

        /**
         * Restarts a failed pipeline by name ({@code Runner::restart}); throws {@link IllegalStateException} when the
         * pipeline is not in a state to restart (409). Default: restarting is not offered.
         */
        public Builder restart(Consumer<String> restart) {
            this.restart = Objects.requireNonNull(restart, "restart");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often lag and throughput are sampled for the history; default 5 s. */
        public Builder sampleEvery(Duration every) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("sampleEvery must be positive: " + every);
            }
            this.sampleEvery = every;
            return this;
        }

        /** How much history is kept; default one hour. */
        public Builder historyKept(Duration kept) {
            this.historyKept = Objects.requireNonNull(kept, "kept");
            return this;
        }

        /**
         * How much per-minute history (lag, bytes behind, events per second) is kept across restarts, in each
         * pipeline's state directory ({@value HistoryFile#NAME}); default six hours, zero keeps none.
         */
        public Builder historyKeptAcrossRestarts(Duration kept) {
            this.historyKeptAcrossRestarts = Objects.requireNonNull(kept, "kept");
            return this;
        }

        /** How often at most the kept history is written while running (it is always written at stop); default 1 min. */
        public Builder historySaveEvery(Duration every) {
            this.historySaveEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        /**
         * The bounds of a rules preview over HTTP: at most this many row events compared and this long reading;
         * default {@value #DEFAULT_PREVIEW_EVENTS} events and 30 s.
         */
        public Builder previewLimits(long maxEvents, Duration time) {
            if (maxEvents < 1 || time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException("preview limits must be positive: " + maxEvents + ", " + time);
            }
            this.previewLimits = new io.sluice.app.run.RulePreviews.Limits(maxEvents, time);
            return this;
        }

        /** How many rules previews may run at once on the server (one per pipeline at most); default 2. */
        public Builder previewsAtOnce(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("previewsAtOnce must be at least 1: " + n);
            }
            this.previewsAtOnce = n;
            return this;
        }

        /**
         * Checks the settings: the port is -1..65535, the bind address resolves, and a token is set when the
         * address is not loopback.
         *
         * @throws IllegalArgumentException naming the option ({@code --http-port}, {@code --http-bind},
         *                                  {@code --http-token}) when a setting cannot be used
         */
        public ControlServer build() {
            if (port < OFF || port > 65535) {
                throw new IllegalArgumentException("--http-port: expected 0 to 65535 (0 picks a free port, -1 turns "
                        + "HTTP off), found " + port);
            }
            if (port != OFF) {
                InetAddress address;
                try {
                    address = InetAddress.getByName(bind);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("--http-bind: cannot resolve \"" + bind + "\"");
                }
                if (!address.isLoopbackAddress() && (token == null || token.isEmpty())) {
                    throw new IllegalArgumentException(
                            "--http-bind " + bind + " is not a loopback address: set a token "
                                    + "with --http-token or SLUICE_HTTP_TOKEN so the API is not open to the network");
                }
            }
            return new ControlServer(this);
        }
    }
}
