package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.mysql.schema.ConsumerSchemas;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.source.StatementPolicy;
import io.sluice.testkit.MariaDbServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MariaDB system-versioned tables ({@code WITH SYSTEM VERSIONING}) give the current rows only: an UPDATE is a u, a
 * DELETE (which the server logs as an update of the row's end) a d, and the history rows the server writes are not
 * emitted; keys are the declared primary key (not the server's (id, row_end)); the implicit row_start/row_end
 * columns are in no row, no s event and no published schema, and snapshots read the same rows.
 */
class SystemVersioningIT {
    private final MariaDbServer db = MariaDbServer.shared();

    private static List<String> ops(List<JsonNode> events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String op = e.get("op").asText();
            JsonNode row = op.equals("d") ? e.get("before") : e.get("after");
            out.add(op + (row.isNull() ? "" : " " + row) + (e.get("key").isNull() ? "" : " key " + e.get("key")));
        }
        return out;
    }

    @Test
    void currentRowsOnlyWithTheDeclaredKeyAndColumns() throws Exception {
        String s = db.createDatabase("sysver");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db), StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "CREATE TABLE " + s + ".v (id INT PRIMARY KEY, x INT) WITH SYSTEM VERSIONING",
                    "INSERT INTO " + s + ".v VALUES (1, 10), (2, 20)",
                    "UPDATE " + s + ".v SET x = 11 WHERE id = 1",
                    "DELETE FROM " + s + ".v WHERE id = 2",
                    "UPDATE " + s + ".v SET id = 3 WHERE id = 1",
                    "DELETE HISTORY FROM " + s + ".v",
                    "INSERT INTO " + s + ".v VALUES (4, 40)");
            List<JsonNode> ev = cap.settled(8);
            assertThat(ops(ev))
                    .containsExactly(
                            "s",
                            "c {\"id\":1,\"x\":10} key {\"id\":1}",
                            "c {\"id\":2,\"x\":20} key {\"id\":2}",
                            "u {\"id\":1,\"x\":11} key {\"id\":1}",
                            "d {\"id\":2,\"x\":20} key {\"id\":2}",
                            "d {\"id\":1,\"x\":11} key {\"id\":1}",
                            "c {\"id\":3,\"x\":11} key {\"id\":3}",
                            "c {\"id\":4,\"x\":40} key {\"id\":4}");
            assertThat(ev.get(3).get("before").toString()).isEqualTo("{\"id\":1,\"x\":10}");
            assertThat(ev).extracting(e -> e.get("schema").asInt()).containsOnly(1);
            assertThat(ev.get(0).get("columns").toString())
                    .contains("\"id\"", "\"x\"")
                    .doesNotContain("row_");
            SchemaHistory history = SchemaHistory.open(cap.stateDir());
            for (SchemaVersion v : history.versions(s + ".v")) {
                assertThat(v.model().columns()).extracting(c -> c.name()).containsExactly("id", "x");
                assertThat(v.model().eventKey()).containsExactly("id");
                assertThat(ConsumerSchemas.jsonSchema(v).get("properties").fieldNames())
                        .toIterable()
                        .containsExactly("id", "x");
            }
        }
    }

    @Test
    void versioningAddedLaterAndDeclaredPeriodColumnsKeepTheirShape() throws Exception {
        String s = db.createDatabase("sysver2");
        db.execute(
                "CREATE TABLE " + s + ".a (id INT PRIMARY KEY, x INT)",
                "CREATE TABLE " + s + ".e (id INT, v INT, valid_from TIMESTAMP(6) GENERATED ALWAYS AS ROW START"
                        + " INVISIBLE, valid_to TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,"
                        + " PERIOD FOR SYSTEM_TIME (valid_from, valid_to), PRIMARY KEY (id)) WITH SYSTEM VERSIONING");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db), StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "INSERT INTO " + s + ".a VALUES (1, 1)",
                    "ALTER TABLE " + s + ".a ADD SYSTEM VERSIONING",
                    "UPDATE " + s + ".a SET x = 2",
                    "DELETE FROM " + s + ".a",
                    "INSERT INTO " + s + ".e (id, v) VALUES (1, 1)",
                    "UPDATE " + s + ".e SET v = 2",
                    "DELETE FROM " + s + ".e");
            List<JsonNode> ev = cap.settled(6);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText()
                            + e.get("source").get("table").asText()
                            + e.get("schema").asInt())
                    .containsExactly("ca1", "ua1", "da1", "ce1", "ue1", "de1");
            assertThat(ev.get(1).get("after").toString()).isEqualTo("{\"id\":1,\"x\":2}");
            // declared period columns are columns of the table, in every event; the key is the declared one
            JsonNode ce = ev.get(3);
            assertThat(ce.get("after").fieldNames()).toIterable().containsExactly("id", "v", "valid_from", "valid_to");
            assertThat(ce.get("after").get("valid_to").asText()).isEqualTo("2038-01-19T03:14:07.999999Z");
            assertThat(ev.subList(3, 6))
                    .extracting(e -> e.get("key").toString())
                    .containsOnly("{\"id\":1}");
        }
    }

    @Test
    void aSnapshotReadsTheSameCurrentRows() throws Exception {
        String s = db.createDatabase("sysver3");
        db.execute(
                "CREATE TABLE " + s + ".v (id INT PRIMARY KEY, x INT) WITH SYSTEM VERSIONING",
                "INSERT INTO " + s + ".v VALUES (1, 10), (2, 20)",
                "UPDATE " + s + ".v SET x = 11 WHERE id = 1",
                "DELETE FROM " + s + ".v WHERE id = 2");
        try (Capture cap = Capture.snapshot(db, List.of(s + ".v"), 100).run(SchemaPolicy.DEFAULT)) {
            assertThat(ops(cap.settled(1))).containsExactly("r {\"id\":1,\"x\":11} key {\"id\":1}");
            db.execute("UPDATE " + s + ".v SET x = 12 WHERE id = 1");
            assertThat(ops(cap.await(2).subList(1, 2))).containsExactly("u {\"id\":1,\"x\":12} key {\"id\":1}");
        }
    }

    @Test
    void droppingHistoryPartitionsIsNoLossButTruncatingTheCurrentOneIs() throws Exception {
        String s = db.createDatabase("sysver5");
        db.execute(
                "CREATE TABLE " + s + ".vp (id INT PRIMARY KEY, x INT) WITH SYSTEM VERSIONING"
                        + " PARTITION BY SYSTEM_TIME LIMIT 1000 (PARTITION h1 HISTORY, PARTITION h2 HISTORY, PARTITION cur CURRENT)");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db), StatementPolicy.HALT)
                .run(SchemaPolicy.DEFAULT)) {
            db.execute(
                    "INSERT INTO " + s + ".vp VALUES (1, 1)",
                    "UPDATE " + s + ".vp SET x = 2",
                    "DELETE HISTORY FROM " + s + ".vp",
                    "ALTER TABLE " + s + ".vp TRUNCATE PARTITION h1",
                    "ALTER TABLE " + s + ".vp DROP PARTITION h1",
                    "UPDATE " + s + ".vp SET x = 3",
                    "ALTER TABLE " + s + ".vp TRUNCATE PARTITION cur");
            assertThat(cap.awaitFailure().getMessage())
                    .contains("TRUNCATE PARTITION cur", "captured table " + s + ".vp");
            assertThat(cap.events()).extracting(e -> e.get("op").asText()).containsExactly("c", "u", "u");
        }
    }

    @Test
    void aTransactionPreciseTableIsLoggedAsStatementsAndHalts() throws Exception {
        String s = db.createDatabase("sysver4");
        db.execute("CREATE TABLE " + s + ".tx (id INT PRIMARY KEY, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START,"
                + " e BIGINT UNSIGNED GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME (s, e))"
                + " ENGINE=InnoDB WITH SYSTEM VERSIONING");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db), StatementPolicy.HALT)
                .run()) {
            db.execute("INSERT INTO " + s + ".tx (id) VALUES (5)"); // MariaDB logs it as a statement, even under ROW
            assertThat(cap.awaitFailure().getMessage())
                    .contains("captured table " + s + ".tx", "without row events", "transaction-precise");
        }
    }
}
