package io.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbServerIT {

    private static MariaDbServer server;

    @BeforeAll
    static void start() {
        server = MariaDbServer.builder().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String query(MariaDbServer s, String sql) throws SQLException {
        try (Connection c = s.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void defaultsAreSetForRowCapture() throws SQLException {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isPositive();
        assertThat(query(server, "SELECT @@log_bin")).isEqualTo("1");
        assertThat(query(server, "SELECT @@binlog_format")).isEqualTo("ROW");
        assertThat(query(server, "SELECT @@binlog_row_image")).isEqualTo("FULL");
        assertThat(query(server, "SELECT @@binlog_row_metadata")).isEqualTo("FULL");
        assertThat(query(server, "SELECT @@server_id")).isEqualTo("1");
        assertThat(query(server, "SELECT @@log_slave_updates")).isEqualTo("0");
        assertThat(query(server, "SELECT @@character_set_server")).isEqualTo("utf8mb4");
        assertThat(query(server, "SELECT CURRENT_USER()")).isEqualTo("root@127.0.0.1");
    }

    @Test
    void gtidPositionMovesAfterAnInsert() throws SQLException {
        String db = server.createDatabase("gtid");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String before = query(server, "SELECT @@gtid_binlog_pos");
        server.execute("INSERT INTO " + db + ".t VALUES (1)");
        String after = query(server, "SELECT @@gtid_binlog_pos");
        assertThat(after).matches("0-1-\\d+").isNotEqualTo(before);
        assertThat(Files.exists(server.dataDir().resolve("mysql-bin.000001"))).isTrue();
    }

    @Test
    void createUserGrantsAndConnects() throws SQLException {
        String db = server.createDatabase("users");
        server.createUser("reader", "s3cret", "SELECT ON `" + db + "`.*", "REPLICATION SLAVE ON *.*");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), "reader", "s3cret");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(db);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "reader", "wrong")
                        .close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void restartKeepsDataAndPortAndKillWorks() throws Exception {
        try (MariaDbServer own = MariaDbServer.builder().start()) {
            int port = own.port();
            String db = own.createDatabase("restart");
            own.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (7)");

            own.restart();
            assertThat(own.port()).isEqualTo(port);
            assertThat(query(own, "SELECT id FROM " + db + ".t")).isEqualTo("7");

            own.execute("INSERT INTO " + db + ".t VALUES (8)");
            own.kill();
            assertThat(own.isRunning()).isFalse();
            assertThatThrownBy(() -> own.rootConnection().close()).isInstanceOf(SQLException.class);

            own.restart(); // crash recovery
            assertThat(query(own, "SELECT COUNT(*) FROM " + db + ".t")).isEqualTo("2");

            own.stop();
            assertThat(own.isRunning()).isFalse();
            own.restart();
            assertThat(query(own, "SELECT COUNT(*) FROM " + db + ".t")).isEqualTo("2");

            Path dir = own.dataDir();
            own.close();
            assertThat(Files.exists(dir)).isFalse();
        }
    }

    @Test
    void overridesTakeEffect() throws SQLException {
        try (MariaDbServer own = MariaDbServer.builder()
                .without("log_bin")
                .option("binlog_format", "STATEMENT")
                .option("binlog_row_image", "MINIMAL")
                .option("--binlog-row-metadata", "MINIMAL")
                .start()) {
            assertThat(query(own, "SELECT @@log_bin")).isEqualTo("0");
            assertThat(query(own, "SELECT @@binlog_format")).isEqualTo("STATEMENT");
            assertThat(query(own, "SELECT @@binlog_row_image")).isEqualTo("MINIMAL");
            assertThat(query(own, "SELECT @@binlog_row_metadata")).isEqualTo("MINIMAL");
        }
    }

    @Test
    void badOptionFailsWithErrorLogTail() {
        assertThatThrownBy(() -> MariaDbServer.builder()
                        .option("binlog_format", "NONSENSE")
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("binlog");
    }

    @Test
    void sharedIsOneServerAndCannotBeStopped() throws SQLException {
        MariaDbServer a = MariaDbServer.shared();
        assertThat(MariaDbServer.shared()).isSameAs(a);
        a.close(); // no-op
        assertThat(query(a, "SELECT 1")).isEqualTo("1");
        assertThatThrownBy(a::kill).isInstanceOf(UnsupportedOperationException.class);
    }
}
