package io.sluice.mysql.check;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.mysql.server.BinlogSettings;
import io.sluice.mysql.server.ErrorClassifier;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.server.ServerVersion;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a source server and user are fit for capture by one pipeline, so that {@code sluice run} does not
 * stop on something {@code sluice check} could have said: binlog on, {@code binlog_format=ROW},
 * {@code binlog_row_image=FULL}, {@code binlog_row_metadata=FULL}; the privileges REPLICATION SLAVE, REPLICATION
 * CLIENT (BINLOG MONITOR on MariaDB 10.5+) and SELECT on the captured tables; {@code source.include} globs that
 * match tables ({@link CapturedTables}); a {@code source.server-id} no one else uses ({@link ServerIdCheck}); a
 * position to read from that the server still has ({@link PositionCheck}); no binlog filter that leaves out a
 * captured database ({@link BinlogFilterCheck}); and, for a pipeline that snapshots, a signal table it can use
 * ({@link SignalTableCheck}); with a heartbeat, a heartbeat table it can write ({@link HeartbeatCheck}). Each problem becomes a {@link Finding} with the statement,
 * my.cnf setting or configuration change that fixes it; notes (what could not be verified) do not count as
 * problems. An empty list means all is well.
 *
 * <p>Privileges are read from {@code SHOW GRANTS}, which on MariaDB includes the grants of the active role. On
 * MySQL 8 privileges that come only through a role are not seen, so such a user may get findings it does not need.
 *
 * <pre>{@code
 * List<Finding> findings = new ServerCheck(config).resumingFrom(checkpoint, "move away state/ and out/").run();
 * findings.forEach(f -> System.out.println(f));
 * }</pre>
 */
public final class ServerCheck {

    private static final String START_OVER = "stop the pipeline, move away its state directory and its sink's output,"
            + " and start it again (with start: snapshot to read the tables' rows first)";

    private final MySqlSourceConfig config;
    private Checkpoint checkpoint;
    private String startOver = START_OVER;

    public ServerCheck(MySqlSourceConfig config) {
        this.config = config;
    }

    /**
     * The pipeline's checkpoint (from its sink), which decides where it reads from and whether it has snapshot work
     * left; {@code startOver} says how to start the pipeline afresh, should the server no longer have that position.
     */
    public ServerCheck resumingFrom(Checkpoint cp, String howToStartOver) {
        this.checkpoint = cp;
        this.startOver = howToStartOver == null ? START_OVER : howToStartOver;
        return this;
    }

    /**
     * Connects with the source's user and password and checks the server.
     *
     * @return the problems and notes found, empty if none
     * @throws SluiceException if it cannot connect or query (message from {@link ErrorClassifier}, no password)
     */
    public List<Finding> run() {
        try (Connection c = config.connect()) {
            return check(c);
        } catch (SQLException e) {
            throw ErrorClassifier.classify(e, config.errorContext());
        }
    }

    /** Checks the server behind an open connection, logged in as the user Sluice will use, for a new pipeline. */
    public static List<Finding> check(Connection c, MySqlSourceConfig config) throws SQLException {
        return new ServerCheck(config).check(c);
    }

    private List<Finding> check(Connection c) throws SQLException {
        ServerVersion server = ServerVersion.of(one(c, "SELECT VERSION()"));
        String account = account(one(c, "SELECT CURRENT_USER()"));
        List<Finding> out = new ArrayList<>();
        BinlogSettings.check(c, server, out);
        List<String> lines = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        Grants grants = Grants.parse(lines);
        checkReplicationGrants(grants, server, account, out);
        ServerIdCheck.check(c, server, config, account, out);
        PositionCheck.check(c, server, config, checkpoint, startOver, out);
        CapturedTables.check(
                c,
                grants,
                config,
                account,
                checkpoint == null && config.start() instanceof StartPosition.Snapshot,
                out);
        boolean snapshots = SignalTableCheck.wanted(config, checkpoint);
        BinlogFilterCheck.check(c, config, snapshots, out);
        if (snapshots) {
            SignalTableCheck.check(c, grants, server, config, account, out);
        }
        HeartbeatCheck.check(c, config, account, out);
        Finding heap = heapNote(
                Long.parseLong(one(c, "SELECT @@GLOBAL.max_allowed_packet")),
                Runtime.getRuntime().maxMemory());
        if (heap != null) {
            out.add(heap);
        }
        return out;
    }

    /**
     * A note when a row as large as the server allows ({@code max_allowed_packet}) would need more heap than
     * {@code maxHeap}, which is this JVM's: {@code sluice run} started the same way has as much.
     */
    static Finding heapNote(long maxAllowedPacket, long maxHeap) {
        long needed = MySqlSource.heapForEvent(maxAllowedPacket);
        if (needed <= maxHeap) {
            return null;
        }
        return new Finding(
                Kind.HEAP,
                "max_allowed_packet is " + (maxAllowedPacket >> 20) + " MiB: a row that"
                        + " large needs about " + (needed >> 20) + " MiB of Java heap, and this JVM has "
                        + (maxHeap >> 20)
                        + " MiB, so `sluice run` with the same options would stop on such a row.",
                "If rows that large" + " exist, give the JVM more heap with -Xmx in SLUICE_JAVA_OPTS.");
    }

    private static void checkReplicationGrants(Grants grants, ServerVersion server, String account, List<Finding> out) {
        if (!grants.hasGlobal("REPLICATION SLAVE", "REPLICATION REPLICA")) {
            out.add(new Finding(
                    Kind.REPLICATION_SLAVE,
                    "User " + account + " lacks REPLICATION SLAVE: it cannot" + " read the binlog.",
                    "GRANT REPLICATION SLAVE ON *.* TO " + account + ";"));
        }
        boolean binlogMonitor = server.mariaDb() && server.atLeast(10, 5, 2);
        if (!grants.hasGlobal("REPLICATION CLIENT", "BINLOG MONITOR", "SUPER")) {
            String priv = binlogMonitor ? "BINLOG MONITOR" : "REPLICATION CLIENT";
            out.add(new Finding(
                    Kind.REPLICATION_CLIENT,
                    "User " + account + " lacks " + priv + ": it cannot run"
                            + " SHOW MASTER STATUS or SHOW BINARY LOGS.",
                    "GRANT " + priv + " ON *.* TO " + account + ";"));
        }
    }

    /** {@code CURRENT_USER()}'s {@code user@host} as {@code 'user'@'host'}. */
    static String account(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        String user = at < 0 ? currentUser : currentUser.substring(0, at);
        String host = at < 0 ? "%" : currentUser.substring(at + 1);
        return "'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
