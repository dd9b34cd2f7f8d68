package io.sluice.core.state;

import java.io.IOException;
import java.util.List;

/**
 * An append-only log of records whose shape belongs to its writer (the store only keeps bytes): the schema history,
 * the approvals, a quarantined table's events. A record is one JSON document without a line break; the file
 * implementation keeps one per line, so a record must not contain {@code '\n'}.
 *
 * <p>Appends become durable at {@link #sync()}: a writer that must not go on before its record is safe (the schema
 * history, before the event that announces a version) syncs after each append; one that batches (quarantine, per
 * transaction) syncs before the checkpoint that covers its records. A record torn by a crash while appending is
 * not part of the log and is overwritten by the next append.
 *
 * <p>An implementation that keeps the log elsewhere (a compacted Kafka topic for a Connect task, a table) maps
 * {@code append} to a send or insert, {@code sync} to its flush or commit, and {@code read} to a read from the
 * start; {@link #existed()} is whether the log was there when the store was opened.
 */
public interface RecordLog {

    /**
     * Every complete record, oldest first, as the log holds it now (including what other processes appended, for a
     * log they may write, such as approvals). A reader skips blank records.
     */
    List<byte[]> read() throws IOException;

    /** Adds a record at the end; durable once {@link #sync()} returns. */
    void append(byte[] record) throws IOException;

    /** Makes every record appended so far durable. */
    void sync() throws IOException;

    /**
     * Whether the log was there when the store opened it, or has been written since: false only for a log a
     * durable store has no trace of (a new pipeline's, or a lost one). A store that cannot lose a log says true.
     */
    boolean existed();

    /** Where the log is kept, for messages (a file's path). */
    String where();
}
