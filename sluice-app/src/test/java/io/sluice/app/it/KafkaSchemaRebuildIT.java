package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice schema rebuild} of a pipeline with the Kafka sink, whose checkpoint is in its offsets topic: the
 * history is rebuilt at the checkpoint read from that topic (the position {@code sluice position show} gives), each
 * table version the checkpoint names as the table is now, and the next run decodes with it.
 */
class KafkaSchemaRebuildIT extends WithKafkaBroker {

    @Test
    void rebuildsALostHistoryAtTheCheckpointInTheOffsetsTopicAndTheNextRunGoesOn() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-schema-rebuild", "kreb", 9614, 1);
        String config = p.config().toString();
        String table = p.db() + ".t_pk";
        try (SluiceProcess sluice = SluiceProcess.start(p.log(), "run", "--config", config);
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            server.execute(
                    "INSERT INTO " + table + " (id, v) VALUES (1, 'one')",
                    "ALTER TABLE " + table + " ADD COLUMN extra INT",
                    "INSERT INTO " + table + " (id, v, extra) VALUES (2, 'two', 2)");
            reader.awaitAtLeast(3, Duration.ofSeconds(120), sluice);
            assertThat(sluice.terminate(60)).as("log " + p.log()).isIn(0, 143);
        }
        Path state = p.dir().resolve("kreb-state");
        Path history = state.resolve("schema-history.jsonl");
        assertThat(history).exists();
        Files.delete(history); // lost

        String[] shown = Harness.cliInProcess("position", "show", "-c", config, "-o", "json");
        assertThat(shown[0]).as("stderr " + shown[2]).isEqualTo("0");
        JsonNode at = Harness.JSON.readTree(shown[1]).get(0);
        String position = at.path("file").asText() + ":" + at.path("pos").asLong();

        String[] rebuilt = Harness.cliInProcess("schema", "rebuild", "-c", config);
        assertThat(rebuilt[0]).as("exit code; stderr " + rebuilt[2]).isEqualTo("0");
        assertThat(rebuilt[1])
                .contains("rebuilt the schema history of kreb at its checkpoint " + position)
                .contains("recovered " + table + " version 2 (\"current\": 4 columns");
        List<String> lines = Files.readAllLines(history);
        assertThat(lines).isNotEmpty();
        JsonNode t = lines.stream()
                .map(l -> {
                    try {
                        return Harness.JSON.readTree(l);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(v -> v.path("table").asText().equals(table))
                .findFirst()
                .orElseThrow();
        assertThat(t.path("origin").asText()).isEqualTo("rebuild");
        assertThat(t.path("version").asInt()).isEqualTo(2);
        assertThat(t.path("file").asText() + ":" + t.path("pos").asLong()).isEqualTo(position);

        // the next run starts with the rebuilt history and decodes the rows after the checkpoint with it
        server.execute("INSERT INTO " + table + " (id, v, extra) VALUES (3, 'three', 3)");
        Path log2 = p.dir().resolve("sluice-2.log");
        try (SluiceProcess again = SluiceProcess.start(log2, "run", "--config", config);
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), p.name())) {
            List<KafkaHarness.Received> events = reader.awaitAtLeast(4, Duration.ofSeconds(120), again);
            JsonNode last = events.stream()
                    .filter(r -> r.topic().endsWith(".t_pk"))
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .value();
            assertThat(last.path("after").path("id").asInt()).isEqualTo(3);
            assertThat(last.path("after").path("extra").asInt()).isEqualTo(3);
            assertThat(last.path("schema").asInt()).isEqualTo(2);
            assertThat(again.terminate(60)).as("log " + log2).isIn(0, 143);
        }
    }
}
