package io.sluice.connect;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.state.CheckpointStore;
import io.sluice.core.state.NamedLogStore;
import io.sluice.core.state.RecordLog;
import io.sluice.core.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A pipeline's {@link StateStore} in a compacted Kafka topic, so that a Connect task keeps no local state. Every
 * log (schema history, approvals, quarantine, rule versions) is a sequence of records keyed
 * {@code <pipeline>/<log>/<n>}, n counting from 0: unique keys, so compaction never removes one. The task reads the
 * topic once at start (read_committed, to its end); an append goes to the {@link Appender}, which writes it as a
 * record in the same Kafka transaction as the events that follow it, so the history and the offsets that need it
 * are committed together or not at all. {@link RecordLog#sync()} therefore has nothing to do.
 *
 * <p>A log whose numbers do not run from 0 without a gap was truncated (retention, a deleted and re-created topic):
 * reading it fails, naming the log and the numbers missing, rather than decoding rows with the wrong columns.
 *
 * <p>The checkpoint lives in Connect's offsets ({@link Offsets}), not here: {@link #checkpoint} holds none.
 */
final class StateTopic extends NamedLogStore {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    /** Where appended records go: into the task's current Kafka transaction. */
    interface Appender {
        void append(String key, byte[] value);
    }

    private final String topic;
    private final String pipeline;
    private final Appender appender;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> stored;

    private StateTopic(String topic, String pipeline, Map<String, List<byte[]>> stored, Appender appender) {
        this.topic = topic;
        this.pipeline = pipeline;
        this.stored = stored;
        this.appender = appender;
    }

    /** Reads {@code pipeline}'s logs from {@code topic} up to its end; appends go to {@code appender}. */
    static StateTopic read(String bootstrapServers, String topic, String pipeline, Appender appender) {
        RecordFormat.Decoder asStored = (t, b) -> b;
        return read(bootstrapServers, topic, pipeline, appender, asStored, asStored);
    }

    /**
     * As {@link #read(String, String, String, Appender)}, each record's key and value turned back into the bytes the
     * task wrote by the given decoders (the connector's converters, for {@code value.format=struct}).
     */
    static StateTopic read(
            String bootstrapServers,
            String topic,
            String pipeline,
            Appender appender,
            RecordFormat.Decoder keys,
            RecordFormat.Decoder values) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.CLIENT_ID_CONFIG,
                "sluice-" + pipeline + "-state-reader");
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(tp, READ_TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw SluiceException.retriable(
                            "reading the state topic " + topic + " did not reach its end (offset " + end + ") within "
                                    + READ_TIMEOUT.toSeconds() + " s",
                            null);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    collect(byLog, pipeline, keys.decode(topic, r.key()), values.decode(topic, r.value()));
                }
            }
        }
        return new StateTopic(topic, pipeline, contiguous(topic, pipeline, byLog), appender);
    }

    /** Files one record of the topic under its log and number, when its key is {@code <pipeline>/<log>/<n>}. */
    static void collect(Map<String, TreeMap<Long, byte[]>> byLog, String pipeline, byte[] rawKey, byte[] value) {
        String prefix = pipeline + "/";
        String key = rawKey == null ? "" : new String(rawKey, StandardCharsets.UTF_8);
        int last = key.lastIndexOf('/');
        if (!key.startsWith(prefix) || last <= prefix.length() || value == null) {
            return; // another pipeline's record, or not one of ours
        }
        try {
            long n = Long.parseLong(key.substring(last + 1));
            byLog.computeIfAbsent(key.substring(prefix.length(), last), k -> new TreeMap<>())
                    .put(n, value);
        } catch (NumberFormatException e) {
            // not one of ours
        }
    }

    /** Each log's records in order; a log whose numbers do not run from 0 without a gap is a clear error. */
    static Map<String, List<byte[]>> contiguous(
            String topic, String pipeline, Map<String, TreeMap<Long, byte[]>> byLog) {
        Map<String, List<byte[]>> stored = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Long, byte[]>> e : byLog.entrySet()) {
            long expected = 0;
            for (long n : e.getValue().keySet()) {
                if (n != expected) {
                    throw truncated(topic, pipeline, e.getKey(), expected, n);
                }
                expected++;
            }
            stored.put(e.getKey(), new ArrayList<>(e.getValue().values()));
        }
        return stored;
    }

    private static SluiceException truncated(String topic, String pipeline, String log, long from, long to) {
        return SluiceException.fatal("the state topic " + topic + " has lost records " + from + " to " + (to - 1)
                + " of pipeline " + pipeline + "'s " + log + " (retention deleted them, or the topic was re-created):"
                + " rows would be decoded with the wrong columns, so the connector does not start. Restore the topic,"
                + " or start the pipeline over: stop the connector, reset its offsets (DELETE"
                + " /connectors/<name>/offsets) and delete the topic. Keep the topic compacted"
                + " (cleanup.policy=compact), never with a retention time");
    }

    /** Whether the topic held any record of this pipeline when it was read. */
    boolean holdsAnything() {
        return !stored.isEmpty();
    }

    /** Where the logs are kept, for messages. */
    String where() {
        return "Kafka topic " + topic + " (pipeline " + pipeline + ")";
    }

    @Override
    protected Log log(String name) {
        return logs.computeIfAbsent(name, Log::new);
    }

    /** A record in a log of its own (e.g. where the pipeline started), in the current Kafka transaction. */
    void record(String log, byte[] value) {
        log(log).append(value);
    }

    @Override
    public CheckpointStore checkpoint(String sink) {
        return new CheckpointStore() {
            @Override
            public Optional<Checkpoint> read() {
                return Optional.empty(); // Connect's offsets hold it
            }

            @Override
            public void write(Checkpoint checkpoint) {
                throw new UnsupportedOperationException("a Connect task's checkpoint is its source offset");
            }
        };
    }

    @Override
    public void close() {}

    /** One log: the records read at start, then those appended by this task. */
    private final class Log implements RecordLog {
        private final String name;
        private final List<byte[]> records;
        private final boolean existed;

        Log(String name) {
            this.name = name;
            List<byte[]> s = stored.get(name);
            this.existed = s != null;
            this.records = new ArrayList<>(s == null ? List.of() : s);
        }

        @Override
        public synchronized List<byte[]> read() {
            return List.copyOf(records);
        }

        @Override
        public synchronized void append(byte[] record) {
            String key = pipeline + "/" + name + "/" + records.size();
            records.add(record.clone());
            appender.append(key, record.clone());
        }

        @Override
        public void sync() {
            // durable with the Kafka transaction that carries the records after it
        }

        @Override
        public synchronized boolean existed() {
            return existed || !records.isEmpty();
        }

        @Override
        public String where() {
            return StateTopic.this.where() + ", log " + name;
        }
    }
}
