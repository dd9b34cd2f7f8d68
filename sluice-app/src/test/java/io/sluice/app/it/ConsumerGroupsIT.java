package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Isolated consumers: three consumer groups read a pipeline's topics, one fast, one slow, one stopped after a
 * while. The pipeline keeps delivering, the fast group stays close to the end (and receives every change exactly
 * once), the slow one keeps moving, and the stopped one holds its offsets without slowing anyone down.
 */
class ConsumerGroupsIT extends WithKafkaBroker {
    /** A consumer group of one member running on its own thread. */
    private static final class Group implements Runnable {
        final String id;
        final long pauseMs;
        final int maxPollRecords;
        final long stopAfter;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong count = new AtomicLong();
        final List<KafkaHarness.Received> received = Collections.synchronizedList(new ArrayList<>());
        final Pattern topics;
        volatile Throwable failure;

        Group(String id, String prefix, long pauseMs, int maxPollRecords, long stopAfter) {
            this.id = id;
            this.pauseMs = pauseMs;
            this.maxPollRecords = maxPollRecords;
            this.stopAfter = stopAfter;
            this.topics = Pattern.compile(Pattern.quote(prefix + ".") + "(?!offsets$).*");
        }

        @Override
        public void run() {
            Properties p = KafkaHarness.consumerProps(kafka.bootstrapServers(), id);
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
            p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(topics);
                while (!stop.get() && count.get() < stopAfter) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        received.add(new KafkaHarness.Received(
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                                Harness.JSON.readTree(r.value())));
                        count.incrementAndGet();
                    }
                    c.commitSync();
                    if (pauseMs > 0) {
                        Thread.sleep(pauseMs); // the subject: a slow consumer
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @Test
    void aStoppedAndASlowGroupDoNotHoldUpTheSourceOrTheFastGroup() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-groups", "kgroups", 9501, 3);
        String db = p.db();
        String name = p.name();

        Workload writer = new Workload(server, db, 1, 10, 20, 11);
        Group fast = new Group("fast", name, 0, 500, Long.MAX_VALUE);
        Group slow = new Group("slow", name, 100, 5, Long.MAX_VALUE);
        Group stopped = new Group("stopped", name, 0, 50, 200);
        List<Thread> threads = new ArrayList<>();
        for (Group g : List.of(fast, slow, stopped)) {
            threads.add(new Thread(g, "group-" + g.id));
        }
        SluiceProcess sluice =
                SluiceProcess.start(p.log(), "run", "--config", p.config().toString());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            writer.start();
            threads.forEach(Thread::start);
            // let the stopped group read its 200 events and leave
            threads.get(2).join(60_000);
            assertThat(threads.get(2).isAlive())
                    .as("the stopped group read its share and left")
                    .isFalse();
            assertThat(stopped.failure).isNull();
            Map<TopicPartition, OffsetAndMetadata> stoppedOffsets = committed(admin, "stopped");

            long maxFastLag = 0;
            long slowBefore = slow.count.get();
            long fastBefore = fast.count.get();
            for (int i = 0; i < 30; i++) {
                Thread.sleep(1000); // the subject: the groups' progress and lag, once a second for 30 s
                assertThat(sluice.isAlive()).as("sluice runs; log " + p.log()).isTrue();
                long lag = lag(admin, "fast");
                maxFastLag = Math.max(maxFastLag, lag);
                if (i % 10 == 9) {
                    System.out.println("ConsumerGroupsIT: t+" + (i + 1) + " s fast " + fast.count.get() + " (lag "
                            + lag + "), slow " + slow.count.get() + " (lag " + lag(admin, "slow") + "), stopped "
                            + stopped.count.get() + " (lag " + lag(admin, "stopped") + ")");
                }
            }
            long fastDuring = fast.count.get() - fastBefore;
            long slowDuring = slow.count.get() - slowBefore;
            writer.stopAndJoin();
            long expected = writer.expectedEvents();
            await("the fast group received every event")
                    .atMost(Duration.ofSeconds(60))
                    .until(fast.count::get, n -> n >= expected);
            long slowLagAtEnd = lag(admin, "slow");
            System.out.println("ConsumerGroupsIT: " + expected + " events; in 30 s the fast group got " + fastDuring
                    + ", the slow one " + slowDuring + "; max lag of the fast group " + maxFastLag
                    + " offsets; slow lag at the end " + slowLagAtEnd + ", stopped lag " + lag(admin, "stopped"));
            assertThat(fast.failure).isNull();
            assertThat(slow.failure).isNull();
            assertThat(fast.count.get())
                    .as("the fast group received every event")
                    .isEqualTo(expected);
            // ~170 events/s are written; the fast group trails the end by at most about a second of them
            assertThat(maxFastLag).as("max lag of the fast group (offsets)").isLessThan(1000);
            assertThat(slowDuring).as("the slow group keeps moving").isPositive();
            assertThat(slowLagAtEnd).as("the slow group is really slower").isPositive();
            assertThat(committed(admin, "stopped"))
                    .as("the stopped group's offsets stay put")
                    .isEqualTo(stoppedOffsets);
            KafkaHarness.verdict(server, db, name, new ArrayList<>(fast.received), writer.committed());
        } finally {
            writer.stop();
            fast.stop.set(true);
            slow.stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
            writer.close();
            sluice.close();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return new HashMap<>(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS));
    }

    /** End offsets (read_committed) minus the group's committed offsets, over the event topics. */
    private static long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = committed(admin, group);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        offsets.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
        }
        return lag;
    }
}
