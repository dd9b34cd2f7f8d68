package io.sluice.mysql.source;

/** Where a pipeline with no checkpoint starts reading. */
public sealed interface StartPosition {

    /** The oldest binlog the server still has. */
    record Earliest() implements StartPosition {}

    /** The server's current end of binlog: only changes made from now on. */
    record Latest() implements StartPosition {}

    /**
     * The server's current end of binlog, after an initial snapshot of every captured table (read in chunks while
     * the stream already flows; see docs/snapshots.md).
     */
    record Snapshot() implements StartPosition {}

    /** An explicit binlog file and position (the start of a transaction). */
    record At(String file, long pos) implements StartPosition {}

    /** An explicit GTID set: start right after it. MariaDB {@code 0-1-100} or MySQL {@code uuid:1-100}. */
    record Gtid(String gtidSet) implements StartPosition {}
}
