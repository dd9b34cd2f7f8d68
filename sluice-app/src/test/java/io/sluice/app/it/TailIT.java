package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice tail} in-process against a real broker fed by {@code sluice run}. */
class TailIT extends WithKafkaBroker {
    private static String[] tail(String... args) {
        return Harness.cliInProcess(args);
    }

    @Test
    void printsTheCommittedEventsOfATableOrOfAllTopics() throws Exception {
        WorkloadPipeline p = workloadPipeline("kafka-tail", "ktail", 9601, 2);
        String db = p.db();
        String name = p.name();
        Workload writer = new Workload(server, db, 1, 10, 5, 3);
        Thread writerThread = new Thread(writer, "writer");
        writerThread.start();
        Thread.sleep(3000); // the subject: a workload of three seconds' writes
        writer.stop();
        writerThread.join();
        long expected =
                writer.committed().stream().mapToLong(Workload.Txn::events).sum();
        List<KafkaHarness.Received> all;
        try (SluiceProcess sluice = SluiceProcess.start(
                        p.log(), "run", "--config", p.config().toString());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), name)) {
            all = reader.awaitAtLeast(expected, Duration.ofSeconds(120), sluice);
        }
        List<String> pkIds = new ArrayList<>();
        for (KafkaHarness.Received r : all) {
            if (r.topic().endsWith(".t_pk")) {
                pkIds.add(r.value().path("id").asText());
            }
        }

        String[] r = tail(
                "tail",
                "--config",
                p.config().toString(),
                "--table",
                db + ".t_pk",
                "--from-beginning",
                "--max",
                Integer.toString(pkIds.size()));
        assertThat(r[0]).as("exit code; stderr " + r[2]).isEqualTo("0");
        List<String> lines = r[1].lines().toList();
        assertThat(lines).hasSize(pkIds.size());
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode e = Harness.JSON.readTree(line);
            assertThat(e.path("source").path("table").asText()).isEqualTo("t_pk");
            ids.add(e.path("id").asText());
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(pkIds);

        r = tail("tail", "--config", p.config().toString(), "--from-beginning", "--max", Long.toString(expected));
        assertThat(r[0]).as("exit code; stderr " + r[2]).isEqualTo("0");
        assertThat(r[1].lines()
                        .map(l -> {
                            try {
                                return Harness.JSON.readTree(l).path("id").asText();
                            } catch (Exception e) {
                                throw new AssertionError("not JSON: " + l, e);
                            }
                        })
                        .distinct()
                        .count())
                .isEqualTo(expected);

        String topic = name + "." + db + ".t_uk";
        r = tail("tail", "--config", p.config().toString(), "--topic", topic, "--from-beginning", "--max", "1");
        assertThat(r[0]).isEqualTo("0");
        assertThat(Harness.JSON
                        .readTree(r[1].strip())
                        .path("source")
                        .path("table")
                        .asText())
                .isEqualTo("t_uk");

        r = tail("tail", "--config", p.config().toString(), "--topic", topic, "--table", db + ".t_pk");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("not both");
        System.out.println("TailIT: " + expected + " events, " + pkIds.size() + " of t_pk");
    }
}
