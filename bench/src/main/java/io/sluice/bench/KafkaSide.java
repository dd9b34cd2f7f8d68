package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.testkit.KafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka end of the benchmark: a local single broker (a {@link KafkaBroker} child JVM with Kafka's own default
 * of no fsync per message, as a production broker runs) and read_committed consumers that watch a pipeline's
 * offsets topic, count its events, and receive events as they are committed.
 */
final class KafkaSide implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBroker broker;

    KafkaSide(Map<String, String> brokerOverrides) {
        // the benchmark's own consumers: their INFO lines would bury the results
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        // the test broker fsyncs every message (log.flush.interval.messages=1) for its crash tests; a benchmark
        // measures Kafka as it is deployed: durability from acks and replication, flushing left to the OS
        Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        o.putAll(brokerOverrides);
        broker = KafkaBroker.start(o);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** The sink block of a Sluice config writing to this broker. */
    String sinkYaml(Map<String, String> properties) {
        StringBuilder y = new StringBuilder("sink:\n  type: kafka\n  bootstrap-servers: " + bootstrap() + "\n");
        if (!properties.isEmpty()) {
            y.append("  properties:\n");
            properties.forEach((k, v) ->
                    y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return y.toString();
    }

    private Properties consumerProps() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        return p;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Follows the committed checkpoints of one pipeline (its offsets topic). */
    final class OffsetsWatcher implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> c = consumer();
        private final TopicPartition tp;
        private boolean assigned;
        private JsonNode last;
        private long records;
        /** For a Connect offsets topic: the connector whose records count; null for a pipeline's own topic. */
        private final String connector;

        OffsetsWatcher(String topicPrefix) {
            tp = new TopicPartition(topicPrefix + ".offsets", 0);
            connector = null;
        }

        /**
         * Follows connector {@code connector}'s committed offsets in Connect's offsets topic {@code topic} (key {@code
         * ["<connector>", {partition}]}, value {@code {"checkpoint": "<checkpoint JSON>"}}), read_committed, as they
         * come: unlike GET /connectors/n/offsets, which builds a new offset store and reads the whole topic in the
         * worker at every call, this costs the worker nothing.
         */
        OffsetsWatcher(String topic, String connector) {
            tp = new TopicPartition(topic, 0);
            this.connector = connector;
        }

        /** The position of the newest committed checkpoint, or null before the first. */
        BinlogPosition position() throws IOException {
            if (!assigned) {
                if (!c.listTopics(Duration.ofSeconds(5)).containsKey(tp.topic())) {
                    return null;
                }
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                assigned = true;
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                if (connector == null) {
                    last = JSON.readTree(r.value());
                    records++;
                } else if (r.key() != null && r.value() != null) {
                    JsonNode key = JSON.readTree(r.key());
                    if (connector.equals(key.path(0).asText())) {
                        String cp = JSON.readTree(r.value()).path("checkpoint").asText(null);
                        if (cp != null) {
                            last = JSON.readTree(cp);
                            records++;
                        }
                    }
                }
            }
            if (last == null || !last.path("position").has("file")) {
                return null;
            }
            JsonNode p = last.get("position");
            return new BinlogPosition(p.get("file").asText(), p.get("pos").asLong(), null);
        }

        /** Offsets records seen so far: one per committed Kafka transaction. */
        long records() {
            return records;
        }

        @Override
        public void close() {
            c.close(Duration.ofSeconds(5));
        }
    }

    /** Event topics of a pipeline: {@code <prefix>.*} except the offsets topic. */
    private static List<TopicPartition> eventPartitions(KafkaConsumer<byte[], byte[]> c, String prefix) {
        List<TopicPartition> all = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> t :
                c.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (t.getKey().startsWith(prefix + ".") && !t.getKey().equals(prefix + ".offsets")) {
                for (PartitionInfo p : t.getValue()) {
                    all.add(new TopicPartition(p.topic(), p.partition()));
                }
            }
        }
        return all;
    }

    /** Reads every committed event of a pipeline: {count, distinct ids}. */
    long[] countEvents(String prefix) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> tps = eventPartitions(c, prefix);
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            Set<String> ids = new HashSet<>();
            long n = 0;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    n++;
                    ids.add(new String(
                            r.headers().lastHeader("sluice.id").value(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return new long[] {n, ids.size()};
        }
    }

    /** A read_committed consumer of one topic that hands over events as they arrive. */
    final class Receiver implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> c = consumer();
        private final String topic;
        private boolean assigned;

        Receiver(String topic) {
            this.topic = topic;
        }

        /** Waits up to ~5 ms for events; empty until the topic exists. */
        List<JsonNode> poll() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            if (!assigned) {
                List<PartitionInfo> parts = c.listTopics(Duration.ofSeconds(5)).get(topic);
                if (parts == null) {
                    return out;
                }
                List<TopicPartition> tps = parts.stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                c.assign(tps);
                c.seekToBeginning(tps);
                assigned = true;
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(5))) {
                out.add(JSON.readTree(r.value()));
            }
            return out;
        }

        @Override
        public void close() {
            c.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
