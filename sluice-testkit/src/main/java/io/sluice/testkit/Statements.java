package io.sluice.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Running a test's set-up statements on one of our servers. */
final class Statements {
    /** Opens a connection to a server. */
    interface Connect {
        Connection open() throws SQLException;
    }

    private Statements() {}

    /** Runs {@code sql} in order on one connection of {@code server}; a failure becomes unchecked and names it. */
    static void run(Object server, Connect connect, String... sql) {
        try (Connection c = connect.open();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + server + ": " + e.getMessage(), e);
        }
    }
}
