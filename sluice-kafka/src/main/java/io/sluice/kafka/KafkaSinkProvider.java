package io.sluice.kafka;

import static io.sluice.core.config.ValueType.duration;
import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.size;
import static io.sluice.core.config.ValueType.stringMap;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkContext;
import io.sluice.core.sink.SinkProvider;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code sink.type: kafka}: {@link KafkaSinks#kafka}, its checkpoint in the offsets topic. */
public final class KafkaSinkProvider implements SinkProvider<KafkaSinkConfig> {
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.required(
            "bootstrap-servers",
            matching("\\S+(,\\S+)*", "host:port pairs separated by commas"),
            "The Kafka cluster: host:port pairs separated by commas.");

    public static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.derived(
            "topic-prefix",
            matching("[A-Za-z0-9_.-]+", "letters, digits, '_', '.' and '-'"),
            "<name>",
            (name, base) -> name,
            "First part of every topic name: events of db.table go to <prefix>.<db>.<table>, the checkpoint to"
                    + " <prefix>.offsets (compacted).");

    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.optional(
            "partitions",
            integer(0, 1_000_000),
            1,
            "Partitions of an event topic Sluice creates (0: the broker's default); events are partitioned by key,"
                    + " a table without a key keeps to one partition, and t and s events go to every partition of"
                    + " the table's topic (docs/kafka.md). Existing topics are used as they are.");

    public static final ConfigKey<Integer> REPLICATION_FACTOR = ConfigKey.optional(
            "replication-factor",
            integer(0, Short.MAX_VALUE),
            0,
            "Replication of the topics Sluice creates (0: the broker's default).");

    public static final ConfigKey<Duration> RETENTION = ConfigKey.derived(
            "retention",
            duration(Duration.ofMillis(1)),
            "the broker's",
            (name, base) -> null,
            "retention.ms of the event topics Sluice creates.");

    public static final ConfigKey<Long> BUFFER_BYTES = ConfigKey.optional(
            "buffer-bytes",
            size(64 << 10),
            KafkaSinkConfig.DEFAULT_BUFFER_BYTES,
            "Memory for events waiting to be sent; when it is full the" + " pipeline waits for Kafka (back-pressure).");

    public static final ConfigKey<Integer> MAX_TRANSACTION_EVENTS = ConfigKey.optional(
            "max-transaction-events",
            integer(1, Integer.MAX_VALUE),
            KafkaSinkConfig.DEFAULT_MAX_TRANSACTION_EVENTS,
            "Events of one source transaction per Kafka transaction: a larger source transaction is committed to"
                    + " Kafka in parts of this many events, the checkpoint marking how far it got, so a crash neither"
                    + " loses nor repeats rows. A read_committed consumer sees such a transaction's parts one after"
                    + " the other.");

    public static final ConfigKey<Map<String, String>> PROPERTIES = ConfigKey.optional(
                    "properties",
                    stringMap(),
                    Map.of(),
                    "Kafka client properties passed through as given, e.g. security.protocol, sasl.mechanism,"
                            + " sasl.jaas.config, ssl.truststore.location; write ${SOME_VARIABLE} for secrets. Never logged.")
            .secret();

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public String description() {
        return "exactly once into one Kafka topic per table";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(
                BOOTSTRAP_SERVERS,
                TOPIC_PREFIX,
                PARTITIONS,
                REPLICATION_FACTOR,
                RETENTION,
                BUFFER_BYTES,
                MAX_TRANSACTION_EVENTS,
                PROPERTIES);
    }

    @Override
    public KafkaSinkConfig settings(ConfigValues values) {
        return new KafkaSinkConfig(
                values.pipeline(),
                values.get(BOOTSTRAP_SERVERS),
                values.get(TOPIC_PREFIX),
                KafkaSinkConfig.DEFAULT_TOPIC_TEMPLATE,
                values.get(PARTITIONS),
                values.get(REPLICATION_FACTOR).shortValue(),
                values.get(RETENTION),
                values.get(BUFFER_BYTES),
                KafkaSinkConfig.DEFAULT_HOLD_BACK_BYTES,
                KafkaSinkConfig.DEFAULT_OUTAGE_TIMEOUT,
                values.get(PROPERTIES),
                values.get(MAX_TRANSACTION_EVENTS));
    }

    @Override
    public Sink create(KafkaSinkConfig settings, SinkContext context) {
        return KafkaSinks.kafka(settings, context.clock());
    }

    @Override
    public Optional<String> checkpointElsewhere(KafkaSinkConfig settings) {
        return Optional.of("its offsets topic " + settings.offsetsTopic());
    }

    /** The last committed checkpoint in the offsets topic, read without a producer: nothing is fenced. */
    @Override
    public Optional<Checkpoint> readCheckpoint(KafkaSinkConfig settings) throws IOException {
        return new KafkaSink(settings, Clock.systemUTC()).readCommitted();
    }

    /**
     * Writes the checkpoint to the offsets topic as the sink does, in a Kafka transaction under the pipeline's
     * transactional id (fencing an instance still running), only while the topic still holds {@code expected}.
     */
    @Override
    public void writeCheckpoint(KafkaSinkConfig settings, Checkpoint expected, Checkpoint next) throws IOException {
        new KafkaSink(settings, Clock.systemUTC()).replaceCommitted(expected, next);
    }
}
