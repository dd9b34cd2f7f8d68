package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events without a handler, on constructed bytes: an event type that may carry rows or DDL and that Sluice cannot
 * decode stops the pipeline, naming the type and position, before anything of its transaction is committed; the
 * known-harmless ones (and those the server marks ignorable) are passed over.
 */
class SkippedEventsTest {
    private static final String FILE = "binlog.000003";
    private static final int LONG = 3;

    /** A transaction of one row around an event of the given type; the position of that event. */
    private static long transactionAround(BinlogBytes b, int type, int flags) {
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate(FILE, 4))
                .event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "BEGIN"))
                .event(
                        BinlogBytes.TABLE_MAP,
                        1_764_000_000,
                        BinlogBytes.tableMap(
                                7, "sales", "t", new int[] {LONG}, new int[][] {{}}, new String[] {"id"}, 0));
        long at = b.position();
        b.event(type, 1_764_000_000, flags, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        b.event(
                        BinlogBytes.WRITE_ROWS_V2,
                        1_764_000_000,
                        BinlogBytes.writeRowsV2(
                                7, 1, new BinlogBytes.Buf().u8(0).le(1, 4).bytes()))
                .event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(1));
        return at;
    }

    @ParameterizedTest(name = "type {0}")
    // INCIDENT, PRE_GA_WRITE_ROWS, PARTIAL_UPDATE_ROWS, tagged GTID, MariaDB's next, unassigned (EXECUTE_LOAD_QUERY
    // is read as the statement it is: StatementChangesTest)
    @ValueSource(ints = {26, 20, 39, 42, 172, 250})
    void undecodableEventStopsWithItsTypeAndPosition(int type) {
        BinlogBytes b = new BinlogBytes(11, 4);
        long at = transactionAround(b, type, 0);
        Assembly a = new Assembly("sales.*");

        assertThatThrownBy(() -> a.read(b.bytes()))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageStartingWith("binlog event of type " + type)
                .hasMessageContaining(" at " + FILE + ":" + at + ": ")
                .hasMessageContaining("Sluice stops before it rather than skip it")
                .hasMessageContaining("start: snapshot");
        assertThat(a.commits).isEmpty();
    }

    @ParameterizedTest(name = "type {0}")
    // STOP, HEARTBEAT, IGNORABLE, TRANSACTION_CONTEXT, VIEW_CHANGE, BEGIN_LOAD_QUERY, HEARTBEAT_V2, START_ENCRYPTION
    @ValueSource(ints = {3, 27, 28, 36, 37, 17, 41, 164})
    void harmlessEventIsPassedOver(int type) throws Exception {
        BinlogBytes b = new BinlogBytes(11, 4);
        transactionAround(b, type, 0);

        Assembly a = new Assembly("sales.*").read(b.bytes());

        assertThat(a.events).hasSize(1);
        assertThat(a.commits).hasSize(1);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {42, 250})
    void unknownEventTheServerMarksIgnorableIsPassedOver(int type) throws Exception {
        BinlogBytes b = new BinlogBytes(11, 4);
        transactionAround(b, type, 0x80);

        Assembly a = new Assembly("sales.*").read(b.bytes());

        assertThat(a.events).hasSize(1);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {39, 250})
    void undecodableEventInsideACompressedTransactionPayloadStops(int type) throws Exception {
        BinlogBytes inner = new BinlogBytes(11, 0);
        inner.event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("sales", "BEGIN"))
                .event(type, 1_764_000_000, new byte[] {1, 2, 3})
                .event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(2));
        BinlogBytes b = new BinlogBytes(11, 4);
        b.event(BinlogBytes.ROTATE, 0, BinlogBytes.rotate(FILE, 4));
        long at = b.position();
        b.event(BinlogBytes.TRANSACTION_PAYLOAD, 1_764_000_000, BinlogBytes.payload(inner.bytes()));
        Assembly a = new Assembly("sales.*");

        assertThatThrownBy(() -> a.read(b.bytes()))
                .hasMessageStartingWith("binlog event of type " + type)
                .hasMessageContaining(" at " + FILE + ":" + at + ": ");
        assertThat(a.commits).isEmpty();
    }
}
