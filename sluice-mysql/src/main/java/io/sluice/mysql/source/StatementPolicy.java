package io.sluice.mysql.source;

/**
 * What a statement does that changed rows of a captured table without logging them as row events
 * ({@code source.on-statement-changes}): DML logged as text (binlog_format STATEMENT or MIXED), and DDL that adds or
 * removes rows (TRUNCATE, DROP, EXCHANGE or CONVERT of partitions, IMPORT TABLESPACE, ALTER IGNORE ... ADD UNIQUE),
 * and the rows InnoDB changes through foreign keys' ON DELETE/ON UPDATE actions, which are not logged either.
 * Sluice cannot tell which rows changed; it never passes over such a statement in silence.
 */
public enum StatementPolicy {
    /** Stop before the statement, naming it, its position and the ways forward (the default). */
    HALT,
    /** Log a warning, count it ({@code sluice_statement_changes_total}) and go on: consumers may diverge. */
    WARN,
    /**
     * Log a warning, count it, emit a {@code t} event for each captured table concerned and snapshot it again
     * ({@code op: r}), so consumers converge on the table's rows.
     */
    SNAPSHOT
}
