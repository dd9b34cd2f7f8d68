package io.sluice.core.checkpoint;

import java.util.Objects;

/**
 * Where inside one source transaction a sink stopped: the sink durably holds the first {@code rows} events of the
 * transaction whose event ids are {@code <source>:<txn>:<row>}. A restart reads from the checkpoint as usual and
 * suppresses that transaction's events with {@code source.row < rows}; the rest are emitted with their own ids and
 * row numbers, so the output is the same as if nothing had stopped.
 *
 * @param txn  the transaction part of the event ids (its GTID, or {@code file:pos} of its first event)
 * @param rows how many of its events (rows 0 to {@code rows - 1}) the sink already holds
 */
public record PartialTxn(String txn, int rows) {

    public PartialTxn {
        Objects.requireNonNull(txn, "txn");
        if (rows < 1) {
            throw new IllegalArgumentException("a partial transaction holds at least one event, not " + rows);
        }
    }

    /** The transaction part of an event id {@code <source>:<txn>:<row>}. */
    public static String txnOf(String sourceName, String eventId) {
        int last = eventId.lastIndexOf(':');
        int first = sourceName.length() + 1;
        if (!eventId.startsWith(sourceName) || last < first || eventId.charAt(first - 1) != ':') {
            throw new IllegalArgumentException(
                    "event id " + eventId + " is not of the form " + sourceName + ":<txn>:<row>");
        }
        return eventId.substring(first, last);
    }
}
