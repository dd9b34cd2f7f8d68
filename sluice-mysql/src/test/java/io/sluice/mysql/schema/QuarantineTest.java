package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.state.StateStore;
import io.sluice.mysql.ddl.DdlParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine side log: only the quarantined table's events, each once across restarts, until approved; in the
 * state directory's files and, the same, in a store kept in memory.
 */
class QuarantineTest {
    @TempDir
    Path state;

    private final List<String> main = new ArrayList<>();
    private final List<Checkpoint> commits = new ArrayList<>();
    private final Emitter sink = new Emitter() {
        @Override
        public void event(ChangeEvent event) {
            main.add(event.id());
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            commits.add(checkpoint);
        }
    };

    private static final SchemaPolicy QUARANTINE =
            new SchemaPolicy(Compatibility.Mode.BACKWARD, SchemaPolicy.Action.QUARANTINE, null);

    private static SchemaTracker tracker(SchemaState s) {
        return new SchemaTracker("q", s.history(), s.approvals(), QUARANTINE, null, (db, t) -> true);
    }

    private static ChangeEvent event(String table, int n) {
        SourceInfo s = new SourceInfo("q", 1, null, "bin.000001", 100 + n, 0, 0, "shop", table, false);
        return new ChangeEvent("q:bin.000001:" + (100 + n) + ":0", Op.CREATE, s, null, null, null, 2, null);
    }

    private static Checkpoint cp(long pos) {
        return new Checkpoint(new BinlogPosition("bin.000001", pos, null), List.of(), Map.of());
    }

    @Test
    void aBreakingVersionQuarantinesItsTableUntilApproved() throws Exception {
        Path side = state.resolve("quarantine").resolve("shop.t.jsonl");
        quarantinesUntilApproved(
                () -> SchemaState.in(state), () -> Files.readAllLines(side).size());
    }

    @Test
    void theSchemaTrackingAndQuarantineRunOnAStoreInMemory() throws Exception {
        StateStore store = StateStore.inMemory();
        quarantinesUntilApproved(
                () -> SchemaState.of(store),
                () -> store.quarantine("shop.t").read().size());
        assertThat(store.schemaHistory().read()).hasSize(2);
        assertThat(state).isEmptyDirectory();
    }

    /** Runs the pipeline's schema side on the state {@code open} opens (again at each restart). */
    private void quarantinesUntilApproved(Supplier<SchemaState> open, Callable<Integer> sideRecords) throws Exception {
        SchemaState first = open.get();
        SchemaTracker t = tracker(first);
        t.statement(
                DdlParser.parse("CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL)", "shop"), "c", "bin.000001", 4);
        assertThat(t.quarantined("shop", "t")).isFalse();
        List<SchemaTracker.SchemaEvent> dropped =
                t.statement(DdlParser.parse("ALTER TABLE t DROP COLUMN a", "shop"), "a", "bin.000001", 50);
        assertThat(dropped).extracting(SchemaTracker.SchemaEvent::version).containsExactly(2);
        assertThat(dropped.get(0).change().breaking()).hasSize(1);
        assertThat(t.quarantined("shop", "t")).isTrue();

        Quarantine q = new Quarantine(sink, t, first.store());
        q.event(event("t", 1));
        q.event(event("other", 2));
        q.event(event("t", 3));
        q.commit(cp(200));
        q.close();
        assertThat(main).containsExactly("q:bin.000001:102:0");
        assertThat(sideRecords.call()).isEqualTo(2);

        // a restart from an older checkpoint reads the same events again: the side file does not repeat them
        SchemaState restarted = open.get();
        SchemaTracker again = tracker(restarted);
        again.start(
                Map.of("shop.t", new io.sluice.core.checkpoint.TableVersion(2, "x")),
                new BinlogPosition("bin.000001", 100, null));
        assertThat(again.quarantined("shop", "t"))
                .as("from the history, after a restart")
                .isTrue();
        Quarantine q2 = new Quarantine(sink, again, restarted.store());
        q2.event(event("t", 1));
        q2.event(event("t", 3));
        q2.event(event("t", 4));
        q2.commit(cp(300));
        assertThat(sideRecords.call()).isEqualTo(3);

        // approved while running (by another writer): the next transaction's events go to the sink again
        open.get().approvals().add(new Approvals.Approval("shop.t", 2, null, "test"));
        q2.event(event("t", 5));
        q2.commit(cp(400));
        q2.event(event("t", 6));
        q2.commit(cp(500));
        q2.close();
        assertThat(sideRecords.call()).isEqualTo(4);
        assertThat(main).containsExactly("q:bin.000001:102:0", "q:bin.000001:106:0");
        assertThat(commits).hasSize(4);
    }
}
