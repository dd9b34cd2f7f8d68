package io.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resuming inside a whole-table read of a table without a key that a sink holds part of. */
class ResumeInsideTest {
    private static final String RUN = "snapshot:initial-20260101T000000Z:sales.notes";
    private static final SnapshotProgress JOB = new SnapshotProgress(
            List.of(new SnapshotProgress.Job("initial-20260101T000000Z", "sales.notes", null, null, 0, 0)));
    private static final Checkpoint BEFORE =
            new Checkpoint(new BinlogPosition("mysql-bin.000001", 400, null), List.of(), Map.of()).withSnapshot(JOB);

    private static final class Captured implements Emitter {
        final List<Object> out = new ArrayList<>();

        @Override
        public void event(ChangeEvent event) {
            out.add(event.id());
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            out.add(checkpoint);
        }
    }

    /** Row n of the read of sales.notes (no key): id {@code shop:<run>:#n}, {@code source.row} n. */
    private static ChangeEvent row(int n) {
        SourceInfo s = new SourceInfo("shop", 1, null, "mysql-bin.000001", 900, n, 0, "sales", "notes", true);
        return new ChangeEvent(
                "shop:" + RUN + ":#" + n,
                Op.READ,
                s,
                null,
                null,
                new Row(new String[] {"v"}, new Object[] {"row " + n}),
                1,
                null);
    }

    private static ChangeEvent change(String table, long pos) {
        SourceInfo s = new SourceInfo("shop", 1, null, "mysql-bin.000001", pos, 0, 0, "sales", table, false);
        return new ChangeEvent(
                "shop:mysql-bin.000001:" + pos + ":0",
                Op.CREATE,
                s,
                null,
                null,
                new Row(new String[] {"v"}, new Object[] {"new"}),
                1,
                null);
    }

    @Test
    void theRowsOfTheReadTheSinkHoldsAreDroppedAndTheMarkStaysUntilTheReadIsDone() throws Exception {
        Captured captured = new Captured();
        Checkpoint from = BEFORE.withPartial(new PartialTxn(RUN, 4));
        Emitter e = ResumeInside.wrap(captured, "shop", from);
        // another table's transaction before the read: its checkpoint keeps the mark
        e.event(change("orders", 500));
        Checkpoint afterOrders = new Checkpoint(new BinlogPosition("mysql-bin.000001", 600, null), List.of(), Map.of())
                .withSnapshot(JOB);
        e.commit(afterOrders);
        for (int n = 0; n < 10; n++) {
            e.event(row(n));
        }
        Checkpoint done = new Checkpoint(new BinlogPosition("mysql-bin.000001", 900, null), List.of(), Map.of());
        e.commit(done);

        assertThat(captured.out)
                .containsExactly(
                        "shop:mysql-bin.000001:500:0",
                        afterOrders.withPartial(new PartialTxn(RUN, 4)),
                        "shop:" + RUN + ":#4",
                        "shop:" + RUN + ":#5",
                        "shop:" + RUN + ":#6",
                        "shop:" + RUN + ":#7",
                        "shop:" + RUN + ":#8",
                        "shop:" + RUN + ":#9",
                        done);
        assertThat(((ResumeInside) e).changedBy()).isNull();
    }

    @Test
    void aChangeOfTheTableBeforeItIsReadAgainIsNoticed() throws Exception {
        Captured captured = new Captured();
        ResumeInside e = (ResumeInside) ResumeInside.wrap(captured, "shop", BEFORE.withPartial(new PartialTxn(RUN, 4)));
        e.event(change("notes", 500));
        e.event(change("notes_archive", 550));
        for (int n = 0; n < 6; n++) {
            e.event(row(n));
        }
        assertThat(e.changedBy()).isEqualTo("shop:mysql-bin.000001:500:0");
        assertThat(captured.out)
                .containsExactly(
                        "shop:mysql-bin.000001:500:0",
                        "shop:mysql-bin.000001:550:0",
                        "shop:" + RUN + ":#4",
                        "shop:" + RUN + ":#5");
    }
}
