package io.sluice.mysql.source;

import java.time.Duration;
import java.util.Objects;

/**
 * The heartbeat ({@code source.heartbeat.*}): a row Sluice writes to a table of the source server every
 * {@code interval}, so that an idle server's binlog still moves and the pipeline's lag stays truthful where the
 * server's binlog end cannot be polled. Off when {@code table} is null (the default).
 *
 * @param table    the heartbeat table as {@code db.table}, or null: off
 * @param interval how often the row is written
 */
public record HeartbeatConfig(String table, Duration interval) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** No heartbeat (the default). */
    public static final HeartbeatConfig OFF = new HeartbeatConfig(null, DEFAULT_INTERVAL);

    public HeartbeatConfig {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("source.heartbeat.interval must be positive, not " + interval);
        }
        if (table != null && (table.indexOf('.') <= 0 || table.indexOf('.') != table.lastIndexOf('.'))) {
            throw new IllegalArgumentException("source.heartbeat.table must be db.table, not " + table);
        }
    }

    /** Whether a heartbeat is written. */
    public boolean on() {
        return table != null;
    }

    /** The table's database. */
    public String db() {
        return Objects.requireNonNull(table).substring(0, table.indexOf('.'));
    }

    /** The table's name in its database. */
    public String name() {
        return Objects.requireNonNull(table).substring(table.indexOf('.') + 1);
    }
}
