package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.SluiceException;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.StatementPolicy;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Statements that change captured rows without row events, on a real MariaDB: DML a session logs as a statement
 * (binlog_format STATEMENT or MIXED), partition operations that remove or swap rows, DDL under ANSI_QUOTES, and a
 * server whose binlog_format is not ROW. None is passed over in silence: the pipeline halts before it, naming it,
 * or lets it through by policy, or emits a t event and snapshots the table again, after which the events, applied
 * in order, equal the table.
 */
class StatementChangesIT {
    private static final Pattern AT = Pattern.compile("at (mysql-bin\\.\\d+):(\\d+)");
    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void dmlLoggedAsAStatementMidStreamHaltsBeforeItUntilApproved() throws Exception {
        String s = db.createDatabase("stmt");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + s + ".other (id INT)");
        try (Capture cap = Capture.create(db, List.of(s + ".t"), Capture.current(db), StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "INSERT INTO " + s + ".t VALUES (1, 1)",
                    "SET SESSION binlog_format = 'STATEMENT'",
                    "INSERT INTO " + s + ".other VALUES (7)", // not captured: fine
                    "UPDATE " + s + ".t SET v = 2 WHERE id = 1",
                    "SET SESSION binlog_format = 'ROW'",
                    "INSERT INTO " + s + ".t VALUES (3, 3)");
            Throwable failure = cap.awaitFailure();
            assertThat(failure).isInstanceOf(SluiceException.class);
            assertThat(failure.getMessage())
                    .contains(
                            "captured table " + s + ".t",
                            "without row events",
                            "UPDATE " + s + ".t SET v = 2 WHERE id = 1",
                            "binlog_format",
                            "source.on-statement-changes",
                            "sluice snapshot --config <pipeline file> --table " + s + ".t");
            assertThat(cap.events())
                    .extracting(
                            e -> e.get("op").asText() + e.get("after").get("id").asInt())
                    .containsExactly("c1");
            // accepted at its position, the pipeline goes on from its checkpoint, after the statement
            Matcher at = AT.matcher(failure.getMessage());
            assertThat(at.find()).isTrue();
            new Approvals(cap.stateDir())
                    .add(new Approvals.Approval(null, null, at.group(1) + ":" + at.group(2), "test"));
            cap.stop();
            try (Capture again = Capture.reuse(cap).run(SchemaPolicy.DEFAULT)) {
                List<JsonNode> ev = again.await(2);
                assertThat(ev)
                        .extracting(e ->
                                e.get("op").asText() + e.get("after").get("id").asInt())
                        .containsExactly("c1", "c3");
            }
        }
    }

    @Test
    void withSnapshotAMixedSessionsDeleteGivesATruncationAndTheTableAgain() throws Exception {
        String s = db.createDatabase("stmtsnap");
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".t VALUES (1, 1), (2, 2), (3, 3)");
        try (Capture cap = Capture.create(db, List.of(s + ".t"), Capture.current(db), StatementPolicy.SNAPSHOT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "SET SESSION binlog_format = 'MIXED'",
                    "DELETE FROM " + s + ".t WHERE id = 2", // deterministic: MIXED logs it as a statement
                    "SET SESSION binlog_format = 'ROW'",
                    "INSERT INTO " + s + ".t VALUES (4, 4)");
            List<JsonNode> ev = awaitConverged(cap, s + ".t");
            assertThat(ev.get(0).get("op").asText()).isEqualTo("t");
            assertThat(ev).extracting(e -> e.get("op").asText()).contains("r");
        }
    }

    @Test
    void partitionOperationsTruncateOrHaltOrSnapshot() throws Exception {
        String s = db.createDatabase("part");
        db.execute(
                "CREATE TABLE " + s + ".p (id INT PRIMARY KEY, v INT) PARTITION BY RANGE (id)"
                        + " (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN (20),"
                        + " PARTITION p2 VALUES LESS THAN (100))",
                "CREATE TABLE " + s + ".px (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".p VALUES (1, 1), (11, 11), (21, 21)",
                "INSERT INTO " + s + ".px VALUES (5, 5)");
        StartPosition start = Capture.current(db);
        db.execute(
                "ALTER TABLE " + s + ".p TRUNCATE PARTITION ALL",
                "INSERT INTO " + s + ".p VALUES (2, 2), (12, 12), (22, 22)",
                "ALTER TABLE " + s + ".p REORGANIZE PARTITION p2 INTO (PARTITION p2a VALUES LESS THAN (50),"
                        + " PARTITION p2b VALUES LESS THAN (100))",
                "ALTER TABLE " + s + ".p EXCHANGE PARTITION p0 WITH TABLE " + s + ".px",
                "INSERT INTO " + s + ".p VALUES (13, 13)");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), start, StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            Throwable failure = cap.awaitFailure();
            assertThat(failure.getMessage())
                    .contains(
                            "EXCHANGE PARTITION p0 (with " + s + ".px)",
                            "captured tables " + s + ".p, " + s + ".px",
                            "ALTER TABLE " + s + ".p EXCHANGE PARTITION p0")
                    .doesNotContain("binlog_format");
            // TRUNCATE PARTITION ALL is a truncation; REORGANIZE keeps every row
            assertThat(cap.events()).extracting(e -> e.get("op").asText()).containsExactly("t", "c", "c", "c");
        }
        try (Capture cap = Capture.create(db, List.of(s + ".*"), start, StatementPolicy.SNAPSHOT)
                .run(SchemaPolicy.DEFAULT)) {
            awaitConverged(cap, s + ".p");
            awaitConverged(cap, s + ".px");
        }
    }

    @Test
    void foreignKeyActionsOnCapturedChildrenHaltOrSnapshot() throws Exception {
        String s = db.createDatabase("fk");
        db.execute(
                "CREATE TABLE " + s + ".par (id INT PRIMARY KEY, note VARCHAR(5))",
                "CREATE TABLE " + s + ".ch (id INT PRIMARY KEY, v INT, FOREIGN KEY (v) REFERENCES " + s + ".par (id)"
                        + " ON DELETE CASCADE ON UPDATE CASCADE)",
                "CREATE TABLE " + s + ".gch (id INT PRIMARY KEY, v INT, FOREIGN KEY (v) REFERENCES " + s + ".ch (id)"
                        + " ON DELETE SET NULL)",
                "CREATE TABLE " + s + ".keep (id INT PRIMARY KEY, v INT, FOREIGN KEY (v) REFERENCES " + s
                        + ".par (id))",
                "INSERT INTO " + s + ".par VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                "INSERT INTO " + s + ".ch VALUES (10, 1), (20, 2)",
                "INSERT INTO " + s + ".gch VALUES (100, 10)");
        StartPosition start = Capture.current(db);
        db.execute(
                "UPDATE " + s + ".par SET note = 'x'", // no referenced column changes: nothing cascades
                "DELETE FROM " + s + ".par WHERE id = 3", // no child row, but Sluice cannot know that
                "DELETE FROM " + s + ".par WHERE id = 1", // InnoDB deletes ch 10 and sets gch 100's v: no row events
                "UPDATE " + s + ".par SET id = 4 WHERE id = 2"); // InnoDB sets ch 20's v to 4
        try (Capture cap = Capture.create(db, List.of(s + ".ch", s + ".gch", s + ".keep"), start, StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            assertThat(cap.awaitFailure().getMessage())
                    .contains(
                            "captured tables " + s + ".ch, " + s + ".gch",
                            "a delete of rows of " + s + ".par cascades through a foreign key");
        }
        try (Capture cap = Capture.create(
                        db, List.of(s + ".ch", s + ".gch", s + ".keep"), start, StatementPolicy.SNAPSHOT)
                .run(SchemaPolicy.DEFAULT)) {
            awaitConverged(cap, s + ".ch");
            List<JsonNode> gch = awaitConverged(cap, s + ".gch");
            assertThat(gch.get(gch.size() - 1).get("after").get("v").isNull()).isTrue();
        }
    }

    @Test
    void aCopyRenamedInAndCreateOrReplaceConvergeWithSnapshot() throws Exception {
        String s = db.createDatabase("cut");
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".t VALUES (1, 1)",
                "CREATE TABLE " + s + ".r (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".r VALUES (5, 5)");
        try (Capture cap = Capture.create(
                        db, List.of(s + ".t", s + ".r"), Capture.current(db), StatementPolicy.SNAPSHOT)
                .run(SchemaPolicy.DEFAULT)) {
            // an online schema change's cut-over, its copy not captured
            db.execute(
                    "CREATE TABLE " + s + ".t_gho (id INT PRIMARY KEY, v INT)",
                    "INSERT INTO " + s + ".t_gho VALUES (1, 10), (2, 20)",
                    "RENAME TABLE " + s + ".t TO " + s + ".t_del, " + s + ".t_gho TO " + s + ".t",
                    "CREATE OR REPLACE TABLE " + s + ".r (id INT PRIMARY KEY, v INT)",
                    "INSERT INTO " + s + ".r VALUES (6, 6)");
            awaitConverged(cap, s + ".t");
            List<JsonNode> r = awaitConverged(cap, s + ".r");
            assertThat(r).extracting(e -> e.get("op").asText()).startsWith("t", "s");
        }
    }

    @Test
    void ddlUnderAnsiQuotesGivesItsSchemaEvent() throws Exception {
        String s = db.createDatabase("ansi");
        db.execute("CREATE TABLE " + s + ".c (id INT PRIMARY KEY)");
        try (Capture cap = Capture.create(db, List.of(s + ".c"), Capture.current(db), StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "INSERT INTO " + s + ".c VALUES (0)",
                    "SET SESSION sql_mode = 'ANSI_QUOTES'",
                    "ALTER TABLE \"" + s + "\".\"c\" ADD COLUMN \"q col\" VARCHAR(5) DEFAULT 'it''s'",
                    "INSERT INTO \"" + s + "\".\"c\" (\"id\") VALUES (1)");
            List<JsonNode> ev = cap.await(3);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText() + e.get("schema").asInt())
                    .containsExactly("c1", "s2", "c2");
            assertThat(ev.get(1).get("columns").toString()).contains("\"name\":\"q col\"");
            assertThat(ev.get(2).get("after").toString()).isEqualTo("{\"id\":1,\"q col\":\"it's\"}");
        }
    }

    @Test
    void runRefusesAServerWhoseBinlogFormatIsNotRowAndReadsNoStatementRowsSilently() throws Exception {
        try (MariaDbServer mixed =
                MariaDbServer.builder().option("binlog-format", "MIXED").start()) {
            String s = mixed.createDatabase("mixed");
            mixed.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)");
            StartPosition start = Capture.current(mixed);
            mixed.execute("INSERT INTO " + s + ".t VALUES (1, 1)"); // logged as a statement
            try (Capture cap = Capture.create(mixed, List.of(s + ".*"), start, StatementPolicy.HALT)
                    .run()) {
                assertThat(cap.awaitFailure().getMessage())
                        .contains(
                                "binlog_format is MIXED, not ROW",
                                "SET GLOBAL binlog_format='ROW'",
                                "source.on-statement-changes");
                assertThat(cap.events()).isEmpty();
            }
            // switched to ROW: the rows written before are still statements, and say so
            mixed.execute("SET GLOBAL binlog_format = 'ROW'");
            try (Capture cap = Capture.create(mixed, List.of(s + ".*"), start, StatementPolicy.HALT)
                    .run()) {
                assertThat(cap.awaitFailure().getMessage())
                        .contains("INSERT INTO " + s + ".t VALUES (1, 1)", "without row events");
            }
        }
    }

    /**
     * Waits until the table's events, applied in order (t empties, c/u/r set the key's row, d removes it), equal
     * the table's rows; returns that table's events.
     */
    private List<JsonNode> awaitConverged(Capture cap, String table) throws Exception {
        Map<Integer, Integer> expected = rows(table);
        return Capture.waiting(table + " converged to " + expected, Duration.ofSeconds(60), cap.pipeline())
                .until(
                        () -> {
                            List<JsonNode> ev = cap.events().stream()
                                    .filter(e -> table.equals(e.get("source")
                                                    .get("db")
                                                    .asText() + "."
                                            + e.get("source").get("table").asText()))
                                    .toList();
                            Map<Integer, Integer> applied = new TreeMap<>();
                            for (JsonNode e : ev) {
                                switch (e.get("op").asText()) {
                                    case "t" -> applied.clear();
                                    case "c", "u", "r" ->
                                        applied.put(
                                                e.get("after").get("id").asInt(),
                                                e.get("after").get("v").asInt());
                                    case "d" ->
                                        applied.remove(e.get("before").get("id").asInt());
                                    default -> {}
                                }
                            }
                            return new Converging(ev, applied);
                        },
                        c -> c.applied().equals(expected)
                                && c.events().stream()
                                        .anyMatch(e -> e.get("op").asText().equals("t")))
                .events();
    }

    /** A table's events and what they apply to, as a failed wait shows them. */
    private record Converging(List<JsonNode> events, Map<Integer, Integer> applied) {
        @Override
        public String toString() {
            return "events " + events + " apply to " + applied;
        }
    }

    private Map<Integer, Integer> rows(String table) throws Exception {
        Map<Integer, Integer> out = new TreeMap<>();
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, v FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return out;
    }
}
