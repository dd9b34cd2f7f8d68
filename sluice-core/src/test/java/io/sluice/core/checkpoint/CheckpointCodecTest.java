package io.sluice.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    @Test
    void snapshotProgressRoundTrips() {
        SnapshotProgress progress = new SnapshotProgress(List.of(
                new SnapshotProgress.Job("run-1", "shop.orders", null, "{\"id\":42,\"b\":\"AP8=\"}", 4096, 1),
                new SnapshotProgress.Job("run-1", "shop.items", "price > 10", null, 0, 0)));
        Checkpoint cp = new Checkpoint(new BinlogPosition("mysql-bin.000003", 881, "0-1-5"),
                List.of(new HeldXa("'x'", new BinlogPosition("mysql-bin.000003", 400, null))),
                Map.of("shop.orders", new TableVersion(2, "abc")), progress);
        Checkpoint back = CheckpointCodec.fromJson(CheckpointCodec.toJson(cp));
        assertThat(back).isEqualTo(cp);
        assertThat(back.snapshot().jobs().get(0).lastKey()).isEqualTo("{\"id\":42,\"b\":\"AP8=\"}");
    }

    @Test
    void checkpointsWithoutASnapshotReadAndWriteAsBefore() throws Exception {
        JsonNode old = CheckpointCodec.mapper().readTree("{\"position\":{\"file\":\"mysql-bin.000001\",\"pos\":4,"
                + "\"gtids\":\"0-1-1\"},\"heldXa\":[],\"schemas\":{\"a.b\":{\"version\":1,\"fingerprint\":\"f\"}}}");
        Checkpoint cp = CheckpointCodec.fromJson(old);
        assertThat(cp.snapshot()).isNull();
        assertThat(cp).isEqualTo(new Checkpoint(new BinlogPosition("mysql-bin.000001", 4, "0-1-1"), List.of(),
                Map.of("a.b", new TableVersion(1, "f"))));
        assertThat(CheckpointCodec.toJson(cp).has("snapshot")).isFalse();
    }

    @Test
    void aPauseWithoutWorkIsKept() {
        Checkpoint cp = new Checkpoint(new BinlogPosition("f.000001", 4, null), null, null,
                new SnapshotProgress(List.of(), true));
        assertThat(CheckpointCodec.fromJson(CheckpointCodec.toJson(cp)).snapshot().paused()).isTrue();
    }

    @Test
    void anEmptyProgressIsNoSnapshot() {
        Checkpoint cp = new Checkpoint(new BinlogPosition("f.000001", 4, null), null, null,
                new SnapshotProgress(List.of()));
        assertThat(cp.snapshot()).isNull();
    }
}
