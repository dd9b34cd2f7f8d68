package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Zombie fencing: a second {@code sluice run} with the same pipeline name (the same config, on another host) takes
 * over; the first stops with a non-zero exit code and says why, and a read_committed consumer sees every change once.
 */
class KafkaFencingIT extends WithKafkaBroker {
    @Test
    void theOlderInstanceStopsAndNothingIsDuplicated() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-fencing", "kfence", 9301, 3);
        String db = p.db();
        String name = p.name();

        Workload writer = new Workload(server, db, 1, 20, 20, 42).start();
        SluiceProcess older = SluiceProcess.start(
                p.dir().resolve("older.log"), "run", "--config", p.config().toString());
        SluiceProcess newer = null;
        try (KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (reader.poll(Duration.ofMillis(500)) < 200) {
                assertThat(System.nanoTime())
                        .as("events from the first instance")
                        .isLessThan(deadline);
                assertThat(older.isAlive())
                        .as("first instance alive; log " + older.log())
                        .isTrue();
            }
            // the same pipeline started on another host: the same config but a state directory of its own (on one
            // host, the state directory's lock refuses a second instance: SingleWriterIT)
            Path elsewhere = p.dir().resolve("newer.yaml");
            Files.writeString(
                    elsewhere,
                    Files.readString(p.config())
                            .replace(
                                    "state: " + p.dir().resolve(name + "-state"),
                                    "state: " + p.dir().resolve(name + "-state-newer")));
            // the other host gets a copy of the schema history, as an operator moving a pipeline copies its state
            // directory: the checkpoint in Kafka names table versions, and a history missing under it is refused
            Path newerState = Files.createDirectories(p.dir().resolve(name + "-state-newer"));
            Files.copy(
                    p.dir().resolve(name + "-state").resolve("schema-history.jsonl"),
                    newerState.resolve("schema-history.jsonl"));
            newer = SluiceProcess.start(p.dir().resolve("newer.log"), "run", "--config", elsewhere.toString());
            long t0 = System.nanoTime();
            if (!older.process().waitFor(60, TimeUnit.SECONDS)) {
                // diagnosis: where the older instance's threads are
                new ProcessBuilder("jcmd", Long.toString(older.process().pid()), "Thread.print")
                        .redirectErrorStream(true)
                        .redirectOutput(p.dir().resolve("older-threads.txt").toFile())
                        .start()
                        .waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(older.process().isAlive())
                    .as("the older instance stops after the takeover; log " + older.log())
                    .isFalse();
            System.out.println("KafkaFencingIT: older instance exited "
                    + older.process().exitValue() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(older.process().exitValue())
                    .as("exit code of the fenced instance")
                    .isNotZero();
            String olderLog = Files.readString(older.log(), StandardCharsets.UTF_8);
            assertThat(olderLog).contains("another Sluice instance with pipeline name " + name + " took over");

            Thread.sleep(5000); // the subject: the new instance carries on for a while with the writer still writing
            writer.stopAndJoin();
            long expected = writer.expectedEvents();
            List<KafkaHarness.Received> received = reader.awaitAtLeast(expected, Duration.ofSeconds(120), newer);
            assertThat(newer.isAlive())
                    .as("the newer instance runs on; log " + newer.log())
                    .isTrue();
            System.out.println(
                    "KafkaFencingIT: " + writer.committed().size() + " transactions, " + expected + " events");
            KafkaHarness.verdict(server, db, name, received, writer.committed());
            assertThat(received).hasSize((int) expected);
        } finally {
            writer.close();
            older.close();
            if (newer != null) {
                newer.close();
            }
        }
    }
}
