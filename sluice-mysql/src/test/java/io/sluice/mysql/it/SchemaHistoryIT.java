package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema history on a real server: every DDL kind gives the right versions and column lists, the history is
 * durable and idempotent, a replay decodes with the version valid at its position (also under MINIMAL metadata),
 * and the compatibility policy halts (until approved) or warns.
 */
class SchemaHistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaPolicy NO_CHECKS =
            new SchemaPolicy(Compatibility.Mode.NONE, SchemaPolicy.Action.HALT, null);
    private final MariaDbServer db = MariaDbServer.shared();

    private static List<String> names(JsonNode columns) {
        List<String> out = new ArrayList<>();
        if (columns != null && !columns.isNull()) {
            columns.forEach(c -> out.add(c.get("name").asText()));
        }
        return out;
    }

    /** A captured database, another one, and the position before anything happened in them. */
    private record Dbs(String captured, String other, StartPosition start) {}

    private Dbs databases(String prefix) throws Exception {
        return new Dbs(db.createDatabase(prefix), db.createDatabase(prefix + "other"), Capture.current(db));
    }

    private static String summary(JsonNode e) {
        return e.get("op").asText() + ":" + e.get("source").get("table").asText() + ":"
                + e.get("schema").asInt();
    }

    @Test
    void everyDdlKindGivesVersionsInOrderWithColumnLists() throws Exception {
        Dbs d = databases("hist");
        String s = d.captured();
        String other = d.other();
        StartPosition start = d.start();
        db.execute(
                "CREATE TABLE " + s + ".t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET latin1," + " PRIMARY KEY (id))",
                "INSERT INTO " + s + ".t VALUES (1, 'x')",
                "ALTER TABLE " + s + ".t ADD COLUMN b INT DEFAULT 5 AFTER id",
                "INSERT INTO " + s + ".t VALUES (2, 6, 'y')",
                "ALTER TABLE " + s + ".t MODIFY a VARCHAR(20) CHARACTER SET utf8mb4 FIRST",
                "ALTER TABLE " + s + ".t CHANGE b bb BIGINT DEFAULT 5",
                "/* moved */ ALTER TABLE `" + s + "`.`t` RENAME COLUMN bb TO `c`",
                "INSERT INTO " + s + ".t VALUES ('z', 3, 7)",
                "ALTER TABLE " + s + ".t ADD UNIQUE KEY uc (c)",
                "ALTER TABLE " + s + ".t DROP PRIMARY KEY, ADD PRIMARY KEY (id, c)",
                "TRUNCATE TABLE " + s + ".t",
                "CREATE TABLE " + other + ".x (id INT)",
                "ALTER TABLE " + other + ".x ADD COLUMN v INT",
                "INSERT INTO " + other + ".x VALUES (1, 1)",
                "RENAME TABLE " + s + ".t TO " + s + ".u",
                "CREATE TABLE " + s + ".l LIKE " + s + ".u",
                "CREATE TABLE " + s + ".sel AS SELECT id, a FROM " + s + ".u",
                "INSERT INTO " + s + ".u VALUES ('q', 4, 8)",
                "ALTER TABLE " + s + ".u CONVERT TO CHARACTER SET latin1",
                "INSERT INTO " + s + ".u VALUES ('r', 5, 9)",
                "DROP TABLE " + s + ".u");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), start).run(NO_CHECKS)) {
            List<JsonNode> all = cap.await(17);
            assertThat(all)
                    .extracting(SchemaHistoryIT::summary)
                    .containsExactly(
                            "s:t:1", "c:t:1", "s:t:2", "c:t:2", "s:t:3", "s:t:4", "s:t:5", "c:t:5", "s:t:6", "t:t:6",
                            "s:u:6", "s:l:1", "s:sel:1", "c:u:6", "s:u:7", "c:u:7", "s:u:7");
            List<JsonNode> s1 =
                    all.stream().filter(e -> e.get("op").asText().equals("s")).toList();
            assertThat(s1)
                    .extracting(e -> names(e.get("columns")))
                    .containsExactly(
                            List.of("id", "a"),
                            List.of("id", "b", "a"),
                            List.of("a", "id", "b"),
                            List.of("a", "id", "bb"),
                            List.of("a", "id", "c"),
                            List.of("a", "id", "c"),
                            List.of("a", "id", "c"),
                            List.of("a", "id", "c"),
                            List.of("id", "a"),
                            List.of("a", "id", "c"),
                            List.of());
            assertThat(s1)
                    .extracting(e -> names(e.get("old_columns")))
                    .containsExactly(
                            List.of(),
                            List.of("id", "a"),
                            List.of("id", "b", "a"),
                            List.of("a", "id", "b"),
                            List.of("a", "id", "bb"),
                            List.of("a", "id", "c"),
                            List.of("a", "id", "c"),
                            List.of(),
                            List.of(),
                            List.of("a", "id", "c"),
                            List.of("a", "id", "c"));
            JsonNode v1 = s1.get(0).get("columns");
            assertThat(v1.get(0).toString())
                    .isEqualTo("{\"name\":\"id\",\"type\":\"int\",\"nullable\":false," + "\"key\":true}");
            assertThat(v1.get(1).get("type").asText()).isEqualTo("varchar(10)");
            assertThat(v1.get(1).get("charset").asText()).isEqualTo("latin1");
            assertThat(s1.get(1).get("columns").get(1).get("default").asText()).isEqualTo("5");
            assertThat(s1.get(2).get("columns").get(0).get("charset").asText()).isEqualTo("utf8mb4");
            assertThat(s1.get(3).get("columns").get(2).get("type").asText()).isEqualTo("bigint");
            assertThat(s1.get(4).get("ddl").asText()).startsWith("/* moved */");
            // the new primary key (id, c) makes c NOT NULL
            JsonNode v6 = s1.get(5).get("columns");
            assertThat(v6.get(2).get("nullable").asBoolean()).isFalse();
            assertThat(v6.get(2).get("key").asBoolean()).isTrue();
            assertThat(s1.get(9).get("columns").get(0).get("charset").asText()).isEqualTo("latin1");
            List<JsonNode> rows = all.stream()
                    .filter(e -> "cu".contains(e.get("op").asText()))
                    .toList();
            assertThat(rows)
                    .extracting(e -> e.get("after").toString())
                    .containsExactly(
                            "{\"id\":1,\"a\":\"x\"}",
                            "{\"id\":2,\"b\":6,\"a\":\"y\"}",
                            "{\"a\":\"z\",\"id\":3,\"c\":7}",
                            "{\"a\":\"q\",\"id\":4,\"c\":8}",
                            "{\"a\":\"r\",\"id\":5,\"c\":9}");

            // the history holds every version, with where it begins and the DDL that produced it
            SchemaHistory h = SchemaHistory.open(cap.stateDir());
            assertThat(h.versions(s + ".t")).extracting(SchemaVersion::version).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(h.versions(s + ".t").get(1).ddl()).contains("ADD COLUMN b");
            assertThat(h.versions(s + ".t").get(1).model().columnNames()).containsExactly("id", "b", "a");
            assertThat(h.versions(s + ".t").get(5).model().primaryKey()).containsExactly("id", "c");
            assertThat(h.versions(s + ".t").get(5).model().uniqueKeys())
                    .extracting(u -> u.name())
                    .containsExactly("uc");
            assertThat(h.versions(s + ".u")).extracting(SchemaVersion::version).containsExactly(6, 7);
            assertThat(h.tables()).doesNotContain(other + ".x");
            List<SchemaVersion> entries = h.all();
            for (int i = 1; i < entries.size(); i++) {
                assertThat(entries.get(i).at())
                        .isGreaterThanOrEqualTo(entries.get(i - 1).at());
            }
            assertThat(entries.get(entries.size() - 1).dropped()).isTrue();
        }
    }

    @Test
    void aReplayFromBeforeADdlDecodesWithTheOldVersionUnderMinimalMetadata() throws Exception {
        try (MariaDbServer own =
                MariaDbServer.builder().option("binlog_row_metadata", "MINIMAL").start()) {
            String s = own.createDatabase("replay");
            StartPosition start = Capture.current(own);
            own.execute(
                    "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a VARCHAR(10))",
                    "INSERT INTO " + s + ".t VALUES (1, 'one')");
            StartPosition middle = Capture.current(own);
            own.execute(
                    "INSERT INTO " + s + ".t VALUES (2, 'two')",
                    "ALTER TABLE " + s + ".t CHANGE a b VARCHAR(10)",
                    "INSERT INTO " + s + ".t VALUES (3, 'three')",
                    "ALTER TABLE " + s + ".t DROP COLUMN b, ADD COLUMN z INT",
                    "INSERT INTO " + s + ".t VALUES (4, 44)");
            List<String> expected = List.of(
                    "{\"id\":1,\"a\":\"one\"}",
                    "{\"id\":2,\"a\":\"two\"}",
                    "{\"id\":3,\"b\":\"three\"}",
                    "{\"id\":4,\"z\":44}");
            Path history;
            List<JsonNode> first;
            try (Capture cap = Capture.create(own, List.of(s + ".*"), start).run(NO_CHECKS)) {
                first = cap.await(7);
                assertThat(first.stream().filter(e -> e.get("op").asText().equals("c")))
                        .extracting(e -> e.get("after").toString())
                        .containsExactlyElementsOf(expected);
                history = cap.stateDir().resolve(SchemaHistory.FILE_NAME);
            }
            // today's table is (id, z): only the history knows the names rows 2 and 3 were written with
            try (Capture replay = Capture.create(own, List.of(s + ".*"), middle)) {
                Files.createDirectories(replay.stateDir());
                Files.copy(history, replay.stateDir().resolve(SchemaHistory.FILE_NAME));
                replay.run(NO_CHECKS);
                List<JsonNode> again = replay.await(5);
                assertThat(again.stream().filter(e -> e.get("op").asText().equals("c")))
                        .extracting(e -> e.get("after").toString())
                        .containsExactlyElementsOf(expected.subList(1, 4));
                // the same ids and version numbers as the first reading
                assertThat(again)
                        .extracting(e ->
                                e.get("id").asText() + "@" + e.get("schema").asInt())
                        .containsExactlyElementsOf(first.subList(2, 7).stream()
                                .map(e -> e.get("id").asText() + "@"
                                        + e.get("schema").asInt())
                                .toList());
                // nothing new was appended: the history already held every version
                assertThat(Files.readAllLines(replay.stateDir().resolve(SchemaHistory.FILE_NAME)))
                        .isEqualTo(Files.readAllLines(history));
            }
        }
    }

    @Test
    void aBreakingChangeHaltsBeforeItsFirstEventAndResumesOnceApproved() throws Exception {
        String s = db.createDatabase("halt");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a INT NOT NULL)");
        StartPosition start = Capture.current(db);
        db.execute(
                "INSERT INTO " + s + ".t VALUES (1, 1)",
                "ALTER TABLE " + s + ".t ADD COLUMN n INT NULL",
                "INSERT INTO " + s + ".t VALUES (2, 2, 2)",
                "ALTER TABLE " + s + ".t DROP COLUMN a",
                "INSERT INTO " + s + ".t VALUES (3, 3)",
                "UPDATE " + s + ".t SET n = 9 WHERE id = 1");
        Capture cap = Capture.create(db, List.of(s + ".*"), start);
        try (cap) {
            cap.run(SchemaPolicy.DEFAULT);
            cap.pipeline().await(Duration.ofSeconds(60));
            assertThat(cap.pipeline().state()).isEqualTo(PipelineState.FAILED);
            String message = cap.pipeline().failure().orElseThrow().getMessage();
            assertThat(message)
                    .contains("version 3 of " + s + ".t")
                    .contains("backward")
                    .contains("column a dropped")
                    .contains("DROP COLUMN a")
                    .contains("sluice schema approve --config <pipeline file> --table " + s + ".t --version 3");
            // adding a nullable column is fine; nothing of version 3 was emitted
            assertThat(cap.events()).extracting(SchemaHistoryIT::summary).containsExactly("c:t:1", "s:t:2", "c:t:2");
        }
        // restarting without approval halts again at the same place
        try (Capture again = Capture.reuse(cap)) {
            again.run(SchemaPolicy.DEFAULT);
            again.pipeline().await(Duration.ofSeconds(60));
            assertThat(again.pipeline().state()).isEqualTo(PipelineState.FAILED);
            assertThat(again.events()).hasSize(3);
        }
        new Approvals(cap.stateDir()).add(new Approvals.Approval(s + ".t", 3, null, "test"));
        try (Capture resumed = Capture.reuse(cap)) {
            resumed.run(SchemaPolicy.DEFAULT);
            List<JsonNode> all = resumed.settled(6);
            assertThat(all)
                    .extracting(SchemaHistoryIT::summary)
                    .containsExactly("c:t:1", "s:t:2", "c:t:2", "s:t:3", "c:t:3", "u:t:3");
            assertThat(all.get(3).get("breaking").toString()).contains("column a dropped");
            assertThat(all.stream().map(e -> e.get("id").asText()).distinct().count())
                    .isEqualTo(6);
            assertThat(all.get(5).get("after").toString()).isEqualTo("{\"id\":1,\"n\":9}");
        }
    }

    @Test
    void warnFlagsABreakingChangeAndContinues() throws Exception {
        String s = db.createDatabase("warn");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a BIGINT, b VARCHAR(10))");
        SchemaPolicy warnFull = new SchemaPolicy(Compatibility.Mode.FULL, SchemaPolicy.Action.WARN, null);
        try (Capture cap =
                Capture.create(db, List.of(s + ".*"), Capture.current(db)).run(warnFull)) {
            db.execute("INSERT INTO " + s + ".t VALUES (1, 1, 'x')");
            // the first version is described when its table map is read: from information_schema (bigint(20)),
            // as long as the table still has that layout then, so the ALTER waits for it
            cap.await(1);
            db.execute(
                    "ALTER TABLE " + s + ".t MODIFY a INT, MODIFY b VARCHAR(20)",
                    "INSERT INTO " + s + ".t VALUES (2, 2, 'y')");
            List<JsonNode> all = cap.await(3);
            assertThat(all).extracting(SchemaHistoryIT::summary).containsExactly("c:t:1", "s:t:2", "c:t:2");
            assertThat(all.get(1).get("breaking"))
                    .extracting(JsonNode::asText)
                    .containsExactly(
                            "full: column a narrowed from bigint(20) to int",
                            "full: column b widened from varchar(10) to" + " varchar(20)");
        }
    }

    @Test
    void quarantineSendsTheTablesEventsToASideFileUntilApproved() throws Exception {
        String s = db.createDatabase("quar");
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a INT NOT NULL)",
                "CREATE TABLE " + s + ".o (id INT PRIMARY KEY)");
        StartPosition start = Capture.current(db);
        db.execute(
                "INSERT INTO " + s + ".t VALUES (1, 1)",
                "INSERT INTO " + s + ".o VALUES (1)",
                "ALTER TABLE " + s + ".t DROP COLUMN a",
                "INSERT INTO " + s + ".t VALUES (2)",
                "INSERT INTO " + s + ".o VALUES (2)",
                "UPDATE " + s + ".t SET id = 3 WHERE id = 1");
        SchemaPolicy quarantine = new SchemaPolicy(Compatibility.Mode.BACKWARD, SchemaPolicy.Action.QUARANTINE, null);
        Capture cap = Capture.create(db, List.of(s + ".*"), start);
        Path side = cap.stateDir().resolve("quarantine").resolve(s + ".t.jsonl");
        try (cap) {
            cap.run(quarantine);
            cap.await(3);
            Capture.waiting("4 events in the side file", Duration.ofSeconds(30), cap.pipeline())
                    .until(() -> Files.exists(side) ? Files.readAllLines(side).size() : 0, n -> n >= 4);
            cap.settled(3);
            // the other table flows on; t's events from the breaking version on are in the side file, in order
            assertThat(cap.events()).extracting(SchemaHistoryIT::summary).containsExactly("c:t:1", "c:o:1", "c:o:1");
            List<JsonNode> held = new ArrayList<>();
            for (String line : Files.readAllLines(side)) {
                held.add(JSON.readTree(line));
            }
            assertThat(held).extracting(SchemaHistoryIT::summary).containsExactly("s:t:2", "c:t:2", "d:t:2", "c:t:2");
            assertThat(held.get(0).get("breaking").toString()).contains("column a dropped");
        }
        List<String> sideBefore = Files.readAllLines(side);
        new Approvals(cap.stateDir()).add(new Approvals.Approval(s + ".t", 2, null, "test"));
        try (Capture resumed = Capture.reuse(cap)) {
            resumed.run(quarantine);
            db.execute("INSERT INTO " + s + ".t VALUES (4)", "INSERT INTO " + s + ".o VALUES (4)");
            List<JsonNode> all = resumed.await(5);
            assertThat(all)
                    .extracting(SchemaHistoryIT::summary)
                    .containsExactly("c:t:1", "c:o:1", "c:o:1", "c:t:2", "c:o:1");
            assertThat(Files.readAllLines(side)).isEqualTo(sideBefore);
        }
    }

    @Test
    void versionSpecificSyntaxMultiTableStatementsAndOtherDatabases() throws Exception {
        Dbs d = databases("syntax");
        String s = d.captured();
        String other = d.other();
        StartPosition start = d.start();
        db.execute(
                "CREATE TABLE IF NOT EXISTS " + s + ".v (id INT PRIMARY KEY, a VARCHAR(5)) ENGINE=InnoDB"
                        + " /*!40101 DEFAULT CHARSET=utf8mb4 */",
                "ALTER TABLE IF EXISTS " + s + ".v ADD COLUMN IF NOT EXISTS b INT AFTER id, ALGORITHM=INPLACE,"
                        + " LOCK=NONE",
                "ALTER ONLINE TABLE " + s + ".v MODIFY a VARCHAR(5) COLLATE utf8mb4_bin",
                "ALTER TABLE " + s + ".v ADD INDEX ib (b), ADD FULLTEXT KEY fa (a)",
                "CREATE TABLE " + other + ".o (id INT)",
                "ALTER TABLE " + other + ".o ADD COLUMN x INT",
                "INSERT INTO " + s + ".v VALUES (1, 2, 'x')",
                "CREATE OR REPLACE TABLE " + s + ".v (id BIGINT UNSIGNED PRIMARY KEY, `weird name` TEXT)",
                "INSERT INTO " + s + ".v VALUES (18446744073709551615, 'y')",
                "CREATE TABLE " + s + ".x (k CHAR(2) NOT NULL, UNIQUE KEY uk (k))",
                "RENAME TABLE " + s + ".v TO " + s + ".w, " + s + ".x TO " + s + ".y",
                "INSERT INTO " + s + ".y VALUES ('k')",
                "DROP TABLE " + s + ".w, " + other + ".o, " + s + ".y");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), start).run(NO_CHECKS)) {
            List<JsonNode> all = cap.settled(13);
            // CREATE OR REPLACE drops the old table's rows with it: a t (old version) before the new version's s
            assertThat(all)
                    .extracting(SchemaHistoryIT::summary)
                    .containsExactly(
                            "s:v:1", "s:v:2", "s:v:3", "c:v:3", "t:v:3", "s:v:4", "c:v:4", "s:x:1", "s:w:4", "s:y:1",
                            "c:y:1", "s:w:4", "s:y:1");
            List<JsonNode> se =
                    all.stream().filter(e -> e.get("op").asText().equals("s")).toList();
            assertThat(se)
                    .extracting(e -> names(e.get("columns")))
                    .containsExactly(
                            List.of("id", "a"),
                            List.of("id", "b", "a"),
                            List.of("id", "b", "a"),
                            List.of("id", "weird name"),
                            List.of("k"),
                            List.of("id", "weird name"),
                            List.of("k"),
                            List.of(),
                            List.of());
            assertThat(se.get(2).get("columns").get(2).get("collation").asText())
                    .isEqualTo("utf8mb4_bin");
            assertThat(se.get(3).get("columns").get(0).get("type").asText()).isEqualTo("bigint unsigned");
            // a table without primary key: its all-NOT-NULL unique key is the event key
            assertThat(se.get(4).get("columns").get(0).get("key").asBoolean()).isTrue();
            assertThat(all.get(10).get("key").toString()).isEqualTo("{\"k\":\"k\"}");
            assertThat(all.get(6).get("after").toString())
                    .isEqualTo("{\"id\":18446744073709551615,\"weird name\":\"y\"}");
        }
    }
}
