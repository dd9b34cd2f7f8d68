package io.sluice.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of the Kafka sink.
 *
 * @param pipeline          the pipeline name: the transactional id is {@code sluice-<pipeline>}, the offsets topic
 *                          {@code <topicPrefix>.offsets} and the offsets record's key is the pipeline name
 * @param bootstrapServers  {@code host:port,...} of the cluster
 * @param topicPrefix       first part of every topic name; usually the pipeline name
 * @param topicTemplate     the event topic of a table: {@code {prefix}}, {@code {db}} and {@code {table}} are
 *                          replaced; characters Kafka does not allow in topic names become {@code _}
 * @param partitions        partitions of a created event topic; 0 takes the broker's default
 * @param replicationFactor replication of created topics; 0 takes the broker's default
 * @param retention         {@code retention.ms} of created event topics; null takes the broker's default
 * @param bufferBytes       the producer's {@code buffer.memory}: when this much is waiting for Kafka, writes block
 * @param holdBackBytes     bytes of a source transaction the sink holds in memory until the transaction ends; a larger
 *                          transaction goes to Kafka as it is written and its flush waits for the transaction's end
 * @param outageTimeout     how long the sink waits for an unavailable cluster before it gives up with a retriable error
 * @param clientProperties  further producer/consumer/admin properties (SASL, SSL, …), passed through as given; their
 *                          values are never logged
 * @param maxTransactionEvents events of one source transaction after which the sink commits a Kafka transaction in
 *                          the middle of it (with the checkpoint marking how far it got), so a huge source transaction
 *                          is split over several Kafka transactions
 */
public record KafkaSinkConfig(
        String pipeline,
        String bootstrapServers,
        String topicPrefix,
        String topicTemplate,
        int partitions,
        short replicationFactor,
        Duration retention,
        long bufferBytes,
        long holdBackBytes,
        Duration outageTimeout,
        Map<String, String> clientProperties,
        int maxTransactionEvents) {

    /** Topic of a table by default: {@code <prefix>.<db>.<table>}. */
    public static final String DEFAULT_TOPIC_TEMPLATE = "{prefix}.{db}.{table}";

    public static final long DEFAULT_BUFFER_BYTES = 32L << 20;
    public static final long DEFAULT_HOLD_BACK_BYTES = 8L << 20;
    public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_TRANSACTION_EVENTS = 100_000;

    public KafkaSinkConfig {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(topicTemplate, "topicTemplate");
        Objects.requireNonNull(outageTimeout, "outageTimeout");
        if (partitions < 0 || replicationFactor < 0) {
            throw new IllegalArgumentException(
                    "partitions and replication factor must be 0 (broker default) or positive");
        }
        if (bufferBytes < 1 << 16 || holdBackBytes < 0) {
            throw new IllegalArgumentException("bufferBytes must be at least 64 KiB, holdBackBytes not negative");
        }
        if (maxTransactionEvents < 1) {
            throw new IllegalArgumentException("maxTransactionEvents must be at least 1");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    /** Defaults for everything but the pipeline name and the cluster. */
    public static KafkaSinkConfig of(String pipeline, String bootstrapServers) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                pipeline,
                DEFAULT_TOPIC_TEMPLATE,
                1,
                (short) 0,
                null,
                DEFAULT_BUFFER_BYTES,
                DEFAULT_HOLD_BACK_BYTES,
                DEFAULT_OUTAGE_TIMEOUT,
                Map.of(),
                DEFAULT_MAX_TRANSACTION_EVENTS);
    }

    public KafkaSinkConfig withPartitions(int n) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                topicPrefix,
                topicTemplate,
                n,
                replicationFactor,
                retention,
                bufferBytes,
                holdBackBytes,
                outageTimeout,
                clientProperties,
                maxTransactionEvents);
    }

    public KafkaSinkConfig withTopicPrefix(String prefix) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                prefix,
                topicTemplate,
                partitions,
                replicationFactor,
                retention,
                bufferBytes,
                holdBackBytes,
                outageTimeout,
                clientProperties,
                maxTransactionEvents);
    }

    public KafkaSinkConfig withOutageTimeout(Duration d) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                topicPrefix,
                topicTemplate,
                partitions,
                replicationFactor,
                retention,
                bufferBytes,
                holdBackBytes,
                d,
                clientProperties,
                maxTransactionEvents);
    }

    public KafkaSinkConfig withHoldBackBytes(long n) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                topicPrefix,
                topicTemplate,
                partitions,
                replicationFactor,
                retention,
                bufferBytes,
                n,
                outageTimeout,
                clientProperties,
                maxTransactionEvents);
    }

    public KafkaSinkConfig withClientProperties(Map<String, String> props) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                topicPrefix,
                topicTemplate,
                partitions,
                replicationFactor,
                retention,
                bufferBytes,
                holdBackBytes,
                outageTimeout,
                props,
                maxTransactionEvents);
    }

    public KafkaSinkConfig withMaxTransactionEvents(int n) {
        return new KafkaSinkConfig(
                pipeline,
                bootstrapServers,
                topicPrefix,
                topicTemplate,
                partitions,
                replicationFactor,
                retention,
                bufferBytes,
                holdBackBytes,
                outageTimeout,
                clientProperties,
                n);
    }

    /** The producer's transactional id: one per pipeline, so a second instance fences the first. */
    public String transactionalId() {
        return "sluice-" + pipeline;
    }

    /** The event topic of a table, by {@link #topicTemplate()}. */
    public String eventTopic(String db, String table) {
        return KafkaTopics.eventTopic(this, db, table);
    }

    /** The compacted topic holding the pipeline's checkpoint. */
    public String offsetsTopic() {
        return KafkaTopics.legal(topicPrefix + ".offsets");
    }

    /** Client property names only: their values may be secrets. */
    @Override
    public String toString() {
        return "KafkaSinkConfig[pipeline=" + pipeline + ", bootstrapServers=" + bootstrapServers + ", topicPrefix="
                + topicPrefix + ", topicTemplate=" + topicTemplate + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", retention=" + retention + ", bufferBytes="
                + bufferBytes + ", holdBackBytes=" + holdBackBytes + ", outageTimeout=" + outageTimeout
                + ", clientProperties=" + new TreeMap<>(clientProperties).keySet() + ", maxTransactionEvents="
                + maxTransactionEvents + "]";
    }
}
