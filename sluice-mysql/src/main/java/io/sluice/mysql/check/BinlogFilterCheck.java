package io.sluice.mysql.check;

import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The server's own binlog filters ({@code binlog_do_db}, {@code binlog_ignore_db}, shown by SHOW MASTER STATUS):
 * changes to a database they leave out never reach the binlog, so a captured database among them would lose every
 * change without a word, and a filtered signal database would leave snapshots waiting for watermarks forever.
 */
final class BinlogFilterCheck {
    private static final Set<String> SYSTEM_DBS = Set.of("mysql", "information_schema", "performance_schema", "sys");
    /** SHOW MASTER STATUS not allowed, or the binlog is off: other findings say so. */
    private static final List<Integer> CANNOT_READ = List.of(1044, 1142, 1227, 1381);

    private BinlogFilterCheck() {}

    static void check(Connection c, MySqlSourceConfig config, boolean snapshots, List<Finding> out)
            throws SQLException {
        Set<String> only;
        Set<String> ignored;
        try (Statement st = c.createStatement();
                ResultSet rs = masterStatus(st)) {
            if (!rs.next()) {
                return;
            }
            only = names(rs.getString(3));
            ignored = names(rs.getString(4));
        } catch (SQLException e) {
            if (CANNOT_READ.contains(e.getErrorCode())) {
                return;
            }
            throw e;
        }
        if (only.isEmpty() && ignored.isEmpty()) {
            return;
        }
        List<String> dbGlobs = new ArrayList<>(config.include().stream()
                .map(g -> g.substring(0, g.indexOf('.')))
                .toList());
        if (config.include().isEmpty()) {
            dbGlobs.add("*");
        }
        if (snapshots) {
            dbGlobs.add(config.snapshot().signalDb());
        }
        List<String> databases = databases(c);
        for (String glob : new LinkedHashSet<>(dbGlobs)) {
            List<String> dbs = CapturedTables.hasWildcard(glob)
                    ? databases.stream()
                            .filter(db -> CapturedTables.globMatches(glob, db))
                            .toList()
                    : List.of(glob);
            for (String db : dbs) {
                if (SYSTEM_DBS.contains(db.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                String what = db.equals(config.snapshot().signalDb()) && snapshots && !capturedGlob(config, db)
                        ? "the snapshot signal table's database " + db
                        : "the captured database " + db;
                if (ignored.contains(db)) {
                    out.add(new Finding(
                            Kind.BINLOG_FILTERED,
                            "The server's binlog leaves out " + what + " (binlog_ignore_db=" + db
                                    + "): its changes never reach the binlog.",
                            "remove" + " binlog_ignore_db=" + db + " from my.cnf [mysqld] and restart the server"));
                } else if (!only.isEmpty() && !only.contains(db)) {
                    out.add(new Finding(
                            Kind.BINLOG_FILTERED,
                            "The server's binlog holds only the databases "
                                    + String.join(", ", only) + " (binlog_do_db), not " + what
                                    + ": its changes never reach"
                                    + " the binlog.",
                            "add binlog_do_db=" + db + " to my.cnf [mysqld] (or remove every"
                                    + " binlog_do_db) and restart the server"));
                }
            }
        }
    }

    private static boolean capturedGlob(MySqlSourceConfig config, String db) {
        return config.include().isEmpty()
                || config.include().stream()
                        .anyMatch(g -> CapturedTables.globMatches(g.substring(0, g.indexOf('.')), db));
    }

    private static ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1064) {
                throw e;
            }
            return st.executeQuery("SHOW BINARY LOG STATUS"); // MySQL 8.4 and later
        }
    }

    private static Set<String> names(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null) {
            Arrays.stream(list.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    private static List<String> databases(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
