package io.sluice.mysql.server;

import java.util.Objects;

/**
 * One thing wrong with a source server (or with what the pipeline expects of it), found by {@link BinlogSettings} or
 * the pre-flight checks of {@code io.sluice.mysql.check}; or, for a {@link Kind#problem() note}, something the check
 * could not verify.
 *
 * @param kind    what was checked
 * @param problem what is wrong, in one line
 * @param fix     the exact SQL statement, my.cnf setting or configuration change that fixes it
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
        SELECT,
        /** A {@code source.include} glob matches no table (or include and exclude together leave none). */
        INCLUDE_MATCHES_NOTHING,
        /** The server's binlog filters (binlog_do_db, binlog_ignore_db) leave out a captured database. */
        BINLOG_FILTERED,
        /** {@code source.server-id} is the server's own {@code server_id}. */
        SERVER_ID_IS_THE_SERVERS,
        /** Another replica of the server uses {@code source.server-id}. */
        SERVER_ID_IN_USE,
        /** A note: the check could not see the server ids of (all) the server's replicas. */
        SERVER_ID_UNVERIFIED(false),
        /** The position the pipeline would resume (its checkpoint) or start from is not in the server's binlogs. */
        POSITION_UNAVAILABLE,
        /** Snapshots are configured, and the signal table is missing and cannot be created, or cannot be written. */
        SIGNAL_TABLE,
        /**
         * A note: snapshots will run read-only (snapshot.mode read-only, or auto with a signal table the user cannot
         * use), with the statements that would let them use the signal table.
         */
        SNAPSHOT_READ_ONLY(false),
        /** A note: the pipeline's checkpoint is kept where the check does not read it (Kafka). */
        CHECKPOINT_NOT_READ(false),
        /** A note: a row as large as max_allowed_packet would need more heap than this JVM has. */
        HEAP(false),
        /** The pipeline's checkpoint names table versions, but its schema history is missing. */
        SCHEMA_HISTORY_MISSING,
        /** {@code source.heartbeat.table} is set, and the table is missing and cannot be created, or cannot be written. */
        HEARTBEAT,
        /** A note: the heartbeat is on and its user can write it. */
        HEARTBEAT_WRITES(false);

        private final boolean problem;

        Kind() {
            this(true);
        }

        Kind(boolean problem) {
            this.problem = problem;
        }

        /** False for a note, which does not make the check fail. */
        public boolean problem() {
            return problem;
        }
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    /** True unless this is a note (see {@link Kind#problem()}). */
    public boolean isProblem() {
        return kind.problem();
    }

    @Override
    public String toString() {
        return problem + (isProblem() ? " Fix: " : " ") + fix;
    }
}
