package io.sluice.kafka;

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
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline's {@link StateStore} in a compacted Kafka topic, so that a Kafka Connect task (sluice-connect) keeps no
 * local state; {@code sluice schema} reads it, and {@code sluice schema approve} appends to it, with
 * {@link #appendingDirectly}. Every
 * log (schema history, approvals, quarantine, rule versions) is a sequence of records keyed
 * {@code <pipeline>/<log>/<n>}, n counting from 0: unique keys, so compaction never removes one. The task reads the
 * topic once at start (read_committed, to its end); an append goes to the {@link Appender}, which writes it as a
 * record in the same Kafka transaction as the events that follow it, so the history and the offsets that need it
 * are committed together or not at all. {@link RecordLog#sync()} therefore has nothing to do.
 *
 * <p>A log whose numbers do not run from 0 without a gap was truncated (retention, records deleted): reading it
 * fails, naming the log and the numbers missing, rather than decoding rows with the wrong columns; the task reads
 * with {@link #readAllowingLoss} instead, and recovers ({@code state.recovery}) by starting a new <em>generation</em>
 * ({@link #startNewGeneration}): keys {@code <pipeline>/gen<g>/<log>/<n>}, numbered from 0 again, the whole logs of
 * the old generation copied into it. Only the newest generation present is read; older records stay in the topic,
 * passed by, and no key of the new generation can collide with a surviving one.
 *
 * <p>The checkpoint lives in Connect's offsets ({@link Offsets}), not here: {@link #checkpoint} holds none.
 */
public final class StateTopic extends NamedLogStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateTopic.class);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);

    /** Where appended records go: into the task's current Kafka transaction. */
    public interface Appender {
        /** Appends the record {@code key}, {@code value} (the key and value as the task wrote them). */
        void append(String key, byte[] value);
    }

    /** Turns a record's stored key or value back into the bytes the task wrote (a converter, or as stored). */
    public interface Decoder {
        /** The bytes the task wrote, from the record's {@code stored} bytes in {@code topic}. */
        byte[] decode(String topic, byte[] stored);
    }

    private final String topic;
    private final String pipeline;
    private final Appender appender;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    private Map<String, List<byte[]>> stored;
    /** The generation read and appended to (0: keys without a generation part). */
    private int generation;
    /** Logs of the generation read that have a gap, each as "log: records a to b" (read with loss allowed only). */
    private final List<String> lost;
    /** What {@link #close} releases (the producer of {@link #appendingDirectly}). */
    private Runnable onClose = () -> {};
    /** How the topic was read, for {@link #follow}: null for a state built otherwise. */
    private final Reading reading;
    /** The offset after the last record read (at start, then by {@link #follow}'s catch-ups). */
    private long next;
    /** The consumer of {@link #follow}'s catch-ups, opened at the first. */
    private KafkaConsumer<byte[], byte[]> follower;

    /** What reading the topic needs again: the cluster and how keys and values are decoded. */
    private record Reading(Map<String, Object> props, Decoder keys, Decoder values) {}

    private StateTopic(
            String topic,
            String pipeline,
            Map<String, List<byte[]>> stored,
            Appender appender,
            Reading reading,
            long next,
            int generation,
            List<String> lost) {
        this.topic = topic;
        this.pipeline = pipeline;
        this.stored = stored;
        this.generation = generation;
        this.lost = List.copyOf(lost);
        this.appender = appender;
        this.reading = reading;
        this.next = next;
    }

    /** Reads {@code pipeline}'s logs from {@code topic} up to its end; appends go to {@code appender}. */
    public static StateTopic read(String bootstrapServers, String topic, String pipeline, Appender appender) {
        Decoder asStored = (t, b) -> b;
        return read(bootstrapServers, topic, pipeline, appender, asStored, asStored);
    }

    /**
     * As {@link #read(String, String, String, Appender)}, each record's key and value turned back into the bytes the
     * task wrote by the given decoders (the connector's converters, for {@code value.format=struct}).
     */
    public static StateTopic read(
            String bootstrapServers, String topic, String pipeline, Appender appender, Decoder keys, Decoder values) {
        return read(bootstrapServers, topic, pipeline, appender, keys, values, false);
    }

    /**
     * As {@link #read(String, String, String, Appender, Decoder, Decoder)}, but a log with a gap does not fail: it is
     * left out of the logs read and named by {@link #lost()}, for the task to decide ({@code state.recovery}) whether
     * to {@link #startNewGeneration start a new generation} or to stop.
     */
    public static StateTopic readAllowingLoss(
            String bootstrapServers, String topic, String pipeline, Appender appender, Decoder keys, Decoder values) {
        return read(bootstrapServers, topic, pipeline, appender, keys, values, true);
    }

    private static StateTopic read(
            String bootstrapServers,
            String topic,
            String pipeline,
            Appender appender,
            Decoder keys,
            Decoder values,
            boolean allowLoss) {
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
        long end;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (consumer.partitionsFor(topic, READ_TIMEOUT).isEmpty()) {
                throw SluiceException.fatal(
                        "there is no topic " + topic + " on the Kafka cluster at " + bootstrapServers
                                + " to read pipeline " + pipeline
                                + "'s state from: check the name (a connector's state topic is"
                                + " its state.topic setting, default <topic.prefix>.sluice-state) and the cluster");
            }
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
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
        int generation = newestGeneration(byLog);
        Map<String, TreeMap<Long, byte[]>> logs = ofGeneration(byLog, generation);
        List<String> lost = new ArrayList<>();
        Map<String, List<byte[]>> stored = allowLoss ? whole(logs, lost) : contiguous(topic, pipeline, logs);
        return new StateTopic(
                topic, pipeline, stored, appender, new Reading(props, keys, values), end, generation, lost);
    }

    /** The generation of a log name as collected: {@code gen<g>/<log>} is in generation g, a plain name in 0. */
    static int generationOf(String log) {
        int slash = log.indexOf('/');
        if (log.startsWith("gen") && slash > 3) {
            try {
                return Integer.parseInt(log.substring(3, slash));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The newest generation among collected logs (0 when none has one). */
    public static int newestGeneration(Map<String, TreeMap<Long, byte[]>> byLog) {
        return byLog.keySet().stream().mapToInt(StateTopic::generationOf).max().orElse(0);
    }

    /** The logs of generation {@code g}, by their names without the generation part. */
    public static Map<String, TreeMap<Long, byte[]>> ofGeneration(Map<String, TreeMap<Long, byte[]>> byLog, int g) {
        Map<String, TreeMap<Long, byte[]>> out = new TreeMap<>();
        String prefix = generationPrefix(g);
        for (Map.Entry<String, TreeMap<Long, byte[]>> e : byLog.entrySet()) {
            if (generationOf(e.getKey()) == g) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    private static String generationPrefix(int g) {
        return g == 0 ? "" : "gen" + g + "/";
    }

    /** The logs whose numbers run from 0 without a gap; each other one is named in {@code lost}. */
    public static Map<String, List<byte[]>> whole(Map<String, TreeMap<Long, byte[]>> logs, List<String> lost) {
        Map<String, List<byte[]>> out = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Long, byte[]>> e : logs.entrySet()) {
            long expected = 0;
            String gap = null;
            for (long n : e.getValue().keySet()) {
                if (n != expected) {
                    gap = e.getKey() + ": records " + expected + " to " + (n - 1);
                    break;
                }
                expected++;
            }
            if (gap == null) {
                out.put(e.getKey(), new ArrayList<>(e.getValue().values()));
            } else {
                lost.add(gap);
            }
        }
        return out;
    }

    /**
     * A state built from records already collected ({@link #collect}) instead of read from the topic, the newest
     * generation's logs as {@link #readAllowingLoss} takes them; appends go to {@code appender}. For tests and tools.
     */
    public static StateTopic of(
            String topic, String pipeline, Map<String, TreeMap<Long, byte[]>> byLog, Appender appender) {
        int generation = newestGeneration(byLog);
        List<String> lost = new ArrayList<>();
        Map<String, List<byte[]>> stored = whole(ofGeneration(byLog, generation), lost);
        return new StateTopic(topic, pipeline, stored, appender, null, 0, generation, lost);
    }

    /**
     * Makes log {@code name} follow the topic: before its {@link RecordLog#read()} returns, at most once per
     * {@code every} (on {@code nanoTime}), it takes in the records another process appended to it since (read_committed,
     * to the topic's end), such as a rule version {@code sluice rules deploy} wrote beside the running task. A record
     * numbered as one the log holds already (its own, or one appended concurrently under the same number) is passed
     * by. A catch-up that fails (the cluster out of reach) leaves the log as it is until the next one.
     */
    public void follow(String name, LongSupplier nanoTime, Duration every) {
        if (reading == null) {
            throw new IllegalStateException("the state of " + where() + " was not read from its topic");
        }
        log(name).follow(nanoTime, every.toNanos());
    }

    /** The records of log {@code name} appended by others since the last catch-up, in order, from {@code from} on. */
    private synchronized List<byte[]> catchUp(String name, int from) {
        TopicPartition tp = new TopicPartition(topic, 0);
        if (follower == null) {
            follower = new KafkaConsumer<>(reading.props(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            follower.assign(List.of(tp));
            follower.seek(tp, next);
        }
        Map<String, TreeMap<Long, byte[]>> byLog = new TreeMap<>();
        long end = follower.endOffsets(List.of(tp), CATCH_UP_TIMEOUT).get(tp);
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (follower.position(tp, CATCH_UP_TIMEOUT) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : follower.poll(Duration.ofMillis(100))) {
                collect(
                        byLog,
                        pipeline,
                        reading.keys().decode(topic, r.key()),
                        reading.values().decode(topic, r.value()));
            }
        }
        next = follower.position(tp, CATCH_UP_TIMEOUT);
        List<byte[]> out = new ArrayList<>();
        TreeMap<Long, byte[]> records = byLog.get(generationPrefix(generation) + name);
        if (records != null) {
            long expected = from;
            for (Map.Entry<Long, byte[]> r : records.tailMap((long) from, true).entrySet()) {
                if (r.getKey() != expected) {
                    break; // a gap: the records after it are taken in once it is filled
                }
                out.add(r.getValue());
                expected++;
            }
        }
        return out;
    }

    /**
     * Reads {@code pipeline}'s logs from {@code topic} (as {@link #read}) for a command run beside the task, such as
     * {@code sluice schema approve}: each record appended is written to partition 0 at once (idempotent, acks=all)
     * and {@link #append} returns when Kafka holds it. Its keys follow the task's numbering, so run it while the
     * connector's task does not append to the same log (a halted task has failed). Close it to release its producer.
     */
    public static StateTopic appendingDirectly(String bootstrapServers, String topic, String pipeline) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "true",
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "sluice-" + pipeline + "-state-writer"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        Appender direct = (key, value) -> {
            try {
                producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value))
                        .get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SluiceException.retriable("interrupted while writing " + key + " to " + topic, e);
            } catch (ExecutionException e) {
                throw SluiceException.fatal(
                        "writing " + key + " to the state topic " + topic + " failed: "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        };
        try {
            StateTopic state = read(bootstrapServers, topic, pipeline, direct);
            state.onClose = producer::close;
            return state;
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** Files one record of the topic under its log and number, when its key is {@code <pipeline>/<log>/<n>}. */
    public static void collect(Map<String, TreeMap<Long, byte[]>> byLog, String pipeline, byte[] rawKey, byte[] value) {
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
    public static Map<String, List<byte[]>> contiguous(
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
    public boolean holdsAnything() {
        return !stored.isEmpty() || !lost.isEmpty();
    }

    /** Whether log {@code name} has a record (read, or appended since). */
    public boolean holds(String name) {
        Log l = logs.get(name);
        return l != null ? l.existed() : stored.containsKey(name);
    }

    /**
     * The logs that have a gap in the generation read ({@link #readAllowingLoss} only), each as {@code "<log>: records
     * <a> to <b>"}; empty when every log is whole.
     */
    public List<String> lost() {
        return lost;
    }

    /** The generation read and appended to: 0 until a recovery started a new one. */
    public int generation() {
        return generation;
    }

    /**
     * Starts the next generation: every log is empty again, numbered from 0 under keys {@code
     * <pipeline>/gen<g>/<log>/<n>}, and each whole log of the generation read is copied into it (appended, so it is
     * written in the current Kafka transaction). Call it before any log is used. Returns the names of the logs copied;
     * the logs with a gap ({@link #lost()}) are not.
     */
    public synchronized List<String> startNewGeneration() {
        if (!logs.isEmpty()) {
            throw new IllegalStateException("a new generation of " + where() + " must start before any log is used");
        }
        Map<String, List<byte[]>> carried = stored;
        stored = Map.of();
        generation++;
        for (Map.Entry<String, List<byte[]>> e : carried.entrySet()) {
            for (byte[] record : e.getValue()) {
                log(e.getKey()).append(record);
            }
        }
        return List.copyOf(carried.keySet());
    }

    /** Where the logs are kept, for messages. */
    public String where() {
        return "Kafka topic " + topic + " (pipeline " + pipeline + ")";
    }

    @Override
    protected Log log(String name) {
        return logs.computeIfAbsent(name, Log::new);
    }

    /** A record in a log of its own (e.g. where the pipeline started), in the current Kafka transaction. */
    public void record(String log, byte[] value) {
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
    public void close() {
        synchronized (this) {
            if (follower != null) {
                follower.close();
                follower = null;
            }
        }
        onClose.run();
    }

    /** One log: the records read at start, then those appended by this task. */
    private final class Log implements RecordLog {
        private final String name;
        private final List<byte[]> records;
        private final boolean existed;
        private LongSupplier nanoTime;
        private long everyNanos;
        private long caughtUp;

        Log(String name) {
            this.name = name;
            List<byte[]> s = stored.get(name);
            this.existed = s != null;
            this.records = new ArrayList<>(s == null ? List.of() : s);
        }

        synchronized void follow(LongSupplier nanoTime, long everyNanos) {
            this.nanoTime = nanoTime;
            this.everyNanos = everyNanos;
            this.caughtUp = nanoTime.getAsLong() - everyNanos;
        }

        @Override
        public synchronized List<byte[]> read() {
            if (nanoTime != null && nanoTime.getAsLong() - caughtUp >= everyNanos) {
                caughtUp = nanoTime.getAsLong();
                try {
                    records.addAll(catchUp(name, records.size()));
                } catch (RuntimeException e) {
                    LOG.warn("could not read {} again for records appended by others: {}", where(), e.toString());
                }
            }
            return List.copyOf(records);
        }

        @Override
        public synchronized void append(byte[] record) {
            String key = pipeline + "/" + generationPrefix(generation) + name + "/" + records.size();
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
