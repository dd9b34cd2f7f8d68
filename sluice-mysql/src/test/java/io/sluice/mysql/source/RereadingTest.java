package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;

/**
 * What a restart reads again ({@link Rereading}), on constructed binlog bytes: resumed by GTID on another server,
 * the transactions inside the checkpoint's set are skipped, and a binlog that does not continue right after that set
 * stops the stream before anything of it is emitted.
 */
class RereadingTest {
    private static final String TXN = "src:" + TableBinlog.SERVER + ":";

    @Test
    void resumedByGtidTheCheckpointsTransactionsAreSkippedAndAGapStops() throws Exception {
        TableBinlog first = new TableBinlog().transaction(1, 1).transaction(2, 2);
        Checkpoint cp = new Assembly("shop.*").read(first.from(4)).last();
        assertThat(cp.position().gtids()).isEqualTo(TableBinlog.SERVER + ":1-2");

        Assembly continued = new Assembly(cp, "shop.*");
        continued.assembler().resumeAfter(cp.position().gtids(), cp.position().gtids());
        continued.read(new TableBinlog().transaction(3, 3).from(4));
        assertThat(continued.ops()).containsExactly("c " + TXN + "3:0");

        Assembly gap = new Assembly(cp, "shop.*");
        gap.assembler().resumeAfter(cp.position().gtids(), cp.position().gtids());
        assertThatThrownBy(() -> gap.read(new TableBinlog().transaction(4, 4).from(4)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining(TableBinlog.SERVER + ":3 are missing");
        assertThat(gap.events).isEmpty();
    }
}
