package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Rows events to change events ({@link RowMapping}), on constructed binlog bytes: inserts, updates and deletes with
 * their keys and images, a key change as a delete and an insert, tables not captured passed over, partial row
 * images refused; a huge
 * transaction streams out row by row, and a restart inside it (the sink holding part of it) passes on the rest only.
 */
class RowMappingTest {
    private static final String TXN = "src:" + TableBinlog.SERVER + ":";

    @Test
    void rowsBecomeCreatesUpdatesAndDeletesWithTheirKeysAndImages() throws Exception {
        TableBinlog b = new TableBinlog()
                .gtid(1)
                .query("BEGIN")
                .insert(1)
                .update(1, 10, 1, 11)
                .delete(1)
                .xid();
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.json())
                .extracting(
                        j -> j.get("op").asText() + " " + j.get("key") + " " + j.get("before") + " " + j.get("after"))
                .containsExactly(
                        "c {\"id\":1} null {\"id\":1,\"v\":10}",
                        "u {\"id\":1} {\"id\":1,\"v\":10} {\"id\":1,\"v\":11}",
                        "d {\"id\":1} {\"id\":1,\"v\":10} null");
        assertThat(a.events)
                .extracting(e -> e.source().table() + " " + e.schema())
                .containsOnly("t 1");
        // typed: every event gives its table's schema, and every row knows its columns (a sink needs nothing else)
        for (var e : a.events) {
            assertThat(e.table().qualifiedName() + " v" + e.table().version()).isEqualTo("shop.t v1");
            assertThat(e.table().names()).containsExactly("id", "v");
            for (var row : java.util.Arrays.asList(e.key(), e.before(), e.after())) {
                for (int i = 0; row != null && i < row.size(); i++) {
                    assertThat(row.column(i).name()).isEqualTo(row.name(i));
                }
            }
            assertThat(e.key().column(0)).isSameAs(e.table().keyColumns().get(0));
        }
    }

    @Test
    void anUpdateThatChangesTheKeyIsADeleteOfTheOldKeyAndAnInsertOfTheNew() throws Exception {
        TableBinlog b =
                new TableBinlog().gtid(1).query("BEGIN").update(1, 10, 2, 10).xid();
        Assembly a = new Assembly("shop.*").read(b.from(4));
        assertThat(a.ops()).containsExactly("d " + TXN + "1:0", "c " + TXN + "1:1");
        assertThat(a.events).extracting(e -> e.key().get("id")).containsExactly(1, 2);
    }

    @Test
    void aTableNotCapturedIsPassedOverAndPartialRowImagesStopTheStream() throws Exception {
        TableBinlog b = new TableBinlog().transaction(1, 1, 2);
        Assembly other = new Assembly("other.*").read(b.from(4));
        assertThat(other.events).isEmpty();
        assertThat(other.commits)
                .as("its transaction still moves the checkpoint")
                .hasSize(1);

        TableBinlog partial = new TableBinlog().gtid(1).query("BEGIN").tableMap();
        partial.bytes.event(
                BinlogBytes.WRITE_ROWS_V2,
                1_764_000_000,
                new BinlogBytes.Buf()
                        .le(TableBinlog.TABLE_ID, 6)
                        .le(0, 2)
                        .le(2, 2)
                        .packed(2)
                        .u8(0b01)
                        .u8(0)
                        .le(1, 4)
                        .bytes()); // the id column only
        assertThatThrownBy(() -> new Assembly("shop.*").read(partial.from(4)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("table shop.t was logged with partial rows (1 of 2 columns)");
    }

    /**
     * A transaction of 20,000 rows in 200 rows events: each row is passed on as its event is read, before the
     * transaction ends; after a restart whose checkpoint says the sink holds its first 12,345 events, the rest follow
     * with the same ids, and only then the checkpoint.
     */
    @Test
    void aHugeTransactionStreamsOutAndARestartInsideItPassesOnTheRestOnly() throws Exception {
        TableBinlog b = new TableBinlog().gtid(1).query("BEGIN");
        int rows = 0;
        for (int event = 0; event < 200; event++) {
            int first = rows;
            b.insert(IntStream.range(first, first + 100).toArray());
            rows += 100;
        }
        long beforeXid = b.position();
        b.xid();
        Assembly open = new Assembly("shop.*").read(BinlogBytes.from(b.between(4, beforeXid), 4, TableBinlog.FILE, 4));
        assertThat(open.events).as("every row passed on before the XID").hasSize(rows);
        assertThat(open.commits).isEmpty();

        Assembly whole = new Assembly("shop.*").read(b.from(4));
        Checkpoint before = new Checkpoint(
                        new io.sluice.core.checkpoint.BinlogPosition(TableBinlog.FILE, 4, null),
                        List.of(),
                        whole.last().schemas())
                .withPartial(new PartialTxn(TableBinlog.SERVER + ":1", 12_345));
        Assembly resumed = new Assembly(before, "shop.*").read(b.from(4));
        assertThat(resumed.events).hasSize(rows - 12_345);
        List<String> rest = new ArrayList<>(whole.ops().subList(12_345, rows));
        assertThat(resumed.ops()).as("the same ids as read straight through").isEqualTo(rest);
        assertThat(resumed.events.get(0).id()).isEqualTo(TXN + "1:12345");
        assertThat(resumed.commits).hasSize(1);
        assertThat(resumed.last().partial())
                .as("the transaction ended: no mark")
                .isNull();
        assertThat(resumed.last().position()).isEqualTo(whole.last().position());
    }
}
