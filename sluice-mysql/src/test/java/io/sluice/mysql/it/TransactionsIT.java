package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transaction shapes: multi-table, rolled back, XA, TRUNCATE, tables without a primary key, start modes. */
class TransactionsIT {
    private final MariaDbServer db = MariaDbServer.shared();

    private static List<String> ops(List<JsonNode> ev) {
        return ev.stream()
                .map(e -> e.get("op").asText() + ":"
                        + e.get("source").get("table").asText())
                .toList();
    }

    @Test
    void multiTableTransactionIsContiguousWithOneTxnIdAndRowIndexes() throws Exception {
        String s = db.createDatabase("multi");
        db.execute("CREATE TABLE " + s + ".a (id INT PRIMARY KEY)", "CREATE TABLE " + s + ".b (id INT PRIMARY KEY)");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute(
                    "BEGIN",
                    "INSERT INTO " + s + ".a VALUES (1),(2)",
                    "INSERT INTO " + s + ".b VALUES (1)",
                    "DELETE FROM " + s + ".a WHERE id = 1",
                    "COMMIT",
                    "INSERT INTO " + s + ".b VALUES (2)");
            List<JsonNode> ev = cap.await(5);
            assertThat(ops(ev)).containsExactly("c:a", "c:a", "c:b", "d:a", "c:b");
            String gtid = ev.get(0).get("source").get("gtid").asText();
            for (int i = 0; i < 4; i++) {
                assertThat(ev.get(i).get("source").get("gtid").asText()).isEqualTo(gtid);
                assertThat(ev.get(i).get("source").get("row").asInt()).isEqualTo(i);
                assertThat(ev.get(i).get("id").asText()).isEqualTo("it:" + gtid + ":" + i);
                assertThat(ev.get(i).get("source").get("pos").asLong())
                        .isEqualTo(ev.get(0).get("source").get("pos").asLong());
            }
            assertThat(ev.get(4).get("source").get("gtid").asText()).isNotEqualTo(gtid);
            assertThat(ev.get(4).get("source").get("row").asInt()).isZero();
        }
    }

    @Test
    void rolledBackTransactionsEmitNothing() throws Exception {
        String s = db.createDatabase("rb");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute(
                    "BEGIN",
                    "INSERT INTO " + s + ".t VALUES (1)",
                    "ROLLBACK",
                    "BEGIN",
                    "INSERT INTO " + s + ".t VALUES (2)",
                    "SAVEPOINT x",
                    "INSERT INTO " + s + ".t VALUES (3)",
                    "ROLLBACK TO SAVEPOINT x",
                    "COMMIT");
            List<JsonNode> ev = cap.settled(1);
            assertThat(ev).hasSize(1);
            assertThat(ev.get(0).get("after").get("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void xaTransactionsEmitAtCommitWithThePrepareGroupsIdentityAndNeverWhenRolledBack() throws Exception {
        String s = db.createDatabase("xa");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute("XA START 'x1'", "INSERT INTO " + s + ".t VALUES (1),(2)", "XA END 'x1'", "XA PREPARE 'x1'");
            db.execute("XA START 'x2'", "INSERT INTO " + s + ".t VALUES (3)", "XA END 'x2'", "XA PREPARE 'x2'");
            db.execute("INSERT INTO " + s + ".t VALUES (10)");
            List<JsonNode> ev = cap.settled(1);
            assertThat(ev).hasSize(1);
            assertThat(ev.get(0).get("after").get("id").asInt()).isEqualTo(10);
            db.execute("XA ROLLBACK 'x2'", "XA COMMIT 'x1'");
            db.execute(
                    "XA START 'x3'", "INSERT INTO " + s + ".t VALUES (4)", "XA END 'x3'", "XA COMMIT 'x3' ONE PHASE");
            ev = cap.settled(4);
            assertThat(ev).extracting(e -> e.get("after").get("id").asInt()).containsExactly(10, 1, 2, 4);
            JsonNode x1 = ev.get(1).get("source");
            assertThat(x1.get("gtid").asText()).matches("0-1-\\d+");
            assertThat(ev.get(2).get("source").get("row").asInt()).isEqualTo(1);
            // the PREPARE group came before the single insert: its position and GTID are earlier
            assertThat(x1.get("pos").asLong())
                    .isLessThan(ev.get(0).get("source").get("pos").asLong());
            assertThat(ev.get(1).get("id").asText())
                    .isEqualTo("it:" + x1.get("gtid").asText() + ":0");
        }
    }

    @Test
    void preparedXaSurvivesARestartAndIsEmittedOnceAtCommit() throws Exception {
        String s = db.createDatabase("xarestart");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
        Capture cap = Capture.start(db, s + ".*");
        try {
            db.execute("XA START 'r1'", "INSERT INTO " + s + ".t VALUES (1)", "XA END 'r1'", "XA PREPARE 'r1'");
            db.execute("INSERT INTO " + s + ".t VALUES (2)");
            cap.await(1);
            cap.stop();
            db.execute("INSERT INTO " + s + ".t VALUES (3)", "XA COMMIT 'r1'", "INSERT INTO " + s + ".t VALUES (4)");
            cap.run();
            List<JsonNode> ev = cap.settled(4);
            assertThat(ev).extracting(e -> e.get("after").get("id").asInt()).containsExactly(2, 3, 1, 4);
            assertThat(ev.stream().map(e -> e.get("id").asText()).distinct()).hasSize(4);
        } finally {
            cap.close();
        }
    }

    @Test
    void truncateOfACapturedTableGivesATEvent() throws Exception {
        String s = db.createDatabase("trunc");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)", "CREATE TABLE " + s + ".other (id INT)");
        try (Capture cap = Capture.start(db, s + ".t")) {
            db.execute(
                    "INSERT INTO " + s + ".t VALUES (1)",
                    "USE " + s,
                    "TRUNCATE TABLE other",
                    "TRUNCATE t",
                    "INSERT INTO " + s + ".t VALUES (2)");
            List<JsonNode> ev = cap.await(3);
            assertThat(ev).extracting(e -> e.get("op").asText()).containsExactly("c", "t", "c");
            JsonNode t = ev.get(1);
            assertThat(t.get("key").isNull()).isTrue();
            assertThat(t.get("before").isNull()).isTrue();
            assertThat(t.get("after").isNull()).isTrue();
            assertThat(t.get("schema").asInt()).isEqualTo(1);
            assertThat(t.get("source").get("table").asText()).isEqualTo("t");
            assertThat(t.get("id").asText()).endsWith(":0");
        }
    }

    @Test
    void tablesWithoutPrimaryKeyUseTheFirstUniqueNotNullIndexOrNoKey() throws Exception {
        String s = db.createDatabase("nokey");
        db.execute(
                "CREATE TABLE " + s + ".u (a INT, b VARCHAR(5) NOT NULL, c INT NOT NULL, UNIQUE KEY ua (a),"
                        + " UNIQUE KEY ucb (c, b))",
                "CREATE TABLE " + s + ".n (a INT, b INT)");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute(
                    "INSERT INTO " + s + ".u VALUES (1, 'x', 7)",
                    "INSERT INTO " + s + ".n VALUES (1, 1), (1, 1)",
                    "UPDATE " + s + ".u SET c = 8 WHERE c = 7",
                    "DELETE FROM " + s + ".n LIMIT 1");
            List<JsonNode> ev = cap.await(6);
            assertThat(ev.get(0).get("key").toString()).isEqualTo("{\"c\":7,\"b\":\"x\"}");
            assertThat(ev.get(1).get("key").isNull()).isTrue();
            assertThat(ev.get(2).get("key").isNull()).isTrue();
            assertThat(ops(ev).subList(3, 6)).containsExactly("d:u", "c:u", "d:n");
            assertThat(ev.get(4).get("key").toString()).isEqualTo("{\"c\":8,\"b\":\"x\"}");
        }
    }

    @Test
    void compositeKeysFollowKeyColumnOrder() throws Exception {
        String s = db.createDatabase("ck");
        db.execute("CREATE TABLE " + s + ".t (a INT, b VARCHAR(4), v INT, PRIMARY KEY (b, a))");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute("INSERT INTO " + s + ".t VALUES (1, 'k', 0)");
            assertThat(cap.await(1).get(0).get("key").toString()).isEqualTo("{\"b\":\"k\",\"a\":1}");
        }
    }

    @Test
    void startModesEarliestLatestPositionAndGtid() throws Exception {
        try (MariaDbServer own = MariaDbServer.builder().start()) {
            String s = own.createDatabase("start");
            own.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)", "INSERT INTO " + s + ".t VALUES (1)");
            StartPosition mid = Capture.current(own);
            String gtid;
            try (Connection c = own.rootConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                gtid = rs.getString(1);
            }
            own.execute("INSERT INTO " + s + ".t VALUES (2)");

            try (Capture earliest = Capture.create(own, List.of(s + ".*"), new StartPosition.Earliest())
                    .run()) {
                // from the start of the binlog: the table's creation (an s event), then both rows
                assertThat(earliest.await(3))
                        .extracting(e -> e.get("op").asText()
                                + (e.get("after").isNull()
                                        ? ""
                                        : e.get("after").get("id").asText()))
                        .containsExactly("s", "c1", "c2");
            }
            try (Capture at = Capture.create(own, List.of(s + ".*"), mid).run()) {
                assertThat(at.await(1))
                        .extracting(e -> e.get("after").get("id").asInt())
                        .containsExactly(2);
            }
            try (Capture byGtid = Capture.create(own, List.of(s + ".*"), new StartPosition.Gtid(gtid))
                    .run()) {
                assertThat(byGtid.await(1))
                        .extracting(e -> e.get("after").get("id").asInt())
                        .containsExactly(2);
            }
            try (Capture latest = Capture.create(own, List.of(s + ".*"), new StartPosition.Latest())
                    .run()) {
                latest.awaitStarted(); // 'latest' is resolved: what is committed from now on is read
                own.execute("INSERT INTO " + s + ".t VALUES (3)");
                assertThat(latest.settled(1))
                        .extracting(e -> e.get("after").get("id").asInt())
                        .containsExactly(3);
            }
        }
    }

    @Test
    void aBinlogRotationMovesTheCheckpointToTheServersEndOfBinlog() throws Exception {
        try (MariaDbServer own = MariaDbServer.builder().start()) {
            String s = own.createDatabase("rot");
            own.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
            try (Capture cap = Capture.start(own, s + ".*")) {
                own.execute("INSERT INTO " + s + ".t VALUES (1)");
                cap.await(1);
                own.execute("FLUSH BINARY LOGS");
                StartPosition.At end = (StartPosition.At) Capture.current(own);
                String next = end.file();
                java.nio.file.Path cp = cap.dir.resolve("state").resolve("checkpoint.json");
                // the server may still add to the new file's opening (its binlog checkpoint event comes when InnoDB
                // is done with the old file): the end is read again at each look
                record Seen(String checkpoint, String end) {}
                await("caught up: the checkpoint is the server's end of binlog, in " + next)
                        .atMost(java.time.Duration.ofSeconds(20))
                        .until(
                                () -> {
                                    StartPosition.At now = (StartPosition.At) Capture.current(own);
                                    String at = null;
                                    if (java.nio.file.Files.exists(cp)) {
                                        JsonNode pos = new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(cp.toFile())
                                                .path("checkpoint")
                                                .path("position");
                                        at = pos.path("file").asText() + ":"
                                                + pos.path("pos").asLong();
                                    }
                                    return new Seen(at, now.file() + ":" + now.pos());
                                },
                                seen -> seen.end().equals(seen.checkpoint())
                                        && seen.end().startsWith(next + ":"));
                own.execute("INSERT INTO " + s + ".t VALUES (2)");
                assertThat(cap.await(2).get(1).get("source").get("file").asText())
                        .isEqualTo(next);
            }
        }
    }
}
