package io.sluice.connect;

import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ValueType.InvalidValue;
import io.sluice.kafka.KafkaSinkConfig;
import io.sluice.mysql.config.SourceKeys;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The connector's configuration: Sluice's own keys, flattened ({@code source.host}, {@code snapshot.chunk-size},
 * {@code schema.on-breaking}: the same names, validation and documentation as in a pipeline's YAML, from the same
 * {@link ConfigKey} declarations), and the connector's keys for Kafka ({@code kafka.bootstrap-servers},
 * {@code topic.*}, {@code state.topic}, {@code max-transaction-events}). The pipeline's name is the connector's
 * name. A list or map value is written as JSON ({@code source.include=["shop.*"]}); a single table glob may be
 * written bare.
 */
final class ConnectorConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** Key prefixes that are Sluice's: a key under them that Sluice does not declare is an error. */
    private static final List<String> SECTIONS = List.of(
            "source.",
            "snapshot.",
            "schema.",
            "kafka.",
            "topic.",
            "state.",
            "queue.",
            "heartbeat.",
            "value.format",
            "value.temporal",
            "value.field-names",
            "rules");
    /** Connect's own keys under those prefixes (topic creation). */
    private static final List<String> CONNECT_PREFIXES = List.of("topic.creation.");

    static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.required(
            "kafka.bootstrap-servers",
            matching("\\S+", "host:port[,host:port...]"),
            "The Kafka cluster the worker writes to (the task reads its state topic and creates topics there).");

    static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.derived(
            "topic.prefix",
            matching("[A-Za-z0-9_.-]+", "a topic name part of letters, digits, '_', '.' and '-'"),
            "the connector's name",
            (name, base) -> name,
            "First part of every topic name, as the Kafka sink's sink.topic-prefix.");

    static final ConfigKey<String> TOPIC_TEMPLATE = ConfigKey.optional(
            "topic.template",
            string(),
            KafkaSinkConfig.DEFAULT_TOPIC_TEMPLATE,
            "The event topic of a table: {prefix}, {db} and {table} are replaced, as for the Kafka sink.");

    static final ConfigKey<Integer> TOPIC_PARTITIONS = ConfigKey.optional(
            "topic.partitions", integer(1, 100_000), 1, "Partitions of an event topic the connector creates.");

    static final ConfigKey<Integer> TOPIC_REPLICATION_FACTOR = ConfigKey.optional(
            "topic.replication-factor",
            integer(-1, Short.MAX_VALUE),
            -1,
            "Replication factor of the topics the connector creates; -1: the broker's default.");

    static final ConfigKey<String> STATE_TOPIC = ConfigKey.derived(
            "state.topic",
            matching("[A-Za-z0-9_.-]+", "a topic name"),
            "<topic.prefix>.sluice-state",
            (name, base) -> null,
            "The compacted topic holding the schema history, approvals and quarantine, written in the same"
                    + " Kafka transaction as the records they precede; never delete it while the connector has"
                    + " offsets.");

    static final ConfigKey<Integer> MAX_TRANSACTION_EVENTS = ConfigKey.optional(
            "max-transaction-events",
            integer(1, Integer.MAX_VALUE),
            100_000,
            "A source transaction with more events is committed to Kafka in parts of this many, the offset"
                    + " marking how far into it Kafka got.");

    static final ConfigKey<Integer> QUEUE_MAX_BATCHES = ConfigKey.optional(
            "queue.max-batches",
            integer(1, 100_000),
            64,
            "Source transactions (or parts) read ahead of Connect's poll; when full, the binlog reader waits.");

    /** The value format: the contract's JSON as bytes or as a string, or Connect Structs with schemas. */
    static final ConfigKey<String> VALUE_FORMAT = ConfigKey.optional(
            "value.format",
            matching("json|json-string|struct", "json, json-string or struct"),
            "json",
            "How keys and values are handed to the converters: json (the contract's JSON bytes, for"
                    + " ByteArrayConverter), json-string (the same JSON as a string, for StringConverter) or struct"
                    + " (Connect Structs with schemas built from the table schema, for the Avro, JSON Schema,"
                    + " Protobuf or JsonConverter converters; key.converter and value.converter must then be set on"
                    + " the connector).");

    /** With value.format=struct: temporal columns as the contract's text, or as Connect's logical types. */
    static final ConfigKey<String> VALUE_TEMPORAL = ConfigKey.optional(
            "value.temporal",
            matching("string|connect", "string or connect"),
            "string",
            "With value.format=struct, how DATE, TIME, DATETIME and TIMESTAMP columns are typed: string (the"
                    + " contract's text, exact for every value) or connect (Connect's Date, Time and Timestamp logical"
                    + " types; a DATETIME is read as UTC; TIME, DATETIME and TIMESTAMP columns with 4-6 fraction"
                    + " digits stay the contract's text, as milliseconds would lose digits).");

    /** With value.format=struct: fields named as the columns, or with valid Avro names. */
    static final ConfigKey<String> VALUE_FIELD_NAMES = ConfigKey.optional(
            "value.field-names",
            matching("keep|avro", "keep or avro"),
            "keep",
            "With value.format=struct, how the key's and rows' fields are named: keep (as the columns) or avro (a"
                    + " column name that is not a valid Avro name, such as first-name, 1st or naïve, is rewritten:"
                    + " other characters become _, a leading digit gets a _ before it, a name then taken is numbered,"
                    + " as sluice schema show --format avro names them). Set avro for the Avro and Protobuf converters,"
                    + " which refuse such names.");

    /** With value.temporal=connect: what a value Connect's temporal types cannot hold becomes. */
    static final ConfigKey<String> VALUE_TEMPORAL_OUT_OF_RANGE = ConfigKey.optional(
            "value.temporal.out-of-range",
            matching("fail|null", "fail or null"),
            "fail",
            "With value.temporal=connect, a value Connect's Date, Time or Timestamp cannot hold (a zero or partial"
                    + " date, a TIME below zero or of 24 hours and more): fail (the task stops, naming the event, the"
                    + " column and the value) or null (written as null, which a consumer cannot tell from SQL NULL;"
                    + " a key column still fails).");

    static final ConfigKey<Integer> HEARTBEAT_INTERVAL_MS = ConfigKey.optional(
            "heartbeat.interval-ms",
            integer(0, Integer.MAX_VALUE),
            60_000,
            "When the binlog moves on without a captured change for this long, a heartbeat record (in the state"
                    + " topic) commits the offset at the current position, so a restart does not re-read the stretch;"
                    + " 0: never.");

    private static final List<ConfigKey<?>> OWN = List.of(
            BOOTSTRAP_SERVERS,
            TOPIC_PREFIX,
            TOPIC_TEMPLATE,
            TOPIC_PARTITIONS,
            TOPIC_REPLICATION_FACTOR,
            STATE_TOPIC,
            MAX_TRANSACTION_EVENTS,
            QUEUE_MAX_BATCHES,
            VALUE_FORMAT,
            VALUE_TEMPORAL,
            VALUE_TEMPORAL_OUT_OF_RANGE,
            VALUE_FIELD_NAMES,
            HEARTBEAT_INTERVAL_MS,
            ConnectorRules.RULES);

    /** Every key of the connector, Sluice's first. */
    static final List<ConfigKey<?>> ALL = Stream.of(SourceKeys.SOURCE, SourceKeys.SCHEMA, OWN)
            .flatMap(List::stream)
            .toList();

    private final String name;
    private final Map<ConfigKey<?>, Object> values;

    private ConnectorConfig(String name, Map<ConfigKey<?>, Object> values) {
        this.name = name;
        this.values = values;
    }

    /** Reads a connector's properties; every problem is named in one {@link ConfigException}. */
    static ConnectorConfig parse(Map<String, String> props) {
        List<String> problems = new ArrayList<>();
        String name = props.get("name");
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("the connector's name " + (name == null ? "is missing" : "'" + name + "' is not usable")
                    + ": it names the pipeline (in every event's id and source.name), so it must be letters, digits,"
                    + " '_', '.' and '-'");
            name = "?";
        }
        problems.addAll(unknownKeys(props.keySet()));
        Map<ConfigKey<?>, Object> values = new HashMap<>();
        for (ConfigKey<?> key : ALL) {
            String text = props.get(key.path());
            if (text == null) {
                if (key.isRequired()) {
                    problems.add(key.path() + " is missing: " + key.doc());
                } else {
                    Object d = key.defaultValue(name, Path.of(""));
                    if (d != null) {
                        values.put(key, d);
                    }
                }
                continue;
            }
            try {
                values.put(key, parse(key, text));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("the Sluice connector's configuration has " + problems.size() + " problem(s): "
                    + String.join("; ", problems));
        }
        return new ConnectorConfig(name, values);
    }

    /** One key's value read from its text; the message names the key, what it expects and what it found. */
    static Object parse(ConfigKey<?> key, String text) {
        JsonNode node;
        String t = text.trim();
        if ((t.startsWith("[") || t.startsWith("{")) && key != ConnectorRules.RULES) { // rules: YAML, read whole
            try {
                node = JSON.readTree(t);
            } catch (IOException e) {
                throw new ConfigException(
                        key.path(),
                        key.isSecret() ? "(hidden)" : text,
                        "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + "); expected "
                                + key.expected());
            }
        } else {
            node = TextNode.valueOf(text);
        }
        try {
            return key.type().parse(node, Path.of(""));
        } catch (InvalidValue e) {
            String found = key.isSecret() ? "(hidden)" : text;
            throw new ConfigException(
                    key.path(), found, e.detail() != null ? e.detail() : "expected " + key.expected());
        }
    }

    /** Errors for keys under Sluice's prefixes that Sluice does not declare, each naming the key. */
    static List<String> unknownKeys(Iterable<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String k : keys) {
            boolean ours = SECTIONS.stream().anyMatch(k::startsWith)
                    && CONNECT_PREFIXES.stream().noneMatch(k::startsWith);
            if (ours && ALL.stream().noneMatch(key -> key.path().equals(k))) {
                problems.add(unknownKey(k));
            }
        }
        return problems;
    }

    /** The message for an unknown key: its name, and the keys of its section. */
    static String unknownKey(String k) {
        String section = k.substring(0, k.indexOf('.') + 1);
        List<String> known = ALL.stream()
                .map(ConfigKey::path)
                .filter(p -> p.startsWith(section))
                .toList();
        return "unknown key " + k + ": Sluice's keys under " + section + " are " + String.join(", ", known);
    }

    /** The connector's {@link ConfigDef}: every key as a string, validated by its declaration. */
    static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        for (ConfigKey<?> key : ALL) {
            String doc = key.doc() + " Expected: " + key.expected() + "."
                    + key.defaultText().map(d -> " Default: " + d + ".").orElse("");
            ConfigDef.Validator check = (n, v) -> {
                if (v != null) {
                    parse(key, v instanceof Password p ? p.value() : v.toString());
                }
            };
            def.define(
                    key.path(),
                    key.isSecret() ? ConfigDef.Type.PASSWORD : ConfigDef.Type.STRING,
                    key.isRequired() ? ConfigDef.NO_DEFAULT_VALUE : null,
                    check,
                    key.isRequired() ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM,
                    doc);
        }
        return def;
    }

    /** The pipeline's name: the connector's. */
    String name() {
        return name;
    }

    @SuppressWarnings("unchecked")
    <T> T get(ConfigKey<T> key) {
        return (T) values.get(key);
    }

    MySqlSourceConfig source() {
        return SourceKeys.source(name, this::get);
    }

    SchemaPolicy schemaPolicy() {
        return SourceKeys.policy(this::get);
    }

    String topicPrefix() {
        return get(TOPIC_PREFIX);
    }

    /** How value.format=struct types temporal columns. */
    StructEvents.Temporals temporals() {
        return new StructEvents.Temporals(
                "connect".equals(get(VALUE_TEMPORAL)), "null".equals(get(VALUE_TEMPORAL_OUT_OF_RANGE)));
    }

    /** With value.format=struct: fields with valid Avro names ({@code value.field-names=avro}). */
    boolean avroFieldNames() {
        return "avro".equals(get(VALUE_FIELD_NAMES));
    }

    /**
     * Problems of the temporal and field-name keys with the value format, by key (empty when they fit): they shape
     * Structs only, so a value other than the default with {@code value.format=json} or {@code json-string} is
     * named instead of silently doing nothing; {@code out-of-range} likewise without {@code value.temporal=connect}.
     */
    static Map<String, String> structProblems(String format, Map<String, String> props) {
        Map<String, String> problems = new HashMap<>();
        if ("avro".equals(props.get(VALUE_FIELD_NAMES.path())) && !"struct".equals(format)) {
            problems.put(
                    VALUE_FIELD_NAMES.path(),
                    "value.field-names=avro needs value.format=struct: with value.format=" + format
                            + " the columns keep their names in the contract's JSON");
        }
        String temporal = props.getOrDefault(VALUE_TEMPORAL.path(), "string");
        if ("connect".equals(temporal) && !"struct".equals(format)) {
            problems.put(
                    VALUE_TEMPORAL.path(),
                    "value.temporal=connect needs value.format=struct: with value.format=" + format
                            + " temporal values are the contract's text in its JSON");
        }
        if (props.containsKey(VALUE_TEMPORAL_OUT_OF_RANGE.path()) && !"connect".equals(temporal)) {
            problems.put(
                    VALUE_TEMPORAL_OUT_OF_RANGE.path(),
                    "value.temporal.out-of-range applies with value.temporal=connect only (every temporal value is"
                            + " the contract's text otherwise): remove it, or set value.temporal=connect");
        }
        return problems;
    }

    String stateTopic() {
        return Optional.ofNullable(get(STATE_TOPIC)).orElse(topicPrefix() + ".sluice-state");
    }
}
