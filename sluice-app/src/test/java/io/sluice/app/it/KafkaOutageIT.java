package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A broker outage: Kafka is stopped for 30 s mid-stream while the writer keeps writing. {@code sluice run} (a JVM
 * with -Xmx256m) keeps running, waits and retries from its checkpoint, and delivers everything once after the broker
 * returns; its resident memory stays bounded meanwhile.
 *
 * <p>The bound: the heap is capped at 256 MiB (-Xmx256m) and everything the pipeline holds while Kafka is away is
 * bounded inside it (the event queue, the producer's buffer.memory of 32 MiB, the hold-back of 8 MiB). What is not
 * heap (metaspace and C1 code cache for ~the classes of the Kafka client, Jackson and the binlog client, some 30
 * thread stacks, NIO buffers) stays well under 144 MiB, so 400 MiB is a bound an unbounded buffer would break and
 * a healthy process keeps.
 */
class KafkaOutageIT extends WithKafkaBroker {
    private static final long RSS_BOUND_KIB = 400L * 1024;

    @Test
    void aThirtySecondOutageLosesAndRepeatsNothingAndMemoryStaysBounded() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-outage", "koutage", 9401, 3);
        String db = p.db();
        String name = p.name();

        Workload writer = new Workload(server, db, 1, 30, 10, 7).start();
        SluiceProcess sluice =
                SluiceProcess.start(p.log(), "run", "--config", p.config().toString());
        long pid = sluice.process().pid();
        try (KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (reader.poll(Duration.ofMillis(500)) < 500) {
                assertThat(System.nanoTime())
                        .as("events before the outage; log " + p.log())
                        .isLessThan(deadline);
            }
            long rssBefore = KafkaHarness.rssKiB(pid);
            long rowsBefore = writer.rows();
            long t0 = System.nanoTime();
            kafka.stop();
            System.out.println("KafkaOutageIT: broker stopped in " + (System.nanoTime() - t0) / 1_000_000
                    + " ms; sluice RSS before " + rssBefore / 1024 + " MiB");
            long maxRss = 0;
            long outageEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < outageEnd) {
                assertThat(sluice.isAlive())
                        .as("sluice keeps running during the outage; log " + p.log())
                        .isTrue();
                maxRss = Math.max(maxRss, KafkaHarness.rssKiB(pid));
                Thread.sleep(250); // the subject: a 30 s outage, its memory sampled 4 times a second
            }
            long rowsDuring = writer.rows() - rowsBefore;
            long t1 = System.nanoTime();
            kafka.start();
            System.out.println("KafkaOutageIT: broker back after " + (System.nanoTime() - t0) / 1_000_000
                    + " ms (restart took " + (System.nanoTime() - t1) / 1_000_000 + " ms); " + rowsDuring
                    + " rows written meanwhile; max RSS during the outage " + maxRss / 1024 + " MiB");
            long afterEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < afterEnd) {
                maxRss = Math.max(maxRss, KafkaHarness.rssKiB(pid));
                Thread.sleep(250); // the subject: memory sampled for 10 s after the outage
            }
            writer.stopAndJoin();
            long expected = writer.expectedEvents();
            long c0 = System.nanoTime();
            List<KafkaHarness.Received> received = reader.awaitAtLeast(expected, Duration.ofSeconds(300), sluice);
            System.out.println("KafkaOutageIT: " + writer.committed().size() + " transactions, " + expected
                    + " events; caught up " + (System.nanoTime() - c0) / 1_000_000 + " ms after the writer stopped;"
                    + " max RSS " + maxRss / 1024 + " MiB");
            assertThat(rowsDuring)
                    .as("the writer kept writing during the outage")
                    .isPositive();
            assertThat(maxRss)
                    .as("max RSS of sluice (KiB) during and after the outage")
                    .isLessThan(RSS_BOUND_KIB);
            KafkaHarness.verdict(server, db, name, received, writer.committed());
            assertThat(received).hasSize((int) expected);
        } finally {
            writer.close();
            sluice.close();
        }
    }
}
