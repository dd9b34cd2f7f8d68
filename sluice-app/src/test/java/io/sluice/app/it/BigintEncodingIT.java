package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code encoding.bigint}: 64-bit integers as JSON strings for readers that hold numbers as doubles. Both pipelines
 * start with a snapshot (the file sink takes the snapshot's runs whole by default, so this is the path that must
 * take them apart) and then stream an insert and an update (key, after and before images). The Kafka pipeline also
 * runs with {@code encoding.announce-schemas: true} (an s in each partition before the first rows); the file
 * pipeline with the default, which announces nothing.
 *
 * <p>Both snapshots are awaited before the writes: a pipeline whose snapshot starts after them reads the insert and
 * the update as snapshot rows (op r), as it should. (Session 10 saw "5 of 6 records" in Kafka that way: the Kafka
 * process started 2 s after the file one and its snapshot read 3 rows; nothing was lost.)
 */
class BigintEncodingIT extends WithKafkaBroker {
    private static final String TOP = "18446744073709551615";
    private static final String NEG = "-9007199254740993";
    private static final String ABOVE = "9007199254740993";

    @Test
    void snapshotAndStreamWriteBigintsAsStringsInTheFileAndKafkaSinks() throws Exception {
        Path dir = Harness.workDir("bigint");
        String db = server.createDatabase("bigint");
        server.execute(
                "CREATE TABLE " + db + ".n (id BIGINT UNSIGNED PRIMARY KEY, s BIGINT, i INT, d DECIMAL(5,2))",
                "INSERT INTO " + db + ".n VALUES (" + TOP + ", " + NEG + ", 7, 1.50), (1, 2, 3, 4.00)");
        String[] at = Harness.masterStatus(server);
        Path file = snapshotFirst(Harness.config(
                dir,
                "bigfile",
                server.host(),
                server.port(),
                "",
                9611,
                db,
                at,
                "encoding:\n  bigint: unsafe-as-string\n"));
        Path kafkaConfig = snapshotFirst(KafkaHarness.config(
                dir,
                "bigkafka",
                server,
                9612,
                db,
                at,
                kafka.bootstrapServers(),
                2,
                null,
                "encoding:\n  bigint: string\n  announce-schemas: true\n"));
        try (SluiceProcess f = SluiceProcess.start(dir.resolve("file.log"), "run", "--config", file.toString());
                SluiceProcess k =
                        SluiceProcess.start(dir.resolve("kafka.log"), "run", "--config", kafkaConfig.toString());
                KafkaHarness.Reader reader = new KafkaHarness.Reader(kafka.bootstrapServers(), "bigkafka")) {
            Path out = dir.resolve("bigfile-out");
            io.sluice.testkit.Waits.await("the snapshot's rows in the file sink", Duration.ofSeconds(120))
                    .until(() -> rows(Harness.events(out)).size(), n -> n >= 2);
            // the announcing s in each of the 2 partitions and the 2 snapshot rows, before anything is written
            assertThat(ops(reader.awaitAtLeast(4, Duration.ofSeconds(120), k)))
                    .as("Kafka's snapshot, read before the writes below")
                    .containsExactlyInAnyOrder("s", "s", "r", "r");
            server.execute(
                    "INSERT INTO " + db + ".n VALUES (" + ABOVE + ", 5, 6, 0.10)",
                    "UPDATE " + db + ".n SET s = s - 1 WHERE id = " + TOP);
            List<JsonNode> fileRows = io.sluice.testkit.Waits.await(
                            "4 row events in the file sink", Duration.ofSeconds(60))
                    .until(() -> rows(Harness.events(out)), r -> r.size() >= 4);
            // the announcing s in each of the 2 partitions, 2 snapshot rows, the insert and the update
            List<KafkaHarness.Received> kafkaAll = reader.awaitAtLeast(6, Duration.ofSeconds(120), k);
            f.terminate(60);
            k.terminate(60);
            assertThat(ops(kafkaAll)).containsExactlyInAnyOrder("s", "s", "r", "r", "c", "u");
            List<JsonNode> kafkaRows =
                    rows(kafkaAll.stream().map(KafkaHarness.Received::value).toList());
            assertThat(Harness.allEvents(out))
                    .as("encoding.announce-schemas is off by default: no s event in the file sink")
                    .noneMatch(e -> "s".equals(e.path("op").asText()));

            // unsafe-as-string: only integers beyond 2^53-1 are strings, in snapshot rows and streamed ones
            JsonNode top = byId(fileRows, "r", TOP);
            assertThat(top.get("key").toString()).isEqualTo("{\"id\":\"" + TOP + "\"}");
            assertThat(top.get("after").toString())
                    .isEqualTo("{\"id\":\"" + TOP + "\",\"s\":\"" + NEG + "\",\"i\":7,\"d\":\"1.50\"}");
            assertThat(byId(fileRows, "r", "1").get("after").toString())
                    .isEqualTo("{\"id\":1,\"s\":2,\"i\":3,\"d\":\"4.00\"}");
            assertThat(byId(fileRows, "c", ABOVE).get("after").toString())
                    .isEqualTo("{\"id\":\"" + ABOVE + "\",\"s\":5,\"i\":6,\"d\":\"0.10\"}");
            JsonNode u = byId(fileRows, "u", TOP);
            assertThat(u.get("before").get("s").asText()).isEqualTo(NEG);
            assertThat(u.get("before").get("s").isTextual()).isTrue();
            assertThat(u.get("after").get("s").asText()).isEqualTo("-9007199254740994");
            assertThat(top.get("id").asText())
                    .as("ids keep the contract's numbers")
                    .endsWith(":{\"id\":" + TOP + "}");

            // string: every BIGINT column is a string, also small values; INT stays a number
            assertThat(byId(kafkaRows, "r", "1").get("after").toString())
                    .isEqualTo("{\"id\":\"1\",\"s\":\"2\",\"i\":3,\"d\":\"4.00\"}");
            assertThat(byId(kafkaRows, "r", "1").get("key").toString()).isEqualTo("{\"id\":\"1\"}");
            assertThat(byId(kafkaRows, "r", TOP).get("after").get("id").asText())
                    .isEqualTo(TOP);
            assertThat(byId(kafkaRows, "c", ABOVE).get("after").toString())
                    .isEqualTo("{\"id\":\"" + ABOVE + "\",\"s\":\"5\",\"i\":6,\"d\":\"0.10\"}");
            assertThat(byId(kafkaRows, "u", TOP).get("before").get("s").asText())
                    .isEqualTo(NEG);
            assertThat(kafkaAll)
                    .filteredOn(r -> Harness.announcement(r.value()))
                    .as("one announcing s per partition, without a key")
                    .extracting(KafkaHarness.Received::partition)
                    .containsExactlyInAnyOrder(0, 1);
        }
    }

    /** The config with {@code start: snapshot} instead of its file position. */
    private static Path snapshotFirst(Path config) throws Exception {
        String yaml = Files.readString(config);
        Files.writeString(config, yaml.replaceFirst("start: \\{file: [^}]*\\}", "start: snapshot"));
        return config;
    }

    private static List<String> ops(List<KafkaHarness.Received> received) {
        return received.stream().map(r -> r.value().path("op").asText()).toList();
    }

    private static List<JsonNode> rows(List<JsonNode> events) {
        return events.stream().filter(e -> !"s".equals(e.path("op").asText())).toList();
    }

    private static JsonNode byId(List<JsonNode> rows, String op, String id) {
        return rows.stream()
                .filter(e -> op.equals(e.path("op").asText()))
                .filter(e -> id.equals(
                        e.path(op.equals("d") ? "before" : "after").path("id").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + op + " of id " + id + " in " + rows));
    }
}
