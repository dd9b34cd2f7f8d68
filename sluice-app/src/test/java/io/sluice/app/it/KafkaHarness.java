package io.sluice.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * The Kafka side of the process-level fault tests: a {@code sink.type: kafka} config, a read_committed reader of
 * a pipeline's event topics, and the verdict (Harness's, plus order per partition).
 */
final class KafkaHarness {
    private KafkaHarness() {}

    /** Writes a pipeline config with {@code sink.type: kafka} and returns its path. */
    static Path config(
            Path dir,
            String name,
            MariaDbServer server,
            long serverId,
            String db,
            String[] start,
            String bootstrap,
            int partitions,
            String extraSink,
            String extra)
            throws IOException {
        String sink = "sink:\n"
                + "  type: kafka\n"
                + "  bootstrap-servers: " + bootstrap + "\n"
                + "  partitions: " + partitions + "\n"
                + (extraSink == null ? "" : extraSink);
        return Harness.writeConfig(
                dir,
                name,
                Harness.sourceAt(server, serverId, db, start),
                sink,
                Harness.SMALL_BATCHES + (extra == null ? "" : extra));
    }

    /** One event as a read_committed consumer received it. */
    record Received(String topic, int partition, long offset, String key, JsonNode value) {}

    static Properties consumerProps(String bootstrap, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return p;
    }

    /**
     * A read_committed consumer without a group that follows every event topic of one pipeline ({@code
     * <prefix>.<db>.*}) from the beginning, picking up topics and partitions as they appear.
     */
    static final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topicPrefix;
        private final Set<TopicPartition> assigned = new HashSet<>();
        private final List<Received> received = new ArrayList<>();
        private long lastRefresh;

        Reader(String bootstrap, String topicPrefix) {
            this.consumer = new KafkaConsumer<>(
                    consumerProps(bootstrap, null), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topicPrefix = topicPrefix;
        }

        /** Polls for a while; returns the number of events received so far. */
        int poll(Duration d) throws IOException {
            long deadline = System.nanoTime() + d.toNanos();
            do {
                if (System.nanoTime() - lastRefresh > 1_000_000_000L || assigned.isEmpty()) {
                    refresh();
                }
                if (assigned.isEmpty()) {
                    sleep(100); // no topic yet to read: this window's time passes without a busy loop
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    received.add(new Received(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            Harness.JSON.readTree(r.value())));
                }
            } while (System.nanoTime() < deadline);
            return received.size();
        }

        private void refresh() {
            lastRefresh = System.nanoTime();
            Set<TopicPartition> all = new HashSet<>();
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(10));
            for (Map.Entry<String, List<PartitionInfo>> t : topics.entrySet()) {
                if (t.getKey().startsWith(topicPrefix + ".") && !t.getKey().equals(topicPrefix + ".offsets")) {
                    for (PartitionInfo p : t.getValue()) {
                        all.add(new TopicPartition(p.topic(), p.partition()));
                    }
                }
            }
            if (!all.equals(assigned)) {
                Set<TopicPartition> fresh = new HashSet<>(all);
                fresh.removeAll(assigned);
                consumer.assign(all);
                consumer.seekToBeginning(fresh);
                assigned.clear();
                assigned.addAll(all);
            }
        }

        List<Received> received() {
            return List.copyOf(received);
        }

        /** Polls until {@code expected} events arrived and no more came for ~2 s, or the timeout passes. */
        List<Received> awaitAtLeast(long expected, Duration timeout, SluiceProcess p) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            int stable = 0;
            int last = -1;
            while (System.nanoTime() < deadline) {
                if (p != null && !p.isAlive()) {
                    throw new AssertionError(
                            "sluice exited (" + p.process().exitValue() + ") while catching up; log " + p.log());
                }
                int n = poll(Duration.ofMillis(500));
                stable = n == last ? stable + 1 : 0;
                last = n;
                if (n >= expected && stable >= 4) {
                    return received();
                }
            }
            throw new AssertionError("only " + last + " of " + expected + " events arrived within " + timeout
                    + (p == null ? "" : "; log " + p.log()));
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** {@code domain-server-seq} of MariaDB: the sequence number orders one domain's transactions by commit. */
    static long gtidSeq(JsonNode event) {
        String gtid = event.path("source").path("gtid").asText();
        return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
    }

    static final Comparator<JsonNode> COMMIT_ORDER = Comparator.comparingLong(KafkaHarness::gtidSeq)
            .thenComparingInt(e -> e.path("source").path("row").asInt())
            .thenComparing(e -> !Harness.announcement(e)); // an announcing s has the row of the row it precedes

    /**
     * The verdict over everything a read_committed consumer received: (1) within every partition the events are
     * in commit order (so every key's events are, all of one key being in one partition), each key in exactly one
     * partition, and the record key equals the event's key; (2) Harness's verdict over the events put in commit
     * order: no duplicate id, every committed transaction complete and once, the replay equals the tables.
     */
    static void verdict(
            MariaDbServer server, String db, String name, List<Received> received, List<Workload.Txn> committed)
            throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> lastInPartition = new HashMap<>();
        Map<String, String> partitionOfKey = new HashMap<>();
        List<Received> byOffset = new ArrayList<>(received);
        byOffset.sort(Comparator.comparing(Received::topic)
                .thenComparingInt(Received::partition)
                .thenComparingLong(Received::offset));
        for (Received r : byOffset) {
            String tp = r.topic() + "-" + r.partition();
            JsonNode prev = lastInPartition.put(tp, r.value());
            if (prev != null && COMMIT_ORDER.compare(prev, r.value()) >= 0) {
                problems.add(tp + "@" + r.offset() + ": event " + r.value().path("id") + " does not follow "
                        + prev.path("id") + " in commit order");
            }
            if (Harness.announcement(r.value())) {
                continue; // an s goes to every partition of its table's topic, without a key
            }
            String key = r.value().path("key").toString();
            if (r.key() == null
                    || !Harness.JSON.readTree(r.key()).equals(r.value().path("key"))) {
                problems.add(tp + "@" + r.offset() + ": record key " + r.key() + " but event key " + key);
            }
            String was = partitionOfKey.putIfAbsent(r.topic() + "|" + key, tp);
            if (was != null && !was.equals(tp)) {
                problems.add("key " + key + " of " + r.topic() + " is in " + was + " and " + tp);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " ordering problems in " + received.size() + " events:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))));
        }
        // an announcing s is in every partition: once in the stream the verdict judges
        java.util.Set<String> announced = new java.util.HashSet<>();
        List<JsonNode> events = new ArrayList<>(received.stream()
                .map(Received::value)
                .filter(v ->
                        !Harness.announcement(v) || announced.add(v.path("id").asText()))
                .toList());
        events.sort(COMMIT_ORDER);
        Harness.verdict(server, db, name, events, committed);
    }

    /** VmRSS of a process in KiB, or -1 when it is gone. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
