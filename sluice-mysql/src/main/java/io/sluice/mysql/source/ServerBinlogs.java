package io.sluice.mysql.source;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.mysql.server.ErrorClassifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The binlogs a source server has: its files ({@code SHOW BINARY LOGS}), the start of the oldest and its current end
 * ({@code SHOW MASTER STATUS}). The one owner of these queries, for the source, the commands that re-read or move a
 * checkpoint, and the metrics poller (which brings its own connection).
 */
public final class ServerBinlogs {

    /** One row of {@code SHOW BINARY LOGS}: a binlog file and its current size in bytes. */
    public record File(String name, long size) {}

    private final MySqlSourceConfig config;

    /** The binlogs of the server {@code config} names, each call over a connection of its own. */
    public ServerBinlogs(MySqlSourceConfig config) {
        this.config = config;
    }

    /** The binlog files the server still has, oldest first. */
    public List<String> names() {
        try (Connection conn = config.connect()) {
            return names(conn);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The start of the oldest binlog the server still has. */
    public BinlogPosition earliest() {
        try (Connection conn = config.connect()) {
            return earliest(conn);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The start of the oldest binlog the server on {@code conn} (this one) still has. */
    public BinlogPosition earliest(Connection conn) throws SQLException {
        List<String> files = names(conn);
        if (files.isEmpty()) {
            throw SluiceException.fatal("the server at " + config.host() + ":" + config.port()
                    + " has no binary logs: enable log_bin (see `sluice check`)");
        }
        return new BinlogPosition(files.get(0), 4, null);
    }

    /** The server's current end of binlog ({@code SHOW MASTER STATUS}). */
    public BinlogPosition latest() {
        try (Connection conn = config.connect()) {
            return latest(conn);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The current end of binlog of the server on {@code conn} (this one). */
    public BinlogPosition latest(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = masterStatus(st)) {
            if (!rs.next()) {
                throw SluiceException.fatal("the server at " + config.host() + ":" + config.port()
                        + " reports no binlog position: enable log_bin (see `sluice check`)");
            }
            return new BinlogPosition(rs.getString(1), rs.getLong(2), null);
        }
    }

    /** The binlog files of the server on {@code conn}, oldest first, with their sizes. */
    public static List<File> list(Connection conn) throws SQLException {
        List<File> files = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(new File(rs.getString(1), rs.getLong(2)));
            }
        }
        return files;
    }

    /** The names of the binlog files of the server on {@code conn}, oldest first. */
    public static List<String> names(Connection conn) throws SQLException {
        return list(conn).stream().map(File::name).toList();
    }

    private static ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            return st.executeQuery("SHOW BINARY LOG STATUS"); // MySQL 8.4 and later
        }
    }

    private SluiceException failure(SQLException e) {
        return ErrorClassifier.classify(e, config.errorContext());
    }
}
