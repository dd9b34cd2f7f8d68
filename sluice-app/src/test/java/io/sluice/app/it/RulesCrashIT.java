package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rule version in effect is part of the checkpoint (issue 15 item 3): while a writer commits multi-row
 * transactions, {@code sluice rules deploy} records version after version and {@code sluice run} is SIGKILLed just
 * after each deploy (and restarted). Every event is written once, every transaction is shaped by one version (its
 * values show which), versions never go back in the output, and the checkpoint names the version in effect. The rules
 * route rows by their id's parity into the file sink's sub-directories {@code even} and {@code odd}: each holds its
 * events once, in order, and the checkpoint holds where each route's committed data ends.
 */
class RulesCrashIT {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());
    private static final int DEPLOYS = 5;

    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void killsJustAfterDeploysKeepEveryTransactionOnceUnderOneVersion() throws Exception {
        Random random = new Random(SEED);
        System.out.println("RulesCrashIT seed " + SEED);
        Path dir = Harness.workDir("rules-crash");
        String db = server.createDatabase("rcrash");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, n INT)");
        Files.writeString(dir.resolve("rules.yaml"), rules(1), StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config =
                Harness.config(dir, "rcrash", server.host(), server.port(), "", 9515, db, start, "rules: rules.yaml\n");
        Path out = dir.resolve("rcrash-out");
        Path state = dir.resolve("rcrash-state");
        Path log = dir.resolve("sluice.log");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger txns = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        KillLoop crashes = KillLoop.start(log, config);
        try {
            // one writer: transactions of three inserted rows, then one updating the three
            Future<?> writer = pool.submit(() -> {
                for (int k = 0; !stop.get(); k++) {
                    int base = k * 3;
                    server.execute("INSERT INTO " + db + ".t VALUES (" + base + ", 0), (" + (base + 1) + ", 0), ("
                            + (base + 2) + ", 0)");
                    txns.incrementAndGet();
                    server.execute("UPDATE " + db + ".t SET n = n + 1 WHERE id BETWEEN " + base + " AND " + (base + 2));
                    txns.incrementAndGet();
                }
                return null;
            });
            Harness.awaitLines(out, 30, crashes.current());
            for (int v = 2; v <= DEPLOYS + 1; v++) {
                Path file = dir.resolve("v" + v + ".yaml");
                Files.writeString(file, rules(v), StandardCharsets.UTF_8);
                assertThat(SluiceProcess.runToEnd(
                                dir.resolve("deploy.log"),
                                120,
                                "rules",
                                "deploy",
                                "--config",
                                config.toString(),
                                "--rules",
                                file.toString(),
                                "-m",
                                "version " + v))
                        .isZero();
                Thread.sleep(random.nextInt(600)); // the subject: a kill at a random moment just after the deploy
                assertThat(crashes.killAndRestart()).isEqualTo(137);
                Thread.sleep(300 + random.nextInt(1200)); // and a random time running before the next deploy
            }
            stop.set(true);
            writer.get();
            long expected = 3L * txns.get();
            Harness.awaitCaughtUp(server, out, state, expected, Duration.ofSeconds(120), crashes.current());
            crashes.current().terminate(60);
            System.out.println("RulesCrashIT: " + crashes.kills() + " kills, " + txns.get() + " transactions");

            List<JsonNode> events = Harness.events(out);
            assertThat(events).hasSize((int) expected);
            assertThat(Harness.lanes(out))
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(out.getFileName().toString(), "even", "odd");
            for (String route : List.of("even", "odd")) {
                List<JsonNode> routed = Harness.events(out.resolve(route));
                assertThat(routed).isNotEmpty();
                assertThat(routed).allSatisfy(e -> {
                    assertThat(e.path("route").asText()).isEqualTo(route);
                    assertThat(e.path("after").path("id").asInt() % 2 == 0).isEqualTo(route.equals("even"));
                });
            }
            assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
            Map<String, Set<Integer>> versionsOfTxn = new LinkedHashMap<>();
            int lastVersion = 0;
            String lastRoute = null;
            for (JsonNode e : events) {
                if (!e.path("route").asText().equals(lastRoute)) {
                    lastRoute = e.path("route").asText(); // versions go up within each route's directory
                    lastVersion = 0;
                }
                int v = e.path("rules").asInt();
                assertThat(v).isBetween(1, DEPLOYS + 1);
                assertThat(e.path("after").path("tag").asText()).isEqualTo("v" + v);
                assertThat(v).as("versions never go back").isGreaterThanOrEqualTo(lastVersion);
                lastVersion = v;
                String id = e.path("id").asText();
                versionsOfTxn
                        .computeIfAbsent(id.substring(0, id.lastIndexOf(':')), k -> new HashSet<>())
                        .add(v);
            }
            assertThat(versionsOfTxn).hasSize(txns.get());
            assertThat(versionsOfTxn.values()).allSatisfy(vs -> assertThat(vs).hasSize(1));
            assertThat(lastVersion).isEqualTo(DEPLOYS + 1);
            JsonNode cp = Harness.JSON.readTree(state.resolve("checkpoint.json").toFile());
            assertThat(cp.path("checkpoint").path("rules").asInt())
                    .as("the checkpoint names the version in effect")
                    .isEqualTo(DEPLOYS + 1);
            assertThat(cp.path("routes").has("even"))
                    .as("each route's committed end")
                    .isTrue();
            assertThat(cp.path("routes").has("odd")).isTrue();
        } finally {
            stop.set(true);
            pool.shutdownNow();
            crashes.close();
        }
    }

    private static String rules(int version) {
        return """
                rules:
                  - name: tag
                    match: {tables: ["*.t"]}
                    set: {tag: "'v%d'"}
                    route: {expr: "after.id %% 2 == 0 ? 'even' : 'odd'"}
                """.formatted(version);
    }
}
