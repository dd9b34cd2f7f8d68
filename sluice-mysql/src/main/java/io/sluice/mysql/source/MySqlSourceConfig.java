package io.sluice.mysql.source;

import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.server.ErrorClassifier;
import io.sluice.mysql.snapshot.SnapshotConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one MySQL/MariaDB source.
 *
 * @param name           the source name (goes into every event's id and {@code source.name})
 * @param host           server host
 * @param port           server port
 * @param user           replication user
 * @param password       its password (never logged)
 * @param serverId       the replica server id Sluice presents; unique among the server's replicas
 * @param include        {@code db.table} globs of captured tables ({@code *} and {@code ?}); empty means all
 * @param exclude        {@code db.table} globs never captured
 * @param start          where to begin when there is no checkpoint
 * @param tls            TLS mode
 * @param connectTimeout time allowed for connecting
 * @param snapshot       snapshot settings (signal table, chunk size)
 * @param onStatementChanges what a statement that changed captured rows without row events does
 * @param configFile     the pipeline's configuration file, or null when unknown: messages that tell the operator a
 *                       command to run name it ({@link #configOption()})
 * @param heartbeat      the heartbeat table and interval ({@link HeartbeatConfig#OFF} by default)
 */
public record MySqlSourceConfig(
        String name,
        String host,
        int port,
        String user,
        String password,
        long serverId,
        List<String> include,
        List<String> exclude,
        StartPosition start,
        TlsMode tls,
        Duration connectTimeout,
        SnapshotConfig snapshot,
        StatementPolicy onStatementChanges,
        java.nio.file.Path configFile,
        HeartbeatConfig heartbeat) {

    public MySqlSourceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        start = start == null ? new StartPosition.Earliest() : start;
        tls = tls == null ? TlsMode.PREFERRED : tls;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        snapshot = snapshot == null ? SnapshotConfig.DEFAULT : snapshot;
        onStatementChanges = onStatementChanges == null ? StatementPolicy.HALT : onStatementChanges;
        heartbeat = heartbeat == null ? HeartbeatConfig.OFF : heartbeat;
    }

    /** These settings with {@code heartbeat}. */
    public MySqlSourceConfig withHeartbeat(HeartbeatConfig heartbeat) {
        return toBuilder().heartbeat(heartbeat).build();
    }

    /** Settings built one by one; what is not set takes its default (see the record's components). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.host = host;
        b.port = port;
        b.user = user;
        b.password = password;
        b.serverId = serverId;
        b.include = include;
        b.exclude = exclude;
        b.start = start;
        b.tls = tls;
        b.connectTimeout = connectTimeout;
        b.snapshot = snapshot;
        b.onStatementChanges = onStatementChanges;
        b.configFile = configFile;
        b.heartbeat = heartbeat;
        return b;
    }

    /** Builds {@link MySqlSourceConfig}s; each setter names the record component it sets. */
    public static final class Builder {
        private String name;
        private String host;
        private int port;
        private String user;
        private String password;
        private long serverId;
        private List<String> include;
        private List<String> exclude;
        private StartPosition start;
        private TlsMode tls;
        private Duration connectTimeout;
        private SnapshotConfig snapshot;
        private StatementPolicy onStatementChanges;
        private java.nio.file.Path configFile;
        private HeartbeatConfig heartbeat;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder serverId(long serverId) {
            this.serverId = serverId;
            return this;
        }

        public Builder include(List<String> include) {
            this.include = include;
            return this;
        }

        public Builder exclude(List<String> exclude) {
            this.exclude = exclude;
            return this;
        }

        public Builder start(StartPosition start) {
            this.start = start;
            return this;
        }

        public Builder tls(TlsMode tls) {
            this.tls = tls;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder snapshot(SnapshotConfig snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        public Builder onStatementChanges(StatementPolicy onStatementChanges) {
            this.onStatementChanges = onStatementChanges;
            return this;
        }

        public Builder configFile(java.nio.file.Path configFile) {
            this.configFile = configFile;
            return this;
        }

        public Builder heartbeat(HeartbeatConfig heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public MySqlSourceConfig build() {
            return new MySqlSourceConfig(
                    name,
                    host,
                    port,
                    user,
                    password,
                    serverId,
                    include,
                    exclude,
                    start,
                    tls,
                    connectTimeout,
                    snapshot,
                    onStatementChanges,
                    configFile,
                    heartbeat);
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MySqlSourceConfig[name=" + name + ", host=" + host + ", port=" + port + ", user=" + user
                + ", password=****, serverId=" + serverId + ", include=" + include + ", exclude=" + exclude
                + ", start=" + start + ", tls=" + tls + ", connectTimeout=" + connectTimeout + ", snapshot=" + snapshot
                + ", onStatementChanges=" + onStatementChanges + ", configFile=" + configFile + ", heartbeat="
                + heartbeat
                + "]";
    }

    /**
     * The option that names this pipeline in a {@code sluice} command the operator is told to run:
     * {@code --config <its file>} (quoted when it has spaces), or a placeholder when the file is not known.
     */
    public String configOption() {
        if (configFile == null) {
            return SchemaTracker.UNKNOWN_CONFIG_OPTION;
        }
        String f = configFile.toString();
        return "--config " + (f.matches("[A-Za-z0-9_./:@%+=,-]+") ? f : "'" + f.replace("'", "'\\''") + "'");
    }

    /** Where an error with this server happened, for {@link ErrorClassifier}'s messages (never the password). */
    public ErrorClassifier.Context errorContext() {
        return new ErrorClassifier.Context(host, port, user, null, serverId, null);
    }

    private static final java.sql.Driver DRIVER = new org.mariadb.jdbc.Driver();

    /** A JDBC connection to the server as the configured user (metadata, checks, snapshots, signals). */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return connect(false);
    }

    /**
     * A JDBC connection as the configured user; {@code binaryProtocol} makes prepared statements server-side (the
     * binary protocol, which carries FLOAT and DOUBLE values exactly).
     */
    public java.sql.Connection connect(boolean binaryProtocol) throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("useServerPrepStmts", Boolean.toString(binaryProtocol));
        return open(jdbcUrl(), p);
    }

    /**
     * A connection to {@code url} (a {@code jdbc:mariadb:} URL) through the MariaDB driver, called directly:
     * {@link java.sql.DriverManager} would first load and register every driver on the class path (the JDBC sink's
     * PostgreSQL driver too), a start-up cost of every run whatever its sink.
     */
    public static java.sql.Connection open(String url, java.util.Properties properties) throws java.sql.SQLException {
        java.sql.Connection c = DRIVER.connect(url, properties);
        if (c == null) {
            throw new java.sql.SQLException("not a jdbc:mariadb: URL: " + url);
        }
        return c;
    }

    /** A JDBC URL for the same server, for metadata queries and checks. */
    public String jdbcUrl() {
        String ssl = switch (tls) {
            case DISABLED -> "sslMode=disable";
            case PREFERRED -> "sslMode=disable"; // the JDBC side only reads metadata; see TlsMode docs
            case REQUIRED -> "sslMode=trust";
            case VERIFY_CA -> "sslMode=verify-ca";
            case VERIFY_IDENTITY -> "sslMode=verify-full";
        };
        return "jdbc:mariadb://" + host + ":" + port + "/?" + ssl + "&connectTimeout=" + connectTimeout.toMillis()
                + "&allowPublicKeyRetrieval=true";
    }
}
