package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across dropped connections: {@code sluice run} reads the binlog through a {@link TcpProxy} while
 * a writer commits transactions of about 200 rows; the test resets every proxied connection several times (so
 * mid-transaction, with the stream inside a large transaction's events), sometimes refusing reconnects for a
 * while. The process keeps running and retries; the output must hold every transaction once, complete, in order.
 */
class ConnectionCutIT extends WithOwnMariaDb {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    @Test
    void cutConnectionsLoseAndRepeatNothing() throws Exception {
        Random random = new Random(SEED);
        System.out.println("ConnectionCutIT seed " + SEED);
        Path dir = Harness.workDir("cut");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("cut");
        Workload.createTables(server, db);
        String[] start = Harness.masterStatus(server);

        try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            Path config = Harness.config(dir, "cut", proxy.host(), proxy.port(), "", 9201, db, start, null);
            long t0 = System.nanoTime();
            Workload writer = new Workload(server, db, 150, 250, 5, SEED).start();
            SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString());
            try {
                int cutRounds = 0;
                int connectionsCut = 0;
                int refusals = 0;
                Harness.awaitLines(dir.resolve("cut-out"), 1, sluice); // connected and streaming
                while (cutRounds < 8) {
                    Thread.sleep(500 + random.nextInt(2000)); // the subject: a cut at a random moment
                    if (proxy.open() == 0) {
                        continue; // not reconnected yet (back-off): nothing to cut
                    }
                    connectionsCut += proxy.cutAll();
                    cutRounds++;
                    if (random.nextInt(3) == 0) {
                        proxy.setRefusing(true);
                        Thread.sleep(1000 + random.nextInt(2000)); // the subject: the server unreachable a while
                        proxy.setRefusing(false);
                        refusals++;
                    }
                    if (!sluice.isAlive()) {
                        throw new AssertionError(
                                "sluice exited (" + sluice.process().exitValue() + "); log " + log);
                    }
                    writer.assertNoFailure();
                }
                writer.stopAndJoin();
                long expected = writer.expectedEvents();
                System.out.println("ConnectionCutIT: " + cutRounds + " cut rounds (" + connectionsCut
                        + " connections reset, " + refusals + " refusal periods), " + proxy.accepted()
                        + " connections accepted, " + writer.committed().size() + " transactions, " + writer.rows()
                        + " rows, " + expected + " events expected, wrote for "
                        + (System.nanoTime() - t0) / 1_000_000_000L + " s");

                long c0 = System.nanoTime();
                Harness.awaitCaughtUp(
                        server,
                        dir.resolve("cut-out"),
                        dir.resolve("cut-state"),
                        expected,
                        Duration.ofSeconds(120),
                        sluice);
                System.out.println("ConnectionCutIT: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
                System.out.println("ConnectionCutIT: SIGTERM exit code " + sluice.terminate(60));

                assertThat(cutRounds).isEqualTo(8);
                String text = Files.readString(log);
                assertThat(text).as("the pipeline retried after the cuts").contains("retrying");

                List<JsonNode> events = Harness.allEvents(dir.resolve("cut-out"));
                Harness.verdict(server, db, "cut", events, writer.committed());
                assertThat(Harness.rows(events)).hasSize((int) expected);
            } finally {
                writer.close();
                sluice.close();
            }
        }
    }

    /**
     * Control for {@link #catalogUnreachableWhileStreamingStillDecodesByTheCatalog}: with the catalog reachable,
     * the unique key and MariaDB UUID/INET6 values come out as the contract says.
     */
    @Test
    void catalogReachableDecodesUniqueKeyAndMariaDbTypes() throws Exception {
        catalogScenario("catalogok", 9212, false);
    }

    /**
     * The catalog (information_schema) is unreachable for a moment while the binlog stream stays up, just when the
     * first rows of a table arrive. Its events must still carry what the contract says (a retry is fine): the
     * UNIQUE NOT NULL key and MariaDB UUID/INET6 values as strings. (An early TableMapDefinitions cached the failed
     * lookup and decoded UUID/INET6 as base64 bytes for the rest of the session.)
     */
    @Test
    void catalogUnreachableWhileStreamingStillDecodesByTheCatalog() throws Exception {
        catalogScenario("catalogcut", 9211, true);
    }

    private void catalogScenario(String name, long serverId, boolean outage) throws Exception {
        Path dir = Harness.workDir(name);
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase(name);
        server.execute(
                "CREATE TABLE " + db + ".warm (id INT PRIMARY KEY)",
                "CREATE TABLE " + db + ".t_uk (code VARCHAR(20) NOT NULL, n INT NOT NULL, u UUID NOT NULL,"
                        + " ip INET6 NULL, UNIQUE KEY uk_code (code))");
        String[] start = Harness.masterStatus(server);
        Path out = dir.resolve(name + "-out");
        try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
            Path config = Harness.config(dir, name, proxy.host(), proxy.port(), "", serverId, db, start, null);
            try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
                server.execute("INSERT INTO " + db + ".warm VALUES (1)");
                Harness.awaitLines(out, 1, sluice);
                // The open binlog connection stays; new (catalog) connections are reset.
                proxy.setRefusing(outage);
                server.execute(
                        "INSERT INTO " + db + ".t_uk VALUES ('a', 1, '123e4567-e89b-12d3-a456-426614174010', '::1'),"
                                + " ('b', 2, '123e4567-e89b-12d3-a456-426614174001', '2001:db8::5')");
                Thread.sleep(3000); // the subject: the catalog unreachable for a while as the rows arrive
                proxy.setRefusing(false);
                server.execute(
                        "INSERT INTO " + db + ".t_uk VALUES ('c', 3, '123e4567-e89b-12d3-a456-426614174002', '::2')");
                // caught up: any extra event would be in the output too
                Harness.awaitCaughtUp(server, out, dir.resolve(name + "-state"), 4, Duration.ofSeconds(60), sluice);
                sluice.terminate(60);
            }
        }
        List<JsonNode> events = Harness.rows(Harness.events(out));
        System.out.println("ConnectionCutIT " + name + ": "
                + events.stream()
                        .map(e -> e.path("source").path("table").asText() + " key=" + e.get("key") + " after="
                                + e.get("after"))
                        .toList());
        assertThat(events).hasSize(4);
        assertThat(events.subList(1, 4))
                .extracting(e -> String.valueOf(e.get("key")))
                .containsExactly("{\"code\":\"a\"}", "{\"code\":\"b\"}", "{\"code\":\"c\"}");
        assertThat(events.subList(1, 4))
                .extracting(e -> e.path("after").path("u").asText() + " "
                        + e.path("after").path("ip").asText())
                .containsExactly(
                        "123e4567-e89b-12d3-a456-426614174010 ::1",
                        "123e4567-e89b-12d3-a456-426614174001 2001:db8::5",
                        "123e4567-e89b-12d3-a456-426614174002 ::2");
    }
}
