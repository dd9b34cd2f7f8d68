package io.sluice.mysql.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.core.SluiceException;
import io.sluice.mysql.check.Finding.Kind;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCheckIT {

    private static MySqlSourceConfig config(String host, int port, String user, String password, String... include) {
        return new MySqlSourceConfig("test", host, port, user, password, 5401, List.of(include), List.of(), null,
                TlsMode.DISABLED, Duration.ofSeconds(3));
    }

    private static MySqlSourceConfig config(MariaDbServer s, String user, String password, String... include) {
        return config(s.host(), s.port(), user, password, include);
    }

    private static List<Kind> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).toList();
    }

    @Test
    void aWellSetUpServerAndUserHaveNoFindings() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("shop");
        s.createUser("sluice_ok", "pw-ok", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        assertThat(new ServerCheck(config(s, "sluice_ok", "pw-ok", db + ".*")).run()).isEmpty();
        assertThat(new ServerCheck(config(s, "sluice_ok", "pw-ok", db + ".orders", "sho?_*.*")).run())
                .as("globs over visible databases").isEmpty();
        assertThat(new ServerCheck(config(s, "root", "")).run()).as("root, everything captured").isEmpty();
    }

    @Test
    void binlogOff() {
        try (MariaDbServer s = MariaDbServer.builder().without("log_bin").start()) {
            List<Finding> findings = new ServerCheck(config(s, "root", "")).run();
            assertThat(kinds(findings)).containsExactly(Kind.BINLOG_OFF);
            assertThat(findings.get(0).fix()).contains("log_bin=mysql-bin").contains("my.cnf");
        }
    }

    @Test
    void statementFormatMinimalImageMinimalMetadata() {
        try (MariaDbServer s = MariaDbServer.builder()
                .option("binlog_format", "STATEMENT")
                .option("binlog_row_image", "MINIMAL")
                .option("binlog_row_metadata", "MINIMAL")
                .start()) {
            List<Finding> findings = new ServerCheck(config(s, "root", "")).run();
            assertThat(kinds(findings)).containsExactly(Kind.BINLOG_FORMAT, Kind.BINLOG_ROW_IMAGE,
                    Kind.BINLOG_ROW_METADATA);
            assertThat(findings.get(0).problem()).contains("STATEMENT");
            assertThat(findings.get(0).fix()).startsWith("SET GLOBAL binlog_format='ROW';");
            assertThat(findings.get(1).fix()).startsWith("SET GLOBAL binlog_row_image='FULL';");
            assertThat(findings.get(2).fix()).startsWith("SET GLOBAL binlog_row_metadata='FULL';");

            // The fixes are real statements: applying them clears the findings.
            s.execute(findings.stream().map(f -> f.fix().substring(0, f.fix().indexOf(';'))).toArray(String[]::new));
            assertThat(new ServerCheck(config(s, "root", "")).run()).isEmpty();
        }
    }

    @Test
    void userLackingReplicationGrants() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("norepl");
        s.createUser("sluice_norepl", "pw-nr", "SELECT ON `" + db + "`.*");
        List<Finding> findings = new ServerCheck(config(s, "sluice_norepl", "pw-nr", db + ".*")).run();
        assertThat(kinds(findings)).containsExactly(Kind.REPLICATION_SLAVE, Kind.REPLICATION_CLIENT);
        assertThat(findings.get(0).fix()).isEqualTo("GRANT REPLICATION SLAVE ON *.* TO 'sluice_norepl'@'%';");
        assertThat(findings.get(1).fix()).isEqualTo("GRANT BINLOG MONITOR ON *.* TO 'sluice_norepl'@'%';");

        s.execute(findings.stream().map(Finding::fix).toArray(String[]::new));
        assertThat(new ServerCheck(config(s, "sluice_norepl", "pw-nr", db + ".*")).run()).isEmpty();
    }

    @Test
    void superCoversBinlogMonitorButNotReplicationSlave() {
        MariaDbServer s = MariaDbServer.shared();
        s.createUser("sluice_super", "pw-s", "SUPER, SELECT ON *.*");
        assertThat(kinds(new ServerCheck(config(s, "sluice_super", "pw-s")).run()))
                .containsExactly(Kind.REPLICATION_SLAVE);
    }

    @Test
    void userLackingSelect() {
        MariaDbServer s = MariaDbServer.shared();
        String mine = s.createDatabase("mine");
        String other = s.createDatabase("other");
        s.createUser("sluice_nosel", "pw-ns", "REPLICATION SLAVE, REPLICATION CLIENT ON *.*",
                "SELECT ON `" + mine + "`.*");
        List<Finding> findings = new ServerCheck(config(s, "sluice_nosel", "pw-ns", mine + ".*", other + ".t")).run();
        assertThat(kinds(findings)).containsExactly(Kind.SELECT);
        assertThat(findings.get(0).problem()).contains(other);
        assertThat(findings.get(0).fix()).isEqualTo("GRANT SELECT ON `" + other + "`.* TO 'sluice_nosel'@'%';");

        assertThat(kinds(new ServerCheck(config(s, "sluice_nosel", "pw-ns")).run()))
                .as("empty include needs SELECT on *.*").containsExactly(Kind.SELECT);
    }

    @Test
    void wrongPasswordIsAClearFatalErrorWithoutThePassword() {
        MariaDbServer s = MariaDbServer.shared();
        s.createUser("sluice_pw", "right-pw-123", "REPLICATION SLAVE ON *.*");
        String secret = "Wr0ng-Secret-987";
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> new ServerCheck(config(s, "sluice_pw", secret)).run());
        assertThat(e).isNotNull();
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("Access denied for user 'sluice_pw' at 127.0.0.1:" + s.port()
                + ": check source.user and source.password.");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        }
    }

    @Test
    void closedPortSaysNothingAnswered() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = ss.getLocalPort();
        }
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> new ServerCheck(config("127.0.0.1", port, "sluice", "pw-closed")).run());
        assertThat(e).isNotNull();
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).startsWith("Nothing answered at 127.0.0.1:" + port).doesNotContain("pw-closed");
    }
}
