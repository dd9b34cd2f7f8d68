package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failover to a replica under a writer, with {@code sluice run} as a separate process. A primary and a GTID replica
 * ({@code log_slave_updates}, {@code gtid_strict_mode}) whose binlog was reset after it was provisioned, so the two
 * servers' file positions differ. Sluice runs against the primary and is stopped (SIGTERM or SIGKILL) while the
 * writer goes on; the replica catches up, the primary is stopped, the replica is promoted and written to, and Sluice
 * is pointed at it with the same state directory. The output, judged against the replica's tables, must hold every
 * transaction of both writers once, complete, in commit order, and replay to the tables' content.
 */
class FailoverIT {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    @Test
    void stoppedOnThePrimaryResumesOnThePromotedReplica() throws Exception {
        failOver("failover-term", false);
    }

    @Test
    void killedOnThePrimaryResumesOnThePromotedReplica() throws Exception {
        failOver("failover-kill", true);
    }

    private void failOver(String name, boolean kill) throws Exception {
        System.out.println("FailoverIT " + name + " seed " + SEED);
        Path dir = Harness.workDir(name);
        Path log = dir.resolve("sluice.log");
        Path out = dir.resolve(name + "-out");
        Path state = dir.resolve(name + "-state");
        try (MariaDbServer primary = gtidServer(31);
                MariaDbServer replica = gtidServer(32)) {
            String db = primary.createDatabase("failover");
            Workload.createTables(primary, db);
            replica.replicateFrom(primary);
            replica.awaitReplicated(primary, Duration.ofSeconds(60));
            replica.execute("STOP SLAVE", "RESET MASTER", "START SLAVE"); // its own file positions from here on
            String[] start = Harness.masterStatus(primary);
            Path config = Harness.config(dir, name, primary.host(), primary.port(), "", 9301, db, start, null);

            List<Workload.Txn> committed = new ArrayList<>();
            try (Workload onPrimary = new Workload(primary, db, 1, 20, 10, SEED).start()) {
                try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
                    Harness.awaitLines(out, 150, sluice);
                    if (kill) {
                        assertThat(sluice.kill()).isEqualTo(137);
                    } else {
                        sluice.terminate(60);
                    }
                }
                int atStop = onPrimary.committed().size();
                // the writer goes on while Sluice is down
                Waits.await("100 more transactions on the primary", Duration.ofSeconds(120))
                        .whileAlive(onPrimary::assertNoFailure)
                        .until(() -> onPrimary.committed().size(), n -> n >= atStop + 100);
                onPrimary.stopAndJoin();
                committed.addAll(onPrimary.committed());
            }
            replica.awaitReplicated(primary, Duration.ofSeconds(120));
            primary.stop();
            replica.execute("STOP SLAVE");

            Harness.config(dir, name, replica.host(), replica.port(), "", 9301, db, start, null);
            try (Workload onReplica = new Workload(replica, db, 1, 20, 10, SEED + 1, 1_000_000).start();
                    SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
                // the new primary's writer, while Sluice catches up
                Waits.await("100 transactions on the replica; log " + log, Duration.ofSeconds(120))
                        .whileAlive(() -> {
                            onReplica.assertNoFailure();
                            if (!sluice.isAlive()) {
                                throw new AssertionError("sluice exited ("
                                        + sluice.process().exitValue() + ") on the" + " replica; log " + log);
                            }
                        })
                        .until(() -> onReplica.committed().size(), n -> n >= 100);
                onReplica.stopAndJoin();
                committed.addAll(onReplica.committed());
                long expected =
                        committed.stream().mapToLong(Workload.Txn::events).sum();
                Harness.awaitCaughtUp(replica, out, state, expected, Duration.ofSeconds(120), sluice);
                sluice.terminate(60);

                List<JsonNode> events = Harness.allEvents(out);
                Harness.verdict(replica, db, name, events, committed);
                assertThat(Harness.rows(events)).hasSize((int) expected);
                assertThat(Files.readString(log)).contains("Resuming after GTID set");
            }
        }
    }

    @Test
    void aCheckpointWithoutGtidsIsRefusedOnAnotherServer() throws Exception {
        String name = "failover-nogtid";
        Path dir = Harness.workDir(name);
        Path log = dir.resolve("sluice.log");
        Path state = dir.resolve(name + "-state");
        try (MariaDbServer first = gtidServer(31);
                MariaDbServer other = gtidServer(32)) {
            String db = first.createDatabase("nogtid");
            first.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            other.execute("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
            String[] start = Harness.masterStatus(first);
            Path config = Harness.config(dir, name, first.host(), first.port(), "", 9302, db, start, null);
            try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
                first.execute("INSERT INTO " + db + ".t VALUES (1), (2)");
                Harness.awaitCaughtUp(first, dir.resolve(name + "-out"), state, 2, Duration.ofSeconds(60), sluice);
                sluice.terminate(60);
            }
            // as a server without GTIDs (MySQL without gtid_mode) leaves it: a file position and nothing else
            Path checkpoint = state.resolve("checkpoint.json");
            ObjectNode doc = (ObjectNode) Harness.JSON.readTree(checkpoint.toFile());
            ((ObjectNode) doc.path("checkpoint").path("position")).remove("gtids");
            Files.write(
                    checkpoint, Harness.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            byte[] kept = Files.readAllBytes(checkpoint);

            Harness.config(dir, name, other.host(), other.port(), "", 9302, db, start, null);
            try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
                assertThat(sluice.process().waitFor(60, TimeUnit.SECONDS))
                        .as("sluice stops by itself")
                        .isTrue();
                assertThat(sluice.process().exitValue()).isEqualTo(1);
            }
            assertThat(Files.readString(log))
                    .contains(
                            "is a place in another server's binlog",
                            "the checkpoint was taken on server_id 31",
                            "is server_id 32",
                            "no GTID set",
                            "Point source.host back at the server the checkpoint was taken on",
                            "state directory");
            assertThat(Files.readAllBytes(checkpoint))
                    .as("the checkpoint is left as it was")
                    .isEqualTo(kept);
        }
    }

    private static MariaDbServer gtidServer(int serverId) {
        return MariaDbServer.builder()
                .option("server-id", Integer.toString(serverId))
                .option("log-slave-updates", "1")
                .option("gtid-strict-mode", "1")
                .start();
    }
}
