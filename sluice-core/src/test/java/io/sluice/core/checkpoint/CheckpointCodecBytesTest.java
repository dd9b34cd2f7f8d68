package io.sluice.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CheckpointCodec#toJson} builds the document by hand; the reflective mapper (what wrote checkpoints before)
 * is the oracle: both forms, pretty and compact, must be byte for byte the same, and read back to the checkpoint.
 */
class CheckpointCodecBytesTest {

    @Test
    void handBuiltDocumentIsByteForByteTheMappersOne() throws Exception {
        for (Checkpoint cp : variedCheckpoints()) {
            byte[] reflective =
                    CheckpointCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(cp);
            byte[] built = CheckpointCodec.toBytes(CheckpointCodec.toJson(cp));
            assertThat(new String(built, "UTF-8")).isEqualTo(new String(reflective, "UTF-8"));
            assertThat(CheckpointCodec.mapper().writeValueAsBytes(CheckpointCodec.toJson(cp)))
                    .isEqualTo(CheckpointCodec.mapper().writeValueAsBytes(cp));
            assertThat(CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(built)))
                    .isEqualTo(cp);
        }
    }

    private static List<Checkpoint> variedCheckpoints() {
        BinlogPosition plain = new BinlogPosition("mysql-bin.000003", 88231, null);
        BinlogPosition gtid = new BinlogPosition("mariadb-bin.000012", 4, "0-1-4711,1-2-9");
        Map<String, TableVersion> schemas = new LinkedHashMap<>();
        schemas.put("z.last", new TableVersion(7, "ff00"));
        schemas.put("a.first", new TableVersion(1, TableVersion.PENDING, true));
        schemas.put("m.gone", new TableVersion(3, TableVersion.GONE));
        schemas.put("q.\"odd\\name\u00e9", new TableVersion(2, "x\ny"));
        List<HeldXa> held = List.of(
                new HeldXa("'x1'", new BinlogPosition("mysql-bin.000003", 1200, null)),
                new HeldXa("X'0a0b',X'',1", new BinlogPosition("mysql-bin.000002", 77, "0-1-3")));
        SnapshotProgress progress = new SnapshotProgress(List.of(
                new SnapshotProgress.Job("r1", "shop.orders", null, null, 0, 0),
                new SnapshotProgress.Job("r1", "shop.items", "id > 5", "{\"id\":42,\"b\":\"AP8=\"}", 4096, 3),
                new SnapshotProgress.Job(
                        "r2", "shop.big", "note <> 'a\"b'", "{\"k\":-9223372036854775808}", Long.MAX_VALUE, 1L << 40)));
        List<Checkpoint> out = new ArrayList<>();
        out.add(new Checkpoint(plain, null, null));
        out.add(new Checkpoint(gtid, held, schemas));
        out.add(new Checkpoint(gtid, held, schemas).withPartial(new PartialTxn("0-1-4712", 10_000)));
        out.add(new Checkpoint(plain, List.of(), schemas, null, progress));
        out.add(new Checkpoint(plain, null, null, null, new SnapshotProgress(List.of(), true)));
        out.add(new Checkpoint(
                        plain,
                        null,
                        null,
                        null,
                        progress.withJobs(progress.jobs().subList(1, 2)))
                .withSnapshot(new SnapshotProgress(progress.jobs(), true)));
        out.add(new Checkpoint(gtid, held, schemas, null, null, new ServerIdentity(31, null)));
        out.add(new Checkpoint(
                gtid,
                held,
                schemas,
                new PartialTxn("t", 1),
                progress,
                new ServerIdentity(4294967295L, "3E11FA47-71CA-11E1-9E33-C80AA9429562"),
                12));
        out.add(new Checkpoint(plain, null, schemas).withRules(0));
        out.add(new Checkpoint(plain, held, null).withRules(Integer.MAX_VALUE));
        return out;
    }
}
