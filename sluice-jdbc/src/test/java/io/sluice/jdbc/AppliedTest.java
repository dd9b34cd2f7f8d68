package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.Op;
import io.sluice.core.sink.SinkMeters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppliedTest {
    private final List<String> reported = new ArrayList<>();
    private final SinkMeters meters = new SinkMeters() {
        @Override
        public void applied(String table, Op op, long rows) {
            reported.add(table + " " + op.code() + " " + rows);
        }
    };

    @Test
    void aCommitReportsTheSealedSourceTransactionsOnlyAndTheirNewestSourceTime() {
        Applied a = new Applied();
        a.add("s.t", Op.CREATE, 100);
        a.add("s.t", Op.CREATE, 120);
        a.add("s.u", Op.DELETE, 110);
        a.seal();
        a.add("s.t", Op.UPDATE, 200); // the open source transaction: not in a flush's commit

        assertThat(a.committed(meters, false)).isEqualTo(120);
        assertThat(reported).containsExactlyInAnyOrder("s.t c 2", "s.u d 1");

        reported.clear();
        assertThat(a.committed(meters, false)).as("nothing sealed since").isZero();
        assertThat(reported).isEmpty();

        assertThat(a.committed(meters, true))
                .as("a commit inside the open transaction")
                .isEqualTo(200);
        assertThat(reported).containsExactly("s.t u 1");
    }

    @Test
    void aRollbackForgetsEverythingHandedOver() {
        Applied a = new Applied();
        a.add("s.t", Op.CREATE, 100);
        a.seal();
        a.add("s.t", Op.CREATE, 100);
        a.clear();
        assertThat(a.committed(meters, true)).isZero();
        assertThat(reported).isEmpty();
    }
}
