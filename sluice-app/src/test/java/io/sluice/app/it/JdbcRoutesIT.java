package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JDBC sink behind {@code sluice run} with rules: eight shard tables with overlapping ids, written concurrently,
 * merged by a rule's {@code route} (with {@code set: {shard: source.table}} and {@code key: [shard, id]}) into one
 * PostgreSQL table, every row once with its values; the sink's meters on {@code /metrics}; and {@code sluice check}
 * naming the grants a target user lacks.
 */
class JdbcRoutesIT {
    private static final int SHARDS = 8;
    private static final int ROWS = 40;
    private static final String COLUMNS = "shard, id, status, total, qty";

    private final MariaDbServer server = MariaDbServer.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eightShardsWithOverlappingIdsMergeIntoOneTargetTableByTheRulesRoute() throws Exception {
        Path dir = Harness.workDir("jroutes");
        String db = server.createDatabase("jroutes");
        for (int s = 0; s < SHARDS; s++) {
            server.execute("CREATE TABLE " + db + ".orders_0" + s + " (id INT PRIMARY KEY, status VARCHAR(10),"
                    + " total DECIMAL(65,30), qty BIGINT UNSIGNED)");
        }
        server.execute("CREATE TABLE " + db + ".customers (id INT PRIMARY KEY, name VARCHAR(20))");
        Files.writeString(dir.resolve("merge.yaml"), """
                rules:
                  - name: merge-orders
                    match: {tables: ["*.orders_*"]}
                    route: "{db}.orders"
                    set: {shard: "source.table"}
                    key: [shard, id]
                """, StandardCharsets.UTF_8);
        try (PostgresServer pg = PostgresServer.start()) {
            String tdb = pg.createDatabase("jroutes");
            pg.execute(tdb, "CREATE USER weak");
            Path weakDir = Files.createDirectories(dir.resolve("weak"));
            Files.copy(dir.resolve("merge.yaml"), weakDir.resolve("merge.yaml"));
            Path weak = config(weakDir, db, pg.jdbcUrl(tdb), "weak");
            String[] check = Harness.cli(dir, "check-weak", "check", "--config", weak.toString());
            assertThat(check[1])
                    .contains("jroutes: sink: weak may not create the checkpoint table \"sluice_checkpoint\" in schema"
                            + " public Fix: GRANT CREATE ON SCHEMA \"public\" TO weak")
                    .contains("jroutes: sink: weak may not create schemas in database " + tdb);
            assertThat(check[0])
                    .as("exit code of check, a target lacking grants")
                    .isNotEqualTo("0");

            Path config = config(dir, db, pg.jdbcUrl(tdb), "postgres");
            String[] ready = Harness.cli(dir, "check-ready", "check", "--config", config.toString());
            assertThat(ready[1]).doesNotContain("sink:");
            assertThat(ready[0]).as("exit code of check; it said: " + ready[1]).isEqualTo("0");

            try (SluiceProcess p =
                    SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString())) {
                String url = Harness.consoleUrl(p);
                int[] counts = writeShardsConcurrently(db);
                server.execute("INSERT INTO " + db + ".customers VALUES (1, 'Ada')");

                List<String> want = sourceRows(db);
                assertThat(want).hasSize(SHARDS * (ROWS - ROWS / 7));
                Harness.waiting("the merged target table equal to the eight shards", Duration.ofSeconds(120), p)
                        .until(() -> targetRows(pg, tdb, db), want::equals);
                Harness.waiting("the unrouted table in the target", Duration.ofSeconds(60), p)
                        .until(() -> count(pg, tdb, "SELECT count(*) FROM \"" + db + "\".customers") == 1);

                assertThat(strings(
                                pg,
                                tdb,
                                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND"
                                        + " a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = '\"" + db
                                        + "\".orders'::regclass ORDER BY array_position(i.indkey, a.attnum)"))
                        .as("the merged table's key: the rules' key")
                        .containsExactly("shard", "id");
                assertThat(strings(
                                pg,
                                tdb,
                                "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + db
                                        + "' ORDER BY 1"))
                        .as("no table of its own for any shard")
                        .containsExactly("customers", "orders");

                String table = db + ".orders";
                String[] metrics = new String[1];
                Harness.waiting("every applied row counted on /metrics", Duration.ofSeconds(60), p)
                        .until(() -> {
                            metrics[0] = get(url + "/metrics");
                            return value(metrics[0], "sluice_sink_rows_applied_total", table, "d") == counts[2];
                        });
                assertThat(value(metrics[0], "sluice_sink_rows_applied_total", table, "c"))
                        .isEqualTo(counts[0]);
                assertThat(value(metrics[0], "sluice_sink_rows_applied_total", table, "u"))
                        .isEqualTo(counts[1]);
                assertThat(value(metrics[0], "sluice_sink_rows_applied_total", db + ".customers", "c"))
                        .isEqualTo(1);
                assertThat(value(metrics[0], "sluice_sink_batch_seconds_count", null, null))
                        .isPositive();
                double lag = value(metrics[0], "sluice_sink_target_lag_seconds", null, null);
                assertThat(lag).isBetween(0.0, 120.0);
                MetricsConventionsIT.lint(metrics[0]);
                p.terminate(60);
            }
        }
    }

    /**
     * One writer per shard, at once, the same ids in every shard: inserts, an update of the row before, every
     * seventh row deleted; returns the rows inserted, updated and deleted in all.
     */
    private int[] writeShardsConcurrently(String db) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(SHARDS);
        List<Future<int[]>> done = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            String table = db + ".orders_0" + s;
            int shard = s;
            done.add(writers.submit(() -> {
                int[] n = new int[3];
                for (int id = 1; id <= ROWS; id++) {
                    String qty = id == 1 ? "18446744073709551614" : Integer.toString(id * 10 + shard);
                    server.execute("INSERT INTO " + table + " VALUES (" + id + ", 'new', '" + id + "." + shard
                            + "23456789012345678901234567890', " + qty + ")");
                    n[0]++;
                    if (id > 1 && (id - 1) % 7 != 0) { // the row before, unless deleted
                        server.execute(
                                "UPDATE " + table + " SET status = 'paid', qty = qty - 1 WHERE id = " + (id - 1));
                        n[1]++;
                    }
                    if (id % 7 == 0) {
                        server.execute("DELETE FROM " + table + " WHERE id = " + id);
                        n[2]++;
                    }
                }
                return n;
            }));
        }
        int[] total = new int[3];
        for (Future<int[]> f : done) {
            int[] n = f.get();
            for (int i = 0; i < 3; i++) {
                total[i] += n[i];
            }
        }
        writers.shutdown();
        return total;
    }

    private List<String> sourceRows(String db) throws SQLException {
        StringBuilder union = new StringBuilder();
        for (int s = 0; s < SHARDS; s++) {
            union.append(s == 0 ? "" : " UNION ALL ")
                    .append("SELECT 'orders_0")
                    .append(s)
                    .append("' AS shard, id, status, total, qty FROM ")
                    .append(db)
                    .append(".orders_0")
                    .append(s);
        }
        try (Connection c = server.rootConnection()) {
            return rows(c, "SELECT " + COLUMNS + " FROM (" + union + ") u ORDER BY 1, 2");
        }
    }

    private static List<String> targetRows(PostgresServer pg, String tdb, String db) throws SQLException {
        try (Connection c = pg.connection(tdb)) {
            return rows(c, "SELECT " + COLUMNS + " FROM \"" + db + "\".orders ORDER BY 1, 2");
        } catch (SQLException e) {
            return List.of(e.getMessage()); // not created yet
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        return Harness.rows(c, sql);
    }

    private static List<String> strings(PostgresServer pg, String tdb, String sql) throws SQLException {
        try (Connection c = pg.connection(tdb)) {
            return rows(c, sql);
        }
    }

    private static long count(PostgresServer pg, String tdb, String sql) {
        try (Connection c = pg.connection(tdb);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // not created yet
        }
    }

    /** The value of the series of {@code metric} with the labels {@code table} and {@code op} (null: any); NaN if none. */
    private static double value(String metrics, String metric, String table, String op) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(metrics);
        while (m.find()) {
            String labels = m.group(1);
            if ((table == null || labels.contains("table=\"" + table + "\""))
                    && (op == null || labels.contains("op=\"" + op + "\""))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** The pipeline {@code jroutes} in {@code dir} (with its rule file), into the JDBC target as {@code user}. */
    private Path config(Path dir, String db, String url, String user) throws Exception {
        Path file = Harness.config(
                dir,
                "jroutes",
                server.host(),
                server.port(),
                "",
                9171,
                db,
                Harness.masterStatus(server),
                "rules: merge.yaml\n");
        String yaml = Files.readString(file)
                .replaceFirst(
                        "sink:\n  type: file\n  path: [^\n]*\n  segment-bytes: 64KiB\n",
                        Matcher.quoteReplacement(
                                "sink:\n  type: jdbc\n  url: \"" + url + "\"\n  user: " + user + "\n"));
        assertThat(yaml).contains("type: jdbc");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
