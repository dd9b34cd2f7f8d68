package io.sluice.jdbc.it;

import io.sluice.jdbc.JdbcSinkConfig;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A target database for the ITs: one PostgreSQL cluster and one MariaDB server (a second one, not the source), each
 * started once per JVM and shared; each test gets a database of its own on it.
 */
enum Target {
    POSTGRESQL,
    MARIADB;

    private static PostgresServer pg;
    private static MariaDbServer maria;

    private synchronized PostgresServer pg() {
        if (pg == null) {
            pg = PostgresServer.start();
        }
        return pg;
    }

    private synchronized MariaDbServer maria() {
        if (maria == null) {
            maria = MariaDbServer.builder()
                    .without("log-bin")
                    .option("server-id", "99")
                    .start();
        }
        return maria;
    }

    /** A new database on the target; its tables are {@code <source db>.<table>} (a schema or a database). */
    String newDatabase(String prefix) {
        return this == POSTGRESQL ? pg().createDatabase(prefix) : maria().createDatabase(prefix);
    }

    String url(String db) {
        return this == POSTGRESQL ? pg().jdbcUrl(db) : maria().jdbcUrl(db);
    }

    String user() {
        return this == POSTGRESQL ? "postgres" : "root";
    }

    JdbcSinkConfig sinkConfig(String pipeline, String db) {
        return JdbcSinkConfig.of(pipeline, url(db), user(), "");
    }

    /** A connection to the target database, in UTC. */
    Connection connect(String db) throws SQLException {
        Connection c = DriverManager.getConnection(url(db), user(), "");
        try (Statement st = c.createStatement()) {
            st.execute(this == POSTGRESQL ? "SET TIME ZONE 'UTC'" : "SET time_zone = '+00:00'");
        }
        return c;
    }

    /** The target's table for a source table, quoted. */
    String table(String db, String table) {
        return this == POSTGRESQL ? "\"" + db + "\".\"" + table + "\"" : "`" + db + "`.`" + table + "`";
    }

    void execute(String db, String... sql) throws SQLException {
        try (Connection c = connect(db);
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** The MariaDB target server itself. */
    MariaDbServer mariadb() {
        return maria();
    }

    /** The target server itself (for restarts): PostgreSQL only. */
    PostgresServer postgres() {
        return pg();
    }
}
