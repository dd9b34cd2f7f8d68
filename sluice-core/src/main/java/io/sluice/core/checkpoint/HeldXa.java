package io.sluice.core.checkpoint;

/**
 * An XA transaction that was prepared but not yet resolved when the checkpoint was taken. A restart reads
 * its PREPARE group again from {@code at}, so its rows can be emitted when the XA COMMIT arrives.
 *
 * @param xid the XA id as the server prints it in {@code XA COMMIT}
 * @param at  the position of the PREPARE group's first event, with the GTID set executed before the group (where
 *            to read it again by GTID on another server); that set is null in checkpoints written before Sluice
 *            recorded it, and where the server has no GTIDs
 */
public record HeldXa(String xid, BinlogPosition at) {}
