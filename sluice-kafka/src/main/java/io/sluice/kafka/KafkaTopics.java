package io.sluice.kafka;

import io.sluice.core.SluiceException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic names and topic creation: event topics are created on first use with the configured partitions, replication
 * and retention; the offsets topic is created compacted with one partition, and refused when it exists otherwise.
 * Not thread-safe: used by the sink's one thread.
 */
final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    private static final int MAX_NAME = 249;

    private final KafkaSinkConfig config;
    private final Admin admin;
    private final long timeoutMs;
    /** Topic name per {@code db.table}. */
    private final Map<String, String> names = new HashMap<>();
    /** Topics known to exist. */
    private final Set<String> ready = new HashSet<>();
    /** Partitions of each event topic, as described when it was first used. */
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    KafkaTopics(KafkaSinkConfig config, Admin admin, long timeoutMs) {
        this.config = config;
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /** Replaces every character Kafka does not allow in a topic name by {@code _} and cuts it to 249 characters. */
    static String legal(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            sb.append(ok ? c : '_');
        }
        String s = sb.length() > MAX_NAME ? sb.substring(0, MAX_NAME) : sb.toString();
        return s.equals(".") || s.equals("..") ? s.replace('.', '_') : s;
    }

    /** The event topic of a table, by the configured template. */
    static String eventTopic(KafkaSinkConfig config, String db, String table) {
        return KafkaSinks.eventTopic(config.topicTemplate(), config.topicPrefix(), db, table);
    }

    /** The event topic of a table, created on first use. */
    String topicFor(String db, String table) {
        String key = db + '.' + table;
        String name = names.get(key);
        if (name == null) {
            name = eventTopic(config, db, table);
            names.put(key, name);
        }
        if (!ready.contains(name)) {
            Map<String, String> topicConfig = new HashMap<>();
            if (config.retention() != null) {
                topicConfig.put(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(config.retention().toMillis()));
            }
            ensure(name, config.partitions(), topicConfig, false);
            ready.add(name);
        }
        return name;
    }

    /**
     * The number of partitions of an event topic {@link #topicFor} returned, as the topic was described when first
     * used (partitions added later count from the next {@link KafkaSink#open()}).
     */
    int partitions(String topic) {
        Integer n = partitionCounts.get(topic);
        if (n == null) {
            n = call("describing topic " + topic, () -> describe(topic))
                    .map(d -> d.partitions().size())
                    .orElseThrow(() -> SluiceException.retriable("topic " + topic + " is not there (yet)", null));
            partitionCounts.put(topic, n);
        }
        return n;
    }

    /** Creates the offsets topic (compacted, one partition) or checks that the existing one is so. */
    void ensureOffsetsTopic() {
        String name = config.offsetsTopic();
        if (ready.contains(name)) {
            return;
        }
        ensure(name, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), true);
        ready.add(name);
    }

    /**
     * A topic just created may not have partition leaders yet; a producer sending to it then blocks for up to
     * max.block.ms fetching metadata. Waits until every partition has a leader (or the timeout passes).
     */
    private Optional<TopicDescription> awaitLeaders(String name)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Optional<TopicDescription> d = describe(name);
        while (System.nanoTime() < deadline
                && (d.isEmpty()
                        || d.get().partitions().stream()
                                .anyMatch(p -> p.leader() == null || p.leader().isEmpty()))) {
            Thread.sleep(50);
            d = describe(name);
        }
        return d;
    }

    private void ensure(String name, int partitions, Map<String, String> topicConfig, boolean offsets) {
        call("creating topic " + name, () -> {
            Optional<TopicDescription> existing = describe(name);
            if (existing.isEmpty()) {
                NewTopic t = new NewTopic(
                                name,
                                partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                                config.replicationFactor() > 0
                                        ? Optional.of(config.replicationFactor())
                                        : Optional.empty())
                        .configs(topicConfig);
                try {
                    admin.createTopics(List.of(t)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info(
                            "[{}] created topic {} ({} partitions{})",
                            config.pipeline(),
                            name,
                            partitions > 0 ? partitions : "default",
                            offsets ? ", compacted" : "");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                existing = awaitLeaders(name);
            }
            if (offsets) {
                validateOffsetsTopic(name, existing.orElseThrow());
                return null;
            }
            existing.ifPresent(d -> partitionCounts.put(name, d.partitions().size()));
            if (partitions > 0
                    && existing.isPresent()
                    && existing.get().partitions().size() != partitions) {
                LOG.info(
                        "[{}] topic {} exists with {} partitions (configured: {}); using it as it is",
                        config.pipeline(),
                        name,
                        existing.get().partitions().size(),
                        partitions);
            }
            return null;
        });
    }

    /** An admin request of the sink's, waited for: {@link #timeoutMs} at most. */
    private interface AdminCall<T> {
        T run() throws ExecutionException, InterruptedException, TimeoutException;
    }

    /** Runs {@code call}; its failures become the {@link SluiceException} {@link KafkaErrors} makes of them. */
    private <T> T call(String doing, AdminCall<T> call) {
        try {
            return call.run();
        } catch (ExecutionException e) {
            throw KafkaErrors.classify(config, doing, e.getCause());
        } catch (TimeoutException e) {
            throw KafkaErrors.classify(
                    config, doing, new org.apache.kafka.common.errors.TimeoutException(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SluiceException.retriable("interrupted while " + doing, e);
        }
    }

    private void validateOffsetsTopic(String name, TopicDescription d)
            throws ExecutionException, InterruptedException, TimeoutException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config c = admin.describeConfigs(List.of(r))
                .all()
                .get(timeoutMs, TimeUnit.MILLISECONDS)
                .get(r);
        String policy = c.get(TopicConfig.CLEANUP_POLICY_CONFIG) == null
                ? ""
                : c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (d.partitions().size() != 1 || !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw SluiceException.fatal("the offsets topic " + name + " of pipeline " + config.pipeline() + " has "
                    + d.partitions().size() + " partitions and cleanup.policy=" + policy + "; it must have 1 partition"
                    + " and be compacted. Delete it (the pipeline then starts from source.start) or fix it.");
        }
    }

    private Optional<TopicDescription> describe(String name)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(name))
                    .allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(name));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
