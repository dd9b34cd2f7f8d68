package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice position show} of a pipeline with the Kafka sink, whose checkpoint is in its offsets topic: nothing
 * before the first commit, the committed position while it runs (without fencing it) and after it stopped, and
 * that position is the one the next run resumes from.
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
}
