package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Column changes while streaming: every row decodes with the layout the binlog wrote it with (also when read
 * after later DDL), and the schema number grows with each layout change.
 */
class DdlStreamingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void rowsBeforeAndAfterColumnChangesDecodeWithTheirOwnLayout() throws Exception {
        String s = db.createDatabase("ddl");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a VARCHAR(10))");
        StartPosition start = Capture.current(db);
        db.execute(
                "INSERT INTO " + s + ".t VALUES (1, 'one')",
                "ALTER TABLE " + s + ".t ADD COLUMN b INT UNSIGNED DEFAULT 7",
                "INSERT INTO " + s + ".t VALUES (2, 'two', 4294967295)",
                "ALTER TABLE " + s + ".t DROP COLUMN a",
                "UPDATE " + s + ".t SET b = 8 WHERE id = 1",
                "ALTER TABLE " + s + ".t MODIFY b BIGINT",
                "ALTER TABLE " + s + ".t ADD INDEX ib (b)",
                "INSERT INTO " + s + ".t VALUES (3, -5)",
                "ALTER TABLE " + s + ".t ADD COLUMN c DATETIME(3) FIRST",
                "INSERT INTO " + s + ".t VALUES ('2024-01-02 03:04:05.678', 4, 9)");
        // read after all the DDL happened: the current definition must not be used for older rows
        try (Capture cap = Capture.create(db, List.of(s + ".*"), start).run()) {
            List<JsonNode> all = cap.await(9);
            // an s event announces each new layout, in order, before the rows that use it; ADD INDEX does not
            assertThat(all)
                    .extracting(e -> e.get("op").asText() + e.get("schema").asInt())
                    .containsExactly("c1", "s2", "c2", "s3", "u3", "s4", "c4", "s5", "c5");
            JsonNode s2 = all.get(1);
            assertThat(s2.get("ddl").asText()).contains("ADD COLUMN b INT UNSIGNED");
            assertThat(s2.get("key").isNull()
                            && s2.get("before").isNull()
                            && s2.get("after").isNull())
                    .isTrue();
            assertThat(s2.get("source").get("table").asText()).isEqualTo("t");
            assertThat(s2.get("id").asText()).endsWith(":0");
            List<JsonNode> ev =
                    all.stream().filter(e -> !e.get("op").asText().equals("s")).toList();
            assertThat(ev.get(0).get("after").toString()).isEqualTo("{\"id\":1,\"a\":\"one\"}");
            assertThat(ev.get(1).get("after").toString()).isEqualTo("{\"id\":2,\"a\":\"two\",\"b\":4294967295}");
            assertThat(ev.get(2).get("before").toString()).isEqualTo("{\"id\":1,\"b\":7}");
            assertThat(ev.get(2).get("after").toString()).isEqualTo("{\"id\":1,\"b\":8}");
            assertThat(ev.get(3).get("after").toString()).isEqualTo("{\"id\":3,\"b\":-5}");
            assertThat(ev.get(4).get("after").toString())
                    .isEqualTo("{\"c\":\"2024-01-02T03:04:05.678\",\"id\":4,\"b\":9}");
            assertThat(ev).extracting(e -> e.get("schema").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(ev.get(4).get("key").toString()).isEqualTo("{\"id\":4}");
        }
    }

    @Test
    void aDroppedAndRecreatedTableContinuesItsNumbering() throws Exception {
        String s = db.createDatabase("recreate");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        try (Capture cap = Capture.start(db, s + ".t")) {
            db.execute(
                    "INSERT INTO " + s + ".t VALUES (1)",
                    "DROP TABLE " + s + ".t",
                    "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(3))",
                    "INSERT INTO " + s + ".t VALUES (2, 'x')");
            List<JsonNode> ev = cap.await(4);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText() + e.get("schema").asInt())
                    .containsExactly("c1", "s1", "s2", "c2");
            assertThat(ev.get(1).get("ddl").asText()).startsWith("DROP TABLE");
            assertThat(ev.get(3).get("after").toString()).isEqualTo("{\"id\":2,\"v\":\"x\"}");
        }
    }

    /**
     * The case on a live server: a table created LIKE the one renamed away continues its name's sequence;
     * so does one re-created after a restart from the checkpoint, and a replay without a checkpoint from the
     * schema history numbers the same. The history (what {@code sluice schema list} prints) and the schemas
     * published next to the output hold one column set per (table, version), the same the s events announced.
     */
    @Test
    void aTableCreatedLikeTheOneRenamedAwayContinuesItsNamesSequence() throws Exception {
        String s = db.createDatabase("evolve");
        db.execute("CREATE TABLE " + s + ".evolve (id INT PRIMARY KEY, a VARCHAR(5))");
        List<String> seen = new ArrayList<>();
        StartPosition afterRename;
        Capture first =
                Capture.create(db, List.of(s + ".*"), Capture.current(db)).runPublishingSchemas();
        try (first) {
            db.execute(
                    "INSERT INTO " + s + ".evolve VALUES (1, 'x')",
                    "ALTER TABLE " + s + ".evolve ADD COLUMN b INT",
                    "ALTER TABLE " + s + ".evolve MODIFY id BIGINT",
                    "INSERT INTO " + s + ".evolve VALUES (2, 'y', 2)",
                    "RENAME TABLE " + s + ".evolve TO " + s + ".evolved");
            afterRename = Capture.current(db);
            db.execute(
                    "CREATE TABLE " + s + ".evolve LIKE " + s + ".evolved",
                    "INSERT INTO " + s + ".evolve VALUES (3, 'z', 3)",
                    "INSERT INTO " + s + ".evolved VALUES (4, 'w', 4)");
            List<JsonNode> ev = first.await(8);
            assertThat(ev)
                    .extracting(DdlStreamingIT::opTableVersion)
                    .containsExactly(
                            "c evolve 1",
                            "s evolve 2",
                            "s evolve 3",
                            "c evolve 3",
                            "s evolved 3",
                            "s evolve 4",
                            "c evolve 4",
                            "c evolved 3");
            JsonNode id = ev.get(2).get("columns").get(0);
            assertThat(id.get("name").asText() + " " + id.get("nullable").asBoolean())
                    .as("MODIFY id BIGINT keeps the key column NOT NULL")
                    .isEqualTo("id false");
            ev.forEach(e -> seen.add(opTableVersion(e)));
        }
        try (Capture resumed = Capture.reuse(first).runPublishingSchemas()) {
            db.execute(
                    "DROP TABLE " + s + ".evolve",
                    "CREATE TABLE " + s + ".evolve (id INT PRIMARY KEY)",
                    "INSERT INTO " + s + ".evolve VALUES (5)");
            List<JsonNode> ev = resumed.await(11);
            assertThat(ev.subList(8, 11))
                    .extracting(DdlStreamingIT::opTableVersion)
                    .as("after a restart from the checkpoint")
                    .containsExactly("s evolve 4", "s evolve 5", "c evolve 5");
            ev.subList(8, 11).forEach(e -> seen.add(opTableVersion(e)));

            SchemaHistory history = SchemaHistory.open(resumed.stateDir());
            assertThat(history.versions(s + ".evolve"))
                    .extracting(v -> v.version() + " " + v.model().columnNames())
                    .containsExactly("1 [id, a]", "2 [id, a, b]", "3 [id, a, b]", "4 [id, a, b]", "5 [id]");
            assertThat(history.versions(s + ".evolved"))
                    .extracting(v -> v.version() + " " + v.model().columnNames())
                    .containsExactly("3 [id, a, b]");
            for (JsonNode e : ev) {
                if (e.get("columns") != null) { // each announced version is the history's and the published one
                    String table = s + "." + e.get("source").get("table").asText();
                    int version = e.get("schema").asInt();
                    SchemaVersion v = history.version(table, version);
                    assertThat(SchemaTracker.columns(v.model()).json())
                            .as(table + " v" + version)
                            .isEqualTo(e.get("columns").toString());
                    JsonNode published = JSON.readTree(resumed.schemasDir()
                            .resolve(table)
                            .resolve("v" + version + ".json")
                            .toFile());
                    assertThat(published.get("model").toString()).isEqualTo(JSON.writeValueAsString(v.model()));
                }
            }
        }

        // a replay without a checkpoint, from after the rename, numbers from the history alone
        try (Capture replay = Capture.create(db, List.of(s + ".*"), afterRename)) {
            Files.createDirectories(replay.stateDir());
            Files.copy(
                    first.stateDir().resolve(SchemaHistory.FILE_NAME),
                    replay.stateDir().resolve(SchemaHistory.FILE_NAME));
            replay.runPublishingSchemas();
            assertThat(replay.await(6))
                    .extracting(DdlStreamingIT::opTableVersion)
                    .containsExactlyElementsOf(seen.subList(5, 11));
        }
    }

    private static String opTableVersion(JsonNode e) {
        return e.get("op").asText() + " " + e.get("source").get("table").asText() + " "
                + e.get("schema").asInt();
    }

    @Test
    void aRenamedTableContinuesItsSequenceUnderTheNewName() throws Exception {
        String s = db.createDatabase("rename");
        db.execute("CREATE TABLE " + s + ".a (id INT PRIMARY KEY)");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute(
                    "INSERT INTO " + s + ".a VALUES (1)",
                    "ALTER TABLE " + s + ".a ADD COLUMN v INT",
                    "INSERT INTO " + s + ".a VALUES (2, 2)",
                    "RENAME TABLE " + s + ".a TO " + s + ".b",
                    "INSERT INTO " + s + ".b VALUES (3, 3)",
                    "ALTER TABLE " + s + ".b DROP COLUMN v",
                    "INSERT INTO " + s + ".b VALUES (4)",
                    "DROP DATABASE " + s);
            List<JsonNode> ev = cap.settled(8);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText() + ":"
                            + e.get("source").get("table").asText() + ":"
                            + e.get("schema").asInt())
                    .containsExactly("c:a:1", "s:a:2", "c:a:2", "s:b:2", "c:b:2", "s:b:3", "c:b:3", "s:b:3");
        }
    }

    @Test
    void mariaDbCreateTableSelectGivesTheSchemaEventThenTheRowsInOneTransaction() throws Exception {
        String s = db.createDatabase("ctas");
        String other = db.createDatabase("ctas_other");
        db.execute(
                "CREATE TABLE " + s + ".src (id INT PRIMARY KEY, v VARCHAR(5))",
                "INSERT INTO " + s + ".src VALUES (1, 'a'), (2, 'b')");
        try (Capture cap = Capture.start(db, s + ".*")) {
            // MariaDB logs these as BEGIN GTID, the generated CREATE TABLE, the rows, XID
            db.execute(
                    "CREATE TABLE " + other + ".copy AS SELECT * FROM " + s + ".src",
                    "CREATE TABLE " + s + ".copy (extra INT DEFAULT 9) SELECT id, v FROM " + s + ".src",
                    "INSERT INTO " + s + ".src VALUES (3, 'c')");
            List<JsonNode> ev = cap.await(4);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText() + ":"
                            + e.get("source").get("table").asText())
                    .containsExactly("s:copy", "c:copy", "c:copy", "c:src");
            assertThat(ev.subList(0, 3))
                    .extracting(e -> e.get("source").get("gtid").asText())
                    .containsOnly(ev.get(0).get("source").get("gtid").asText());
            assertThat(ev.subList(0, 3))
                    .extracting(e -> e.get("source").get("row").asInt())
                    .containsExactly(0, 1, 2);
            assertThat(ev.get(2).get("after").toString()).isEqualTo("{\"extra\":9,\"id\":2,\"v\":\"b\"}");
        }
    }
}
