package io.sluice.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {
    private static final Checkpoint BASE = new Checkpoint(
            new BinlogPosition("mysql-bin.000003", 88231, "0-1-4711"),
            List.of(new HeldXa("'x1'", new BinlogPosition("mysql-bin.000003", 1200, null))),
            Map.of("sales.orders", new TableVersion(3, "abc")));

    @Test
    void roundTripsAPartialTransaction() throws Exception {
        Checkpoint cp = BASE.withPartial(new PartialTxn("0-1-4712", 10_000));
        ObjectNode json = CheckpointCodec.toJson(cp);
        assertThat(json.get("partial").get("txn").asText()).isEqualTo("0-1-4712");
        assertThat(json.get("partial").get("rows").asInt()).isEqualTo(10_000);
        Checkpoint back = CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(CheckpointCodec.toBytes(json)));
        assertThat(back).isEqualTo(cp);
        assertThat(back.partial()).isEqualTo(new PartialTxn("0-1-4712", 10_000));
    }

    @Test
    void aCheckpointWithoutPartialHasNoSuchField() {
        ObjectNode json = CheckpointCodec.toJson(BASE);
        assertThat(json.has("partial")).isFalse();
        assertThat(CheckpointCodec.fromJson(json)).isEqualTo(BASE);
        assertThat(BASE.withPartial(new PartialTxn("t", 1)).withPartial(null)).isEqualTo(BASE);
    }

    @Test
    void readsACheckpointWrittenBeforePartialExisted() throws Exception {
        String old = """
                {"heldXa":[],"position":{"file":"mariadb-bin.000001","gtids":"0-1-5","pos":1234},
                 "schemas":{"db.t":{"fingerprint":"f","version":2}}}""";
        Checkpoint cp = CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(old));
        assertThat(cp.partial()).isNull();
        assertThat(cp.position()).isEqualTo(new BinlogPosition("mariadb-bin.000001", 1234, "0-1-5"));
        assertThat(cp.schemas()).containsEntry("db.t", new TableVersion(2, "f"));
    }

    @Test
    void roundTripsTheServerTheCheckpointWasTakenOn() {
        Checkpoint maria = new Checkpoint(
                BASE.position(), BASE.heldXa(), BASE.schemas(), null, null, new ServerIdentity(31, null));
        ObjectNode json = CheckpointCodec.toJson(maria);
        assertThat(json.get("server").get("serverId").asLong()).isEqualTo(31);
        assertThat(json.get("server").has("uuid")).isFalse();
        assertThat(CheckpointCodec.fromJson(json)).isEqualTo(maria);
        Checkpoint mysql = new Checkpoint(
                BASE.position(),
                BASE.heldXa(),
                BASE.schemas(),
                null,
                null,
                new ServerIdentity(1, "3e11fa47-71ca-11e1-9e33-c80aa9429562"));
        Checkpoint back = CheckpointCodec.fromJson(CheckpointCodec.toJson(mysql));
        assertThat(back).isEqualTo(mysql);
        assertThat(back.withPartial(new PartialTxn("t", 1)).withSnapshot(null).server())
                .isEqualTo(mysql.server());
    }

    @Test
    void readsACheckpointWrittenBeforeTheServerAndTheHeldGroupsGtidsWereRecorded() throws Exception {
        String old = """
                {"heldXa":[{"at":{"file":"mysql-bin.000002","pos":700},"xid":"1:7831:"}],
                 "position":{"file":"mysql-bin.000002","gtids":"0-1-9","pos":1234},"schemas":{}}""";
        Checkpoint cp = CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(old));
        assertThat(cp.server()).isNull();
        assertThat(cp.heldXa())
                .containsExactly(new HeldXa("1:7831:", new BinlogPosition("mysql-bin.000002", 700, null)));
        assertThat(CheckpointCodec.toJson(cp).has("server")).isFalse();
    }

    @Test
    void serversAreTheSameByUuidWhereBothHaveOneElseByServerId() {
        ServerIdentity a = new ServerIdentity(1, "3e11fa47-71ca-11e1-9e33-c80aa9429562");
        assertThat(a.sameAs(new ServerIdentity(2, "3E11FA47-71CA-11E1-9E33-C80AA9429562")))
                .isTrue();
        assertThat(a.sameAs(new ServerIdentity(1, "4e11fa47-71ca-11e1-9e33-c80aa9429562")))
                .isFalse();
        assertThat(new ServerIdentity(31, null).sameAs(new ServerIdentity(31, null)))
                .isTrue();
        assertThat(new ServerIdentity(31, null).sameAs(new ServerIdentity(32, null)))
                .isFalse();
        assertThat(new ServerIdentity(31, null)).hasToString("server_id 31");
    }

    @Test
    void txnOfAnEventId() {
        assertThat(PartialTxn.txnOf("shop", "shop:0-1-4711:3")).isEqualTo("0-1-4711");
        assertThat(PartialTxn.txnOf("shop", "shop:mysql-bin.000003:88231:12")).isEqualTo("mysql-bin.000003:88231");
        assertThat(PartialTxn.txnOf("a:b", "a:b:3E11FA47-71CA-11E1-9E33-C80AA9429562:23:0"))
                .isEqualTo("3E11FA47-71CA-11E1-9E33-C80AA9429562:23");
        assertThatThrownBy(() -> PartialTxn.txnOf("shop", "other:1:2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartialTxn("t", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotProgressRoundTrips() {
        SnapshotProgress progress = new SnapshotProgress(List.of(
                new SnapshotProgress.Job("run-1", "shop.orders", null, "{\"id\":42,\"b\":\"AP8=\"}", 4096, 1),
                new SnapshotProgress.Job("run-1", "shop.items", "price > 10", null, 0, 0)));
        Checkpoint cp = new Checkpoint(
                        new BinlogPosition("mysql-bin.000003", 881, "0-1-5"),
                        List.of(new HeldXa("'x'", new BinlogPosition("mysql-bin.000003", 400, null))),
                        Map.of("shop.orders", new TableVersion(2, "abc")))
                .withSnapshot(progress);
        Checkpoint back = CheckpointCodec.fromJson(CheckpointCodec.toJson(cp));
        assertThat(back).isEqualTo(cp);
        assertThat(back.snapshot().jobs().get(0).lastKey()).isEqualTo("{\"id\":42,\"b\":\"AP8=\"}");
    }

    @Test
    void checkpointsWithoutASnapshotReadAndWriteAsBefore() throws Exception {
        JsonNode old = CheckpointCodec.mapper()
                .readTree(
                        "{\"position\":{\"file\":\"mysql-bin.000001\",\"pos\":4,"
                                + "\"gtids\":\"0-1-1\"},\"heldXa\":[],\"schemas\":{\"a.b\":{\"version\":1,\"fingerprint\":\"f\"}}}");
        Checkpoint cp = CheckpointCodec.fromJson(old);
        assertThat(cp.snapshot()).isNull();
        assertThat(cp)
                .isEqualTo(new Checkpoint(
                        new BinlogPosition("mysql-bin.000001", 4, "0-1-1"),
                        List.of(),
                        Map.of("a.b", new TableVersion(1, "f"))));
        assertThat(CheckpointCodec.toJson(cp).has("snapshot")).isFalse();
    }

    @Test
    void aPauseWithoutWorkIsKept() {
        Checkpoint cp = new Checkpoint(
                new BinlogPosition("f.000001", 4, null), null, null, null, new SnapshotProgress(List.of(), true));
        assertThat(CheckpointCodec.fromJson(CheckpointCodec.toJson(cp))
                        .snapshot()
                        .paused())
                .isTrue();
    }

    @Test
    void anEmptyProgressIsNoSnapshot() {
        Checkpoint cp = new Checkpoint(
                new BinlogPosition("f.000001", 4, null), null, null, null, new SnapshotProgress(List.of()));
        assertThat(cp.snapshot()).isNull();
    }
}
