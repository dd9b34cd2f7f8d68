package io.sluice.mysql.source;

import io.sluice.core.SluiceException;
import io.sluice.mysql.server.ErrorClassifier;
import io.sluice.mysql.snapshot.SignalTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The heartbeat table on the source server: one row per pipeline (keyed by the pipeline's replica server id) whose
 * {@code ts} each heartbeat sets to the server's {@code NOW(6)}. Its rows are never captured; a transaction that
 * writes one tells the pipeline how far the source's log has been read ({@code TransactionAssembler}).
 */
public final class HeartbeatTable {
    private final HeartbeatConfig config;
    private final String qualified;

    public HeartbeatTable(HeartbeatConfig config) {
        this.config = config;
        this.qualified = SignalTable.quote(config.db()) + "." + SignalTable.quote(config.name());
    }

    /** The table's DDL (with IF NOT EXISTS). */
    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualified + " (server_id INT UNSIGNED NOT NULL PRIMARY KEY,"
                + " pipeline VARCHAR(128) NOT NULL, ts TIMESTAMP(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    /**
     * The GRANT of what the pipeline's user needs on the table: INSERT, UPDATE, and SELECT, which MariaDB asks for the
     * columns an ON DUPLICATE KEY UPDATE sets.
     */
    public String grantStatement(String account) {
        return "GRANT SELECT, INSERT, UPDATE ON " + qualified + " TO " + account;
    }

    /** The statements an administrator runs to create the table (and its database) and let {@code account} write it. */
    public List<String> adminStatements(String account) {
        return List.of(
                "CREATE DATABASE IF NOT EXISTS " + SignalTable.quote(config.db()),
                createSql(),
                grantStatement(account));
    }

    /** Writes the pipeline's row (one per server id, updated each time) with the server's time now. */
    public void write(Connection conn, long serverId, String pipeline) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + qualified + " (server_id, pipeline, ts)"
                + " VALUES (?, ?, NOW(6)) ON DUPLICATE KEY UPDATE ts = NOW(6)")) {
            ps.setLong(1, serverId);
            ps.setString(2, pipeline);
            ps.executeUpdate();
        }
    }

    /**
     * Creates the table when missing and writes the pipeline's first heartbeat; fails with the statements to run
     * (the GRANT among them) when the user may not, and with a retriable error when the connection broke.
     */
    public void start(Connection conn, long serverId, String pipeline) {
        try {
            createIfAllowed(conn);
            write(conn, serverId, pipeline);
        } catch (SQLException e) {
            SluiceException classified = ErrorClassifier.classify(e);
            if (classified.retriable()) {
                throw SluiceException.retriable(
                        "the heartbeat table " + config.table() + " could not be written: " + classified.getMessage(),
                        e);
            }
            throw SluiceException.fatal(unusableText(conn, e), e);
        }
    }

    /**
     * Null when the pipeline's user can write its heartbeat (the table created when missing; the write tried in a
     * transaction that is rolled back, so nothing reaches the binlog); else the server's reason.
     */
    public String unusable(Connection conn, long serverId, String pipeline) throws SQLException {
        createIfAllowed(conn);
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            write(conn, serverId, pipeline);
            return null;
        } catch (SQLException e) {
            if (ErrorClassifier.classify(e).retriable()) {
                throw e;
            }
            return e.getMessage();
        } finally {
            conn.rollback();
            conn.setAutoCommit(autoCommit);
        }
    }

    /**
     * Creates the table (and its database) when missing, if the user may; a user who may not leaves it to the write
     * that follows to say whether it is there (made by an administrator) and writable. A broken connection throws.
     */
    private void createIfAllowed(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + SignalTable.quote(config.db()));
            st.execute(createSql());
        } catch (SQLException e) {
            if (ErrorClassifier.classify(e).retriable()) {
                throw e;
            }
        }
    }

    private String unusableText(Connection conn, SQLException e) {
        String account = SignalTable.account(conn);
        return "the heartbeat table " + config.table() + " (source.heartbeat.table) cannot be written by " + account
                + " (" + e.getMessage() + "). Create it as an administrator and let the user write it: "
                + String.join("; ", adminStatements(account)) + "; or leave source.heartbeat.table out (the heartbeat"
                + " is off by default)";
    }
}
