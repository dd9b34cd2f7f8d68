package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.KafkaBroker;
import io.sluice.testkit.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault soak of the Kafka sink (issue 13; RELIABILITY.md), run with {@link FaultSoak} by {@code -Psoak}: the
 * same workload and faults, plus Kafka broker restarts (graceful or SIGKILL, down for up to 3 s), into topics of
 * three partitions; read back by a read_committed consumer, each partition a stream of the verdict.
 */
class KafkaFaultSoak extends WithOwnMariaDb {
    private static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaBroker.startNew();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void randomFaultsUnderAMixedWorkloadLoseAndRepeatNothing() throws Exception {
        long seed = FaultSoak.SEED;
        Random random = new Random(seed + 2);
        System.out.println("KafkaFaultSoak seed " + seed + ", " + FaultSoak.FAULTS + " faults");
        Path dir = Harness.workDir("ksoak");
        Path log = dir.resolve("sluice.log");
        String db = Soak.createDatabase(server);
        String name = "ksoak";
        try (TcpProxy proxy = TcpProxy.start(server.host(), server.port());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            Path config = KafkaHarness.config(
                    dir,
                    name,
                    server,
                    9602,
                    db,
                    Harness.masterStatus(server),
                    kafka.bootstrapServers(),
                    3,
                    null,
                    "snapshot:\n  chunk-size: 250\n");
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace("  port: " + server.port() + "\n", "  port: " + proxy.port() + "\n")
                            .replaceAll("start: \\{file: [^}]*}", "start: snapshot"),
                    StandardCharsets.UTF_8);
            try (Soak soak = Soak.start(server, db, proxy, log, config, name, seed, 150)) {
                soak.fault("broker-restart", 2, () -> {
                    if (random.nextBoolean()) {
                        kafka.kill();
                    } else {
                        kafka.stop();
                    }
                    Thread.sleep(random.nextInt(3000)); // the subject: the broker down a while
                    kafka.start();
                });
                soak.inject(FaultSoak.FAULTS);
                System.out.println("KafkaFaultSoak: " + soak.summary());
                long c0 = System.nanoTime();
                // the last event: a marker row written after everything else
                server.execute("INSERT INTO " + db + ".t_xa VALUES (-1, -1)");
                awaitMarker(reader, soak.sluice.current(), Duration.ofSeconds(900));
                reader.poll(Duration.ofSeconds(3));
                System.out.println("KafkaFaultSoak: caught up in " + (System.nanoTime() - c0) / 1_000_000 + " ms");
                soak.sluice.current().terminate(60);

                Map<String, List<KafkaHarness.Received>> byPartition = new TreeMap<>();
                for (KafkaHarness.Received r : reader.received()) {
                    byPartition
                            .computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>())
                            .add(r);
                }
                List<List<JsonNode>> streams = new ArrayList<>();
                for (List<KafkaHarness.Received> p : byPartition.values()) {
                    p.sort(Comparator.comparingLong(KafkaHarness.Received::offset));
                    streams.add(p.stream().map(KafkaHarness.Received::value).toList());
                }
                List<String> problems =
                        SoakVerdict.problems(server, db, streams, soak.writer.committed(), soak.side.defaults);
                Files.write(dir.resolve("problems.txt"), problems, StandardCharsets.UTF_8);
                System.out.println("KafkaFaultSoak: " + reader.received().size() + " events in " + streams.size()
                        + " partitions, " + problems.size() + " problems, " + soak.unexpectedExits.size()
                        + " unexpected exits; log " + log);
                assertThat(soak.unexpectedExits)
                        .as("sluice exits nobody asked for; log " + log)
                        .isEmpty();
                assertThat(problems).as("verdict; log " + log).isEmpty();
                assertThat(soak.faultCount()).isEqualTo(FaultSoak.FAULTS);
            }
        }
    }

    private static void awaitMarker(KafkaHarness.Reader reader, SluiceProcess p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("sluice exited (" + p.process().exitValue() + "); log " + p.log());
            }
            reader.poll(Duration.ofMillis(500));
            List<KafkaHarness.Received> received = reader.received();
            for (KafkaHarness.Received r : received.subList(seen, received.size())) {
                if (r.value().path("after").path("id").asInt() == -1
                        && r.topic().endsWith(".t_xa")) {
                    return;
                }
            }
            seen = received.size();
        }
        throw new AssertionError("the marker row did not arrive within " + timeout + "; log " + p.log());
    }
}
