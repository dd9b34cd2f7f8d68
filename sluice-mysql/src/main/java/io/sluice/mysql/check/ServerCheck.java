package io.sluice.mysql.check;

import io.sluice.core.SluiceException;
import io.sluice.mysql.check.Finding.Kind;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a source server and user are fit for capture: binlog on, {@code binlog_format=ROW},
 * {@code binlog_row_image=FULL}, {@code binlog_row_metadata=FULL}, and the privileges REPLICATION SLAVE,
 * REPLICATION CLIENT (BINLOG MONITOR on MariaDB 10.5+) and SELECT on the captured databases. Each problem becomes a
 * {@link Finding} with the statement or my.cnf setting that fixes it; an empty list means all is well.
 *
 * <p>Privileges are read from {@code SHOW GRANTS}, which on MariaDB includes the grants of the active role. On
 * MySQL 8 privileges that come only through a role are not seen, so such a user may get findings it does not need.
 *
 * <pre>{@code
 * List<Finding> findings = new ServerCheck(config).run();
 * findings.forEach(f -> System.out.println(f));
 * }</pre>
 */
public final class ServerCheck {

    private static final Set<String> SYSTEM_DBS = Set.of("mysql", "information_schema", "performance_schema", "sys");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private final MySqlSourceConfig config;

    public ServerCheck(MySqlSourceConfig config) {
        this.config = config;
    }

    /**
     * Connects with the source's user and password and checks the server.
     *
     * @return the problems found, empty if none
     * @throws SluiceException if it cannot connect or query (message from {@link ErrorClassifier}, no password)
     */
    public List<Finding> run() {
        try (Connection c = config.connect()) {
            return check(c, config);
        } catch (SQLException e) {
            throw ErrorClassifier.classify(e, ErrorClassifier.Context.of(config));
        }
    }

    /** Checks the server behind an open connection, logged in as the user Sluice will use. */
    public static List<Finding> check(Connection c, MySqlSourceConfig config) throws SQLException {
        Server server = Server.of(one(c, "SELECT VERSION()"));
        String account = account(one(c, "SELECT CURRENT_USER()"));
        List<Finding> out = new ArrayList<>();
        checkBinlog(c, server, out);
        List<String> lines = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        Grants grants = Grants.parse(lines);
        checkReplicationGrants(grants, server, account, out);
        checkSelect(c, grants, config, account, out);
        return out;
    }

    /**
     * The server settings alone (binlog on, {@code binlog_format}, {@code binlog_row_image},
     * {@code binlog_row_metadata}), without the grants: what {@code sluice run} checks at every start.
     */
    public static List<Finding> binlogSettings(Connection c) throws SQLException {
        List<Finding> out = new ArrayList<>();
        checkBinlog(c, Server.of(one(c, "SELECT VERSION()")), out);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** MariaDB or MySQL, and its version. */
    record Server(boolean mariaDb, int major, int minor, int patch, String version) {
        static Server of(String version) {
            Matcher m = VERSION.matcher(version);
            boolean maria = version.toLowerCase(Locale.ROOT).contains("mariadb");
            if (!m.find()) {
                return new Server(maria, 0, 0, 0, version);
            }
            return new Server(maria, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), version);
        }

        boolean atLeast(int maj, int min, int pat) {
            return major != maj ? major > maj : minor != min ? minor > min : patch >= pat;
        }

        String name() {
            return (mariaDb ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
        }
    }

    private static void checkBinlog(Connection c, Server server, List<Finding> out) throws SQLException {
        String logBin = one(c, "SELECT @@GLOBAL.log_bin");
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            out.add(new Finding(Kind.BINLOG_OFF, "The binary log is off (log_bin=" + logBin + "): there is nothing"
                    + " to capture.", "in my.cnf [mysqld]: log_bin=mysql-bin and server_id=1 (a unique id), then"
                    + " restart the server"));
        }
        String format = one(c, "SELECT @@GLOBAL.binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            out.add(new Finding(Kind.BINLOG_FORMAT, "binlog_format is " + format + ", not ROW: row changes are not"
                    + " in the binlog.", "SET GLOBAL binlog_format='ROW'; and in my.cnf [mysqld]: binlog_format=ROW"
                    + " (sessions already open keep the old format until they reconnect)"));
        }
        String image = one(c, "SELECT @@GLOBAL.binlog_row_image");
        if (!"FULL".equalsIgnoreCase(image)) {
            out.add(new Finding(Kind.BINLOG_ROW_IMAGE, "binlog_row_image is " + image + ", not FULL: updates and"
                    + " deletes would lack columns.", "SET GLOBAL binlog_row_image='FULL'; and in my.cnf [mysqld]:"
                    + " binlog_row_image=FULL"));
        }
        String metadata;
        try {
            metadata = one(c, "SELECT @@GLOBAL.binlog_row_metadata");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1193) { // unknown system variable
                throw e;
            }
            out.add(new Finding(Kind.BINLOG_ROW_METADATA_UNSUPPORTED, server.name() + " has no binlog_row_metadata"
                    + " (it needs MySQL 8.0.1+ or MariaDB 10.5+): Sluice falls back to information_schema for column"
                    + " names, which can be wrong for changes made before a schema change.",
                    "upgrade to " + (server.mariaDb() ? "MariaDB 10.5" : "MySQL 8.0") + " or later and set"
                    + " binlog_row_metadata=FULL in my.cnf [mysqld]"));
            return;
        }
        if (!"FULL".equalsIgnoreCase(metadata)) {
            out.add(new Finding(Kind.BINLOG_ROW_METADATA, "binlog_row_metadata is " + metadata + ", not FULL:"
                    + " Sluice must guess column names from information_schema.", "SET GLOBAL"
                    + " binlog_row_metadata='FULL'; and in my.cnf [mysqld]: binlog_row_metadata=FULL"));
        }
    }

    private static void checkReplicationGrants(Grants grants, Server server, String account, List<Finding> out) {
        if (!grants.hasGlobal("REPLICATION SLAVE", "REPLICATION REPLICA")) {
            out.add(new Finding(Kind.REPLICATION_SLAVE, "User " + account + " lacks REPLICATION SLAVE: it cannot"
                    + " read the binlog.", "GRANT REPLICATION SLAVE ON *.* TO " + account + ";"));
        }
        boolean binlogMonitor = server.mariaDb() && server.atLeast(10, 5, 2);
        if (!grants.hasGlobal("REPLICATION CLIENT", "BINLOG MONITOR", "SUPER")) {
            String priv = binlogMonitor ? "BINLOG MONITOR" : "REPLICATION CLIENT";
            out.add(new Finding(Kind.REPLICATION_CLIENT, "User " + account + " lacks " + priv + ": it cannot run"
                    + " SHOW MASTER STATUS or SHOW BINARY LOGS.", "GRANT " + priv + " ON *.* TO " + account + ";"));
        }
    }

    private static void checkSelect(Connection c, Grants grants, MySqlSourceConfig config, String account,
                                    List<Finding> out) throws SQLException {
        if (grants.hasGlobal("SELECT")) {
            return;
        }
        if (config.include().isEmpty()) {
            out.add(new Finding(Kind.SELECT, "User " + account + " lacks SELECT ON *.*, and source.include is empty"
                    + " so every database is captured.", "GRANT SELECT ON *.* TO " + account + "; (or list the"
                    + " captured tables in source.include)"));
            return;
        }
        List<String> visible = null;
        Set<String> missing = new LinkedHashSet<>();
        for (String glob : config.include()) {
            int dot = glob.indexOf('.');
            String dbGlob = dot < 0 ? glob : glob.substring(0, dot);
            String tableGlob = dot < 0 ? "*" : glob.substring(dot + 1);
            String table = hasWildcard(tableGlob) ? null : tableGlob;
            if (!hasWildcard(dbGlob)) {
                if (!grants.canSelect(dbGlob, table)) {
                    missing.add(dbGlob);
                }
                continue;
            }
            if (visible == null) {
                visible = databases(c);
            }
            boolean any = false;
            for (String db : visible) {
                if (!SYSTEM_DBS.contains(db.toLowerCase(Locale.ROOT)) && globMatches(dbGlob, db)) {
                    any = true;
                    if (!grants.canSelect(db, table)) {
                        missing.add(db);
                    }
                }
            }
            if (!any) {
                out.add(new Finding(Kind.SELECT, "No database that user " + account + " can see matches '" + dbGlob
                        + "' (from source.include '" + glob + "'): it probably lacks SELECT on them.",
                        "GRANT SELECT ON `" + globToLike(dbGlob) + "`.* TO " + account + ";"));
            }
        }
        for (String db : missing) {
            out.add(new Finding(Kind.SELECT, "User " + account + " lacks SELECT on database " + db
                    + ": it cannot snapshot or describe its tables.",
                    "GRANT SELECT ON `" + db.replace("`", "``") + "`.* TO " + account + ";"));
        }
    }

    private static List<String> databases(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static boolean hasWildcard(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    }

    /** {@code *} any run, {@code ?} one character; everything else literal. */
    static boolean globMatches(String glob, String name) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(name).matches();
    }

    /** A db glob as a GRANT pattern: {@code app_*} becomes {@code app\_%}. */
    static String globToLike(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '_', '%' -> sb.append('\\').append(ch);
                case '`' -> sb.append("``");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** {@code CURRENT_USER()}'s {@code user@host} as {@code 'user'@'host'}. */
    static String account(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        String user = at < 0 ? currentUser : currentUser.substring(0, at);
        String host = at < 0 ? "%" : currentUser.substring(at + 1);
        return "'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
