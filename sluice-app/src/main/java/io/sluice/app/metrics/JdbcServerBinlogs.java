package io.sluice.app.metrics;

import io.sluice.mysql.source.MySqlSourceConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * {@code SHOW BINARY LOGS} over one JDBC connection (MariaDB driver), opened on first use and again after a
 * failure. Confined to the poller thread.
 */
final class JdbcServerBinlogs implements ServerBinlogs {
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    private final MySqlSourceConfig source;
    private Connection connection;

    JdbcServerBinlogs(MySqlSourceConfig source) {
        this.source = source;
    }

    @Override
    public List<BinlogFile> list() throws SQLException {
        try {
            if (connection == null) {
                Properties p = new Properties();
                if (source.user() != null) {
                    p.setProperty("user", source.user());
                }
                p.setProperty("password", source.password() == null ? "" : source.password());
                connection = MySqlSourceConfig.open(source.jdbcUrl() + "&socketTimeout=" + SOCKET_TIMEOUT_MS, p);
            }
            return io.sluice.mysql.source.ServerBinlogs.list(connection).stream()
                    .map(f -> new BinlogFile(f.name(), f.size()))
                    .toList();
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is dropped either way
            }
            connection = null;
        }
    }
}
