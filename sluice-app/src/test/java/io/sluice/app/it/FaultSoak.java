package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault soak of the file sink (issue 13; RELIABILITY.md). Not part of {@code mvn verify}: run it with
 * {@code mvn -B verify -Psoak -pl sluice-app -am [-Dsluice.soak.faults=100]}. {@code sluice run} reads a private
 * MariaDB through a {@link TcpProxy} while two writers commit a mixed workload ({@link Workload}: inserts, updates,
 * key changes, deletes in multi-row transactions; {@link SoakSideWriter}: XA transactions committed or rolled back
 * after PREPARE, {@code ADD COLUMN … DEFAULT} between rows, changes to a 20,000-row table that the pipeline
 * snapshots ({@code start: snapshot}) and on-demand snapshots), and {@link Soak} injects random faults: SIGKILL,
 * SIGTERM, connection cuts and source restarts. After the writers stop and the pipeline caught up, {@link
 * SoakVerdict} compares the output with the tables.
 */
class FaultSoak extends WithOwnMariaDb {
    static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());
    static final int FAULTS = Integer.getInteger("sluice.soak.faults", 100);

    @Test
    void randomFaultsUnderAMixedWorkloadLoseAndRepeatNothing() throws Exception {
        System.out.println("FaultSoak seed " + SEED + ", " + FAULTS + " faults");
        Path dir = Harness.workDir("soak");
        Path log = dir.resolve("sluice.log");
        String db = Soak.createDatabase(server);
        try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            Path config = Harness.config(
                    dir,
                    "soak",
                    proxy.host(),
                    proxy.port(),
                    "",
                    9601,
                    db,
                    Harness.masterStatus(server),
                    "snapshot:\n  chunk-size: 250\n");
            Files.writeString(
                    config,
                    Files.readString(config).replaceAll("start: \\{file: [^}]*}", "start: snapshot"),
                    StandardCharsets.UTF_8);
            try (Soak soak = Soak.start(server, db, proxy, log, config, "soak", SEED, 20)) {
                soak.inject(FAULTS);
                System.out.println("FaultSoak: " + soak.summary());
                long c0 = System.nanoTime();
                Harness.awaitCaughtUp(
                        server,
                        dir.resolve("soak-out"),
                        dir.resolve("soak-state"),
                        0,
                        Duration.ofSeconds(300),
                        soak.sluice.current());
                System.out.println("FaultSoak: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
                soak.sluice.current().terminate(60);

                List<JsonNode> events = Harness.events(dir.resolve("soak-out"));
                List<String> problems =
                        SoakVerdict.problems(server, db, List.of(events), soak.writer.committed(), soak.side.defaults);
                Files.write(dir.resolve("problems.txt"), problems, StandardCharsets.UTF_8);
                System.out.println("FaultSoak: " + events.size() + " events, " + problems.size() + " problems, "
                        + soak.unexpectedExits.size() + " unexpected exits; log " + log);
                assertThat(soak.unexpectedExits)
                        .as("sluice exits nobody asked for; log " + log)
                        .isEmpty();
                assertThat(problems)
                        .as("verdict over " + events.size() + " events; log " + log)
                        .isEmpty();
                assertThat(soak.faultCount()).isEqualTo(FAULTS);
            }
        }
    }
}
