package io.sluice.app.config;

import static io.sluice.app.config.SourceValueTypes.schemaTables;
import static io.sluice.app.config.SourceValueTypes.startPosition;
import static io.sluice.app.config.SourceValueTypes.tableGlobs;
import static io.sluice.core.config.ValueType.duration;
import static io.sluice.core.config.ValueType.enumeration;
import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.longInteger;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.path;
import static io.sluice.core.config.ValueType.size;
import static io.sluice.core.config.ValueType.string;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ValueType;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.StatementPolicy;
import io.sluice.mysql.source.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every configuration key, declared once. {@link #ALL} is the table the loader validates against, error messages
 * quote, and {@code docs/configuration.md} is generated from (see {@link ConfigReference}). To add a key: declare it
 * here, add it to {@link #ALL}, read it in {@link ConfigLoader}, then regenerate the reference. A sink's keys are
 * its provider's ({@link SinkProvider#keys()}): adding a sink adds them here without an edit.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** The sections of a pipeline file, in reference order, with one line each. */
    public record Section(String name, String doc) {}

    public static final List<Section> SECTIONS = List.of(
            new Section("", "The pipeline's identity and where it keeps its checkpoints."),
            new Section("source", "The MySQL or MariaDB server to read the binlog from."),
            new Section("snapshot", "Chunked snapshots (start: snapshot, or on demand): see docs/snapshots.md."),
            new Section("sink", "Where change events are written."),
            new Section(
                    "batch",
                    "When the sink makes writes durable: one fsync and checkpoint per batch; a batch ends"
                            + " when the pipeline has nothing more to hand over or any bound is reached. A batch of snapshot rows"
                            + " only (op r) ends at a bound: the next chunk is on its way, and nobody waits on it as on a"
                            + " change."),
            new Section("queue", "The bounded queue between the source thread and the sink thread."),
            new Section(
                    "schema",
                    "Schema changes of captured tables: the compatibility policy they are checked"
                            + " against and what a breaking change does (see docs/schemas.md)."));

    public static final ConfigKey<String> NAME = ConfigKey.required(
            "name",
            matching("[A-Za-z0-9_.-]+", "a name of letters, digits, '_', '.' and '-'"),
            "Names the pipeline: in every event's source, in logs, and in the default state directory;"
                    + " unique among the pipelines of one process.");

    public static final ConfigKey<Path> STATE = ConfigKey.derived(
            "state",
            path(),
            "state/<name>",
            (name, base) -> base.resolve("state").resolve(name).normalize(),
            "Directory of the pipeline's checkpoints and schema history; one pipeline per directory (locked while"
                    + " it runs).");

    public static final ConfigKey<String> SOURCE_HOST = ConfigKey.required(
            "source.host", matching("\\S+", "a host name or IP address"), "Server host name or IP address.");

    public static final ConfigKey<Integer> SOURCE_PORT =
            ConfigKey.optional("source.port", integer(1, 65535), 3306, "Server port.");

    public static final ConfigKey<String> SOURCE_USER = ConfigKey.required(
            "source.user",
            matching(".*\\S.*", "a user name"),
            "User to connect as; needs REPLICATION SLAVE, SELECT on the captured tables, and REPLICATION CLIENT on"
                    + " MySQL or BINLOG MONITOR on MariaDB 10.5 and later (README: Grants; `sluice check` says what"
                    + " is missing).");

    public static final ConfigKey<String> SOURCE_PASSWORD = ConfigKey.optional(
                    "source.password",
                    string(),
                    "",
                    "The user's password; write ${SOME_VARIABLE} to keep it out of the file. Never logged.")
            .secret();

    public static final ConfigKey<Long> SOURCE_SERVER_ID = ConfigKey.required(
            "source.server-id",
            longInteger(1, 4_294_967_295L),
            "Server id Sluice presents as a replica; must be unique among all replicas of that server"
                    + " (and differ from the server's own server_id), or the server disconnects one of them."
                    + " Pipelines loaded together may not share one on the same server; sluice check compares it"
                    + " with the server's and its registered replicas' ids.");

    public static final ConfigKey<List<String>> SOURCE_INCLUDE = ConfigKey.optional(
            "source.include",
            tableGlobs(),
            List.of(),
            "Tables to capture, as db.table globs with * and ?; empty captures every table.");

    public static final ConfigKey<List<String>> SOURCE_EXCLUDE =
            ConfigKey.optional("source.exclude", tableGlobs(), List.of(), "Tables never captured, even when included.");

    public static final ConfigKey<StartPosition> SOURCE_START = ConfigKey.optional(
            "source.start",
            startPosition(),
            new StartPosition.Earliest(),
            "Where to begin when there is no checkpoint yet: the oldest binlog the server has, its current end,"
                    + " its current end after a snapshot of every captured table (snapshot), an explicit binlog file"
                    + " and position, or right after a GTID set. latest, snapshot and earliest are resolved at the first"
                    + " start and kept at once as the first checkpoint (with the snapshot's tables), so a retry or"
                    + " restart begins there too. Ignored once checkpointed.");

    public static final ConfigKey<TlsMode> SOURCE_TLS = ConfigKey.optional(
            "source.tls",
            enumeration(TlsMode.class),
            TlsMode.PREFERRED,
            "TLS to the server, as mysql --ssl-mode: disabled, preferred (if the server offers it), required"
                    + " (unverified), verify-ca, verify-identity (certificate and host name).");

    public static final ConfigKey<Duration> SOURCE_CONNECT_TIMEOUT = ConfigKey.optional(
            "source.connect-timeout",
            duration(Duration.ofMillis(1)),
            Duration.ofSeconds(10),
            "Time allowed for connecting to the server.");

    public static final ConfigKey<StatementPolicy> SOURCE_ON_STATEMENT_CHANGES = ConfigKey.optional(
            "source.on-statement-changes",
            enumeration(StatementPolicy.class),
            StatementPolicy.HALT,
            "What a statement that changed rows of a captured table without row events does: DML logged as a"
                    + " statement (binlog_format STATEMENT or MIXED for its session, rows written before the server"
                    + " went to ROW), a parent row's delete or key update that a foreign key's ON DELETE/ON UPDATE"
                    + " action carries into a captured table, and DDL that adds or removes rows (ALTER TABLE ..."
                    + " TRUNCATE, DROP, EXCHANGE or CONVERT PARTITION, IMPORT TABLESPACE, ALTER IGNORE ... ADD"
                    + " UNIQUE). halt: stop before it,"
                    + " naming it, its position and the ways forward; warn: log it, count it"
                    + " (sluice_statement_changes_total) and go on, consumers may then hold other rows than the"
                    + " table; snapshot: log and count it, emit a t event for each table concerned and snapshot it"
                    + " again (op r). Also decides whether `sluice run` refuses a server whose binlog_format is not"
                    + " ROW (halt) or only warns (docs/change-event.md).");

    public static final ConfigKey<String> SNAPSHOT_SIGNAL_TABLE = ConfigKey.optional(
            "snapshot.signal-table",
            matching("[^.\\s`]+\\.[^.\\s`]+", "db.table"),
            SnapshotConfig.DEFAULT_SIGNAL_TABLE,
            "The signal table (db.table) whose rows carry snapshot watermarks and requests through the binlog;"
                    + " created when missing (the user then needs CREATE on its database, else create it by hand:"
                    + " docs/snapshots.md). Never captured.");

    public static final ConfigKey<Integer> SNAPSHOT_CHUNK_SIZE = ConfigKey.optional(
            "snapshot.chunk-size",
            integer(1, 10_000_000),
            SnapshotConfig.DEFAULT_CHUNK_SIZE,
            "Rows read per chunk at most. Within this cap the row count adapts to the row width, so that a chunk"
                    + " holds about snapshot.chunk-bytes of rendered rows (a table's first chunk reads 16 rows to measure"
                    + " it). About four chunks at most are held in memory: one read, one waiting for the binlog"
                    + " reader, one queued, one being written (docs/snapshots.md).");

    public static final ConfigKey<Long> SNAPSHOT_CHUNK_BYTES = ConfigKey.optional(
            "snapshot.chunk-bytes",
            size(1),
            SnapshotConfig.DEFAULT_CHUNK_BYTES,
            "Rendered row bytes (the rows' JSON) a snapshot chunk aims at; the"
                    + " rows read per chunk adapt to the measured width of the previous chunk's rows, at most"
                    + " snapshot.chunk-size. Larger chunks mean fewer watermark round trips through the binlog, and"
                    + " more memory (a chunk's rows take about twice their rendered size on the heap).");

    public static final ConfigKey<List<String>> SNAPSHOT_TABLES = ConfigKey.optional(
            "snapshot.tables",
            tableGlobs(),
            List.of(),
            "The tables start: snapshot reads, as db.table globs with * and ? among the captured tables;"
                    + " empty reads every captured table. The others stream from the start position only (snapshot"
                    + " them later on demand: docs/snapshots.md).");

    /** {@code sink.type}: one of the installed sink providers' types. */
    public static final ConfigKey<String> SINK_TYPE = sinkType(SinkProviders.installed());

    public static final ConfigKey<Integer> BATCH_MAX_EVENTS = ConfigKey.optional(
            "batch.max-events",
            integer(1, Integer.MAX_VALUE),
            BatchPolicy.DEFAULT.maxEvents(),
            "Events written before a flush (with"
                    + " `sink.type: kafka` a batch is one Kafka transaction). A pipeline whose queue runs dry flushes"
                    + " at once, so under load batch.max-ms usually ends a batch first.");

    public static final ConfigKey<Long> BATCH_MAX_BYTES = ConfigKey.optional(
            "batch.max-bytes", size(1), BatchPolicy.DEFAULT.maxBytes(), "Bytes written before a flush.");

    public static final ConfigKey<Long> BATCH_MAX_MS = ConfigKey.optional(
            "batch.max-ms",
            milliseconds(),
            BatchPolicy.DEFAULT.maxMillis(),
            "Time after the first unflushed commit before a flush: a duration with its unit (20ms, 1s); a bare"
                    + " number is milliseconds, as in earlier versions.");

    public static final ConfigKey<Integer> QUEUE_MAX_EVENTS = ConfigKey.optional(
            "queue.max-events",
            integer(1, Integer.MAX_VALUE),
            16_384,
            "Events the queue holds; when full, the source waits for the sink (back-pressure).");

    public static final ConfigKey<Compatibility.Mode> SCHEMA_COMPATIBILITY = ConfigKey.optional(
            "schema.compatibility",
            enumeration(Compatibility.Mode.class),
            Compatibility.Mode.BACKWARD,
            "Compatibility a new table version must keep with the previous one, in schema-registry terms: backward"
                    + " (consumers on the new version read old data), forward (consumers on the old version read new"
                    + " data), full (both), none (no checks).");

    public static final ConfigKey<SchemaPolicy.Action> SCHEMA_ON_BREAKING = ConfigKey.optional(
            "schema.on-breaking",
            enumeration(SchemaPolicy.Action.class),
            SchemaPolicy.Action.HALT,
            "What a breaking change (or an unparseable statement touching a captured table) does: halt (stop before"
                    + " the new version's first event until `sluice schema approve`), warn (continue; the s event"
                    + " lists the broken rules under breaking, and a metric counts it) or quarantine (the table's"
                    + " events go to <state>/quarantine/<db.table>.jsonl until approved; other tables flow on).");

    public static final ConfigKey<Map<String, SchemaPolicy.Rule>> SCHEMA_TABLES = ConfigKey.optional(
            "schema.tables",
            schemaTables(),
            Map.of(),
            "Per-table overrides of compatibility and on-breaking, e.g."
                    + " {shop.orders: {compatibility: full, on-breaking: warn}}.");

    /** Every key, in reference order, the installed sink providers' keys under {@code sink:}. */
    public static final List<ConfigKey<?>> ALL = all(SINK_TYPE, SinkProviders.installed());

    /**
     * {@code sink.type} for these providers: one of their types (an unknown one is reported with the list), each
     * described in the reference by its provider.
     */
    static ConfigKey<String> sinkType(List<SinkProvider<?>> providers) {
        List<String> types = providers.stream().map(SinkProvider::type).toList();
        ValueType<String> type = new ValueType.Simple<>(
                "one of " + String.join(", ", types),
                (node, base) -> {
                    String text = ValueType.scalarText(node);
                    if (!types.contains(text)) {
                        throw new ValueType.InvalidValue();
                    }
                    return text;
                },
                t -> t);
        return ConfigKey.required(
                "sink.type",
                type,
                providers.stream().map(p -> p.type() + ": " + p.description()).collect(Collectors.joining("; ")) + ".");
    }

    /**
     * Every key, in reference order, with each provider's keys placed under {@code sink:}, applying when
     * {@code sinkType} names it.
     */
    static List<ConfigKey<?>> all(ConfigKey<String> sinkType, List<SinkProvider<?>> providers) {
        List<ConfigKey<?>> all = new ArrayList<>(List.of(
                NAME,
                STATE,
                SOURCE_HOST,
                SOURCE_PORT,
                SOURCE_USER,
                SOURCE_PASSWORD,
                SOURCE_SERVER_ID,
                SOURCE_INCLUDE,
                SOURCE_EXCLUDE,
                SOURCE_START,
                SOURCE_TLS,
                SOURCE_CONNECT_TIMEOUT,
                SOURCE_ON_STATEMENT_CHANGES,
                SNAPSHOT_SIGNAL_TABLE,
                SNAPSHOT_CHUNK_SIZE,
                SNAPSHOT_CHUNK_BYTES,
                SNAPSHOT_TABLES,
                sinkType));
        for (SinkProvider<?> p : providers) {
            for (ConfigKey<?> key : p.keys()) {
                all.add(key.in("sink").onlyWhen(sinkType, p.type()));
            }
        }
        all.addAll(List.of(
                BATCH_MAX_EVENTS,
                BATCH_MAX_BYTES,
                BATCH_MAX_MS,
                QUEUE_MAX_EVENTS,
                SCHEMA_COMPATIBILITY,
                SCHEMA_ON_BREAKING,
                SCHEMA_TABLES));
        return List.copyOf(all);
    }

    /**
     * Milliseconds, written as a duration with its unit ({@code 20ms}, {@code 1s}, 0 or more) or, as before durations
     * carried units, a bare number of milliseconds.
     */
    static ValueType<Long> milliseconds() {
        ValueType<Duration> withUnit = duration(Duration.ZERO);
        ValueType<Long> bare = longInteger(0, Long.MAX_VALUE);
        return new ValueType.Simple<>(
                "a duration like 20ms or 1s (a bare number is milliseconds)",
                (node, base) -> node.isIntegralNumber()
                                || (node.isTextual() && node.textValue().trim().matches("\\d+"))
                        ? bare.parse(node, base)
                        : withUnit.parse(node, base).toMillis(),
                ms -> ms + "ms");
    }

    /** The section a key belongs to: {@code source} for {@code source.port}, {@code ""} for top-level keys. */
    static String sectionOf(ConfigKey<?> key) {
        int dot = key.path().indexOf('.');
        return dot < 0 ? "" : key.path().substring(0, dot);
    }
}
