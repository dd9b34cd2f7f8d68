package io.sluice.mysql.check;

import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.source.HeartbeatConfig;
import io.sluice.mysql.source.HeartbeatTable;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The heartbeat table, for a pipeline with {@code source.heartbeat.table}: created when missing and the user may,
 * and written (in a transaction rolled back, so nothing reaches the binlog). {@code sluice run} would stop at its
 * start otherwise, which is what this check foresees; when it can, a note says so.
 */
final class HeartbeatCheck {
    private HeartbeatCheck() {}

    static void check(Connection c, MySqlSourceConfig config, String account, List<Finding> out) throws SQLException {
        HeartbeatConfig hb = config.heartbeat();
        if (!hb.on()) {
            return;
        }
        HeartbeatTable table = new HeartbeatTable(hb);
        String why = table.unusable(c, config.serverId(), config.name());
        if (why == null) {
            out.add(new Finding(
                    Kind.HEARTBEAT_WRITES,
                    "The heartbeat writes to " + hb.table() + " every "
                            + hb.interval().toMillis() + " ms"
                            + " (source.heartbeat.table): an idle pipeline's lag stays under that interval plus a"
                            + " second.",
                    "Nothing to do."));
            return;
        }
        out.add(new Finding(
                Kind.HEARTBEAT,
                "User " + account + " cannot write the heartbeat table " + hb.table() + " (" + why + "): `sluice run`"
                        + " would stop at its start.",
                "As an administrator: " + String.join("; ", table.adminStatements(account))
                        + "; or leave source.heartbeat.table out (the heartbeat is off by default)."));
    }
}
