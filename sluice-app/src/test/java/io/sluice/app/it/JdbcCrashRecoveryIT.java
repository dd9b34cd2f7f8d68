package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.PostgresServer;
import io.sluice.testkit.Waits;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Exactly once into PostgreSQL across crashes: while a writer commits a known workload (inserts, updates, key
 * changes, deletes; and transactions rolled back), {@code sluice run} with {@code sink.type: jdbc} is SIGKILLed at
 * random moments and restarted each time. At the end every target table equals its source table, and an audit
 * trigger on the targets, which records the {@code _sluice_pos} (event id) of every row written, shows no event
 * applied twice: the rows and the checkpoint were committed together, in one transaction of the target.
 */
class JdbcCrashRecoveryIT extends WithOwnMariaDb {
    private static final long SEED = Long.getLong("sluice.it.seed", System.nanoTime());

    /** The workload's tables as the target holds them, with the metadata columns. */
    private static final String[] TARGETS = {
        "t_pk (id INTEGER PRIMARY KEY, v VARCHAR(40), amt NUMERIC(10,2)",
        "t_comp (a INTEGER NOT NULL, b INTEGER NOT NULL, name VARCHAR(30), qty INTEGER, PRIMARY KEY (a, b)",
        "t_uk (code VARCHAR(20) PRIMARY KEY, n INTEGER, note VARCHAR(30)"
    };

    private static final String[] COLUMNS = {"id, v, amt", "a, b, name, qty", "code, n, note"};

    @Test
    void killedAtRandomMomentsAppliesEveryChangeOnce() throws Exception {
        Random random = new Random(SEED);
        System.out.println("JdbcCrashRecoveryIT seed " + SEED);
        Path dir = Harness.workDir("jcrash");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("jcrash");
        Workload.createTables(server, db);
        try (PostgresServer pg = PostgresServer.start()) {
            String tdb = pg.createDatabase("jcrash");
            createAuditedTargets(pg, tdb, db);
            String source = Harness.sourceAt(server, 9161, db, Harness.masterStatus(server));
            String sink =
                    Harness.jdbcSink(pg.jdbcUrl(tdb), "  metadata-columns: true\n" + "  max-transaction-events: 10\n");
            Path config = Harness.writeConfig(dir, "jcrash", source, sink, Harness.SMALL_BATCHES);

            long t0 = System.nanoTime();
            Workload writer = new Workload(server, db, 1, 30, 20, SEED).start();
            AtomicBoolean stop = new AtomicBoolean();
            Thread rollbacks = rollbacks(db, stop);
            KillLoop crashes = KillLoop.start(log, config);
            try {
                crashes.killRepeatedly(
                        t0 + Duration.ofSeconds(30).toNanos(),
                        10,
                        () -> 500 + random.nextInt(2500),
                        code -> writer.assertNoFailure());
                writer.stopAndJoin();
                stop.set(true);
                rollbacks.join();
                System.out.println("JdbcCrashRecoveryIT: " + crashes.kills() + " kills, "
                        + writer.committed().size() + " transactions, " + writer.rows() + " rows");

                for (int t = 0; t < Workload.TABLES.size(); t++) {
                    String table = Workload.TABLES.get(t).name();
                    String columns = COLUMNS[t];
                    List<String> want = rows(server.rootConnection(), db + "." + table, columns);
                    Waits.await(table + " in the target equals the source", Duration.ofSeconds(120))
                            .whileAlive(crashes::assertAlive)
                            .until(() -> rows(pg.connection(tdb), "\"" + db + "\"." + table, columns), want::equals);
                }
                // a stop by SIGTERM: 143, as for every sink (CrashRecoveryIT)
                assertThat(crashes.current().terminate(60))
                        .as("exit code of SIGTERM")
                        .isIn(0, 143);
                assertThat(crashes.kills()).isGreaterThanOrEqualTo(10);
                assertThat(crashes.killCodes())
                        .as("exit codes of the killed processes")
                        .containsOnly(137);

                try (Connection c = pg.connection(tdb);
                        Statement st = c.createStatement()) {
                    List<String> twice = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT pos, COUNT(*) FROM \"" + db + "\".audit"
                            + " GROUP BY pos HAVING COUNT(*) > 1 ORDER BY pos LIMIT 20")) {
                        while (rs.next()) {
                            twice.add(rs.getString(1) + " x" + rs.getInt(2));
                        }
                    }
                    assertThat(twice).as("events applied more than once").isEmpty();
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + db + "\".audit")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("audited writes").isPositive();
                    }
                }
            } finally {
                stop.set(true);
                writer.close();
                crashes.close();
            }
        }
    }

    /** A second writer whose transactions are all rolled back: nothing of them may reach the target. */
    private static Thread rollbacks(String db, AtomicBoolean stop) {
        Thread t = new Thread(
                () -> {
                    try (Connection c = server.rootConnection();
                            Statement st = c.createStatement()) {
                        c.setAutoCommit(false);
                        for (int i = 0; !stop.get(); i++) {
                            st.execute("INSERT INTO " + db + ".t_pk (id, v) VALUES (" + (-1 - i) + ", 'rolled back')");
                            c.rollback();
                            Thread.sleep(50); // the subject: pacing the rolled-back transactions
                        }
                    } catch (SQLException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "rollbacks");
        t.start();
        return t;
    }

    private static void createAuditedTargets(PostgresServer pg, String tdb, String db) {
        String s = "\"" + db + "\"";
        List<String> sql = new ArrayList<>(List.of(
                "CREATE SCHEMA " + s,
                "CREATE TABLE " + s + ".audit (tbl TEXT, pos VARCHAR(255), op VARCHAR(1))",
                "CREATE FUNCTION " + s + ".audit() RETURNS trigger AS $$ BEGIN INSERT INTO " + s + ".audit VALUES"
                        + " (TG_TABLE_NAME, NEW._sluice_pos, NEW._sluice_op); RETURN NEW; END $$ LANGUAGE plpgsql"));
        for (String t : TARGETS) {
            String name = t.substring(0, t.indexOf(' '));
            sql.add("CREATE TABLE " + s + "." + t
                    + ", _sluice_op VARCHAR(1), _sluice_ts BIGINT, _sluice_pos VARCHAR(255))");
            sql.add("CREATE TRIGGER audit AFTER INSERT OR UPDATE ON " + s + "." + name + " FOR EACH ROW EXECUTE"
                    + " FUNCTION " + s + ".audit()");
        }
        pg.execute(tdb, sql.toArray(String[]::new));
    }

    /** Every row of a table, its columns as text, in key order (the first column(s)). */
    private static List<String> rows(Connection c, String table, String columns) throws SQLException {
        try (c) {
            return Harness.rows(c, "SELECT " + columns + " FROM " + table + " ORDER BY 1, 2");
        }
    }
}
