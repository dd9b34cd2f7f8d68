package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.pipeline.Source;
import io.sluice.mysql.server.ErrorClassifier;
import io.sluice.mysql.snapshot.SignalTable;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.TableFilter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Asks a pipeline to snapshot, cancel, pause or resume by writing a request row into its signal table: the
 * pipeline sees the row in the binlog, so the request takes effect exactly once, in order with the stream, and
 * survives restarts. Shared by {@code sluice snapshot} and {@code POST /api/pipelines/{name}/snapshot}.
 */
public final class SnapshotRequests {

    /** What a request asks for. */
    public enum Kind {
        SNAPSHOT(SignalTable.SNAPSHOT),
        CANCEL(SignalTable.CANCEL),
        PAUSE(SignalTable.PAUSE),
        RESUME(SignalTable.RESUME);

        private final String signal;

        Kind(String signal) {
            this.signal = signal;
        }

        public String signal() {
            return signal;
        }

        /** The kind named {@code s} (snapshot, cancel, pause, resume), or a {@link ConfigException}. */
        public static Kind of(String s) {
            for (Kind k : values()) {
                if (k.signal.equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new ConfigException("action \"" + s + "\": expected one of snapshot, cancel, pause, resume");
        }
    }

    /** A request written: its id (for a snapshot, the run's name) and a sentence saying what was asked. */
    public record Written(String id, String description) {}

    private SnapshotRequests() {}

    /**
     * Checks the request (tables captured by the pipeline, options that fit the kind) and writes it.
     *
     * @throws ConfigException on a request that cannot be right (nothing is written then)
     * @throws SluiceException when the signal table cannot be written (connection, privileges)
     */
    public static Written request(PipelineConfig pc, Kind kind, List<String> tables, String where) {
        return request(pc, kind, tables, where, null);
    }

    /**
     * As {@link #request(PipelineConfig, Kind, List, String)}; where the signal table cannot be used
     * ({@code snapshot.mode} read-only, or auto with a table the user cannot write) and {@code runningSource} streams the
     * pipeline in this process (a {@link MySqlSource}), the request goes to it directly: it takes effect at the binlog reader's next
     * transaction or heartbeat and enters the checkpoint after it.
     */
    public static Written request(
            PipelineConfig pc, Kind kind, List<String> tables, String where, Source runningSource) {
        MySqlSource running = runningSource instanceof MySqlSource m ? m : null;
        MySqlSourceConfig source = pc.source();
        TableFilter filter = new TableFilter(source.include(), source.exclude());
        for (String t : tables) {
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1 || t.contains(",")) {
                throw new ConfigException("table " + t + ": expected one table as db.table");
            }
            if (!filter.captures(t.substring(0, dot), t.substring(dot + 1))) {
                throw new ConfigException("table " + t + ": pipeline " + pc.name() + " does not capture it"
                        + " (source.include " + source.include() + ", exclude " + source.exclude() + ")");
            }
        }
        if (kind != Kind.SNAPSHOT && where != null) {
            throw new ConfigException("a condition (where) applies to a snapshot request, not to " + kind.signal());
        }
        if ((kind == Kind.PAUSE || kind == Kind.RESUME) && !tables.isEmpty()) {
            throw new ConfigException(kind.signal() + " stands alone: it applies to all of the pipeline's snapshots"
                    + " (give no table)");
        }
        if ((kind == Kind.SNAPSHOT || kind == Kind.CANCEL) && tables.isEmpty()) {
            throw new ConfigException("give at least one table (db.table) to " + kind.signal());
        }
        SignalTable signal = new SignalTable(source.snapshot());
        String joined = tables.isEmpty() ? null : String.join(",", tables);
        try (Connection conn = source.connect()) {
            SnapshotConfig.Mode mode = source.snapshot().mode();
            String unusable = mode == SnapshotConfig.Mode.READ_ONLY
                    ? "snapshot.mode is read-only"
                    : mode == SnapshotConfig.Mode.AUTO ? signal.unusable(conn, pc.name()) : null;
            if (unusable != null) {
                String id = running == null ? null : running.submitSnapshotRequest(kind.signal(), joined, where);
                if (id == null) {
                    throw SluiceException.fatal("the " + kind.signal() + " request cannot go through the signal"
                            + " table (" + unusable + "), and pipeline " + pc.name() + " does not run in this"
                            + " process: send it to the process that runs it, POST /api/pipelines/" + pc.name()
                            + "/snapshot (docs/snapshots.md)");
                }
                return new Written(
                        id,
                        kind.signal() + " " + id + " requested"
                                + (tables.isEmpty() ? "" : " for " + String.join(", ", tables))
                                + (where == null ? "" : " where " + where) + " (pipeline " + pc.name()
                                + ", read-only snapshots: taken by the running pipeline at its next transaction or"
                                + " heartbeat)");
            }
            signal.ensure(conn);
            String id = signal.request(conn, pc.name(), kind.signal(), joined, where);
            return new Written(
                    id,
                    kind.signal() + " " + id + " requested"
                            + (tables.isEmpty() ? "" : " for " + String.join(", ", tables))
                            + (where == null ? "" : " where " + where) + " (pipeline " + pc.name() + ", signal table "
                            + source.snapshot().signalTable() + ")");
        } catch (SQLException e) {
            SluiceException se = ErrorClassifier.classify(e, source.errorContext());
            throw SluiceException.fatal(
                    "the " + kind.name().toLowerCase(Locale.ROOT) + " request could not be" + " written: "
                            + se.getMessage(),
                    e);
        }
    }
}
