package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import org.junit.jupiter.api.Test;

/**
 * Where transactions begin and end ({@link TransactionBoundaries}), on constructed binlog bytes: a transaction's rows
 * stream out as they are read and the checkpoint follows its end (XID, COMMIT, ROLLBACK, a standalone statement);
 * ids name the GTID or the first event's position; a server-written ROTATE and a file's opening events move an idle
 * source's checkpoint.
 */
class TransactionBoundariesTest {
    private static final String TXN = "src:" + TableBinlog.SERVER + ":";

    @Test
    void aTransactionsRowsStreamOutBeforeItsXidAndItsCheckpointFollowsTheXid() throws Exception {
        TableBinlog b = new TableBinlog().gtid(1).query("BEGIN").insert(1, 2).insert(3);
        long beforeXid = b.position();
        b.xid();
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c " + TXN + "1:0", "c " + TXN + "1:1", "c " + TXN + "1:2");
        assertThat(a.commits).hasSize(1);
        assertThat(a.last().position())
                .isEqualTo(new BinlogPosition(TableBinlog.FILE, b.position(), TableBinlog.SERVER + ":1"));

        Assembly open = new Assembly("shop.*").read(BinlogBytes.from(b.between(4, beforeXid), 4, TableBinlog.FILE, 4));
        assertThat(open.events).as("emitted before the transaction's end").hasSize(3);
        assertThat(open.commits).as("no checkpoint inside a transaction").isEmpty();
        ChangeEvent first = a.events.get(0);
        assertThat(first.source().gtid()).isEqualTo(TableBinlog.SERVER + ":1");
        assertThat(first.source().pos()).as("the transaction's first event").isEqualTo(4);
        assertThat(first.after().get("v")).isEqualTo(10);
    }

    @Test
    void aRollbackEndsTheTransactionItsNonTransactionalRowsStay() throws Exception {
        TableBinlog b = new TableBinlog()
                .gtid(1)
                .query("BEGIN")
                .insert(1)
                .query("ROLLBACK")
                .transaction(2, 2);
        long afterRollback = b.position();
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c " + TXN + "1:0", "c " + TXN + "2:0");
        assertThat(a.commits)
                .extracting(c -> c.position().gtids())
                .containsExactly(TableBinlog.SERVER + ":1", TableBinlog.SERVER + ":1-2");
        assertThat(a.last().position().pos()).isEqualTo(afterRollback);
    }

    @Test
    void anAnonymousTransactionIsNamedByTheFilePositionOfItsFirstEvent() throws Exception {
        TableBinlog b =
                new TableBinlog().anonymousGtid().query("BEGIN").insert(1).xid();
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c src:" + TableBinlog.FILE + ":4:0");
        assertThat(a.last().position().gtids()).isEmpty();
    }

    @Test
    void aMariaDbGtidStandsForBeginAndAStandaloneOneEndsWithItsStatement() throws Exception {
        TableBinlog b = new TableBinlog().mariaDbGtid(5, 0).insert(1, 2).xid();
        long afterXid = b.position();
        b.mariaDbGtid(6, BinlogBytes.FL_STANDALONE).query("ALTER TABLE t ADD COLUMN w INT");
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c src:0-1-5:0", "c src:0-1-5:1", "s src:0-1-6:0");
        assertThat(a.commits).extracting(c -> c.position().pos()).containsExactly(afterXid, b.position());
        assertThat(a.last().position().gtids()).isEqualTo("0-1-6");
    }

    @Test
    void ddlInsideATransactionIsPartOfItAsAnAtomicCreateTableSelectIs() throws Exception {
        TableBinlog b = new TableBinlog()
                .gtid(1)
                .query("CREATE TABLE t (id INT PRIMARY KEY, v INT) START TRANSACTION ENGINE=InnoDB")
                .insert(1, 2)
                .xid();
        long afterXid = b.position();
        b.gtid(2).query("BEGIN").query("ALTER TABLE t ADD COLUMN w INT").query("COMMIT");
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops())
                .containsExactly("s " + TXN + "1:0", "c " + TXN + "1:1", "c " + TXN + "1:2", "s " + TXN + "2:0");
        assertThat(a.events)
                .extracting(ChangeEvent::schema)
                .as("the rows adopt the version the DDL announced")
                .containsExactly(1, 1, 1, 2);
        assertThat(a.commits).extracting(c -> c.position().pos()).containsExactly(afterXid, b.position());
    }

    @Test
    void aServerWrittenRotateAndAFilesOpeningEventsMoveAnIdleSourcesCheckpoint() throws Exception {
        TableBinlog b = new TableBinlog().transaction(1, 1);
        long afterFirst = b.position();
        b.rotate("binlog.000002", true)
                .bytes
                .event(BinlogBytes.BINLOG_CHECKPOINT, 1_764_000_000, BinlogBytes.binlogCheckpoint("binlog.000002"));
        long afterOpening = b.position();
        b.transaction(2, 2);
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.commits)
                .extracting(Checkpoint::position)
                .extracting(BinlogPosition::file, BinlogPosition::pos)
                .as("the fake ROTATE at connect moves nothing")
                .containsExactly(
                        tuple(TableBinlog.FILE, afterFirst), tuple("binlog.000002", 4L),
                        tuple("binlog.000002", afterOpening), tuple("binlog.000002", b.position()));
        assertThat(a.events.get(1).source().file()).isEqualTo("binlog.000002");
    }
}
