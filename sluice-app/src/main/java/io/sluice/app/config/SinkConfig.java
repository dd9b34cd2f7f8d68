package io.sluice.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** Where a pipeline writes its change events: one record per {@link SinkType}. */
public sealed interface SinkConfig {

    /** The sink family of these settings. */
    SinkType type();

    /**
     * Segment files in a directory.
     *
     * @param path         the directory (absolute: relative paths were resolved against the config file's directory)
     * @param segmentBytes size after which a new segment file is started
     * @param fsync        whether each batch is fsynced before it is checkpointed
     * @param directIo     whether whole blocks are written with direct I/O, past the page cache
     */
    record FileSinkSettings(Path path, long segmentBytes, boolean fsync, boolean directIo) implements SinkConfig {
        public FileSinkSettings {
            Objects.requireNonNull(path, "path");
            if (segmentBytes < 1) {
                throw new IllegalArgumentException("segmentBytes must be positive: " + segmentBytes);
            }
        }

        /** With direct I/O, the default. */
        public FileSinkSettings(Path path, long segmentBytes, boolean fsync) {
            this(path, segmentBytes, fsync, true);
        }

        @Override
        public SinkType type() {
            return SinkType.FILE;
        }
    }

    /**
     * Exactly once into Kafka. {@link #toString()} shows the client property names only: values may be secrets.
     *
     * @param bootstrapServers  the cluster
     * @param topicPrefix       first part of every topic name
     * @param partitions        partitions of created event topics, 0 for the broker's default
     * @param replicationFactor replication of created topics, 0 for the broker's default
     * @param retention         retention of created event topics, null for the broker's default
     * @param bufferBytes       the producer's buffer.memory
     * @param properties        client properties passed through
     * @param maxTransactionEvents events of one source transaction per Kafka transaction
     */
    record KafkaSinkSettings(String bootstrapServers, String topicPrefix, int partitions, int replicationFactor,
                             Duration retention, long bufferBytes, Map<String, String> properties,
                             int maxTransactionEvents) implements SinkConfig {
        public KafkaSinkSettings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topicPrefix, "topicPrefix");
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        /** With the default split size. */
        public KafkaSinkSettings(String bootstrapServers, String topicPrefix, int partitions, int replicationFactor,
                                 Duration retention, long bufferBytes, Map<String, String> properties) {
            this(bootstrapServers, topicPrefix, partitions, replicationFactor, retention, bufferBytes, properties,
                    io.sluice.kafka.KafkaSinkConfig.DEFAULT_MAX_TRANSACTION_EVENTS);
        }

        @Override
        public SinkType type() {
            return SinkType.KAFKA;
        }

        @Override
        public String toString() {
            return "KafkaSinkSettings[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                    + ", partitions=" + partitions + ", replicationFactor=" + replicationFactor + ", retention="
                    + retention + ", bufferBytes=" + bufferBytes + ", properties="
                    + new java.util.TreeSet<>(properties.keySet()) + ", maxTransactionEvents=" + maxTransactionEvents
                    + "]";
        }
    }

    /** One JSON line per event on standard output. */
    record StdoutSinkSettings() implements SinkConfig {
        @Override
        public SinkType type() {
            return SinkType.STDOUT;
        }
    }
}
