package io.sluice.connect;

import io.sluice.core.SluiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the task writes to: creates an event topic on first use (the configured partitions and replication)
 * and the compacted state topic, and knows each event topic's partition count (for {@code t}/{@code s} copies and
 * tables without a key). Used from the binlog reader thread only.
 */
final class EventTopics implements AutoCloseable {
    private static final long TIMEOUT_S = 60;

    private final Admin admin;
    private final int partitions;
    private final short replication;
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    EventTopics(String bootstrapServers, int partitions, int replication) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "sluice-connect-admin"));
        this.partitions = partitions;
        this.replication = (short) replication;
    }

    /** Creates the state topic (compacted, one partition) unless it is there. */
    void ensureStateTopic(String topic) {
        create(new NewTopic(topic, Optional.of(1), Optional.of(replication).filter(r -> r > 0))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** The partitions of an event topic, created with the configured settings if it is not there. */
    int partitions(String topic) {
        Integer n = partitionCounts.get(topic);
        if (n == null) {
            create(new NewTopic(
                    topic, Optional.of(partitions), Optional.of(replication).filter(r -> r > 0)));
            n = call(
                    "describing topic " + topic,
                    () -> admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT_S, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()
                            .size());
            partitionCounts.put(topic, n);
        }
        return n;
    }

    private void create(NewTopic topic) {
        call("creating topic " + topic.name(), () -> {
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return null;
        });
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SluiceException.retriable("interrupted while " + what, e);
        } catch (TimeoutException e) {
            throw SluiceException.retriable(what + " timed out after " + TIMEOUT_S + " s", e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw SluiceException.retriable(what + " failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
