package io.sluice.mysql.config;

import static io.sluice.core.config.ValueType.duration;
import static io.sluice.core.config.ValueType.enumeration;
import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.longInteger;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.size;
import static io.sluice.core.config.ValueType.string;
import static io.sluice.mysql.config.SourceValueTypes.schemaTables;
import static io.sluice.mysql.config.SourceValueTypes.startPosition;
import static io.sluice.mysql.config.SourceValueTypes.tableGlobs;

import io.sluice.core.config.ConfigKey;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.HeartbeatConfig;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.StatementPolicy;
import io.sluice.mysql.source.TlsMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The MySQL source's keys ({@code source.*}, {@code snapshot.*}) and the schema policy's ({@code schema.*}), each
 * declared once; {@link #SOURCE} and {@link #SCHEMA} list them in reference order. The application's YAML loader and
 * the Kafka Connect connector read them through {@link #source} and {@link #policy}, so a key means the same in both.
 */
public final class SourceKeys {
    private SourceKeys() {}

    /** Where a key's value comes from: the loaded YAML, a connector's configuration. */
    @FunctionalInterface
    public interface Values {
        /** The key's value (its default when not set); null only for a key without one. */
        <T> T get(ConfigKey<T> key);
    }

    public static final ConfigKey<String> SOURCE_HOST = ConfigKey.required(
            "source.host", matching("\\S+", "a host name or IP address"), "Server host name or IP address.");

    public static final ConfigKey<Integer> SOURCE_PORT =
            ConfigKey.optional("source.port", integer(1, 65535), 3306, "Server port.");

    public static final ConfigKey<String> SOURCE_USER = ConfigKey.required(
            "source.user",
            matching(".*\\S.*", "a user name"),
            "User to connect as; needs REPLICATION SLAVE, SELECT on the captured tables, and REPLICATION CLIENT on"
                    + " MySQL or BINLOG MONITOR on MariaDB 10.5 and later (README: Your own server; `sluice check`"
                    + " says what is missing).");

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

    public static final ConfigKey<String> SOURCE_HEARTBEAT_TABLE = ConfigKey.derived(
            "source.heartbeat.table",
            matching("[^.\\s`]+\\.[^.\\s`]+", "db.table"),
            "none (off)",
            (pipeline, dir) -> null,
            "A table (db.table) on the source server that Sluice writes a row to every source.heartbeat.interval"
                    + " (INSERT ... ON DUPLICATE KEY UPDATE ts = NOW(6), one row per source.server-id), so that an idle"
                    + " server's binlog moves: the checkpoint follows it and lag stays truthful where the server's binlog"
                    + " end cannot be polled (no BINLOG MONITOR / REPLICATION CLIENT). Created when missing (the user"
                    + " needs CREATE, else an administrator creates it: sluice check gives the statements); the user"
                    + " needs SELECT, INSERT, UPDATE on it. Never captured; its rows reach no sink. Off by default.");

    public static final ConfigKey<Duration> SOURCE_HEARTBEAT_INTERVAL = ConfigKey.optional(
            "source.heartbeat.interval",
            duration(Duration.ofMillis(100)),
            HeartbeatConfig.DEFAULT_INTERVAL,
            "How often the heartbeat row is written (with source.heartbeat.table): an idle pipeline's lag stays"
                    + " under about this plus a second.");

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

    public static final ConfigKey<SnapshotConfig.Mode> SNAPSHOT_MODE = ConfigKey.optional(
            "snapshot.mode",
            enumeration(SnapshotConfig.Mode.class),
            SnapshotConfig.Mode.AUTO,
            "How snapshot chunks are placed in the binlog stream: signal-table writes watermark rows to"
                    + " snapshot.signal-table (the user needs SELECT, INSERT, UPDATE on it, or CREATE to make it);"
                    + " read-only writes nothing: each chunk is read in a consistent snapshot at the binlog position"
                    + " MariaDB reports (binlog_snapshot_file) and emitted there (MariaDB only); auto takes the"
                    + " signal table when the user can write it, else read-only. The log and sluice check say which"
                    + " mode runs (docs/snapshots.md).");

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

    /** The source's and snapshot's keys, in reference order. */
    public static final List<ConfigKey<?>> SOURCE = List.of(
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
            SOURCE_HEARTBEAT_TABLE,
            SOURCE_HEARTBEAT_INTERVAL,
            SNAPSHOT_SIGNAL_TABLE,
            SNAPSHOT_CHUNK_SIZE,
            SNAPSHOT_CHUNK_BYTES,
            SNAPSHOT_TABLES,
            SNAPSHOT_MODE);

    /** The schema policy's keys, in reference order. */
    public static final List<ConfigKey<?>> SCHEMA = List.of(SCHEMA_COMPATIBILITY, SCHEMA_ON_BREAKING, SCHEMA_TABLES);

    /** The source configuration of pipeline {@code name} from these keys' values. */
    public static MySqlSourceConfig source(String name, Values v) {
        return source(name, v, null);
    }

    /**
     * The source settings from these keys' values, for the pipeline file {@code configFile} (null: not known), which
     * the messages that give a command name ({@link MySqlSourceConfig#configOption()}).
     */
    public static MySqlSourceConfig source(String name, Values v, java.nio.file.Path configFile) {
        return new MySqlSourceConfig(
                name,
                v.get(SOURCE_HOST),
                v.get(SOURCE_PORT),
                v.get(SOURCE_USER),
                v.get(SOURCE_PASSWORD),
                v.get(SOURCE_SERVER_ID),
                v.get(SOURCE_INCLUDE),
                v.get(SOURCE_EXCLUDE),
                v.get(SOURCE_START),
                v.get(SOURCE_TLS),
                v.get(SOURCE_CONNECT_TIMEOUT),
                new SnapshotConfig(
                        v.get(SNAPSHOT_SIGNAL_TABLE),
                        v.get(SNAPSHOT_CHUNK_SIZE),
                        v.get(SNAPSHOT_CHUNK_BYTES),
                        v.get(SNAPSHOT_TABLES),
                        v.get(SNAPSHOT_MODE)),
                v.get(SOURCE_ON_STATEMENT_CHANGES),
                configFile,
                new HeartbeatConfig(v.get(SOURCE_HEARTBEAT_TABLE), v.get(SOURCE_HEARTBEAT_INTERVAL)));
    }

    /** The schema compatibility policy from these keys' values. */
    public static SchemaPolicy policy(Values v) {
        return new SchemaPolicy(v.get(SCHEMA_COMPATIBILITY), v.get(SCHEMA_ON_BREAKING), v.get(SCHEMA_TABLES));
    }
}
