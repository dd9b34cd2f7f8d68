package io.sluice.mysql.check;

import java.util.Objects;

/**
 * One thing wrong with a source server, found by {@link ServerCheck}.
 *
 * @param kind    what was checked
 * @param problem what is wrong, in one line
 * @param fix     the exact SQL statement or my.cnf setting that fixes it
 */
public record Finding(Kind kind, String problem, String fix) {

    /** What a finding is about. */
    public enum Kind {
        /** The binary log is off. */
        BINLOG_OFF,
        /** {@code binlog_format} is not ROW. */
        BINLOG_FORMAT,
        /** {@code binlog_row_image} is not FULL. */
        BINLOG_ROW_IMAGE,
        /** {@code binlog_row_metadata} is not FULL. */
        BINLOG_ROW_METADATA,
        /** The server is too old to have {@code binlog_row_metadata}: Sluice falls back to information_schema. */
        BINLOG_ROW_METADATA_UNSUPPORTED,
        /** The user lacks REPLICATION SLAVE (REPLICATION REPLICA). */
        REPLICATION_SLAVE,
        /** The user lacks REPLICATION CLIENT (BINLOG MONITOR on MariaDB 10.5+). */
        REPLICATION_CLIENT,
        /** The user lacks SELECT on a captured database. */
        SELECT
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return problem + " Fix: " + fix;
    }
}
