package io.sluice.core.checkpoint;

/**
 * An XA transaction that was prepared but not yet resolved when the checkpoint was taken. A restart reads
 * its PREPARE group again from {@code at}, so its rows can be emitted when the XA COMMIT arrives.
 *
 * @param xid the XA id as the server prints it in {@code XA COMMIT}
 * @param at  the position of the PREPARE group's first event
 */
public record HeldXa(String xid, BinlogPosition at) {
}
