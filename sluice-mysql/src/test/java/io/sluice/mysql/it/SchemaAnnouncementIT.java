package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code encoding.announce-schemas: true}, every schema version a consumer sees rows of is announced by an {@code s} event before its first row, also where
 * no statement in the stream made it ({@code start: latest}, {@code start: snapshot}): such an {@code s} has
 * {@code ddl} null and the version's columns. Announced once per sink: a restart after the commit does not repeat
 * it, a restart from a checkpoint before it (a crash between the {@code s} and the commit) emits it again, once.
 */
class SchemaAnnouncementIT {
    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void startLatestAnnouncesVersionOneBeforeItsFirstRowOncePerSink() throws Exception {
        String s = db.createDatabase("annlatest");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(10) NOT NULL)");
        Capture cap = announcingFromLatest(s);
        Path checkpoint = cap.stateDir().resolve("checkpoint.json");
        try (cap) {
            cap.awaitStarted();
            db.execute("INSERT INTO " + s + ".t VALUES (1, 'a'), (2, 'b')");
            db.execute("INSERT INTO " + s + ".t VALUES (3, 'c')");
            List<JsonNode> ev = cap.awaitAll("an s and 3 rows", e -> e.size() >= 4);
            assertThat(ops(ev)).containsExactly("s", "c", "c", "c");
            JsonNode a = ev.get(0);
            assertThat(a.get("schema").asInt()).isEqualTo(1);
            assertThat(a.has("ddl"))
                    .as("the contract's ddl field, null: no statement made version 1")
                    .isTrue();
            assertThat(a.get("ddl").isNull()).isTrue();
            assertThat(a.get("key").isNull()).isTrue();
            assertThat(a.get("columns").get(0).get("name").asText()).isEqualTo("id");
            assertThat(a.get("columns").get(0).get("key").asBoolean()).isTrue();
            assertThat(a.get("columns").get(1).get("type").asText()).isEqualTo("varchar(10)");
            assertThat(a.has("old_columns")).isFalse();
            // in the first row's transaction, right before it
            assertThat(a.get("source").get("row").asInt()).isZero();
            assertThat(a.get("source").get("gtid"))
                    .isEqualTo(ev.get(1).get("source").get("gtid"));
            // taking no row number of its own: the rows' ids do not depend on where reading began
            assertThat(ev.get(1).get("source").get("row").asInt()).isZero();
            assertThat(a.get("id").asText())
                    .isEqualTo(ev.get(1).get("id").asText().replaceAll(":0$", ":s0"));
        }
        // a restart after the commit does not announce it again
        try (Capture again = Capture.reuse(cap).run(SchemaPolicy.DEFAULT)) {
            db.execute("INSERT INTO " + s + ".t VALUES (4, 'd')");
            assertThat(ops(again.awaitAll("the 4th row", e -> e.size() >= 5))).containsExactly("s", "c", "c", "c", "c");
            // a statement-made version keeps its statement's s, and only that
            db.execute("ALTER TABLE " + s + ".t ADD COLUMN n INT NULL", "INSERT INTO " + s + ".t VALUES (5, 'e', 5)");
            List<JsonNode> ev = again.awaitAll("the ALTER and the 5th row", e -> e.size() >= 7);
            assertThat(ops(ev)).containsExactly("s", "c", "c", "c", "c", "s", "c");
            assertThat(ev.get(5).get("ddl").asText()).startsWith("ALTER TABLE");
            assertThat(ev.get(5).get("schema").asInt()).isEqualTo(2);
            again.settled(6);
            assertThat(ops(again.allEvents())).containsExactly("s", "c", "c", "c", "c", "s", "c");
        }
        assertThat(Files.readString(checkpoint)).doesNotContain("unannounced");
    }

    @Test
    void aRestartFromACheckpointBeforeTheAnnouncementEmitsItAgainOnce() throws Exception {
        String s = db.createDatabase("anncrash");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        Capture cap = announcingFromLatest(s);
        Path checkpoint = cap.stateDir().resolve("checkpoint.json");
        Path before = cap.stateDir().resolve("checkpoint-before.json");
        try (cap) {
            cap.awaitStarted();
            cap.stop();
            // the checkpoint written at start, before any row: as if the process died after emitting the s and
            // the row but before their transaction's commit
            Files.copy(checkpoint, before);
        }
        try (Capture second = Capture.reuse(cap).run(SchemaPolicy.DEFAULT)) {
            db.execute("INSERT INTO " + s + ".t VALUES (1)");
            assertThat(ops(second.awaitAll("an s and a row", e -> e.size() >= 2)))
                    .containsExactly("s", "c");
        }
        Files.move(before, checkpoint, StandardCopyOption.REPLACE_EXISTING);
        try (Capture third = Capture.reuse(cap).run(SchemaPolicy.DEFAULT)) {
            db.execute("INSERT INTO " + s + ".t VALUES (2)");
            List<JsonNode> ev = third.awaitAll("the rows again", e -> e.size() >= 3);
            assertThat(ops(ev)).containsExactly("s", "c", "c");
            assertThat(ev.get(0).get("schema").asInt()).isEqualTo(1);
            assertThat(third.settled(2)).hasSize(2);
            assertThat(ops(third.allEvents())).containsExactly("s", "c", "c");
        }
    }

    @Test
    void startSnapshotAnnouncesBeforeTheFirstReadRowAndNotAgainForTheStream() throws Exception {
        String s = db.createDatabase("annsnap");
        db.execute(
                "CREATE TABLE " + s + ".t (id BIGINT UNSIGNED PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".t VALUES (1, 10), (2, 20), (3, 30)");
        try (Capture cap =
                Capture.snapshot(db, List.of(s + ".*"), 2).announceSchemas(true).run(SchemaPolicy.DEFAULT)) {
            List<JsonNode> read = cap.awaitAll("the snapshot", e -> e.size() >= 4);
            assertThat(ops(read)).containsExactly("s", "r", "r", "r");
            JsonNode a = read.get(0);
            assertThat(a.get("ddl").isNull()).isTrue();
            assertThat(a.get("schema").asInt()).isEqualTo(1);
            assertThat(a.get("source").get("snapshot").asBoolean()).isFalse();
            assertThat(a.get("id").asText())
                    .isEqualTo(read.get(1).get("id").asText().replace("{\"id\":1}", "s1"));
            assertThat(a.get("columns").get(0).get("name").asText()).isEqualTo("id");
            db.execute("INSERT INTO " + s + ".t VALUES (4, 40)");
            List<JsonNode> ev = cap.awaitAll("the stream's row", e -> e.size() >= 5);
            assertThat(ops(ev)).containsExactly("s", "r", "r", "r", "c");
            assertThat(ev.get(4).get("schema").asInt()).isEqualTo(1);
        }
    }

    private static List<String> ops(List<JsonNode> events) {
        return events.stream().map(e -> e.get("op").asText()).toList();
    }

    /** A capture of every table of database {@code s} from the server's end, announcing schemas. */
    private Capture announcingFromLatest(String s) throws java.io.IOException {
        return Capture.create(db, List.of(s + ".*"), new StartPosition.Latest())
                .announceSchemas(true)
                .run(SchemaPolicy.DEFAULT);
    }
}
