package io.sluice.mysql.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.Row;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePlanTest {

    @Test
    void keyJsonIsTheCodecsCompactJson() {
        List<Row> keys = List.of(
                new Row(new String[] {"id"}, new Object[] {42L}),
                new Row(new String[] {"id"}, new Object[] {-7}),
                new Row(new String[] {"a", "b_2"}, new Object[] {1, Long.MIN_VALUE}),
                new Row(new String[] {"id"}, new Object[] {new BigInteger("18446744073709551615")}),
                new Row(new String[] {"a", "s"}, new Object[] {1L, "x\"y"}),
                new Row(new String[] {"a", "s"}, new Object[] {1L, AsciiText.ofSafe("abc")}),
                new Row(new String[] {"na\"me"}, new Object[] {3L}),
                new Row(new String[] {"b"}, new Object[] {io.sluice.core.value.Bytes.of(new byte[] {0, 1, 2})}),
                new Row(new String[] {"é"}, new Object[] {5L}));
        for (Row k : keys) {
            assertThat(TablePlan.keyJson(k)).as(k.toString()).isEqualTo(EventCodec.compact(k));
        }
        assertThat(TablePlan.keyJson(keys.get(2))).isEqualTo("{\"a\":1,\"b_2\":-9223372036854775808}");
    }

    @Test
    void signalTableNamesAreCheckedAndMatched() {
        SnapshotConfig c = new SnapshotConfig("ops.signals", 10);
        assertThat(c.isSignal("ops", "signals")).isTrue();
        assertThat(c.isSignal("OPS", "signals")).isTrue();
        assertThat(c.isSignal("ops", "other")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnapshotConfig("nodot", 10))
                .hasMessageContaining("db.table");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnapshotConfig("a.b", 0))
                .hasMessageContaining("at least 1");
    }

    @Test
    void chunksAdaptToTheRowWidth() {
        Row narrow = new Row(new String[] {"id"}, new Object[] {1L});
        Row wide = new Row(new String[] {"b"}, new Object[] {io.sluice.core.value.Bytes.of(new byte[2 << 20])});
        assertThat(nextLimit(List.of(narrow, narrow), 4096, 8L << 20)).isEqualTo(4096);
        assertThat(nextLimit(List.of(wide), 4096, 8L << 20)).isEqualTo(2);
        assertThat(nextLimit(List.of(wide, wide, wide, wide), 4096, 8L << 20)).isEqualTo(2);
        Row huge = new Row(new String[] {"b"}, new Object[] {io.sluice.core.value.Bytes.of(new byte[16 << 20])});
        assertThat(nextLimit(List.of(huge), 4096, 8L << 20)).isEqualTo(1);
        assertThat(nextLimit(List.of(), 4096, 8L << 20)).isEqualTo(4096);
        // sysbench-shaped rows (~230 rendered bytes): the default 8 MiB budget holds about 36,000 of them
        Row sysbench = new Row(
                new String[] {"id", "k", "c", "pad"}, new Object[] {1L, 499_123L, "1".repeat(120), "2".repeat(60)});
        assertThat(nextLimit(List.of(sysbench), SnapshotConfig.DEFAULT_CHUNK_SIZE, SnapshotConfig.DEFAULT_CHUNK_BYTES))
                .isEqualTo((int) ((8L << 20) / io.sluice.core.encode.EventCodec.renderRow(sysbench).length));
        Row tiny = new Row(new String[] {"id"}, new Object[] {1L}); // {"id":1}: capped at 65,536 rows
        assertThat(nextLimit(List.of(tiny), SnapshotConfig.DEFAULT_CHUNK_SIZE, SnapshotConfig.DEFAULT_CHUNK_BYTES))
                .isEqualTo(SnapshotConfig.DEFAULT_CHUNK_SIZE);
        Row kilobyte = new Row(new String[] {"t"}, new Object[] {"x".repeat(1016)}); // {"t":"..."}: 1,024 B
        assertThat(nextLimit(List.of(kilobyte), SnapshotConfig.DEFAULT_CHUNK_SIZE, SnapshotConfig.DEFAULT_CHUNK_BYTES))
                .isEqualTo(8192);
    }

    /** The next chunk's limit after reading these rows, their rendered bytes as the snapshot counts them. */
    private static int nextLimit(List<Row> rows, int max, long budget) {
        long bytes = 0;
        for (Row r : rows) {
            bytes += io.sluice.core.encode.EventCodec.renderRow(r).length;
        }
        return SnapshotCoordinator.nextLimit(rows.size(), bytes, max, budget);
    }
}
