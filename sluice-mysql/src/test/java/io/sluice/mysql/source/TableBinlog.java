package io.sluice.mysql.source;

import java.util.UUID;

/**
 * Binlog bytes of transactions on one captured table, {@code shop.t (id INT PRIMARY KEY, v INT)} (table id 100),
 * as a MySQL 8 server writes them ({@link BinlogBytes}): a row is its {@code id} and {@code v = 10 * id} unless
 * given. Positions start at 4 of {@value #FILE}.
 */
final class TableBinlog {
    static final String FILE = "binlog.000001";
    static final UUID SERVER = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    static final long TABLE_ID = 100;
    private static final int LONG = 3;
    private static final long TS = 1_764_000_000;

    final BinlogBytes bytes = new BinlogBytes(1, 4);

    /** The position the next event is written at. */
    long position() {
        return bytes.position();
    }

    /** A ROTATE to {@code file}: written by the server (at a file's end) or faked by it at connect. */
    TableBinlog rotate(String file, boolean serverWritten) {
        bytes.event(BinlogBytes.ROTATE, serverWritten ? TS : 0, BinlogBytes.rotate(file, 4));
        return this;
    }

    /** MySQL's GTID event {@code SERVER:gno}. */
    TableBinlog gtid(long gno) {
        bytes.event(BinlogBytes.GTID, TS, BinlogBytes.mysqlGtid(SERVER, gno, 0));
        return this;
    }

    TableBinlog anonymousGtid() {
        bytes.event(BinlogBytes.ANONYMOUS_GTID, TS, BinlogBytes.mysqlGtid(new UUID(0, 0), 0, 0));
        return this;
    }

    TableBinlog mariaDbGtid(long sequence, int flags) {
        bytes.event(BinlogBytes.MARIADB_GTID, TS, BinlogBytes.mariaDbGtid(sequence, 0, flags));
        return this;
    }

    TableBinlog query(String sql) {
        bytes.event(BinlogBytes.QUERY, TS, BinlogBytes.query("shop", sql));
        return this;
    }

    TableBinlog tableMap() {
        bytes.event(
                BinlogBytes.TABLE_MAP,
                TS,
                BinlogBytes.tableMap(
                        TABLE_ID,
                        "shop",
                        "t",
                        new int[] {LONG, LONG},
                        new int[][] {{}, {}},
                        new String[] {"id", "v"},
                        0));
        return this;
    }

    /** The table's TABLE_MAP and one WRITE_ROWS event of rows with these ids. */
    TableBinlog insert(int... ids) {
        byte[][] rows = new byte[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = row(ids[i], 10 * ids[i]);
        }
        tableMap();
        bytes.event(BinlogBytes.WRITE_ROWS_V2, TS, BinlogBytes.writeRowsV2(TABLE_ID, 2, rows));
        return this;
    }

    /** The table's TABLE_MAP and an UPDATE_ROWS event of one row, its key and value changed as given. */
    TableBinlog update(int id, int v, int newId, int newV) {
        tableMap();
        bytes.event(
                BinlogBytes.UPDATE_ROWS_V2, TS, BinlogBytes.updateRowsV2(TABLE_ID, 2, row(id, v), row(newId, newV)));
        return this;
    }

    TableBinlog delete(int id) {
        tableMap();
        bytes.event(BinlogBytes.DELETE_ROWS_V2, TS, BinlogBytes.deleteRowsV2(TABLE_ID, 2, row(id, 10 * id)));
        return this;
    }

    TableBinlog xid() {
        bytes.event(BinlogBytes.XID, TS, BinlogBytes.xid(position()));
        return this;
    }

    /** One transaction {@code SERVER:gno} inserting rows with these ids. */
    TableBinlog transaction(long gno, int... ids) {
        return gtid(gno).query("BEGIN").insert(ids).xid();
    }

    /** An XA group of MySQL up to its XA_PREPARE: XA START, rows with these ids, XA END. */
    TableBinlog prepared(long gno, String gtrid, boolean onePhase, int... ids) {
        gtid(gno).query("XA START " + BinlogBytes.xid(gtrid)).insert(ids).query("XA END " + BinlogBytes.xid(gtrid));
        bytes.event(BinlogBytes.XA_PREPARE, TS, BinlogBytes.xaPrepare(gtrid, onePhase));
        return this;
    }

    /** All events written. */
    byte[] all() {
        return bytes.bytes();
    }

    /**
     * What the server sends a client asking for {@code pos} of {@value #FILE}: a ROTATE it fakes at connect, then
     * the events from there.
     */
    byte[] from(long pos) {
        return BinlogBytes.from(all(), 4, FILE, pos);
    }

    /** The events written from {@code pos} up to {@code end}. */
    byte[] between(long pos, long end) {
        return java.util.Arrays.copyOfRange(all(), (int) (pos - 4), (int) (end - 4));
    }

    private static byte[] row(int id, int v) {
        return new BinlogBytes.Buf().u8(0).le(id, 4).le(v, 4).bytes();
    }
}
