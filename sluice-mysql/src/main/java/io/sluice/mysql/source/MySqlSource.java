package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.OutOfHeap;
import io.sluice.core.pipeline.Source;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.decode.RowsDeserializers;
import io.sluice.mysql.schema.SchemaFiles;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.SharedCatalog;
import io.sluice.mysql.schema.TableMapDefinitions;
import io.sluice.mysql.server.BinlogSettings;
import io.sluice.mysql.server.ErrorClassifier;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotCoordinator;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a MySQL or MariaDB server's binlog over the replication protocol (mysql-binlog-connector-java) and emits
 * change events, one transaction after another. Every call to {@link #stream} opens a fresh connection at the
 * checkpoint it is given (or at the configured start); reconnecting after a failure is the pipeline's job, which
 * re-reads the sink's checkpoint first, so a half-read transaction is never emitted twice.
 */
public final class MySqlSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlSource.class);

    private static final long HEARTBEAT_MS = 5_000;
    /** The heartbeat period where snapshots may run read-only ({@code snapshot.mode} auto or read-only). */
    private static final long READ_ONLY_HEARTBEAT_MS = 500;
    /**
     * Heap per byte of the largest binlog event, rounded up from measurements (file sink, jvm.options): an 80 MiB
     * LONGBLOB row needed -Xmx416m, as LONGTEXT -Xmx512m, an UPDATE of it (a 160 MiB event) -Xmx768m.
     */
    private static final long HEAP_PER_EVENT_BYTE = 6;
    /** Heap the pipeline holds besides the event being read (queue, buffers, classes' data). */
    private static final long BASE_HEAP = 64L << 20;

    private final MySqlSourceConfig config;
    private final TableFilter filter;
    /** What each session's output passes through, its snapshot coordination, time and state (built once). */
    private final SourceWiring wiring;

    private Path schemaFiles;
    private boolean announceSchemas;
    private String startOver;
    private volatile BinaryLogClient client;
    private volatile boolean stopped;
    /** The snapshot thread of the current stream, or null. */
    private volatile SnapshotCoordinator coordinator;
    /** Per {@code db.table}, statements that changed its rows without row events and were let through. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> statementChanges =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Server settings already warned about in this process (each once, not at every reconnect). */
    /** The heartbeat writes of every session of this source: written, failed, and when the last one was written. */
    private final java.util.concurrent.atomic.AtomicLong heartbeatWrites = new java.util.concurrent.atomic.AtomicLong();

    private final java.util.concurrent.atomic.AtomicLong heartbeatErrors = new java.util.concurrent.atomic.AtomicLong();
    private volatile long heartbeatLastMs = -1;
    private final java.util.Set<String> warnedSettings = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A source without a durable schema history (kept in memory) and without a compatibility policy. */
    public MySqlSource(MySqlSourceConfig config) {
        this(config, SourceWiring.builder(config).build());
    }

    /**
     * A source keeping its schema history (and reading schema approvals) in {@code stateDir}, checking schema
     * changes against {@code policy}, on the system's time.
     */
    public MySqlSource(MySqlSourceConfig config, Path stateDir, SchemaPolicy policy) {
        this(config, SourceWiring.builder(config).state(stateDir, policy).build());
    }

    /** A source whose sessions are composed by {@code wiring}, which the composition root built for it. */
    public MySqlSource(MySqlSourceConfig config, SourceWiring wiring) {
        this.config = config;
        List<String> exclude = new ArrayList<>(config.exclude());
        exclude.add(config.snapshot().signalTable()); // its rows are signals, never change events
        if (config.heartbeat().on()) {
            exclude.add(config.heartbeat().table()); // its rows tell how far the binlog was read, nothing else
        }
        this.filter = new TableFilter(config.include(), exclude);
        this.wiring = wiring;
    }

    /**
     * How to start this pipeline afresh, for the error that its checkpoint's position is gone from the server
     * (which state and output to move away: the sink decides where the checkpoint lives).
     */
    public MySqlSource startOver(String howTo) {
        this.startOver = howTo;
        return this;
    }

    /**
     * Announces every schema version no statement in the stream made (first seen in a table map or by a snapshot)
     * with an {@code s} event ({@code ddl} null) before its first row: {@code encoding.announce-schemas}, off by
     * default, since the contract's {@code s} is a schema change (docs/change-event.md, "Announcing a version").
     */
    public MySqlSource announceSchemas(boolean on) {
        this.announceSchemas = on;
        return this;
    }

    /** Also writes each new table version's schemas (JSON Schema, Avro) under {@code dir}, for consumers. */
    public MySqlSource writeSchemasTo(Path dir) {
        this.schemaFiles = dir;
        return this;
    }

    /**
     * {@code start: latest}, {@code snapshot} and {@code earliest} name no fixed position: they are resolved here,
     * once, to a checkpoint at the server's current end (with the initial snapshot's tables and run name) or at its
     * oldest binlog, which the pipeline keeps as the sink's first checkpoint. Resolving them again on a retry would skip
     * what was committed in between (or re-plan the snapshot under another name, or begin at a binlog since purged).
     * Like every checkpoint, it names the server (and on MariaDB the GTID state there), so that a failover before the
     * first transaction is recognised too.
     */
    @Override
    public Checkpoint resolveStart() {
        StartPosition start = config.start();
        boolean fromEnd = start instanceof StartPosition.Latest || start instanceof StartPosition.Snapshot;
        if (!fromEnd && !(start instanceof StartPosition.Earliest)) {
            return null; // a file position or a GTID set: the same every time
        }
        // one connection asks every question here (each connection costs a handshake, at every start)
        try (Connection conn = jdbc()) {
            return resolveStart(conn, start, fromEnd);
        } catch (SQLException e) {
            throw jdbcFailure(e);
        }
    }

    private Checkpoint resolveStart(Connection conn, StartPosition start, boolean fromEnd) throws SQLException {
        ServerBinlogs binlogs = new ServerBinlogs(config);
        BinlogPosition p = fromEnd ? binlogs.latest(conn) : binlogs.earliest(conn);
        SchemaTracker schema = schemaTracker();
        schema.start(Map.of(), p);
        SnapshotProgress initial = start instanceof StartPosition.Snapshot ? initialSnapshot(conn) : null;
        Resume.Server here = probe(conn, null);
        String gtids = here.mariaDb() ? gtidStateAt(conn, p.file(), p.pos()) : null;
        BinlogPosition at = gtids == null || gtids.isBlank() ? p : new BinlogPosition(p.file(), p.pos(), gtids);
        LOG.info(
                "[{}] start: {} is {}",
                config.name(),
                start instanceof StartPosition.Snapshot
                        ? "snapshot (then the binlog from its latest position)"
                        : fromEnd ? "latest" : "earliest",
                at);
        return new Checkpoint(at, List.of(), schema.versions(), null, initial, here.identity());
    }

    @Override
    public void stream(Checkpoint checkpoint, Emitter out) throws InterruptedException {
        stopped = false;
        Checkpoint from;
        Resume.Server here;
        // one connection checks the server's settings and asks who it is (a handshake less at every start)
        try (Connection conn = jdbc()) {
            checkServer(conn);
            // called without a checkpoint by a caller that keeps none (no pipeline): resolved for this call only
            from = checkpoint != null ? checkpoint : resolveStart();
            here = probe(conn, from);
        } catch (SQLException e) {
            throw jdbcFailure(e);
        }
        BinaryLogClient c = new BinaryLogClient(config.host(), config.port(), config.user(), config.password());
        c.setServerId(config.serverId());
        c.setKeepAlive(false);
        // The server sends a heartbeat when idle; a read that sees nothing for several heartbeats means a dead
        // (half-open) connection, which then fails like a dropped one and is retried from the checkpoint.
        // Snapshots that may run read-only emit a chunk where the binlog reader reaches the chunk's position: on an
        // idle server, only a heartbeat says it is there, so heartbeats come more often (the timeout stays).
        c.setHeartbeatInterval(
                config.snapshot().mode() == SnapshotConfig.Mode.SIGNAL_TABLE ? HEARTBEAT_MS : READ_ONLY_HEARTBEAT_MS);
        c.setSocketFactory(() -> {
            java.net.Socket socket = new java.net.Socket();
            socket.setSoTimeout((int) (HEARTBEAT_MS * 4));
            socket.setKeepAlive(true);
            return socket;
        });
        c.setConnectTimeout(config.connectTimeout().toMillis());
        c.setSSLMode(sslMode(config.tls()));
        c.setEventDeserializer(RowsDeserializers.create());
        c.setThreadFactory(r -> new Thread(r, "sluice-" + config.name() + "-binlog"));
        Resume resume = from == null ? Resume.atPosition(true) : Resume.decide(from, here, where());
        if (resume.byGtid()) {
            LOG.warn(
                    "[{}] the checkpoint's position {} does not apply here: {}. Resuming after GTID set {} instead"
                            + " (a failover to another server, or a reset binlog)",
                    config.name(),
                    from.position(),
                    resume.reason(),
                    resume.gtids());
        }
        String requested = position(c, from, resume);
        // the reader's catalog questions of this session share one connection (closed when the session ends)
        SharedCatalog catalog = new SharedCatalog(this::jdbc);
        try {
            TableMapDefinitions definitions = new TableMapDefinitions(catalog);
            SchemaTracker schema = schemaTracker(catalog);
            schema.start(from == null ? Map.of() : from.schemas(), from == null ? startPosition(c) : from.readFrom());
            definitions.knownTables(schema::known);
            if (schemaFiles != null) {
                Path dir = schemaFiles;
                schema.onRecorded(v -> SchemaFiles.write(dir, v));
            }
            SourceWiring.Output output = wiring.output(out, schema, from);
            Emitter downstream = output.emitter();
            TransactionAssembler assembler =
                    new TransactionAssembler(config.name(), filter, definitions, downstream, from, schema);
            assembler.statementChanges(
                    config.onStatementChanges(),
                    wiring.commandOption(),
                    wiring.approvals()::approvedAt,
                    t -> statementChanges
                            .computeIfAbsent(t, k -> new java.util.concurrent.atomic.AtomicLong())
                            .incrementAndGet());
            assembler.server(here.identity());
            if (config.heartbeat().on()) {
                assembler.heartbeatTable(
                        config.heartbeat().db(), config.heartbeat().name());
            }
            if (resume.byGtid()) {
                assembler.resumeAfter(resume.gtids(), from.position().gtids());
            } else if (here.mariaDb()
                    && (from == null
                            || from.position().gtids() == null
                            || from.position().gtids().isBlank())) {
                BinlogPosition at = from != null ? from.position() : startPosition(c);
                if (at != null && !at.file().isEmpty()) {
                    assembler.gtidsAtStart(gtidStateAt(at.file(), at.pos()));
                }
            }
            Failure failure = new Failure();
            SnapshotProgress initial = from != null ? from.snapshot() : null;
            SourceWiring.Snapshots snapshots = wiring.snapshots(
                    downstream,
                    new SnapshotTracker.Schemas() {
                        @Override
                        public TableSchema schema(String qualifiedName, TableSchema described) {
                            return schema.snapshotSchema(qualifiedName, described);
                        }

                        @Override
                        public SchemaTracker.SchemaEvent firstRows(String db, String table, int version) {
                            return schema.firstRow(db, table, version);
                        }
                    },
                    qn -> filter.captures(qn.substring(0, qn.indexOf('.')), qn.substring(qn.indexOf('.') + 1)),
                    initial,
                    this::snapshotJdbc,
                    ex -> {
                        failure.set(ex);
                        disconnectSoon(c);
                    });
            assembler.snapshots(snapshots.tracker(), config.snapshot());
            SnapshotCoordinator coordinator = snapshots.coordinator();
            this.coordinator = coordinator;
            c.registerEventListener(event -> {
                if (failure.error != null) {
                    return;
                }
                try {
                    assembler.handle(event);
                } catch (InterruptedException e) {
                    failure.set(e);
                    Thread.currentThread().interrupt();
                    disconnectSoon(c);
                } catch (RuntimeException e) {
                    failure.set(e);
                    disconnectSoon(c);
                }
            });
            c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
                @Override
                public void onConnect(BinaryLogClient client) {
                    if (client.getMasterServerId() != here.identity().serverId()) {
                        // another server answered the binlog connection than the one the position was chosen for
                        failure.set(SluiceException.retriable(
                                "the server at " + where() + " changed while Sluice"
                                        + " connected (" + here.identity() + ", then server_id "
                                        + client.getMasterServerId()
                                        + ")",
                                null));
                        disconnectSoon(client);
                    }
                }

                @Override
                public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                    failure.set(ex);
                }

                @Override
                public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
                    failure.set(
                            truncatedByTheNetwork(ex)
                                    ? SluiceException.retriable("the connection broke inside a binlog event", ex)
                                    : SluiceException.fatal(
                                            "a binlog event could not be decoded: " + ex.getMessage()
                                                    + "; nothing after it was emitted, and the checkpoint stays before it",
                                            ex));
                    disconnectSoon(client);
                }
            });
            client = c;
            if (stopped) {
                return;
            }
            Heartbeat heartbeat = startHeartbeat();
            try {
                LOG.info(
                        "[{}] connecting to {}:{} as {}, reading from {}",
                        config.name(),
                        config.host(),
                        config.port(),
                        config.user(),
                        requested);
                coordinator.start();
                c.connect();
            } catch (IOException e) {
                throw classify(e, requested, resume, from != null);
            } catch (OutOfMemoryError e) {
                throw outOfHeap(e, c);
            } finally {
                client = null;
                if (heartbeat != null) {
                    heartbeat.close();
                }
                coordinator.stop();
                output.close();
            }
            Throwable error = failure.error;
            if (error instanceof InterruptedException ie) {
                throw ie;
            }
            if (error instanceof SluiceException se && !(stopped && se.retriable())) {
                throw se;
            }
            if (error != null) {
                if (stopped) {
                    return; // what broke as it stopped (the connection, a snapshot read) starts again from the
                    // checkpoint
                }
                throw classify(error, requested, resume, from != null);
            }
            if (!stopped) {
                throw SluiceException.retriable("the server closed the replication connection", null);
            }
        } finally {
            catalog.close();
        }
    }

    /**
     * Never blocks: the library's disconnect waits for the reading thread to let go of the connection, and that
     * thread may itself be waiting for room in the pipeline's queue; the disconnect runs on its own thread. The
     * reading thread may also wait at a whole-table snapshot read's position for its rows: the snapshot thread is
     * stopped first, which releases it.
     */
    @Override
    public void stop() {
        stopped = true;
        SnapshotCoordinator co = coordinator;
        if (co != null) {
            co.stop();
        }
        BinaryLogClient c = client;
        if (c != null) {
            disconnectSoon(c);
        }
    }

    /** A schema tracker over the pipeline's history. */
    private SchemaTracker schemaTracker() {
        return schemaTracker(this::jdbc);
    }

    /** A schema tracker over the pipeline's history, asking {@code catalog} what the binlog does not say. */
    private SchemaTracker schemaTracker(TableMapDefinitions.Catalog catalog) {
        return wiring.schemaTracker(catalog, filter::captures).announceFirstSeen(announceSchemas);
    }

    /** Where a client without a checkpoint starts, when it starts at a file position (else null). */
    private static BinlogPosition startPosition(BinaryLogClient c) {
        return c.getBinlogFilename() == null
                ? null
                : new BinlogPosition(c.getBinlogFilename(), c.getBinlogPosition(), null);
    }

    /** Sets the client's start position; returns it as text for messages. */
    private String position(BinaryLogClient c, Checkpoint from, Resume resume) {
        if (resume.byGtid()) {
            c.setGtidSet(resume.gtids());
            return "after GTID set " + resume.gtids() + " (the checkpoint's position " + from.position()
                    + " does not apply here as a file position)";
        }
        if (from != null) {
            BinlogPosition p = from.readFrom();
            c.setBinlogFilename(p.file());
            c.setBinlogPosition(p.pos());
            return p.toString();
        }
        StartPosition start = config.start();
        if (start instanceof StartPosition.At at) {
            c.setBinlogFilename(at.file());
            c.setBinlogPosition(at.pos());
            return at.file() + ":" + at.pos();
        }
        if (start instanceof StartPosition.Gtid g) {
            c.setGtidSet(g.gtidSet());
            return "after GTID set " + g.gtidSet();
        }
        throw new IllegalStateException("start " + start + " is resolved to a checkpoint before streaming");
    }

    /**
     * Checks the server settings {@code sluice check} checks (not the grants) before reading: the binlog off or
     * {@code binlog_row_image} other than FULL refuse to start, as does {@code binlog_format} other than ROW unless
     * {@code source.on-statement-changes} lets such statements through; a {@code binlog_row_metadata} other than
     * FULL is a warning (Sluice falls back to information_schema).
     */
    private void checkServer(Connection conn) throws SQLException {
        List<Finding> findings = BinlogSettings.check(conn);
        List<String> refused = new ArrayList<>();
        boolean format = false;
        for (Finding f : findings) {
            boolean refuse = switch (f.kind()) {
                case BINLOG_OFF, BINLOG_ROW_IMAGE -> true;
                case BINLOG_FORMAT -> config.onStatementChanges() == StatementPolicy.HALT;
                default -> false;
            };
            if (refuse) {
                refused.add(f.toString());
                format |= f.kind() == Finding.Kind.BINLOG_FORMAT;
            } else if (warnedSettings.add(f.problem())) {
                LOG.warn(
                        "[{}] {}{}",
                        config.name(),
                        f,
                        f.kind() == Finding.Kind.BINLOG_FORMAT
                                ? " Statements that change captured rows without row events are handled by"
                                        + " source.on-statement-changes: "
                                        + config.onStatementChanges().name().toLowerCase()
                                : "");
            }
        }
        if (!refused.isEmpty()) {
            throw SluiceException.fatal("the server at " + config.host() + ":" + config.port() + " is not set up for"
                    + " capture, so Sluice does not start reading its binlog:\n  - " + String.join("\n  - ", refused)
                    + (format
                            ? "\n(To stream anyway, with every statement that changes captured rows without row"
                                    + " events logged and counted, or truncated and snapshotted again, set source.on-statement-changes"
                                    + " to warn or snapshot.)"
                            : "")
                    + "\n`sluice check " + config.configOption() + "` lists every setting"
                    + " and grant Sluice needs.");
        }
    }

    /**
     * Per captured table ({@code db.table}; {@code *} for tables a statement did not name), the statements that
     * changed its rows without row events and were let through ({@code source.on-statement-changes}).
     */
    public Map<String, Long> statementChanges() {
        Map<String, Long> out = new java.util.TreeMap<>();
        statementChanges.forEach((t, n) -> out.put(t, n.get()));
        return out;
    }

    /** Snapshot progress and statements let through, as the application shows them. */
    @Override
    public SourceStatus status() {
        return new SourceStatus() {
            @Override
            public List<SnapshotTableStatus> snapshots() {
                return List.copyOf(snapshotStatus());
            }

            @Override
            public Map<String, Long> statementChanges() {
                return MySqlSource.this.statementChanges();
            }

            @Override
            public java.util.Optional<HeartbeatStatus> heartbeat() {
                if (!config.heartbeat().on()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new HeartbeatStatus() {
                    @Override
                    public long writes() {
                        return heartbeatWrites.get();
                    }

                    @Override
                    public long errors() {
                        return heartbeatErrors.get();
                    }

                    @Override
                    public long lastWriteEpochMillis() {
                        return heartbeatLastMs;
                    }
                });
            }

            @Override
            public boolean snapshotsPaused() {
                return wiring.snapshotsPaused();
            }
        };
    }

    /**
     * Creates the heartbeat table when missing and writes the first heartbeat (a user who may not fails here, with
     * the GRANT to run), then writes one every interval until the session ends; null when the heartbeat is off.
     */
    private Heartbeat startHeartbeat() {
        HeartbeatConfig hb = config.heartbeat();
        if (!hb.on()) {
            return null;
        }
        HeartbeatTable table = new HeartbeatTable(hb);
        try (Connection conn = jdbc()) {
            table.start(conn, config.serverId(), config.name());
            heartbeatWritten();
        } catch (SQLException e) {
            heartbeatErrors.incrementAndGet();
            throw jdbcFailure(e);
        }
        java.util.concurrent.ExecutorService writes = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-" + config.name() + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
        return new Heartbeat(config.name(), hb.interval(), wiring.scheduler(), writes, () -> {
                    try (Connection conn = jdbc()) {
                        table.write(conn, config.serverId(), config.name());
                    } catch (SQLException | RuntimeException e) {
                        heartbeatErrors.incrementAndGet();
                        throw e;
                    }
                    heartbeatWritten();
                })
                .start();
    }

    private void heartbeatWritten() {
        heartbeatWrites.incrementAndGet();
        heartbeatLastMs = wiring.clock().millis();
    }

    /**
     * Whether this session's snapshots run read-only (no signal-table writes); false until the first snapshot work
     * decided it (see {@code snapshot.mode}).
     */
    public boolean snapshotsReadOnly() {
        SnapshotCoordinator co = coordinator;
        return co != null && co.readOnly();
    }

    /**
     * A snapshot request (snapshot, cancel, pause, resume) made in this process, without the signal table: for
     * read-only snapshots. The binlog reader applies it at the next transaction or heartbeat, and it enters the
     * checkpoint that follows (until then, a stop loses it). Returns its id, or null when the source does not stream
     * in this process now.
     */
    public String submitSnapshotRequest(String kind, String tables, String filter) {
        return wiring.submitSnapshotRequest(kind, tables, filter);
    }

    /** Per-table progress of the snapshots this process has seen. */
    public List<SnapshotTracker.TableStatus> snapshotStatus() {
        return wiring.snapshotStatus();
    }

    /** One job per captured base table, under a new run name, for {@code start: snapshot}. */
    private SnapshotProgress initialSnapshot(Connection conn) {
        String run = "initial-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(wiring.clock().instant())
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        List<SnapshotProgress.Job> jobs = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        TableFilter only = new TableFilter(config.snapshot().tables(), List.of());
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                        + " WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND TABLE_SCHEMA NOT IN"
                        + " ('mysql', 'information_schema', 'performance_schema', 'sys')"
                        + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                if (!filter.captures(rs.getString(1), rs.getString(2))) {
                    continue;
                }
                String qn = rs.getString(1) + "." + rs.getString(2);
                if (only.captures(rs.getString(1), rs.getString(2))) {
                    jobs.add(new SnapshotProgress.Job(run, qn, null, null, 0, 0));
                } else {
                    leftOut.add(qn);
                }
            }
        } catch (SQLException e) {
            throw jdbcFailure(e);
        }
        LOG.info(
                "[{}] initial snapshot {} of {} table(s): {}",
                config.name(),
                run,
                jobs.size(),
                jobs.stream().map(SnapshotProgress.Job::table).toList());
        if (!leftOut.isEmpty()) {
            LOG.info(
                    "[{}] {} captured table(s) not in snapshot.tables stream from the start position only: {}",
                    config.name(),
                    leftOut.size(),
                    leftOut);
        }
        if (jobs.isEmpty() && !config.snapshot().tables().isEmpty()) {
            LOG.warn(
                    "[{}] snapshot.tables {} matches no captured base table: the initial snapshot reads nothing",
                    config.name(),
                    config.snapshot().tables());
        }
        return new SnapshotProgress(jobs);
    }

    /**
     * A snapshot connection: over the binary protocol (server-side prepared statements, which return FLOAT and
     * DOUBLE values exactly) or the text protocol (cheaper for the server and the driver).
     */
    private Connection snapshotJdbc(boolean binaryProtocol) throws SQLException {
        return config.connect(binaryProtocol);
    }

    Connection jdbc() throws SQLException {
        return config.connect();
    }

    private SluiceException jdbcFailure(SQLException e) {
        return ErrorClassifier.classify(e, config.errorContext());
    }

    /**
     * Who is at the configured address: its identity, and on MariaDB, where the checkpoint has GTIDs, the GTID state
     * the server finds at the checkpoint's position ({@code BINLOG_GTID_POS}; null there when the position is no event
     * boundary of its binlog).
     */
    private static Resume.Server probe(Connection conn, Checkpoint from) throws SQLException {
        try (Statement st = conn.createStatement()) {
            long serverId;
            boolean mariaDb;
            try (ResultSet rs = st.executeQuery("SELECT @@server_id, @@version")) {
                rs.next();
                serverId = rs.getLong(1);
                mariaDb = rs.getString(2).toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            }
            String uuid = null;
            if (!mariaDb) {
                try (ResultSet rs = st.executeQuery("SELECT @@server_uuid")) {
                    rs.next();
                    uuid = rs.getString(1);
                }
            }
            ServerIdentity identity = new ServerIdentity(serverId, uuid);
            String gtids = from == null ? null : from.position().gtids();
            if (!mariaDb || gtids == null || gtids.isBlank()) {
                return new Resume.Server(identity, mariaDb, null, false);
            }
            return new Resume.Server(
                    identity,
                    true,
                    gtidStateAt(conn, from.position().file(), from.position().pos()),
                    true);
        }
    }

    /** MariaDB's GTID state at a position of its binlog; null when that is no event boundary of it. */
    private String gtidStateAt(String file, long pos) {
        try (Connection conn = jdbc()) {
            return gtidStateAt(conn, file, pos);
        } catch (SQLException e) {
            throw jdbcFailure(e);
        }
    }

    private static String gtidStateAt(Connection conn, String file, long pos) throws SQLException {
        return GtidPositions.stateAt(conn, file, pos);
    }

    private String where() {
        return config.host() + ":" + config.port();
    }

    /**
     * One classification for every failure. A position the server cannot send from says which binlogs it still has
     * and, when it is the checkpoint's, how to start over ({@code source.start} no longer applies); resumed by GTID on
     * another server, it says what a failover needs.
     */
    private SluiceException classify(Throwable e, String requested, Resume resume, boolean fromCheckpoint) {
        ErrorClassifier.Context ctx = config.errorContext().withPosition(requested);
        if (fromCheckpoint) {
            ctx = ctx.fromCheckpoint(startOver());
        }
        if (!ErrorClassifier.positionUnavailable(e)) {
            return ErrorClassifier.classify(e, ctx);
        }
        if (resume.byGtid() && !ErrorClassifier.serverText(e).contains("purged")) {
            return SluiceException.fatal(
                    "The server at " + where() + " cannot send its binlog after GTID set "
                            + resume.gtids() + " (error 1236: " + ErrorClassifier.serverText(e)
                            + "). Sluice resumes there"
                            + " by GTID because " + resume.reason()
                            + " (a failover). A server still behind the one the checkpoint was taken on"
                            + " (applying its relay log) lacks GTIDs Sluice already emitted: wait until its"
                            + " @@gtid_binlog_pos (MySQL: @@gtid_executed) holds " + resume.gtids()
                            + " and start Sluice"
                            + " again. A server whose binlog no longer holds what follows that set cannot continue the"
                            + " stream: point source.host at one that does, or start over: " + startOver() + ".",
                    e);
        }
        SluiceException se = ErrorClassifier.positionUnavailable(e, ctx, binaryLogsOrEmpty());
        if (!resume.verified()) {
            se = SluiceException.fatal(
                    se.getMessage() + " If this is not the server the checkpoint was taken on"
                            + " (a failover), the checkpoint's file position does not apply here: point source.host at that"
                            + " server.",
                    e);
        }
        return se;
    }

    private String startOver() {
        Path stateDir = wiring.stateDir();
        return startOver != null
                ? startOver
                : "stop the pipeline, move away its state directory"
                        + (stateDir == null ? "" : " (" + stateDir + ")")
                        + " and its sink's output, and start it again (with"
                        + " start: snapshot to read the tables' rows first)";
    }

    /**
     * Out of heap while reading or decoding an event (the library's reader thread is this one): the event's objects
     * are garbage once the stack has unwound. The advice counts on an event as large as max_allowed_packet, which
     * bounds a row image, taking about {@value #HEAP_PER_EVENT_BYTE} times its size on the heap while it is read,
     * decoded, rendered and written, on top of what the pipeline holds anyway.
     */
    private SluiceException outOfHeap(OutOfMemoryError e, BinaryLogClient c) {
        String at =
                c.getBinlogFilename() == null ? "" : " after " + c.getBinlogFilename() + ":" + c.getBinlogPosition();
        long packet = maxAllowedPacket();
        String why = packet <= 0
                ? null
                : "A binlog event (a row, with its before image for an update) can be as large"
                        + " as max_allowed_packet, " + (packet >> 20) + " MiB on this server, and Sluice needs about "
                        + HEAP_PER_EVENT_BYTE + " times an event's size of heap to read, decode and write it.";
        return OutOfHeap.error(e, "while reading the binlog event" + at, why, packet <= 0 ? 0 : heapForEvent(packet));
    }

    /** The heap a pipeline needs to read, decode and write a binlog event of this many bytes (an estimate). */
    public static long heapForEvent(long bytes) {
        return bytes * HEAP_PER_EVENT_BYTE + BASE_HEAP;
    }

    /** The server's max_allowed_packet in bytes, or 0 when it cannot be read. */
    private long maxAllowedPacket() {
        try (Connection conn = jdbc();
                Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.max_allowed_packet")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException | RuntimeException ex) {
            return 0;
        }
    }

    private List<String> binaryLogsOrEmpty() {
        try {
            return new ServerBinlogs(config).names();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void disconnectSoon(BinaryLogClient c) {
        Thread t = new Thread(
                () -> {
                    try {
                        c.disconnect();
                    } catch (IOException e) {
                        LOG.debug("disconnect failed", e);
                    }
                },
                "sluice-" + config.name() + "-disconnect");
        t.setDaemon(true);
        t.start();
    }

    /** True when a decoding failure came from a stream that ended or broke, not from the event's content. */
    private static boolean truncatedByTheNetwork(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static SSLMode sslMode(TlsMode mode) {
        return switch (mode) {
            case DISABLED -> SSLMode.DISABLED;
            case PREFERRED -> SSLMode.PREFERRED;
            case REQUIRED -> SSLMode.REQUIRED;
            case VERIFY_CA -> SSLMode.VERIFY_CA;
            case VERIFY_IDENTITY -> SSLMode.VERIFY_IDENTITY;
        };
    }

    /** The first failure seen on the reader thread. */
    private static final class Failure {
        volatile Throwable error;

        synchronized void set(Throwable t) {
            if (error == null) {
                error = t;
            }
        }
    }
}
