package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.mysql.decode.RowsDeserializers;
import io.sluice.mysql.schema.TableMapDefinitions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A restart with a prepared XA group held reads the binlog again from that group, and everything between it and the
 * checkpoint was emitted before. MySQL logs an {@code XA COMMIT ... ONE PHASE} as an XA group whose XA_PREPARE event
 * has the one-phase flag (MariaDB logs it as a plain transaction), on constructed event bytes here.
 */
class XaReplayTest {
    private static final UUID SERVER_UUID = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final int XA_PREPARE = 38;
    private static final int LONG = 3;

    /** The rows (their ids) and the last checkpoint of one assembler run. */
    private static final class Out implements Emitter {
        final List<Integer> ids = new ArrayList<>();
        Checkpoint last;

        @Override
        public void event(ChangeEvent e) {
            ids.add(((Number) e.after().get("id")).intValue());
        }

        @Override
        public void commit(Checkpoint cp) {
            last = cp;
        }
    }

    @Test
    void aOnePhaseXaGroupReadAgainBeforeTheCheckpointIsNotEmittedTwice() throws Exception {
        BinlogBytes b = new BinlogBytes(11, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate("binlog.000003", 4));
        xaGroup(b, 1, "h1", 1, false); // prepared, committed later: held across the restart
        xaGroup(b, 2, "o1", 2, true); // XA COMMIT ... ONE PHASE
        b.event(BinlogBytes.GTID, 1_764_000_000, BinlogBytes.mysqlGtid(SERVER_UUID, 3, 0))
                .event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "BEGIN"))
                .event(BinlogBytes.TABLE_MAP, 1_764_000_000, tableMap())
                .event(BinlogBytes.WRITE_ROWS_V2, 1_764_000_000, BinlogBytes.writeRowsV2(78, 1, row(3)))
                .event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(9));
        byte[] beforeRestart = b.bytes();
        b.event(BinlogBytes.GTID, 1_764_000_001, BinlogBytes.mysqlGtid(SERVER_UUID, 4, 0))
                .event(BinlogBytes.QUERY, 1_764_000_001, BinlogBytes.query("sales", "XA COMMIT X'6831',X'',1"));

        Out first = run(beforeRestart, null);
        assertThat(first.ids).containsExactly(2, 3);
        Checkpoint cp = first.last;
        assertThat(cp.heldXa()).hasSize(1);

        // the server sends from the held group's position on (after its fake ROTATE)
        Out second = run(b.bytes(), cp);
        assertThat(second.ids).as("rows emitted after the restart").containsExactly(1);
    }

    /** An XA group of MySQL: XA START, one row, XA END, XA_PREPARE (one-phase or not). */
    private static void xaGroup(BinlogBytes b, long gno, String gtrid, int id, boolean onePhase) {
        String xid = "X'" + java.util.HexFormat.of().formatHex(gtrid.getBytes(StandardCharsets.US_ASCII)) + "',X'',1";
        byte[] data = gtrid.getBytes(StandardCharsets.US_ASCII);
        b.event(BinlogBytes.GTID, 1_764_000_000, BinlogBytes.mysqlGtid(SERVER_UUID, gno, 0))
                .event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "XA START " + xid))
                .event(BinlogBytes.TABLE_MAP, 1_764_000_000, tableMap())
                .event(BinlogBytes.WRITE_ROWS_V2, 1_764_000_000, BinlogBytes.writeRowsV2(78, 1, row(id)))
                .event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "XA END " + xid))
                .event(
                        XA_PREPARE,
                        1_764_000_000,
                        new BinlogBytes.Buf()
                                .u8(onePhase ? 1 : 0)
                                .le(1, 4)
                                .le(data.length, 4)
                                .le(0, 4)
                                .raw(data)
                                .bytes());
    }

    private static byte[] tableMap() {
        return BinlogBytes.tableMap(78, "sales", "t", new int[] {LONG}, new int[][] {{}}, new String[] {"id"}, 0);
    }

    private static byte[] row(int id) {
        return new BinlogBytes.Buf().u8(0).le(id, 4).bytes();
    }

    /** Feeds the bytes to a new assembler resuming from {@code from}, skipping what lies before its read point. */
    private static Out run(byte[] binlog, Checkpoint from) throws Exception {
        Out out = new Out();
        TableFilter filter = new TableFilter(List.of("sales.*"), List.of());
        TransactionAssembler a = new TransactionAssembler(
                "src", filter, new TableMapDefinitions(null), out, from, Assembly.schema(filter, from));
        EventDeserializer d = RowsDeserializers.create();
        ByteArrayInputStream in = new ByteArrayInputStream(binlog);
        for (Event e = d.nextEvent(in); e != null; e = d.nextEvent(in)) {
            long pos = ((com.github.shyiko.mysql.binlog.event.EventHeaderV4) e.getHeader()).getPosition();
            if (from == null
                    || e.getHeader().getEventType() == com.github.shyiko.mysql.binlog.event.EventType.ROTATE
                    || pos >= from.readFrom().pos()) {
                a.handle(e);
            }
        }
        return out;
    }
}
