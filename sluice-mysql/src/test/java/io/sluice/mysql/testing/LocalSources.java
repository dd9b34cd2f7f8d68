package io.sluice.mysql.testing;

import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The binlog source of a test server, for the tests of every module that reads one (shipped in sluice-mysql's
 * test-jar): the settings of a source on the server as root, and where the server's binlog ends now.
 */
public final class LocalSources {
    private LocalSources() {}

    /**
     * The settings of a source named {@code it} reading {@code include} from {@code start} on {@code host:port} as
     * root without a password, without TLS and with a 5 s connect timeout; the builder takes other values after.
     */
    public static MySqlSourceConfig.Builder source(
            String host, int port, long serverId, List<String> include, StartPosition start) {
        return MySqlSourceConfig.builder()
                .name("it")
                .host(host)
                .port(port)
                .user("root")
                .password("")
                .serverId(serverId)
                .include(include)
                .start(start)
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(5));
    }

    /** {@link #source(String, int, long, List, StartPosition)} of {@code server}, named {@code name}. */
    public static MySqlSourceConfig.Builder source(
            MariaDbServer server, String name, long serverId, List<String> include, StartPosition start) {
        return source(server.host(), server.port(), serverId, include, start).name(name);
    }

    /** The end of {@code server}'s binlog now (SHOW MASTER STATUS), where a source starts to read what comes next. */
    public static StartPosition current(MariaDbServer server) throws SQLException {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new StartPosition.At(rs.getString(1), rs.getLong(2));
        }
    }
}
