package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exactly once into Kafka across crashes: while a writer commits a known workload, {@code sluice run} with
 * {@code sink.type: kafka} (a separate JVM) is SIGKILLed at random moments and restarted each time. A read_committed
 * consumer then must see every committed change once, each partition (so each key) in commit order, and replaying
 * the events must reproduce the tables.
 */
class KafkaCrashRecoveryIT extends WithKafkaBroker {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    @Test
    void killedAtRandomMomentsLosesAndRepeatsNothing() throws Exception {
        Random random = new Random(SEED);
        System.out.println("KafkaCrashRecoveryIT seed " + SEED);
        WorkloadPipeline p = workloadPipeline("kafka-crash", "kcrash", 9201, 3);
        String db = p.db();
        String name = p.name();

        long t0 = System.nanoTime();
        Workload writer = new Workload(server, db, 1, 50, 20, SEED).start();

        KillLoop crashes = KillLoop.start(p.log(), p.config());
        try (KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            // 1-5 s: the sink opens (initTransactions, reading the checkpoint) within the first second or
            // two, so kills land while opening, while sending and while committing
            crashes.killRepeatedly(
                    t0 + Duration.ofSeconds(30).toNanos(),
                    10,
                    () -> 1000 + random.nextInt(4000),
                    code -> writer.assertNoFailure());
            writer.stopAndJoin();
            int kills = crashes.kills();
            long writeSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            long expected = writer.expectedEvents();
            System.out.println("KafkaCrashRecoveryIT: " + kills + " kills, "
                    + writer.committed().size()
                    + " transactions, " + writer.rows() + " rows, " + expected + " events expected, wrote for "
                    + writeSeconds + " s");

            long c0 = System.nanoTime();
            List<KafkaHarness.Received> received =
                    reader.awaitAtLeast(expected, Duration.ofSeconds(180), crashes.current());
            System.out.println("KafkaCrashRecoveryIT: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
            int termCode = crashes.current().terminate(60);
            System.out.println("KafkaCrashRecoveryIT: SIGTERM exit code " + termCode);

            assertThat(kills).isGreaterThanOrEqualTo(10);
            assertThat(crashes.killCodes())
                    .as("exit codes of the killed processes")
                    .containsOnly(137);
            KafkaHarness.verdict(server, db, name, received, writer.committed());
            assertThat(received).hasSize((int) expected);
        } finally {
            writer.close();
            crashes.close();
        }
    }
}
