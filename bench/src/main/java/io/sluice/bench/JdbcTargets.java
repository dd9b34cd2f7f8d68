package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets of the JDBC sink's parts (p: a private PostgreSQL cluster, q: a second private MariaDB without a
 * binlog), each started on first use: one database per measured run, the sink's YAML, where its checkpoint in the
 * target stands, and the check that the target's tables hold what the source's do.
 */
final class JdbcTargets implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which target. */
    enum Kind {
        POSTGRESQL,
        MARIADB
    }

    private PostgresServer pg;
    private MariaDbServer maria;
    /** The target database of each run (by pipeline name). */
    private final Map<String, String> databases = new HashMap<>();
    /** The session polling each run's checkpoint ({@link #position}). */
    private final Map<String, Connection> pollers = new HashMap<>();

    private Kind kindOf(String pipeline) {
        return databases.get(pipeline).startsWith("pg:") ? Kind.POSTGRESQL : Kind.MARIADB;
    }

    /** The sink block of a run of pipeline {@code pipeline} into a new database of {@code kind}. */
    String sinkYaml(Kind kind, String pipeline) {
        String url;
        String user;
        if (kind == Kind.POSTGRESQL) {
            if (pg == null) {
                pg = PostgresServer.start();
            }
            String db = pg.createDatabase(pipeline);
            databases.put(pipeline, "pg:" + db);
            url = pg.jdbcUrl(db);
            user = "postgres";
        } else {
            if (maria == null) {
                maria = MariaDbServer.builder()
                        .without("log-bin")
                        .option("server-id", "77")
                        .option("innodb-buffer-pool-size", "256M")
                        .option("innodb-log-file-size", "256M")
                        .option("innodb-flush-log-at-trx-commit", "2")
                        .start();
            }
            String db = maria.createDatabase(pipeline);
            databases.put(pipeline, "my:" + db);
            url = maria.jdbcUrl(db);
            user = "root";
        }
        return "sink:\n  type: jdbc\n  url: \"" + url + "\"\n  user: " + user + "\n";
    }

    /** CPU seconds so far of the PostgreSQL cluster (postmaster and backends), or NaN before it is started. */
    double postgresCpu() {
        return pg == null ? Double.NaN : ProcStats.treeCpu(pg.pid());
    }

    /** The position of the checkpoint the target holds for {@code pipeline}, or null before the first. */
    BinlogPosition position(String pipeline) {
        Connection c = null;
        try {
            // one session per run, kept: a new session every poll (every 50 ms) cost the target a backend start each
            // time, CPU that grew with the run's wall time and hid the sink's own cost in the target's CPU
            c = pollers.get(pipeline);
            if (c == null || c.isClosed()) {
                c = connect(pipeline);
                c.setAutoCommit(true);
                pollers.put(pipeline, c);
            }
        } catch (SQLException e) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT checkpoint FROM sluice_checkpoint WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
                JsonNode doc = JSON.readTree(rs.getString(1));
                JsonNode pos = doc.has("position")
                        ? doc.get("position")
                        : doc.path("checkpoint").path("position");
                return pos.has("file")
                        ? new BinlogPosition(
                                pos.get("file").asText(), pos.get("pos").asLong(), null)
                        : null;
            }
        } catch (SQLException | java.io.IOException e) {
            pollers.remove(pipeline);
            try {
                c.close();
            } catch (SQLException ignored) {
                // a session gone anyway
            }
            return null;
        }
    }

    /** Whether the sink of {@code pipeline} has opened: its row is in the checkpoint table. */
    boolean opened(String pipeline) {
        try (Connection c = connect(pipeline);
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sluice_checkpoint WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Rows of {@code table} ({@code db.table}) as they become visible in the target, by a key {@code id}. */
    Rows rows(String pipeline, String table) throws SQLException {
        return new Rows(connect(pipeline), quoted(pipeline, table));
    }

    /** A reader of the rows committed in a target table since its last look, as events ({@code after.id}). */
    static final class Rows {
        private final Connection c;
        private final String table;
        private long last;

        Rows(Connection c, String table) {
            this.c = c;
            this.table = table;
        }

        List<JsonNode> poll() throws java.io.IOException {
            List<JsonNode> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id > ? ORDER BY id")) {
                ps.setLong(1, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        out.add(JSON.createObjectNode()
                                .set("after", JSON.createObjectNode().put("id", (int) last)));
                    }
                }
            } catch (SQLException e) {
                // the table is not created yet: nothing visible
            }
            return out;
        }
    }

    private String quoted(String pipeline, String table) {
        return kindOf(pipeline) == Kind.POSTGRESQL
                ? "\"" + table.replace(".", "\".\"") + "\""
                : "`" + table.replace(".", "`.`") + "`";
    }

    /**
     * Row count and a sum over the key of each {@code tables} ({@code db.table} at the source, where {@code source}
     * reads them), in the source and in the target; the note says whether they agree.
     */
    String verify(Connection source, List<String> tables, String pipeline) throws SQLException {
        List<String> differ = new ArrayList<>();
        long rows = 0;
        for (String t : tables) {
            String[] s = summary(source, "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM " + t);
            String target = quoted(pipeline, t);
            String[] d;
            try (Connection c = connect(pipeline)) {
                d = summary(c, "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM " + target);
            }
            rows += Long.parseLong(s[0]);
            if (!s[0].equals(d[0]) || !s[1].equals(d[1])) {
                differ.add(
                        t + " source " + s[0] + " rows (sum of ids " + s[1] + "), target " + d[0] + " (" + d[1] + ")");
            }
        }
        return differ.isEmpty()
                ? "target tables = source tables (" + rows + " rows; counts and sums of ids)"
                : "TARGET DIFFERS: " + String.join("; ", differ);
    }

    private static String[] summary(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new String[] {rs.getString(1), new java.math.BigDecimal(rs.getString(2)).toPlainString()};
        }
    }

    private Connection connect(String pipeline) throws SQLException {
        String db = databases.get(pipeline);
        return db.startsWith("pg:")
                ? pg.connection(db.substring(3))
                : DriverManager.getConnection(maria.jdbcUrl(db.substring(3)), "root", "");
    }

    @Override
    public void close() {
        for (Connection c : pollers.values()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        if (pg != null) {
            pg.close();
        }
        if (maria != null) {
            maria.close();
        }
    }
}
