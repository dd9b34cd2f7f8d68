package io.sluice.mysql.check;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.server.ServerVersion;
import io.sluice.mysql.snapshot.SignalTable;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The snapshot signal table, for a pipeline that will snapshot: {@code start: snapshot}, snapshot settings of its
 * own, or snapshot work left in its checkpoint. Sluice creates the table when it is missing and its user may
 * (CREATE on the table's database); either way the user must SELECT, INSERT and UPDATE it, since every chunk
 * writes a watermark there. Otherwise the snapshot stops at its first chunk, which is what this check foresees.
 */
final class SignalTableCheck {
    private static final List<String> NEEDED = List.of("SELECT", "INSERT", "UPDATE");

    private SignalTableCheck() {}

    /** Whether the pipeline will snapshot (and so needs the signal table) without being asked to. */
    static boolean wanted(MySqlSourceConfig config, Checkpoint checkpoint) {
        if (checkpoint != null) {
            return checkpoint.snapshot() != null || !config.snapshot().equals(SnapshotConfig.DEFAULT);
        }
        return config.start() instanceof StartPosition.Snapshot
                || !config.snapshot().equals(SnapshotConfig.DEFAULT);
    }

    /**
     * Adds what snapshots need or will do in the pipeline's {@code snapshot.mode}: signal-table, the signal table's
     * findings; read-only, a note that they run read-only (a finding on a server that cannot: MySQL); auto, nothing
     * when the signal table is usable, else the read-only note with the statements that would let them use it.
     */
    static void check(
            Connection c,
            Grants grants,
            ServerVersion server,
            MySqlSourceConfig config,
            String account,
            List<Finding> out)
            throws SQLException {
        SnapshotConfig s = config.snapshot();
        List<Finding> signal = new java.util.ArrayList<>();
        if (s.mode() != SnapshotConfig.Mode.READ_ONLY) {
            signalTable(c, grants, config, account, signal);
        }
        if (s.mode() == SnapshotConfig.Mode.SIGNAL_TABLE || signal.isEmpty() && s.mode() == SnapshotConfig.Mode.AUTO) {
            out.addAll(signal);
            return;
        }
        String why = s.mode() == SnapshotConfig.Mode.READ_ONLY
                ? "snapshot.mode is read-only"
                : "snapshot.mode is auto and user " + account + " cannot use the signal table " + s.signalTable();
        String useSignal = signal.isEmpty()
                ? "Set snapshot.mode to auto or signal-table and let the user write the signal table: "
                        + String.join("; ", new SignalTable(s).adminStatements(account)) + ";"
                : "To use the signal table instead: " + signal.get(0).fix();
        if (!server.mariaDb()) {
            out.add(new Finding(
                    Kind.SIGNAL_TABLE,
                    "Snapshots would run read-only (" + why + "), which needs MariaDB: " + server.name()
                            + " does not report the binlog position of a consistent snapshot (binlog_snapshot_file).",
                    useSignal));
            return;
        }
        out.add(new Finding(
                Kind.SNAPSHOT_READ_ONLY,
                "Snapshots will run read-only (" + why + "): each chunk is read in a consistent snapshot at the"
                        + " binlog position MariaDB reports; nothing is written to the server.",
                useSignal));
    }

    private static void signalTable(
            Connection c, Grants grants, MySqlSourceConfig config, String account, List<Finding> out)
            throws SQLException {
        SnapshotConfig s = config.snapshot();
        SignalTable signal = new SignalTable(s);
        List<String> lacking = NEEDED.stream()
                .filter(p -> !grants.can(p, s.signalDb(), s.signalName()))
                .toList();
        String why = config.start() instanceof StartPosition.Snapshot
                ? "the initial snapshot (start: snapshot)"
                : "snapshots";
        if (exists(c, s)) {
            if (!lacking.isEmpty()) {
                out.add(new Finding(
                        Kind.SIGNAL_TABLE,
                        "User " + account + " lacks " + String.join(", ", lacking)
                                + " on the snapshot signal table " + s.signalTable() + ": " + why + " would stop at the"
                                + " first chunk, whose watermark is written there.",
                        signal.grantStatement(account) + ";"));
            }
            return;
        }
        boolean canCreate = grants.can("CREATE", s.signalDb(), s.signalName());
        if (canCreate && lacking.isEmpty()) {
            return; // Sluice creates it at the first snapshot
        }
        String cannot = canCreate
                ? "could create it but would lack " + String.join(", ", lacking) + " on it"
                : "cannot create it (it lacks CREATE on " + SignalTable.quote(s.signalDb()) + ".*)";
        out.add(new Finding(
                Kind.SIGNAL_TABLE,
                "The snapshot signal table " + s.signalTable() + " does not exist"
                        + " (or user " + account + " cannot see it), and the user " + cannot + ": " + why
                        + " would stop"
                        + " before the first chunk.",
                "as an administrator: " + String.join("; ", signal.adminStatements(account)) + ";"));
    }

    /** Whether the user sees the table (the server hides tables a user has no privilege on). */
    private static boolean exists(Connection c, SnapshotConfig s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.TABLES" + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, s.signalDb());
            ps.setString(2, s.signalName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }
}
