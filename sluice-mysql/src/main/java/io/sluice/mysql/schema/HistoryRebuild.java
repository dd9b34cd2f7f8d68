package io.sluice.mysql.schema;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.TableVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a lost schema history from a checkpoint: for every table version the checkpoint names, the table as
 * information_schema shows it now, recorded as that version at the checkpoint's position (origin
 * {@link SchemaVersion#REBUILD}). The one owner of that recovery, used by {@code sluice schema rebuild} (a local
 * history) and by the Kafka Connect task (a lost or truncated state topic). What it cannot recover is said:
 * tables gone from the server, versions before the checkpoint, the statements behind them.
 */
public final class HistoryRebuild {
    /** What no rebuild recovers, and when the recovered versions are right (for messages and logs). */
    public static final String NOT_RECOVERABLE = "versions before the checkpoint (a replay from an older position"
            + " decodes with what the binlog and today's information_schema say), and the DDL statements that"
            + " produced them. The recovered versions are right only if no DDL touched those tables between the"
            + " checkpoint and now; the binlog read after the checkpoint corrects them where its table maps"
            + " disagree (logged).";

    /**
     * The rebuilt versions, in table order, and a line for each table version of the checkpoint: recovered (with how)
     * or not.
     */
    public record Result(List<SchemaVersion> versions, List<String> recovered, List<String> lost) {
        public Result {
            versions = List.copyOf(versions);
            recovered = List.copyOf(recovered);
            lost = List.copyOf(lost);
        }
    }

    private HistoryRebuild() {}

    /** The versions {@code cp} names, described through {@code conn} as the tables are now. */
    public static Result at(Checkpoint cp, Connection conn) throws SQLException {
        List<SchemaVersion> versions = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, TableVersion> e : new TreeMap<>(cp.schemas()).entrySet()) {
            String qn = e.getKey();
            int version = e.getValue().version();
            TableModel m = null;
            if (!e.getValue().gone()) {
                int dot = qn.indexOf('.');
                m = CatalogModels.describe(conn, qn.substring(0, dot), qn.substring(dot + 1));
                if (m == null) {
                    lost.add(qn + " (version " + version + "): the table no longer exists on the server (dropped or"
                            + " renamed since); if it appears again in the binlog, its layout is taken from the"
                            + " binlog's table map");
                    continue;
                }
            }
            // a gone name keeps its number only (a null model): a table created under it continues after it
            versions.add(new SchemaVersion(
                    qn, version, cp.position().file(), cp.position().pos(), null, SchemaVersion.REBUILD, m, List.of()));
            recovered.add(
                    m == null
                            ? qn + " version " + version + " (no table under this name at the checkpoint: dropped or"
                                    + " renamed away; a table created under it continues at version " + (version + 1)
                                    + ")"
                            : qn + " version " + version + " (\"current\": "
                                    + m.columns().size() + " columns as information_schema shows them now)");
        }
        return new Result(versions, recovered, lost);
    }

    /**
     * The server's {@code binlog_row_metadata} ({@code FULL}: rows are decoded from the binlog's own table maps, so a
     * rebuilt version only feeds compatibility checks and {@code old_columns}), or null on a server without it.
     */
    public static String rowMetadata(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.binlog_row_metadata")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1193) { // unknown system variable: MySQL before 8.0.1, MariaDB before 10.5
                return null;
            }
            throw e;
        }
    }
}
