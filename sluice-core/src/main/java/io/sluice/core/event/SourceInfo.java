package io.sluice.core.event;

/**
 * The {@code source} block of a change event: where and when the change happened.
 *
 * @param name     configured source name
 * @param serverId server id from the binlog event header
 * @param gtid     GTID of the transaction, or null
 * @param file     binlog file where the transaction begins
 * @param pos      position where the transaction begins (its resume point)
 * @param row      index of the event inside its transaction, from 0
 * @param tsMs     transaction time at the source, ms
 * @param db       database of the row
 * @param table    table of the row
 * @param snapshot true only for snapshot reads ({@code op: r})
 */
public record SourceInfo(
        String name,
        long serverId,
        String gtid,
        String file,
        long pos,
        int row,
        long tsMs,
        String db,
        String table,
        boolean snapshot) {

    public SourceInfo withRow(int newRow) {
        return new SourceInfo(name, serverId, gtid, file, pos, newRow, tsMs, db, table, snapshot);
    }
}
