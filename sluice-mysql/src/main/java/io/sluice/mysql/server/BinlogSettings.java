package io.sluice.mysql.server;

import io.sluice.mysql.server.Finding.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The server settings Sluice needs to read rows faithfully: the binary log on, {@code binlog_format=ROW},
 * {@code binlog_row_image=FULL} and {@code binlog_row_metadata=FULL}. {@code sluice run} checks them each time it
 * connects, {@code sluice check} with the rest of its pre-flight checks.
 */
public final class BinlogSettings {

    private BinlogSettings() {}

    /** The findings about these settings alone, without the grants: what {@code sluice run} checks at every start. */
    public static List<Finding> check(Connection c) throws SQLException {
        List<Finding> out = new ArrayList<>();
        check(c, ServerVersion.of(one(c, "SELECT VERSION()")), out);
        return out;
    }

    /**
     * Adds a finding to {@code out} for each of these settings that is wrong on the server behind {@code c}, for
     * {@code sluice check}, which checks the grants and the rest besides.
     */
    public static void check(Connection c, ServerVersion server, List<Finding> out) throws SQLException {
        String logBin = one(c, "SELECT @@GLOBAL.log_bin");
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            out.add(new Finding(
                    Kind.BINLOG_OFF,
                    "The binary log is off (log_bin=" + logBin + "): there is nothing" + " to capture.",
                    "in my.cnf [mysqld]: log_bin=mysql-bin and server_id=1 (a unique id), then"
                            + " restart the server"));
        }
        String format = one(c, "SELECT @@GLOBAL.binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            out.add(new Finding(
                    Kind.BINLOG_FORMAT,
                    "binlog_format is " + format + ", not ROW: row changes are not" + " in the binlog.",
                    "SET GLOBAL binlog_format='ROW'; and in my.cnf [mysqld]: binlog_format=ROW"
                            + " (sessions already open keep the old format until they reconnect)"));
        }
        String image = one(c, "SELECT @@GLOBAL.binlog_row_image");
        if (!"FULL".equalsIgnoreCase(image)) {
            out.add(new Finding(
                    Kind.BINLOG_ROW_IMAGE,
                    "binlog_row_image is " + image + ", not FULL: updates and" + " deletes would lack columns.",
                    "SET GLOBAL binlog_row_image='FULL'; and in my.cnf [mysqld]:" + " binlog_row_image=FULL"));
        }
        String metadata;
        try {
            metadata = one(c, "SELECT @@GLOBAL.binlog_row_metadata");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1193) { // unknown system variable
                throw e;
            }
            out.add(new Finding(
                    Kind.BINLOG_ROW_METADATA_UNSUPPORTED,
                    server.name() + " has no binlog_row_metadata"
                            + " (it needs MySQL 8.0.1+ or MariaDB 10.5+): Sluice falls back to information_schema for column"
                            + " names, which can be wrong for changes made before a schema change.",
                    "upgrade to " + (server.mariaDb() ? "MariaDB 10.5" : "MySQL 8.0") + " or later and set"
                            + " binlog_row_metadata=FULL in my.cnf [mysqld]"));
            return;
        }
        if (!"FULL".equalsIgnoreCase(metadata)) {
            out.add(new Finding(
                    Kind.BINLOG_ROW_METADATA,
                    "binlog_row_metadata is " + metadata + ", not FULL:"
                            + " Sluice must guess column names from information_schema.",
                    "SET GLOBAL" + " binlog_row_metadata='FULL'; and in my.cnf [mysqld]: binlog_row_metadata=FULL"));
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
