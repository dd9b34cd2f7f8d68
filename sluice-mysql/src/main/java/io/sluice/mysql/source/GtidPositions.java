package io.sluice.mysql.source;

import io.sluice.core.checkpoint.BinlogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where in a MariaDB server's binlog a GTID set is the state: the start of the first transaction after the
 * set's last transaction of each of its domains ({@code sluice position set --gtid}). The server answers the other
 * way round ({@code BINLOG_GTID_POS(file, pos)}), so this picks the newest binlog file whose starting state is not
 * past the set, and walks that file's transactions ({@code SHOW BINLOG EVENTS}), counting their GTIDs on from the
 * file's starting state, to the place where the state agrees with the set.
 */
public final class GtidPositions {
    private static final Pattern GTID = Pattern.compile("GTID (\\d+-\\d+-\\d+)");

    private GtidPositions() {}

    /** True for a MariaDB GTID set ({@code domain-server-seq}, comma separated), the form {@link #locate} takes. */
    public static boolean isMariaDb(String set) {
        return set != null && GtidTracker.isMariaDb(set.trim());
    }

    /**
     * The binlog position of the server on {@code conn} at which its GTID state agrees with {@code set} (for each
     * domain of the set, the set's GTID); empty when no binlog the server still has holds that place (purged, or not
     * written yet).
     */
    public static Optional<BinlogPosition> locate(Connection conn, String set) throws SQLException {
        GtidTracker target = new GtidTracker(set.trim());
        List<String> logs = ServerBinlogs.names(conn);
        for (int i = logs.size() - 1; i >= 0; i--) {
            String file = logs.get(i);
            String start = stateAt(conn, file, 4);
            if (start == null || !new GtidTracker(start).notPast(target)) {
                continue;
            }
            return walk(conn, file, start, target, i == logs.size() - 1);
        }
        return Optional.empty();
    }

    private static Optional<BinlogPosition> walk(
            Connection conn, String file, String start, GtidTracker target, boolean last) throws SQLException {
        GtidTracker state = new GtidTracker(start);
        long end = 4;
        try (Statement st = conn.createStatement()) {
            // a name SHOW BINARY LOGS gave; SHOW takes no placeholders
            try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file.replace("'", "''") + "'")) {
                while (rs.next()) {
                    long pos = rs.getLong("Pos");
                    end = rs.getLong("End_log_pos");
                    if (!"Gtid".equalsIgnoreCase(rs.getString("Event_type"))) {
                        continue;
                    }
                    if (target.agreesWith(state.toString())) {
                        return Optional.of(new BinlogPosition(file, pos, null));
                    }
                    Matcher m = GTID.matcher(rs.getString("Info"));
                    if (m.find()) {
                        state.add(m.group(1));
                    }
                }
            }
        }
        return last && target.agreesWith(state.toString())
                ? Optional.of(new BinlogPosition(file, end, null))
                : Optional.empty();
    }

    /**
     * MariaDB's GTID state at a position of its binlog ({@code BINLOG_GTID_POS}): {@code ""} for none, null where
     * that is no event boundary of it (or there is no such file).
     */
    public static String stateAt(Connection conn, String file, long pos) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, pos);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
