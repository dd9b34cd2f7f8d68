package io.sluice.mysql.check;

import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.server.ServerVersion;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code source.server-id} against the ids in use: the server's own {@code server_id}, and the ids of the replicas
 * registered with it (SHOW SLAVE HOSTS; SHOW REPLICAS on MySQL 8.0.22+). A server keeps one replica connection per
 * id: a second one with the same id makes it drop the first, so the two disconnect each other for as long as both
 * run.
 *
 * <p>Not every binlog reader registers (mysql-binlog-connector-java, which Sluice, Debezium and Maxwell use, does
 * not), and MariaDB 10.5+ lists replicas only to users with REPLICATION MASTER ADMIN. What cannot be verified is a
 * note: the registered ids when they cannot be listed, and the binlog readers in the process list (the user's own,
 * or all with PROCESS) that no registered replica accounts for.
 */
final class ServerIdCheck {
    /** Not allowed: no privilege (1227 on MariaDB 10.5+ without REPLICATION MASTER ADMIN), unknown command. */
    private static final Set<Integer> CANNOT_LIST = Set.of(1044, 1142, 1227, 1064);

    /** A replica registered with the server. */
    private record Replica(long serverId, String host, int port) {
        String where() {
            return (host == null || host.isEmpty() ? "(no host reported)" : host) + ":" + port;
        }
    }

    private ServerIdCheck() {}

    static void check(Connection c, ServerVersion server, MySqlSourceConfig config, String account, List<Finding> out)
            throws SQLException {
        long id = config.serverId();
        String own = ServerCheck.one(c, "SELECT @@GLOBAL.server_id");
        if (own != null && Long.parseLong(own) == id) {
            out.add(new Finding(
                    Kind.SERVER_ID_IS_THE_SERVERS,
                    "source.server-id " + id + " is the server's own"
                            + " server_id: a replica must present an id of its own (servers and replicas tell each other's"
                            + " events and connections apart by it).",
                    "set source.server-id to an id that neither the server" + " nor any of its replicas uses"));
        }
        List<Replica> replicas;
        try {
            replicas = replicas(c, server);
        } catch (SQLException e) {
            if (!CANNOT_LIST.contains(e.getErrorCode())) {
                throw e;
            }
            out.add(new Finding(
                    Kind.SERVER_ID_UNVERIFIED,
                    "User " + account + " may not list the server's"
                            + " replicas (" + e.getMessage().strip()
                            + "), so whether a replica already uses source.server-id "
                            + id + " was not checked.",
                    "An administrator can run SHOW SLAVE HOSTS and make sure no Server_id"
                            + " is " + id
                            + (server.mariaDb()
                                    ? " (or GRANT REPLICATION MASTER ADMIN ON *.* TO " + account
                                            + "; lets this check do it)."
                                    : ".")));
            replicas = null;
        }
        if (replicas != null) {
            for (Replica r : replicas) {
                if (r.serverId() == id) {
                    out.add(new Finding(
                            Kind.SERVER_ID_IN_USE,
                            "The replica at " + r.where() + " is registered with"
                                    + " server id " + id
                                    + ", which is source.server-id: the server keeps one connection per"
                                    + " id, so that replica and this pipeline would disconnect each other.",
                            "give this pipeline another source.server-id (ids in use: " + inUse(own, replicas) + ")"));
                }
            }
        }
        List<String> unknown = unregisteredReaders(c, replicas == null ? List.of() : replicas);
        if (!unknown.isEmpty()) {
            out.add(new Finding(
                    Kind.SERVER_ID_UNVERIFIED,
                    unknown.size() + " binlog reader(s) connected to"
                            + " the server did not register a server id (" + String.join(", ", unknown)
                            + "): other Sluice"
                            + " pipelines, other CDC tools or mysqlbinlog; this check cannot tell whether one of them uses"
                            + " source.server-id " + id + ".",
                    "Make sure none does (if this pipeline's `sluice run` is" + " running, it is one of them)."));
        }
    }

    private static List<Replica> replicas(Connection c, ServerVersion server) throws SQLException {
        String sql = !server.mariaDb() && server.atLeast(8, 0, 22) ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";
        List<Replica> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Replica(rs.getLong(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return out;
    }

    /**
     * The binlog dump threads the user can see that no registered replica accounts for, as {@code user@address}:
     * from each client address, those beyond the number of replicas registered with that host. A replica that
     * reports a host name of its own (report_host) is not matched and shows here too; that only adds to a note.
     */
    private static List<String> unregisteredReaders(Connection c, List<Replica> replicas) throws SQLException {
        Map<String, Integer> registered = new HashMap<>();
        replicas.forEach(r -> registered.merge(String.valueOf(r.host()), 1, Integer::sum));
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT USER, HOST"
                        + " FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' ORDER BY ID")) {
            while (rs.next()) {
                String host = String.valueOf(rs.getString(2));
                int colon = host.lastIndexOf(':');
                String address = colon < 0 ? host : host.substring(0, colon);
                if (registered.merge(address, -1, Integer::sum) < 0) {
                    out.add(rs.getString(1) + "@" + host);
                }
            }
        }
        return out;
    }

    private static String inUse(String own, List<Replica> replicas) {
        List<String> ids = new ArrayList<>();
        if (own != null) {
            ids.add(own + " (the server)");
        }
        replicas.forEach(r -> ids.add(Long.toString(r.serverId())));
        return String.join(", ", ids);
    }
}
