package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.HeldXa;
import org.junit.jupiter.api.Test;

/**
 * Prepared XA groups ({@link XaHolding}), on constructed MySQL binlog bytes: held from their XA_PREPARE, listed in
 * every checkpoint meanwhile, emitted at XA COMMIT with the ids of the PREPARE group, dropped at XA ROLLBACK; a
 * one-phase commit emits at once; a restart reads a held group again and emits it at its commit.
 */
class XaHoldingTest {
    private static final String TXN = "src:" + TableBinlog.SERVER + ":";

    @Test
    void aPreparedGroupIsHeldUntilItsCommitAndEmittedWithItsOwnIds() throws Exception {
        TableBinlog b = new TableBinlog().prepared(1, "x1", false, 1, 2);
        long afterPrepare = b.position();
        b.transaction(2, 3).gtid(3).query("XA COMMIT " + BinlogBytes.xid("x1"));
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c " + TXN + "2:0", "c " + TXN + "1:0", "c " + TXN + "1:1");
        HeldXa held = new HeldXa(Xid.normalize(BinlogBytes.xid("x1")), new BinlogPosition(TableBinlog.FILE, 4, null));
        assertThat(a.commits.get(0).position().pos()).isEqualTo(afterPrepare);
        assertThat(a.commits.get(0).heldXa()).as("after its PREPARE").containsExactly(held);
        assertThat(a.commits.get(1).heldXa())
                .as("after a transaction while held")
                .containsExactly(held);
        assertThat(a.commits.get(1).readFrom())
                .as("a restart reads the group again")
                .isEqualTo(held.at());
        assertThat(a.last().heldXa()).as("after its commit").isEmpty();
        assertThat(a.last().position().gtids()).isEqualTo(TableBinlog.SERVER + ":1-3");
    }

    @Test
    void aRolledBackGroupEmitsNothing() throws Exception {
        TableBinlog b = new TableBinlog()
                .prepared(1, "x1", false, 1, 2)
                .gtid(2)
                .query("XA ROLLBACK " + BinlogBytes.xid("x1"))
                .transaction(3, 3);
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c " + TXN + "3:0");
        assertThat(a.commits).extracting(c -> c.heldXa().size()).containsExactly(1, 0, 0);
    }

    @Test
    void aOnePhaseCommitEmitsAtOnce() throws Exception {
        TableBinlog b = new TableBinlog().prepared(1, "x1", true, 1, 2);
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("c " + TXN + "1:0", "c " + TXN + "1:1");
        assertThat(a.last().heldXa()).isEmpty();
        assertThat(a.last().position().pos()).isEqualTo(b.position());
    }

    @Test
    void aRestartReadsTheHeldGroupAgainAndEmitsItAtItsCommitOnly() throws Exception {
        TableBinlog b = new TableBinlog().prepared(1, "x1", false, 1, 2).transaction(2, 3);
        Assembly before = new Assembly("shop.*").read(b.from(4));
        b.gtid(3).query("XA COMMIT " + BinlogBytes.xid("x1")).transaction(4, 4);
        // the server sends from the held group's position on
        Assembly after = new Assembly(before.last(), "shop.*")
                .read(b.from(before.last().readFrom().pos()));
        assertThat(after.ops())
                .as("the transaction between was emitted before the restart")
                .containsExactly("c " + TXN + "1:0", "c " + TXN + "1:1", "c " + TXN + "4:0");
        assertThat(after.commits)
                .extracting(c -> c.heldXa().size())
                .as("no checkpoint while reading again")
                .containsExactly(0, 0);
    }
}
