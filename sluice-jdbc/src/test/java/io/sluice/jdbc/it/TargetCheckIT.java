package io.sluice.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.sink.SinkFinding;
import io.sluice.jdbc.JdbcSinkConfig;
import io.sluice.jdbc.JdbcSinkProvider;
import io.sluice.testkit.PostgresServer;
import io.sluice.testkit.Waits;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code sluice check} of the JDBC sink's target ({@link JdbcSinkProvider#check}) against real servers. */
class TargetCheckIT {
    private static final JdbcSinkProvider PROVIDER = new JdbcSinkProvider();

    @Test
    void anUnreachableTargetIsAFindingNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        for (String url : List.of(
                "jdbc:postgresql://127.0.0.1:" + port + "/x?connectTimeout=5",
                "jdbc:mariadb://127.0.0.1:" + port + "/x?connectTimeout=5000")) {
            List<SinkFinding> findings = PROVIDER.check(JdbcSinkConfig.of("p", url, "sluice", "pw"));
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.isProblem()).isTrue();
                assertThat(f.problem()).contains(url).contains("cannot be reached");
                assertThat(f.fix()).contains("host and port in sink.url");
            });
        }
    }

    @Test
    void aWrongPasswordIsAFindingOnBothTargets() throws Exception {
        PostgresServer pg = Target.POSTGRESQL.postgres();
        String db = Target.POSTGRESQL.newDatabase("pw");
        pg.execute(db, "DROP ROLE IF EXISTS pwuser", "CREATE USER pwuser PASSWORD 'right'");
        pg.requirePassword("pwuser");
        String pgUrl = pg.jdbcUrl(db);
        Waits.await("PostgreSQL to want pwuser's password", Duration.ofSeconds(30))
                .until(() -> !logsIn(pgUrl, "pwuser", "wrong"));
        assertLoginRefused(JdbcSinkConfig.of("p", pgUrl, "pwuser", "wrong"), "CREATE USER pwuser PASSWORD");

        Target.MARIADB.mariadb().createUser("pwuser", "right", "ALL ON *.* ");
        String mdb = Target.MARIADB.newDatabase("pw");
        assertLoginRefused(
                JdbcSinkConfig.of("p", Target.MARIADB.url(mdb), "pwuser", "wrong"),
                "CREATE USER 'pwuser'@'%' IDENTIFIED BY");
        assertThat(PROVIDER.check(JdbcSinkConfig.of("p", Target.MARIADB.url(mdb), "pwuser", "right")))
                .as("the right password, every grant")
                .isEmpty();
    }

    private static void assertLoginRefused(JdbcSinkConfig cfg, String createUser) {
        assertThat(PROVIDER.check(cfg)).singleElement().satisfies(f -> {
            assertThat(f.isProblem()).isTrue();
            assertThat(f.problem()).contains("refused the login of pwuser");
            assertThat(f.fix()).contains("sink.user and sink.password").contains(createUser);
        });
    }

    @Test
    void aPostgresUserWithoutGrantsGetsEachMissingGrantNamedAndTheCheckChangesNothing() throws Exception {
        PostgresServer pg = Target.POSTGRESQL.postgres();
        String db = Target.POSTGRESQL.newDatabase("grants");
        pg.execute(
                db,
                "DROP ROLE IF EXISTS weak",
                "CREATE USER weak",
                "CREATE SCHEMA analytics",
                "CREATE TABLE analytics.shop_orders (id INT PRIMARY KEY)",
                "GRANT USAGE ON SCHEMA analytics TO weak");
        JdbcSinkConfig perDb = JdbcSinkConfig.of("p", pg.jdbcUrl(db), "weak", "");
        List<SinkFinding> findings = PROVIDER.check(perDb);
        assertThat(findings)
                .extracting(SinkFinding::problem)
                .containsExactly(
                        "weak may not create the checkpoint table \"sluice_checkpoint\" in schema public",
                        "weak may not create schemas in database " + db + ", and sink.table {db}.{table} makes one per"
                                + " source database",
                        "weak may not write the existing target tables analytics.shop_orders");
        assertThat(findings)
                .extracting(SinkFinding::fix)
                .satisfiesExactly(
                        f -> assertThat(f).startsWith("GRANT CREATE ON SCHEMA \"public\" TO weak"),
                        f -> assertThat(f).startsWith("GRANT CREATE ON DATABASE \"" + db + "\" TO weak"),
                        f -> assertThat(f)
                                .startsWith("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON <each table> TO"));

        JdbcSinkConfig fixed = withTable(perDb, "analytics.{db}_{table}");
        assertThat(PROVIDER.check(fixed))
                .extracting(SinkFinding::problem)
                .contains(
                        "weak may not create and write tables in schema analytics",
                        "weak may not write the existing target tables analytics.shop_orders");

        pg.execute(
                db,
                "GRANT CREATE ON SCHEMA public TO weak",
                "GRANT CREATE ON DATABASE \"" + db + "\" TO weak",
                "GRANT CREATE ON SCHEMA analytics TO weak",
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON analytics.shop_orders TO weak");
        assertThat(PROVIDER.check(perDb)).as("every grant given").isEmpty();
        assertThat(PROVIDER.check(fixed)).as("every grant given").isEmpty();
        assertThat(count(pg, db, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'sluice%'"))
                .as("the check created nothing")
                .isZero();
        assertThat(count(pg, db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sluice%'"))
                .isZero();

        // a checkpoint table made by an administrator, the user only granted to write it (not to create tables)
        pg.execute(
                db,
                "REVOKE CREATE ON SCHEMA public FROM weak",
                "CREATE TABLE public.sluice_checkpoint (pipeline VARCHAR(255) PRIMARY KEY, generation BIGINT NOT"
                        + " NULL, checkpoint TEXT)",
                "GRANT SELECT ON public.sluice_checkpoint TO weak");
        assertThat(PROVIDER.check(perDb))
                .as("reading it is not enough")
                .extracting(SinkFinding::problem)
                .containsExactly("weak may not write the checkpoint table \"sluice_checkpoint\"");
        pg.execute(db, "GRANT INSERT, UPDATE ON public.sluice_checkpoint TO weak");
        assertThat(PROVIDER.check(perDb)).isEmpty();
    }

    @Test
    void aMariaDbUserWithoutGrantsGetsTheGrantStatementsItNeeds() throws Exception {
        String db = Target.MARIADB.newDatabase("grants");
        Target.MARIADB.mariadb().createUser("weakling", "pw", "SELECT ON `" + db + "`.*");
        JdbcSinkConfig cfg =
                withTable(JdbcSinkConfig.of("p", Target.MARIADB.url(db), "weakling", "pw"), "analytics_x.{db}_{table}");
        List<SinkFinding> findings = PROVIDER.check(cfg);
        assertThat(findings)
                .extracting(SinkFinding::problem)
                .containsExactly(
                        "weakling@% lacks CREATE, INSERT, UPDATE on `" + db
                                + "` for the checkpoint table sluice_checkpoint",
                        "weakling@% lacks CREATE, ALTER, SELECT, INSERT, UPDATE, DELETE on `analytics_x` for the target"
                                + " tables");
        assertThat(findings)
                .extracting(SinkFinding::fix)
                .containsExactly(
                        "GRANT CREATE, SELECT, INSERT, UPDATE ON `" + db + "`.* TO 'weakling'@'%'",
                        "GRANT CREATE, ALTER, SELECT, INSERT, UPDATE, DELETE ON `analytics_x`.* TO 'weakling'@'%'");

        Target.MARIADB
                .mariadb()
                .execute(
                        "GRANT CREATE, SELECT, INSERT, UPDATE ON `" + db + "`.* TO 'weakling'@'%'",
                        "GRANT CREATE, ALTER, SELECT, INSERT, UPDATE, DELETE ON `analytics\\_x`.* TO"
                                + " 'weakling'@'%'");
        assertThat(PROVIDER.check(cfg)).isEmpty();
    }

    private static JdbcSinkConfig withTable(JdbcSinkConfig c, String template) {
        return new JdbcSinkConfig(
                c.pipeline(),
                c.url(),
                c.user(),
                c.password(),
                c.dialect(),
                template,
                c.checkpointTable(),
                c.batchEvents(),
                c.transactionEvents(),
                c.transactionBytes(),
                c.deleteMode(),
                c.truncateMode(),
                c.keylessMode(),
                c.metadataColumns(),
                c.positionGuard(),
                c.batchForm());
    }

    private static boolean logsIn(String url, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, p)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static long count(PostgresServer pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connection(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
