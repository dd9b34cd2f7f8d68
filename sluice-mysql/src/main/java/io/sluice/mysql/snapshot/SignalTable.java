package io.sluice.mysql.snapshot;

import io.sluice.core.SluiceException;
import io.sluice.mysql.server.ErrorClassifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The small table whose row changes carry snapshot watermarks and requests through the binlog. Every row names
 * the pipeline it is for; a pipeline ignores the others' rows, so several pipelines can share one table.
 *
 * <pre>
 * CREATE TABLE sluice.sluice_signal (
 *   id       VARCHAR(128) NOT NULL PRIMARY KEY, -- request id (becomes the snapshot run's name), or &lt;pipeline&gt;:watermark
 *   pipeline VARCHAR(128) NOT NULL,             -- the pipeline's name
 *   kind     VARCHAR(32)  NOT NULL,             -- snapshot | cancel | pause | resume (requests); low | high | high-low | at
 *   tables   TEXT NULL,                         -- db.table[,db.table...] for snapshot and cancel
 *   filter   TEXT NULL,                         -- an SQL condition for snapshot, e.g. created &gt; '2024-01-01'
 *   detail   TEXT NULL                          -- a watermark's token (high-low: "&lt;high&gt; &lt;low&gt;"); for cancel: only this run (optional)
 * )
 * </pre>
 */
public final class SignalTable {
    public static final String SNAPSHOT = "snapshot";
    public static final String CANCEL = "cancel";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    static final String LOW = "low";
    static final String HIGH = "high";
    /** One chunk's high watermark and the next one's low, in one write: detail is "&lt;high token&gt; &lt;low token&gt;". */
    static final String HIGH_LOW = "high-low";
    /**
     * Written once a whole-table read's consistent snapshot is taken (detail: the chunk's token): a transaction at or
     * after the snapshot's position, where the binlog reader stops to emit the rows. It changes nothing else.
     */
    static final String AT = "at";

    private final SnapshotConfig config;
    private final String qualified;

    public SignalTable(SnapshotConfig config) {
        this.config = config;
        this.qualified = quote(config.signalDb()) + "." + quote(config.signalName());
    }

    /** The table's DDL (with IF NOT EXISTS). */
    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualified + " (id VARCHAR(128) NOT NULL PRIMARY KEY,"
                + " pipeline VARCHAR(128) NOT NULL, kind VARCHAR(32) NOT NULL, tables TEXT NULL, filter TEXT NULL,"
                + " detail TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    /**
     * Creates the table (and its database) when missing; fails with the statements to run when not allowed, and
     * with a retriable error when the connection broke meanwhile.
     */
    public void ensure(Connection conn) {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.TABLES" + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, config.signalDb());
            ps.setString(2, config.signalName());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return; // there already (its user may lack CREATE)
                }
            }
        } catch (SQLException e) {
            // fall through: creating it says what is wrong
        }
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + quote(config.signalDb()));
            st.execute(createSql());
        } catch (SQLException e) {
            SluiceException classified = ErrorClassifier.classify(e);
            if (classified.retriable()) { // the connection broke or timed out: not a missing privilege
                throw SluiceException.retriable(
                        "the snapshot signal table " + config.signalTable() + " could not" + " be checked or created: "
                                + classified.getMessage(),
                        e);
            }
            throw SluiceException.fatal(
                    "the snapshot signal table " + config.signalTable() + " could not be"
                            + " created (" + e.getMessage()
                            + "). Create it as an administrator, and grant the pipeline's"
                            + " user SELECT, INSERT, UPDATE on it:\n  "
                            + String.join(";\n  ", adminStatements(account(conn)))
                            + ";",
                    e);
        }
    }

    /**
     * Null when the pipeline's user can use the table (created when missing, and written: a watermark write tried in
     * a transaction that is rolled back, so nothing reaches the binlog); else why not, with the statements for an
     * administrator. A broken connection throws.
     */
    public String unusable(Connection conn, String pipeline) throws SQLException {
        try {
            ensure(conn);
        } catch (SluiceException e) {
            if (e.retriable()) {
                throw e;
            }
            return "the signal table " + config.signalTable() + " does not exist and cannot be created by "
                    + account(conn) + " (to use it instead, as an administrator: "
                    + String.join("; ", adminStatements(account(conn))) + ")";
        }
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            watermark(conn, pipeline, "probe", null);
            return null;
        } catch (SQLException e) {
            if (ErrorClassifier.classify(e).retriable()) {
                throw e;
            }
            return account(conn) + " cannot write the signal table " + config.signalTable() + " (" + e.getMessage()
                    + "; to use it instead: " + grantStatement(account(conn)) + ")";
        } finally {
            conn.rollback();
            conn.setAutoCommit(autoCommit);
        }
    }

    /**
     * The account the server let {@code conn} in as ({@code CURRENT_USER()}), as {@code 'user'@'host'}: the one a
     * GRANT must name. A placeholder when the server cannot say (the connection broke).
     */
    public static String account(Connection conn) {
        try (Statement st = conn.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
            if (rs.next() && rs.getString(1) != null) {
                String current = rs.getString(1);
                int at = current.lastIndexOf('@');
                if (at > 0) {
                    return "'" + current.substring(0, at).replace("'", "''") + "'@'"
                            + current.substring(at + 1).replace("'", "''") + "'";
                }
            }
        } catch (SQLException e) {
            // fall through to the placeholder
        }
        return "'<user>'@'%'";
    }

    /**
     * The statements an administrator runs to create the table (and its database) and let {@code account} (as
     * {@code 'user'@'host'}) use it: what Sluice does by itself when its user may.
     */
    public List<String> adminStatements(String account) {
        return List.of(
                "CREATE DATABASE IF NOT EXISTS " + quote(config.signalDb()), createSql(), grantStatement(account));
    }

    /** The GRANT of what the pipeline's user needs on the table: SELECT, INSERT, UPDATE. */
    public String grantStatement(String account) {
        return "GRANT SELECT, INSERT, UPDATE ON " + qualified + " TO " + account;
    }

    /** Writes a watermark row for a pipeline (one row per pipeline, updated each time). */
    void watermark(Connection conn, String pipeline, String kind, String token) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + qualified
                + " (id, pipeline, kind, detail) VALUES (?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE kind = VALUES(kind), detail = VALUES(detail)")) {
            ps.setString(1, pipeline + ":watermark");
            ps.setString(2, pipeline);
            ps.setString(3, kind);
            ps.setString(4, token);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts a request row ({@link #SNAPSHOT} or {@link #CANCEL}) for a running pipeline; returns its id, which
     * names the snapshot run.
     */
    public String request(Connection conn, String pipeline, String kind, String tables, String filter)
            throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO " + qualified + " (id, pipeline, kind, tables, filter) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, pipeline);
            ps.setString(3, kind);
            ps.setString(4, tables);
            ps.setString(5, filter);
            ps.executeUpdate();
        }
        return id;
    }

    /** Cancels one run's snapshot of one table (the run named in {@code detail}), leaving other runs queued. */
    void cancelRun(Connection conn, String pipeline, String table, String run) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO " + qualified + " (id, pipeline, kind, tables, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, pipeline);
            ps.setString(3, CANCEL);
            ps.setString(4, table);
            ps.setString(5, run);
            ps.executeUpdate();
        }
    }

    /** An identifier in backquotes, any backquote in it doubled. */
    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }
}
