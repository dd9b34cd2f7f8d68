package io.sluice.app.config;

import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.longInteger;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.path;
import static io.sluice.core.config.ValueType.size;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ValueType;
import io.sluice.core.encode.BigintEncoding;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import io.sluice.mysql.config.SourceKeys;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
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
                    "encoding",
                    "How the JSON sinks (file, stdout, kafka) write values where the contract leaves readers a"
                            + " choice (see docs/change-event.md, Options)."),
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

    public static final ConfigKey<Path> RULES = ConfigKey.derived(
            "rules",
            path(),
            "none",
            (name, base) -> null,
            "A rule file (YAML, relative to this file) of transformation rules applied to every event before it is"
                    + " encoded: filters, masks, renames, computed columns, routes, merged shards (docs/rules.md)."
                    + " None by default.");

    public static final ConfigKey<String> SOURCE_HOST = SourceKeys.SOURCE_HOST;

    public static final ConfigKey<Integer> SOURCE_PORT = SourceKeys.SOURCE_PORT;

    public static final ConfigKey<String> SOURCE_USER = SourceKeys.SOURCE_USER;

    public static final ConfigKey<String> SOURCE_PASSWORD = SourceKeys.SOURCE_PASSWORD;

    public static final ConfigKey<Long> SOURCE_SERVER_ID = SourceKeys.SOURCE_SERVER_ID;

    public static final ConfigKey<List<String>> SOURCE_INCLUDE = SourceKeys.SOURCE_INCLUDE;

    public static final ConfigKey<List<String>> SOURCE_EXCLUDE = SourceKeys.SOURCE_EXCLUDE;

    public static final ConfigKey<StartPosition> SOURCE_START = SourceKeys.SOURCE_START;

    public static final ConfigKey<TlsMode> SOURCE_TLS = SourceKeys.SOURCE_TLS;

    public static final ConfigKey<Duration> SOURCE_CONNECT_TIMEOUT = SourceKeys.SOURCE_CONNECT_TIMEOUT;

    public static final ConfigKey<StatementPolicy> SOURCE_ON_STATEMENT_CHANGES = SourceKeys.SOURCE_ON_STATEMENT_CHANGES;

    public static final ConfigKey<String> SNAPSHOT_SIGNAL_TABLE = SourceKeys.SNAPSHOT_SIGNAL_TABLE;

    public static final ConfigKey<Integer> SNAPSHOT_CHUNK_SIZE = SourceKeys.SNAPSHOT_CHUNK_SIZE;

    public static final ConfigKey<Long> SNAPSHOT_CHUNK_BYTES = SourceKeys.SNAPSHOT_CHUNK_BYTES;

    public static final ConfigKey<List<String>> SNAPSHOT_TABLES = SourceKeys.SNAPSHOT_TABLES;

    public static final ConfigKey<io.sluice.mysql.snapshot.SnapshotConfig.Mode> SNAPSHOT_MODE =
            SourceKeys.SNAPSHOT_MODE;

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

    public static final ConfigKey<BigintEncoding> ENCODING_BIGINT = ConfigKey.optional(
            "encoding.bigint",
            ValueType.enumeration(BigintEncoding.class),
            BigintEncoding.NUMBER,
            "How JSON sinks (file, stdout, kafka) write 64-bit integers. number: JSON numbers, exact over the whole"
                    + " BIGINT UNSIGNED range (the contract); unsafe-as-string: integers beyond 2^53-1 in magnitude,"
                    + " which JavaScript and jq 1.6 round, as strings of their digits, others as numbers;"
                    + " string: every BIGINT column's values (signed or unsigned) as strings, so a column has one JSON"
                    + " type. DECIMAL values are strings under every setting. Event ids keep numbers.");

    public static final ConfigKey<Boolean> ENCODING_TRANSACTION_MARKERS = ConfigKey.optional(
            "encoding.transaction-markers",
            ValueType.bool(),
            false,
            "Whether the JSON sinks mark the last event of each source transaction (and of each snapshot chunk)"
                    + " with \"txn\":{\"last\":true}, so a consumer sees where a transaction ends (as Maxwell's"
                    + " commit: true). Off: the contract's envelope, unchanged.");

    public static final ConfigKey<Boolean> ENCODING_ANNOUNCE_SCHEMAS = ConfigKey.optional(
            "encoding.announce-schemas",
            ValueType.bool(),
            false,
            "Whether each schema version no statement in the stream made (a table first seen in a table map or by a"
                    + " snapshot, e.g. with start: latest or snapshot) is announced by an s event with \"ddl\":null and"
                    + " the version's columns before its first row, for every sink. Off: s events are the contract's"
                    + " schema changes only, as consumers that count them expect.");

    public static final ConfigKey<Integer> QUEUE_MAX_EVENTS = ConfigKey.optional(
            "queue.max-events",
            integer(1, Integer.MAX_VALUE),
            16_384,
            "Events the queue holds; when full, the source waits for the sink (back-pressure).");

    public static final ConfigKey<Compatibility.Mode> SCHEMA_COMPATIBILITY = SourceKeys.SCHEMA_COMPATIBILITY;

    public static final ConfigKey<SchemaPolicy.Action> SCHEMA_ON_BREAKING = SourceKeys.SCHEMA_ON_BREAKING;

    public static final ConfigKey<Map<String, SchemaPolicy.Rule>> SCHEMA_TABLES = SourceKeys.SCHEMA_TABLES;

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
        List<ConfigKey<?>> all = new ArrayList<>(List.of(NAME, STATE, RULES));
        all.addAll(SourceKeys.SOURCE);
        all.add(sinkType);
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
                ENCODING_BIGINT,
                ENCODING_TRANSACTION_MARKERS,
                ENCODING_ANNOUNCE_SCHEMAS));
        all.addAll(SourceKeys.SCHEMA);
        return List.copyOf(all);
    }

    /**
     * Milliseconds, written as a duration with its unit ({@code 20ms}, {@code 1s}, 0 or more) or, as before durations
     * carried units, a bare number of milliseconds.
     */
    static ValueType<Long> milliseconds() {
        ValueType<Duration> withUnit = ValueType.duration(Duration.ZERO);
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
