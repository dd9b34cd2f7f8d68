package io.sluice.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RuleVersionsTest {
    static final String V1 = """
            rules:
              - name: tag
                match: {tables: ["sales.customers"]}
                set: {tag: "'one'"}
            """;
    static final String V2 = V1.replace("'one'", "'two'");

    private final RuleVersions versions = new RuleVersions(StateStore.inMemory().ruleVersions());
    private final Instant t = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void deployRecordsNumberedVersionsAndRollbackIsANewVersion() {
        assertThat(versions.deploy(V1, "a.yaml", "first", t))
                .map(RuleVersions.Version::number)
                .contains(1);
        assertThat(versions.deploy(V1, "a.yaml", "again", t)).isEmpty(); // the same text: nothing to deploy
        assertThat(versions.deploy(V2, "b.yaml", "second", t))
                .map(RuleVersions.Version::number)
                .contains(2);
        RuleVersions.Version back = versions.rollback(1, null, t);
        assertThat(back.number()).isEqualTo(3);
        assertThat(back.text()).isEqualTo(V1);
        assertThat(back.message()).isEqualTo("rollback to version 1");
        assertThat(versions.list())
                .extracting(RuleVersions.Version::message)
                .containsExactly("first", "second", "rollback to version 1");
        assertThatThrownBy(() -> versions.get(9)).hasMessageContaining("no rule version 9; there are 1 to 3");
        assertThatThrownBy(() -> versions.deploy("rules: [{name: x}]", "bad.yaml", "", t))
                .hasMessageContaining("bad.yaml");
        assertThat(versions.list()).hasSize(3);
    }

    @Test
    void aRunningStageSwitchesAtATransactionBoundaryNeverInside() throws Exception {
        versions.deploy(V1, "a.yaml", "first", t);
        AtomicLong now = new AtomicLong();
        RulesStage stage = RulesStage.versioned(versions, k -> null, now::get);
        List<Object> out = new ArrayList<>();
        Emitter e = stage.around(new Emitter() {
            @Override
            public void event(ChangeEvent event) {
                out.add(event.shaping().version() + ":" + event.after().get("tag"));
            }

            @Override
            public void commit(Checkpoint checkpoint) {
                out.add("commit");
            }
        });
        Checkpoint cp = new Checkpoint(new BinlogPosition("bin.000001", 4, null), List.of(), Map.of());
        e.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 1, "a", "b", "c", "d", "e"));
        versions.deploy(V2, "b.yaml", "second", t); // deployed in the middle of a transaction
        now.addAndGet(1_000_000_000L);
        e.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 2, "a", "b", "c", "d", "e"));
        e.commit(cp);
        e.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 3, "a", "b", "c", "d", "e"));
        e.commit(cp);
        assertThat(out).containsExactly("1:one", "1:one", "commit", "2:two", "commit");
        assertThat(stage.rules().version()).isEqualTo(2);
    }

    @Test
    void theCheckpointNamesTheVersionInEffectAndARestartResumesWithIt() throws Exception {
        versions.deploy(V1, "a.yaml", "first", t);
        AtomicLong now = new AtomicLong();
        RulesStage stage = RulesStage.versioned(versions, k -> null, now::get);
        List<Object> out = new ArrayList<>();
        List<Checkpoint> committed = new ArrayList<>();
        Emitter sink = new Emitter() {
            @Override
            public void event(ChangeEvent event) {
                out.add(event.shaping().version() + ":" + event.after().get("tag"));
            }

            @Override
            public void commit(Checkpoint checkpoint) {
                committed.add(checkpoint);
                out.add("commit");
            }
        };
        Checkpoint start = new Checkpoint(new BinlogPosition("bin.000001", 4, null), List.of(), Map.of());
        Emitter e = stage.around(sink, start); // a first start: no version recorded, the newest runs
        e.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 1, "a", "b", "c", "d", "e"));
        e.commit(start);
        assertThat(committed.get(0).rules()).isEqualTo(1);

        versions.deploy(V2, "b.yaml", "second", t);
        now.addAndGet(1_000_000_000L);
        e.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 2, "a", "b", "c", "d", "e"));
        e.commit(start); // the boundary: v2 from here on, and the checkpoint says so
        assertThat(committed.get(1).rules()).isEqualTo(2);
        // the JSON form keeps it; an old checkpoint without it reads as none recorded
        Checkpoint read = CheckpointCodec.fromJson(CheckpointCodec.toJson(committed.get(1)));
        assertThat(read.rules()).isEqualTo(2);
        assertThat(CheckpointCodec.toJson(start).has("rules")).isFalse();
        assertThat(CheckpointCodec.fromJson(CheckpointCodec.toJson(start)).rules())
                .isNull();

        // a crash after the checkpoint that recorded v1, with v2 deployed since: the re-read transaction is shaped by
        // v1 as before, v2 takes over only at the next boundary
        out.clear();
        RulesStage restarted = RulesStage.versioned(versions, k -> null, now::get);
        Emitter r = restarted.around(sink, committed.get(0));
        assertThat(restarted.rules().version()).isEqualTo(1);
        r.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 2, "a", "b", "c", "d", "e"));
        now.addAndGet(1_000_000_000L);
        r.commit(start);
        r.event(RulesStageTest.insert(RulesStageTest.CUSTOMERS, 3, "a", "b", "c", "d", "e"));
        assertThat(out).containsExactly("1:one", "commit", "2:two");
        assertThat(committed.get(2).rules()).isEqualTo(2);

        // a checkpoint naming a version the state store lacks is refused with the fix
        Checkpoint lost = start.withRules(7);
        assertThatThrownBy(() ->
                        RulesStage.versioned(versions, k -> null, now::get).around(sink, lost))
                .hasMessageContaining("the checkpoint says rule version 7 was in effect")
                .hasMessageContaining("sluice position set");
    }
}
