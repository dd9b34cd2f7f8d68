package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice position show} of a pipeline with the Kafka sink, whose checkpoint is in its offsets topic: nothing
 * before the first commit, the committed position while it runs (without fencing it) and after it stopped, and
 * that position is the one the next run resumes from; and {@code sluice position set}, which writes the offsets topic
 * (refused while the pipeline runs), where the next run resumes: the events after the set position, none before it,
 * and a restart keeps it.
 */
class KafkaPositionShowIT extends WithKafkaBroker {
    private static String[] cli(String... args) {
        return Harness.cliInProcess(args);
    }

    private static JsonNode show(WorkloadPipeline p) throws Exception {
        String[] r = cli("position", "show", "-c", p.config().toString(), "-o", "json");
        assertThat(r[0]).as("exit code; stderr " + r[2]).isEqualTo("0");
        JsonNode rows = Harness.JSON.readTree(r[1]);
        assertThat(rows.size()).as(r[1]).isEqualTo(1);
        return rows.get(0);
    }

    private static String read(java.nio.file.Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void showsTheCheckpointInTheOffsetsTopicWhileRunningAndAfterAndTheNextRunResumesThere() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-position", "kpos", 9611, 1);
        String[] none = cli("position", "show", "-c", p.config().toString());
        assertThat(none[0]).as("stderr " + none[2]).isEqualTo("0");
        assertThat(none[1]).contains("has no checkpoint yet (its offsets topic kpos.offsets)");

        Workload writer = new Workload(server, p.db(), 1, 5, 5, 7);
        Thread writerThread = new Thread(writer, "writer");
        writerThread.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> writer.committed().size() >= 20);
        writer.stop();
        writerThread.join();
        long expected =
                writer.committed().stream().mapToLong(Workload.Txn::events).sum();

        JsonNode running;
        try (SluiceProcess sluice = SluiceProcess.start(
                        p.log(), "run", "--config", p.config().toString());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            reader.awaitAtLeast(expected, Duration.ofSeconds(120), sluice);
            running = show(p);
            assertThat(running.path("running").asBoolean()).isTrue();
            assertThat(running.path("file").asText()).startsWith("mysql-bin.");
            assertThat(running.path("pos").asLong()).isGreaterThan(4);
            assertThat(sluice.isAlive())
                    .as("showing did not fence the running sink")
                    .isTrue();
            assertThat(sluice.terminate(60))
                    .as("a clean stop after the show; log " + p.log())
                    .isIn(0, 143);
            assertThat(Files.readString(p.log()))
                    .as("log " + p.log())
                    .doesNotContain(" ERROR ")
                    .contains("[kpos] stopped");
        }

        JsonNode stopped = show(p);
        assertThat(stopped.path("running").asBoolean()).isFalse();
        assertThat(stopped.path("gtids").asText()).isNotEmpty();
        String shown = stopped.path("file").asText() + ":" + stopped.path("pos").asLong();
        String[] table = cli("position", "show", "-c", p.config().toString());
        assertThat(table[1]).contains("PIPELINE").contains(stopped.path("file").asText());

        // the next run opens the sink at the same checkpoint: its log says where it resumes
        java.nio.file.Path log2 = p.dir().resolve("sluice-2.log");
        try (SluiceProcess again =
                SluiceProcess.start(log2, "run", "--config", p.config().toString())) {
            Pattern opened = Pattern.compile("checkpoint in kpos\\.offsets: (\\S+)");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> opened.matcher(read(log2)).find() || !again.isAlive());
            Matcher m = opened.matcher(read(log2));
            assertThat(m.find()).as("the Kafka sink's open line; log " + log2).isTrue();
            assertThat(m.group(1)).as("where the next run resumes").isEqualTo(shown);
            again.terminate(60);
        }
    }

    @Test
    void aPositionSetInTheOffsetsTopicIsWhereTheNextRunResumesAndARestartKeepsIt() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-position-set", "kpset", 9612, 1);
        String config = p.config().toString();
        String table = p.db() + ".t_pk";
        try (SluiceProcess sluice = SluiceProcess.start(p.log(), "run", "--config", config);
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            server.execute("INSERT INTO " + table + " (id, v) VALUES (1, 'one')");
            reader.awaitAtLeast(1, Duration.ofSeconds(120), sluice);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> show(p).path("pos").asLong() > 4);
            String[] refused = cli("position", "set", "-c", config, "--snapshot", "--yes");
            assertThat(refused[0]).as("exit code; stderr " + refused[2]).isEqualTo("4");
            assertThat(refused[2]).contains("pipeline kpset is running");
            assertThat(sluice.terminate(60)).as("log " + p.log()).isIn(0, 143);
        }
        // while stopped: 2 lies before the position set, 3 after it
        server.execute("INSERT INTO " + table + " (id, v) VALUES (2, 'skipped')");
        String[] at = Harness.masterStatus(server);
        server.execute("INSERT INTO " + table + " (id, v) VALUES (3, 'three')");
        JsonNode before = show(p);

        String[] set = cli("position", "set", "-c", config, "--file", at[0], "--pos", at[1], "--yes");
        assertThat(set[0]).as("exit code; stderr " + set[2]).isEqualTo("0");
        assertThat(set[1]).contains("set in its offsets topic kpset.offsets");
        JsonNode after = show(p);
        assertThat(after.path("file").asText() + ":" + after.path("pos").asText())
                .isEqualTo(at[0] + ":" + at[1]);
        java.nio.file.Path state = p.dir().resolve("kpset-state");
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(state)) {
            java.nio.file.Path backup = files.filter(
                            f -> f.getFileName().toString().startsWith("checkpoint-kafka.bak-"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no backup in " + state));
            JsonNode kept = Harness.JSON.readTree(backup.toFile()).path("position");
            assertThat(kept.path("file").asText() + ":" + kept.path("pos").asLong())
                    .as("the backup holds the old checkpoint")
                    .isEqualTo(before.path("file").asText() + ":"
                            + before.path("pos").asLong());
        }

        java.util.function.Function<List<KafkaHarness.Received>, List<Integer>> ids = rs -> rs.stream()
                .filter(r -> r.topic().endsWith(".t_pk"))
                .map(r -> r.value().path("after").path("id").asInt())
                .toList();
        java.nio.file.Path log2 = p.dir().resolve("sluice-2.log");
        try (SluiceProcess again = SluiceProcess.start(log2, "run", "--config", config);
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            assertThat(ids.apply(reader.awaitAtLeast(2, Duration.ofSeconds(120), again)))
                    .as("the events after the set position, none before it")
                    .containsExactly(1, 3);
            assertThat(again.terminate(60)).as("log " + log2).isIn(0, 143);
        }
        server.execute("INSERT INTO " + table + " (id, v) VALUES (4, 'four')");
        java.nio.file.Path log3 = p.dir().resolve("sluice-3.log");
        try (SluiceProcess third = SluiceProcess.start(log3, "run", "--config", config);
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            assertThat(ids.apply(reader.awaitAtLeast(3, Duration.ofSeconds(120), third)))
                    .as("a restart resumes after the set position's run: nothing again, nothing before it")
                    .containsExactly(1, 3, 4);
            assertThat(third.terminate(60)).as("log " + log3).isIn(0, 143);
        }
    }
}
