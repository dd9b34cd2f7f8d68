package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.mysql.ddl.SqlMode;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Statements that change captured rows without row events, read from constructed binlog events through the live
 * source's deserializer and transaction assembly: each halts, or is let through with a warning and a count, or
 * gives a t event and a snapshot of the table, by source.on-statement-changes; none passes in silence.
 */
class StatementChangesTest {
    private static final String FILE = "mysql-bin.000004";
    private static final int EXECUTE_LOAD_QUERY = 18;

    private final List<ChangeEvent> events = new ArrayList<>();
    private final List<Checkpoint> commits = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private final List<String> approved = new ArrayList<>();

    private Assembly assembler(StatementPolicy policy) {
        Assembly a = new Assembly("sales.*");
        a.assembler()
                .statementChanges(
                        policy,
                        "--config /etc/sluice/sales.yaml",
                        (f, p) -> approved.contains(f + ":" + p),
                        counted::add);
        a.assembler()
                .snapshots(
                        new SnapshotTracker(
                                "src",
                                a,
                                (qn, d) -> d.withVersion(1),
                                qn -> qn.startsWith("sales."),
                                null,
                                Clock.systemUTC()),
                        SnapshotConfig.DEFAULT);
        return a;
    }

    private void run(Assembly a, BinlogBytes b) throws Exception {
        try {
            a.read(b.bytes());
        } finally {
            events.addAll(a.events);
            commits.addAll(a.commits);
            a.events.clear();
            a.commits.clear();
        }
    }

    private static BinlogBytes binlog() {
        BinlogBytes b = new BinlogBytes(1, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate(FILE, 4));
        return b;
    }

    /** A QUERY event of session 5 in database sales. */
    private static void statement(BinlogBytes b, String sql) {
        b.event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query(5, "sales", sql, 0));
    }

    /** BEGIN, the statements (session 5), COMMIT; returns the position of the first statement. */
    private static long transaction(BinlogBytes b, String... statements) {
        statement(b, "BEGIN");
        long first = b.position();
        for (String sql : statements) {
            statement(b, sql);
        }
        b.event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(9));
        return first;
    }

    @Test
    void dmlLoggedAsAStatementHaltsBeforeItsTransactionWithPositionSettingAndWayForward() {
        BinlogBytes b = binlog();
        transaction(b, "INSERT INTO other.t VALUES (1)"); // not captured: fine
        long at = transaction(b, "INSERT INTO orders VALUES (1, 'new')");
        Assembly a = assembler(StatementPolicy.HALT);
        assertThatThrownBy(() -> run(a, b))
                .isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).retriable()).isFalse())
                .hasMessageContaining("at " + FILE + ":" + at)
                .hasMessageContaining("sales.orders")
                .hasMessageContaining("INSERT INTO orders VALUES (1, 'new')")
                .hasMessageContaining("binlog_format")
                .hasMessageContaining("source.on-statement-changes: snapshot")
                .hasMessageContaining("sluice schema approve --config /etc/sluice/sales.yaml --at " + FILE + ":" + at)
                .hasMessageContaining("sluice snapshot --config /etc/sluice/sales.yaml --table sales.orders");
        assertThat(commits).hasSize(1); // the first transaction only
        assertThat(events).isEmpty();
    }

    @Test
    void everyKindOfDmlOnACapturedTableIsFound() {
        for (String sql : List.of(
                "UPDATE orders SET s = 'x'",
                "DELETE FROM sales.orders WHERE id = 1",
                "REPLACE INTO orders VALUES (1)",
                "update other.a, sales.items i set i.n = a.n where i.id = a.id",
                "DELETE o FROM orders o JOIN other.x USING (id)",
                "LOAD DATA INFILE 'f' INTO TABLE orders",
                "INSERT INTO sales.log SELECT * FROM other.src",
                "SELECT f_that_writes()",
                "CREATE TABLE copy SELECT * FROM orders")) {
            BinlogBytes b = binlog();
            transaction(b, sql);
            assertThatThrownBy(() -> run(assembler(StatementPolicy.HALT), b))
                    .as(sql)
                    .hasMessageContaining("without row events");
        }
        for (String sql : List.of(
                "update sales.orders o, other.a set a.n = o.n where o.id = a.id",
                "DELETE a FROM other.a a JOIN sales.orders o USING (id)",
                "INSERT INTO other.t SELECT * FROM orders")) {
            BinlogBytes b = binlog();
            transaction(b, sql);
            assertThatCode(() -> run(assembler(StatementPolicy.HALT), b), sql);
        }
    }

    @Test
    void loadDataLoggedAsExecuteLoadQueryIsAStatementChange() throws Exception {
        for (String table : List.of("other.t", "orders")) {
            BinlogBytes b = binlog();
            statement(b, "BEGIN");
            long at = b.position();
            b.event(
                    EXECUTE_LOAD_QUERY,
                    1_764_000_000,
                    BinlogBytes.executeLoadQuery(
                            "sales",
                            "LOAD DATA INFILE 'load.txt' INTO TABLE " + table + " FIELDS TERMINATED BY '\\t'"));
            b.event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(9));
            if (table.equals("other.t")) {
                run(assembler(StatementPolicy.HALT), b); // not captured: fine
                assertThat(commits).hasSize(1);
            } else {
                assertThatThrownBy(() -> run(assembler(StatementPolicy.HALT), b))
                        .hasMessageContaining("at " + FILE + ":" + at)
                        .hasMessageContaining("LOAD logged as a statement")
                        .hasMessageContaining("sales.orders");
            }
        }
    }

    private static void assertThatCode(ThrowingRunnable r, String what) {
        try {
            r.run();
        } catch (Exception e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aSessionsTemporaryTableShadowingACapturedNameIsNotCaptured() throws Exception {
        BinlogBytes b = binlog();
        statement(b, "CREATE TEMPORARY TABLE orders (id INT)");
        transaction(b, "INSERT INTO orders VALUES (9)");
        statement(b, "DROP TEMPORARY TABLE IF EXISTS `orders` /* generated by server */");
        Assembly a = assembler(StatementPolicy.HALT);
        run(a, b);
        assertThat(events).isEmpty();
        BinlogBytes after = new BinlogBytes(1, b.position());
        transaction(after, "INSERT INTO orders VALUES (9)"); // the captured table again
        assertThatThrownBy(() -> run(a, after)).hasMessageContaining("sales.orders");
    }

    @Test
    void warnLetsItThroughAndCountsIt() throws Exception {
        BinlogBytes b = binlog();
        transaction(b, "update sales.orders o join sales.items i using (id) set o.n = 1, i.n = 2");
        run(assembler(StatementPolicy.WARN), b);
        assertThat(events).isEmpty();
        assertThat(commits).hasSize(1);
        assertThat(counted).containsExactly("sales.orders", "sales.items");
    }

    @Test
    void anApprovedStatementIsLetThrough() throws Exception {
        BinlogBytes b = binlog();
        long at = transaction(b, "DELETE FROM orders");
        approved.add(FILE + ":" + at);
        run(assembler(StatementPolicy.HALT), b);
        assertThat(commits).hasSize(1);
        assertThat(counted).containsExactly("sales.orders");
    }

    @Test
    void snapshotEmitsATruncationAndQueuesASnapshotInTheSameCheckpoint() throws Exception {
        BinlogBytes b = binlog();
        long at = transaction(b, "INSERT INTO orders VALUES (1)", "DELETE FROM items");
        run(assembler(StatementPolicy.SNAPSHOT), b);
        assertThat(events)
                .extracting(e -> e.op() + " " + e.source().table())
                .containsExactly(Op.TRUNCATE + " orders", Op.TRUNCATE + " items");
        assertThat(events)
                .extracting(e -> e.source().pos())
                .containsOnly(at - 19 - BinlogBytes.query(5, "sales", "BEGIN", 0).length);
        assertThat(commits).hasSize(1);
        SnapshotProgress p = commits.get(0).snapshot();
        assertThat(p.jobs())
                .extracting(j -> j.run() + " " + j.table())
                .containsExactly(
                        "auto-" + FILE + "-" + at + " sales.orders",
                        "auto-" + FILE + "-"
                                + (at + 19 + BinlogBytes.query(5, "sales", "INSERT INTO orders VALUES (1)", 0).length)
                                + " sales.items");
    }

    @Test
    void partitionOperationsThatRemoveRowsHaltAndTruncatingAllGivesAT() throws Exception {
        BinlogBytes b = binlog();
        statement(b, "ALTER TABLE orders TRUNCATE PARTITION ALL");
        statement(
                b,
                "ALTER TABLE orders REORGANIZE PARTITION p2 INTO (PARTITION a VALUES LESS THAN (5),"
                        + " PARTITION b VALUES LESS THAN MAXVALUE)");
        long at = b.position();
        statement(b, "ALTER TABLE other.px EXCHANGE PARTITION p0 WITH TABLE sales.orders");
        Assembly a = assembler(StatementPolicy.HALT);
        assertThatThrownBy(() -> run(a, b))
                .hasMessageContaining("at " + FILE + ":" + at)
                .hasMessageContaining("EXCHANGE PARTITION p0 (with sales.orders)")
                .hasMessageContaining("the captured table sales.orders")
                .hasMessageNotContaining("binlog_format");
        assertThat(events).extracting(ChangeEvent::op).containsExactly(Op.TRUNCATE);
        assertThat(commits).hasSize(2);
    }

    @Test
    void aTableRenamedInFromOutsideTheCaptureBringsRowsWithoutEvents() throws Exception {
        BinlogBytes b = binlog();
        statement(b, "RENAME TABLE orders TO old_orders, sales.items TO sales.items2"); // captured to captured
        statement(b, "CREATE TEMPORARY TABLE scratch (id INT)");
        statement(b, "ALTER TABLE scratch RENAME TO sales.tmp"); // a temporary table stays one
        long at = b.position();
        statement(b, "RENAME TABLE other.orders_gho TO sales.orders");
        Assembly a = assembler(StatementPolicy.HALT);
        assertThatThrownBy(() -> run(a, b))
                .hasMessageContaining("at " + FILE + ":" + at)
                .hasMessageContaining("captured table sales.orders")
                .hasMessageContaining("renamed to a captured name");
        BinlogBytes alter = binlog();
        statement(alter, "ALTER TABLE other.x RENAME TO sales.x");
        assertThatThrownBy(() -> run(assembler(StatementPolicy.HALT), alter)).hasMessageContaining("sales.x");
    }

    @Test
    void createOrReplaceOfACapturedTableTruncatesItBeforeItsSchemaEvent() throws Exception {
        BinlogBytes b = binlog();
        statement(b, "CREATE OR REPLACE TABLE orders (id INT PRIMARY KEY)");
        statement(b, "CREATE OR REPLACE TEMPORARY TABLE items (id INT)");
        run(assembler(StatementPolicy.HALT), b);
        assertThat(events)
                .extracting(e -> e.op() + " " + e.source().table())
                .containsExactly(Op.TRUNCATE + " orders", Op.SCHEMA + " orders");
    }

    @Test
    void ddlReadsWithTheSqlModeItRanWith() throws Exception {
        BinlogBytes b = binlog();
        b.event(
                BinlogBytes.QUERY,
                1_764_000_000,
                BinlogBytes.query(
                        5, "other", "ALTER TABLE \"sales\".\"orders\" ADD COLUMN \"q col\" INT", SqlMode.ANSI_QUOTES));
        statement(b, "ALTER TABLE \"orders\" DROP COLUMN \"q col\""); // a string without the mode: no table
        run(assembler(StatementPolicy.HALT), b);
        assertThat(events)
                .extracting(
                        e -> e.op() + " " + e.source().db() + "." + e.source().table())
                .containsExactly(Op.SCHEMA + " sales.orders");
        assertThat(events.get(0).ddl()).contains("\"q col\"");
    }
}
