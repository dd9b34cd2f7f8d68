package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compatibility policy with {@code sluice run} as a process: a breaking change halts it before the new
 * version's first event (exit code 1, the error names table, DDL, rule and the approve command); {@code sluice
 * schema approve} then lets a restart continue with nothing lost and nothing repeated. A per-table override
 * (warn) lets another table's breaking change through, flagged. The schema CLI, the schema files next to the
 * output and the HTTP API show the versions.
 */
class SchemaPolicyIT extends WithOwnMariaDb {
    /** Runs {@code sluice <args>} to its end with its own log; returns {exit code, output}. */
    @Test
    void haltApproveResumeWithNothingLostOrRepeated() throws Exception {
        Path dir = Harness.workDir("schema-policy");
        String db = server.createDatabase("policy");
        server.execute(
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(10))",
                "CREATE TABLE " + db + ".w (id INT PRIMARY KEY, v BIGINT)");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir,
                "pol",
                server.host(),
                server.port(),
                "",
                9201,
                db,
                start,
                "schema:\n  compatibility: backward\n  tables:\n    " + db + ".w: {on-breaking: warn}\n");
        server.execute(
                "INSERT INTO " + db + ".t VALUES (1, 1, 'one'), (2, 2, 'two')",
                "ALTER TABLE " + db + ".t ADD COLUMN c INT NULL AFTER a",
                "INSERT INTO " + db + ".t VALUES (3, 3, 33, 'three')",
                "INSERT INTO " + db + ".w VALUES (1, 10)",
                "ALTER TABLE " + db + ".w MODIFY v INT",
                "INSERT INTO " + db + ".w VALUES (2, 20)",
                "ALTER TABLE " + db + ".t DROP COLUMN a",
                "INSERT INTO " + db + ".t VALUES (4, 44, 'four')",
                "UPDATE " + db + ".t SET b = 'ONE' WHERE id = 1",
                "DELETE FROM " + db + ".t WHERE id = 2");
        Path out = dir.resolve("pol-out");
        Path state = dir.resolve("pol-state");

        // 1. halts by itself on the breaking change, after everything before it
        String[] run1 = Harness.cli(dir, "run1", "run", "--config", config.toString());
        assertThat(run1[0]).as(run1[1]).isEqualTo("1");
        assertThat(run1[1])
                .contains("version 3 of " + db + ".t breaks the backward compatibility policy")
                .contains("column a dropped, and it had no default")
                .contains("DROP COLUMN a")
                // the command names the real pipeline file, not a placeholder
                .contains("sluice schema approve --config "
                        + config.toAbsolutePath().normalize() + " --table " + db + ".t --version 3");
        List<JsonNode> halted = Harness.events(out);
        assertThat(halted)
                .extracting(SchemaPolicyIT::summary)
                .containsExactly("c:t:1", "c:t:1", "s:t:2", "c:t:2", "c:w:1", "s:w:2", "c:w:2");
        assertThat(halted.get(5).get("breaking").toString()).contains("column v narrowed from bigint to int");

        // 2. the CLI shows the pending version and its findings
        String[] list = Harness.cli(dir, "list", "schema", "list", "--config", config.toString());
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1])
                .containsPattern("(?m)^" + Pattern.quote(db + ".t") + " +3 .*backward: column a dropped")
                .containsPattern("(?m)^" + Pattern.quote(db + ".w") + " +2 ");
        String[] diff = Harness.cli(dir, "diff", "schema", "diff", "--config", config.toString(), "--table", db + ".t");
        assertThat(diff[1])
                .contains("version 2 -> 3")
                .contains("- column a int")
                .contains("breaking: backward: column a dropped");

        // 3. a restart without approval halts again, at the same place
        String[] run2 = Harness.cli(dir, "run2", "run", "--config", config.toString());
        assertThat(run2[0]).isEqualTo("1");
        assertThat(Harness.events(out)).hasSize(7);

        // 4. approve, restart: the rest arrives once
        String[] approve = Harness.cli(
                dir,
                "approve",
                "schema",
                "approve",
                "--config",
                config.toString(),
                "--table",
                db + ".t",
                "--version",
                "3");
        assertThat(approve[0]).as(approve[1]).isEqualTo("0");
        assertThat(approve[1]).contains("approved version 3 of " + db + ".t");
        Path log = dir.resolve("run3.log");
        try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
            Harness.awaitCaughtUp(server, out, state, 11, Duration.ofSeconds(90), sluice);
            List<JsonNode> all = Harness.events(out);
            assertThat(all)
                    .extracting(SchemaPolicyIT::summary)
                    .containsExactly(
                            "c:t:1", "c:t:1", "s:t:2", "c:t:2", "c:w:1", "s:w:2", "c:w:2", "s:t:3", "c:t:3", "u:t:3",
                            "d:t:3");
            Set<String> ids = new HashSet<>();
            all.forEach(e ->
                    assertThat(ids.add(e.get("id").asText())).as("unique id").isTrue());
            JsonNode s3 = all.get(7);
            assertThat(s3.get("breaking").toString()).contains("column a dropped");
            assertThat(s3.get("old_columns").findValuesAsText("name")).containsExactly("id", "a", "c", "b");
            assertThat(s3.get("columns").findValuesAsText("name")).containsExactly("id", "c", "b");
            assertThat(all.get(9).get("after").toString()).isEqualTo("{\"id\":1,\"c\":null,\"b\":\"ONE\"}");

            // the HTTP API serves the versions
            Matcher m = Pattern.compile("Sluice console: (http://[^/]+)/").matcher(Files.readString(log));
            assertThat(m.find()).as("console address in the log").isTrue();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(m.group(1) + "/api/pipelines/pol/schemas/" + db + ".t/3?format=avro"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"type\":\"record\"").contains("\"name\":\"c\"");
            r = http.send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/api/pipelines/pol/schemas"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("\"table\":\"" + db + ".t\"").contains("\"approved\":true");
            assertThat(sluice.terminate(60)).as("SIGTERM: a graceful stop").isIn(0, 143);
        }

        // 5. schemas for consumers: next to the output, and from the CLI
        Path schemas = out.resolve("_schemas").resolve(db + ".t");
        assertThat(schemas.resolve("v3.avsc")).exists();
        assertThat(Files.readString(schemas.resolve("v3.schema.json")))
                .contains("https://json-schema.org/draft/2020-12/schema");
        String[] show = Harness.cli(
                dir,
                "show",
                "schema",
                "show",
                "--config",
                config.toString(),
                "--table",
                db + ".t",
                "--version",
                "2",
                "--format",
                "json-schema");
        assertThat(show[0]).isEqualTo("0");
        assertThat(show[1]).contains("\"required\" : [ \"id\", \"a\", \"c\", \"b\" ]");
    }

    private static String summary(JsonNode e) {
        return e.get("op").asText() + ":" + e.get("source").get("table").asText() + ":"
                + e.get("schema").asInt();
    }

    @Test
    void rebuildRecreatesALostHistoryAtTheCheckpoint() throws Exception {
        Path dir = Harness.workDir("schema-rebuild");
        String db = server.createDatabase("rebuild");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "reb", server.host(), server.port(), "", 9202, db, start, null);
        server.execute(
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a VARCHAR(5))",
                "INSERT INTO " + db + ".t VALUES (1, 'x')",
                "CREATE TABLE " + db + ".gone (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".gone VALUES (1)");
        Path log = dir.resolve("run.log");
        try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
            Harness.awaitCaughtUp(
                    server, dir.resolve("reb-out"), dir.resolve("reb-state"), 4, Duration.ofSeconds(90), sluice);
            assertThat(sluice.terminate(60)).as("SIGTERM: a graceful stop").isIn(0, 143);
        }
        server.execute("DROP TABLE " + db + ".gone");
        Path history = dir.resolve("reb-state").resolve("schema-history.jsonl");
        String[] refused = Harness.cli(dir, "rebuild0", "schema", "rebuild", "--config", config.toString());
        assertThat(refused[0]).isEqualTo("2");
        assertThat(refused[1]).contains("exists; rebuild replaces it only with --force");
        Files.delete(history); // lost
        String[] rebuilt = Harness.cli(dir, "rebuild", "schema", "rebuild", "--config", config.toString());
        assertThat(rebuilt[0]).as(rebuilt[1]).isEqualTo("0");
        assertThat(rebuilt[1])
                .contains("recovered " + db + ".t version 1")
                .contains("could not recover " + db + ".gone (version 1): the table no longer exists")
                .contains("not recoverable: versions before the checkpoint");
        String[] show = Harness.cli(dir, "show", "schema", "show", "--config", config.toString(), "--table", db + ".t");
        assertThat(show[1]).contains("\"origin\" : \"rebuild\"").contains("\"name\" : \"a\"");
        // the pipeline continues with the rebuilt history
        server.execute("ALTER TABLE " + db + ".t ADD COLUMN b INT", "INSERT INTO " + db + ".t VALUES (2, 'y', 3)");
        try (SluiceProcess sluice =
                SluiceProcess.start(dir.resolve("run2.log"), "run", "--config", config.toString())) {
            Harness.awaitCaughtUp(
                    server, dir.resolve("reb-out"), dir.resolve("reb-state"), 7, Duration.ofSeconds(90), sluice);
            List<JsonNode> all = Harness.events(dir.resolve("reb-out"));
            JsonNode s2 = all.get(all.size() - 2);
            assertThat(s2.get("old_columns").findValuesAsText("name")).containsExactly("id", "a");
            assertThat(s2.get("columns").findValuesAsText("name")).containsExactly("id", "a", "b");
            assertThat(sluice.terminate(60)).as("SIGTERM: a graceful stop").isIn(0, 143);
        }
    }
}
