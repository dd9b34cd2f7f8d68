package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.kafka.KafkaSinkConfig;
import io.sluice.kafka.KafkaSinks;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tail}: prints the change events of a Kafka pipeline's topics, one JSON value per line, as a
 * read_committed consumer sees them. It joins no consumer group (it commits nothing and disturbs no one) and reads
 * every partition of the chosen topics: by default all event topics of the pipeline, picking up new ones as they
 * are created.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Prints the change events in a Kafka pipeline's topics, one JSON line each, until Ctrl-C.")
final class TailCommand implements Callable<Integer> {
    private static final Duration REFRESH = Duration.ofSeconds(2);

    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    @Mixin
    PipelineFileOption.One file;

    @Option(names = "--topic", paramLabel = "<name>", description = "Only this topic.")
    String topic;

    @Option(names = "--table", paramLabel = "<db.table>", description = "Only the topic of this table.")
    String table;

    @Option(names = "--from-beginning", description = "Starts at the oldest event kept instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "<n>", description = "Stops after n events.")
    Long max;

    TailCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PipelineConfig pc = file.load(loader, spec);
        if (!(pc.sink().settings() instanceof KafkaSinkConfig kc)) {
            throw new ConfigException("sluice tail needs a pipeline with sink.type: kafka; " + file.config + " has "
                    + pc.sink().type());
        }
        if (topic != null && table != null) {
            throw new ConfigException("give --topic or --table, not both");
        }
        if (max != null && max < 1) {
            throw new ConfigException("--max must be at least 1");
        }
        String only = topic;
        if (table != null) {
            int dot = table.indexOf('.');
            if (dot <= 0 || dot == table.length() - 1) {
                throw new ConfigException("--table must be db.table, found '" + table + "'");
            }
            only = kc.eventTopic(table.substring(0, dot), table.substring(dot + 1));
        }
        Map<String, Object> p = new HashMap<>(kc.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kc.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-tail-" + pc.name());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread hook = new Thread(
                    () -> {
                        consumer.wakeup();
                        try {
                            done.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "sluice-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                tail(consumer, kc, only, out);
            } catch (WakeupException stopped) {
                // Ctrl-C
            } finally {
                out.flush();
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
        }
        return ExitCodes.OK;
    }

    private void tail(KafkaConsumer<byte[], byte[]> consumer, KafkaSinkConfig kc, String only, PrintWriter out) {
        Set<TopicPartition> assigned = new HashSet<>();
        long printed = 0;
        TableEventCopies copies = new TableEventCopies();
        long nextRefresh = 0;
        boolean first = true;
        while (max == null || printed < max) {
            if (System.nanoTime() >= nextRefresh) {
                nextRefresh = System.nanoTime() + REFRESH.toNanos();
                Set<TopicPartition> all = partitions(consumer, kc, only);
                if (!all.equals(assigned)) {
                    Set<TopicPartition> fresh = new HashSet<>(all);
                    fresh.removeAll(assigned);
                    consumer.assign(all);
                    // at the start: where asked; a topic created later: from its beginning, so nothing is missed
                    if (first && !fromBeginning) {
                        consumer.seekToEnd(fresh);
                    } else {
                        consumer.seekToBeginning(fresh);
                    }
                    assigned.clear();
                    assigned.addAll(all);
                }
                first = false;
            }
            if (assigned.isEmpty()) {
                consumer.poll(Duration.ZERO);
                sleep(200);
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (!copies.first(r)) {
                    continue;
                }
                out.println(new String(r.value(), StandardCharsets.UTF_8));
                printed++;
                if (max != null && printed >= max) {
                    break;
                }
            }
            out.flush();
        }
    }

    /**
     * Tells the first copy of a {@code t} or {@code s} event from the others: the Kafka sink writes one to every
     * partition of the table's topic, all with the same {@code sluice.id}; tail prints one. Remembers the ids of the
     * last {@value #REMEMBERED} such events (their copies are written together, so they are read close together).
     */
    static final class TableEventCopies {
        static final int REMEMBERED = 10_000;
        private final Set<String> seen = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        });

        /** False for a copy of a {@code t} or {@code s} event already seen; true for everything else. */
        boolean first(ConsumerRecord<byte[], byte[]> r) {
            String op = header(r, KafkaSinks.HEADER_OP);
            if (!"t".equals(op) && !"s".equals(op)) {
                return true;
            }
            String id = header(r, KafkaSinks.HEADER_ID);
            return id == null || seen.add(id);
        }

        private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
            var h = r.headers().lastHeader(name);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }

    private static Set<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, KafkaSinkConfig kc, String only) {
        Set<TopicPartition> all = new HashSet<>();
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(30));
        String prefix = kc.topicPrefix() + ".";
        for (Map.Entry<String, List<PartitionInfo>> t : topics.entrySet()) {
            String name = t.getKey();
            boolean wanted =
                    only != null ? name.equals(only) : name.startsWith(prefix) && !name.equals(kc.offsetsTopic());
            if (wanted) {
                for (PartitionInfo pi : t.getValue()) {
                    all.add(new TopicPartition(pi.topic(), pi.partition()));
                }
            }
        }
        return all;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
