package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across crashes: while a writer commits a known workload, {@code sluice run} (a separate JVM) is
 * SIGKILLed at random moments and restarted each time; after the writer stops it catches up and is stopped with
 * SIGTERM. The output must hold every committed transaction once, complete, contiguous and in commit order, and
 * replaying it must reproduce the tables.
 */
class CrashRecoveryIT extends WithOwnMariaDb {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    @Test
    void killedAtRandomMomentsLosesAndRepeatsNothing() throws Exception {
        Random random = new Random(SEED);
        System.out.println("CrashRecoveryIT seed " + SEED);
        Path dir = Harness.workDir("crash");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("crash");
        Workload.createTables(server, db);
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "crash", server.host(), server.port(), "", 9101, db, start, null);

        long t0 = System.nanoTime();
        Workload writer = new Workload(server, db, 1, 50, 20, SEED).start();

        KillLoop crashes = KillLoop.start(log, config);
        try {
            crashes.killRepeatedly(
                    t0 + Duration.ofSeconds(30).toNanos(),
                    10,
                    () -> 300 + random.nextInt(2700),
                    code -> writer.assertNoFailure());
            writer.stopAndJoin();
            int kills = crashes.kills();
            long writeSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            long expected = writer.expectedEvents();
            System.out.println("CrashRecoveryIT: " + kills + " kills, "
                    + writer.committed().size()
                    + " transactions, " + writer.rows() + " rows, " + expected + " events expected, wrote for "
                    + writeSeconds + " s");

            long c0 = System.nanoTime();
            Harness.awaitCaughtUp(
                    server,
                    dir.resolve("crash-out"),
                    dir.resolve("crash-state"),
                    expected,
                    Duration.ofSeconds(120),
                    crashes.current());
            System.out.println("CrashRecoveryIT: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
            int termCode = crashes.current().terminate(60);
            System.out.println("CrashRecoveryIT: SIGTERM exit code " + termCode);

            assertThat(kills).isGreaterThanOrEqualTo(10);
            // destroyForcibly() is SIGKILL on Linux: the JVM cannot run hooks and exits with 128 + 9.
            assertThat(crashes.killCodes())
                    .as("exit codes of the killed processes")
                    .containsOnly(137);

            List<JsonNode> events = Harness.allEvents(dir.resolve("crash-out"));
            Harness.verdict(server, db, "crash", events, writer.committed());
            assertThat(Harness.rows(events)).hasSize((int) expected);
        } finally {
            writer.close();
            crashes.close();
        }
    }
}
