package io.sluice.mysql.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCheckIT {

    private static MySqlSourceConfig config(String host, int port, String user, String password, String... include) {
        return MySqlSourceConfig.builder()
                .name("test")
                .host(host)
                .port(port)
                .user(user)
                .password(password)
                .serverId(5401)
                .include(List.of(include))
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    private static MySqlSourceConfig config(MariaDbServer s, String user, String password, String... include) {
        return config(s.host(), s.port(), user, password, include);
    }

    /** The kinds of the problems found (notes left out). */
    private static List<Kind> kinds(List<Finding> findings) {
        return problems(findings).stream().map(Finding::kind).toList();
    }

    private static List<Finding> problems(List<Finding> findings) {
        return findings.stream().filter(Finding::isProblem).toList();
    }

    private static List<Finding> notes(List<Finding> findings) {
        return findings.stream().filter(f -> !f.isProblem()).toList();
    }

    @Test
    void aWellSetUpServerAndUserHaveNoFindings() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("shop");
        s.execute("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY)");
        s.createUser("sluice_ok", "pw-ok", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        List<Finding> findings = new ServerCheck(config(s, "sluice_ok", "pw-ok", db + ".*")).run();
        assertThat(problems(findings)).isEmpty();
        assertThat(notes(findings))
                .extracting(Finding::kind)
                .as("MariaDB lists replicas only to REPLICATION MASTER" + " ADMIN")
                .containsExactly(Kind.SERVER_ID_UNVERIFIED);
        assertThat(notes(findings).get(0).problem())
                .contains("whether a replica already uses source.server-id 5401" + " was not checked");
        assertThat(problems(new ServerCheck(config(s, "sluice_ok", "pw-ok", db + ".orders", "sho?_*.*")).run()))
                .as("globs over visible databases")
                .isEmpty();
        assertThat(problems(new ServerCheck(config(s, "root", "")).run()))
                .as("root, everything captured")
                .isEmpty();
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
            assertThat(kinds(findings))
                    .containsExactly(Kind.BINLOG_FORMAT, Kind.BINLOG_ROW_IMAGE, Kind.BINLOG_ROW_METADATA);
            assertThat(findings.get(0).problem()).contains("STATEMENT");
            assertThat(findings.get(0).fix()).startsWith("SET GLOBAL binlog_format='ROW';");
            assertThat(findings.get(1).fix()).startsWith("SET GLOBAL binlog_row_image='FULL';");
            assertThat(findings.get(2).fix()).startsWith("SET GLOBAL binlog_row_metadata='FULL';");

            // The fixes are real statements: applying them clears the findings.
            s.execute(findings.stream()
                    .map(f -> f.fix().substring(0, f.fix().indexOf(';')))
                    .toArray(String[]::new));
            assertThat(new ServerCheck(config(s, "root", "")).run()).isEmpty();
        }
    }

    @Test
    void userLackingReplicationGrants() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("norepl");
        s.createUser("sluice_norepl", "pw-nr", "SELECT ON `" + db + "`.*");
        s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        List<Finding> findings = problems(new ServerCheck(config(s, "sluice_norepl", "pw-nr", db + ".*")).run());
        assertThat(kinds(findings)).containsExactly(Kind.REPLICATION_SLAVE, Kind.REPLICATION_CLIENT);
        assertThat(findings.get(0).fix()).isEqualTo("GRANT REPLICATION SLAVE ON *.* TO 'sluice_norepl'@'%';");
        assertThat(findings.get(1).fix()).isEqualTo("GRANT BINLOG MONITOR ON *.* TO 'sluice_norepl'@'%';");

        s.execute(findings.stream().map(Finding::fix).toArray(String[]::new));
        assertThat(problems(new ServerCheck(config(s, "sluice_norepl", "pw-nr", db + ".*")).run()))
                .isEmpty();
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
        s.execute("CREATE TABLE " + mine + ".t (id INT PRIMARY KEY)", "CREATE TABLE " + other + ".t (id INT)");
        s.createUser(
                "sluice_nosel", "pw-ns", "REPLICATION SLAVE, REPLICATION CLIENT ON *.*", "SELECT ON `" + mine + "`.*");
        List<Finding> findings =
                problems(new ServerCheck(config(s, "sluice_nosel", "pw-ns", mine + ".*", other + ".t")).run());
        assertThat(kinds(findings)).containsExactly(Kind.SELECT);
        assertThat(findings.get(0).problem()).contains(other).contains("the user lacks SELECT on it");
        assertThat(findings.get(0).fix()).startsWith("GRANT SELECT ON `" + other + "`.* TO 'sluice_nosel'@'%';");

        assertThat(kinds(new ServerCheck(config(s, "sluice_nosel", "pw-ns")).run()))
                .as("empty include needs SELECT on *.*")
                .containsExactly(Kind.SELECT);
    }

    @Test
    void wrongPasswordIsAClearFatalErrorWithoutThePassword() {
        MariaDbServer s = MariaDbServer.shared();
        s.createUser("sluice_pw", "right-pw-123", "REPLICATION SLAVE ON *.*");
        String secret = "Wr0ng-Secret-987";
        SluiceException e = catchThrowableOfType(
                SluiceException.class, () -> new ServerCheck(config(s, "sluice_pw", secret)).run());
        assertThat(e).isNotNull();
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage())
                .isEqualTo("Access denied for user 'sluice_pw' at 127.0.0.1:" + s.port()
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
        SluiceException e = catchThrowableOfType(
                SluiceException.class, () -> new ServerCheck(config("127.0.0.1", port, "sluice", "pw-closed")).run());
        assertThat(e).isNotNull();
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage())
                .startsWith("Nothing answered at 127.0.0.1:" + port)
                .doesNotContain("pw-closed");
    }

    private static MySqlSourceConfig config(
            MariaDbServer s,
            String user,
            long serverId,
            StartPosition start,
            SnapshotConfig snapshot,
            List<String> include,
            List<String> exclude) {
        return MySqlSourceConfig.builder()
                .name("test")
                .host(s.host())
                .port(s.port())
                .user(user)
                .password("")
                .serverId(serverId)
                .include(include)
                .exclude(exclude)
                .start(start)
                .tls(TlsMode.DISABLED)
                .connectTimeout(Duration.ofSeconds(3))
                .snapshot(snapshot)
                .build();
    }

    @Test
    void anIncludeThatMatchesNoTableSaysSoAndNamesTheNearestTables() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("sales");
        s.execute("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".items (id INT)");
        String typo = db.replace("sales", "sale");

        List<Finding> root =
                problems(new ServerCheck(config(s, "root", "", typo + ".*", db + ".ordrs", db + ".items")).run());
        assertThat(kinds(root)).containsExactly(Kind.INCLUDE_MATCHES_NOTHING, Kind.INCLUDE_MATCHES_NOTHING);
        assertThat(root.get(0).problem())
                .isEqualTo("source.include '" + typo + ".*' matches no table on the server" + " (no database matches '"
                        + typo + "'): nothing of it would be captured.");
        assertThat(root.get(0).fix()).startsWith("correct the glob (did you mean '" + db + ".*'");
        assertThat(root.get(1).problem())
                .startsWith("source.include '" + db + ".ordrs' matches no table on the" + " server:");
        assertThat(root.get(1).fix()).isEqualTo("correct the glob (did you mean '" + db + ".orders'?)");
        assertThat(root).noneMatch(f -> f.fix().contains("GRANT"));

        // a user that sees only some databases: the glob may name hidden tables, so both ways out are given
        s.createUser("sluice_typo", "pw-t", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        List<Finding> limited = problems(new ServerCheck(config(s, "sluice_typo", "pw-t", typo + ".*")).run());
        assertThat(kinds(limited)).containsExactly(Kind.INCLUDE_MATCHES_NOTHING);
        assertThat(limited.get(0).problem()).contains("matches no table that user 'sluice_typo'@'%' can see");
        assertThat(limited.get(0).fix())
                .isEqualTo("if the glob is misspelt, correct it (did you mean '" + db
                        + ".*'?); if its tables exist, GRANT SELECT ON `" + typo + "`.* TO 'sluice_typo'@'%';");

        assertThat(kinds(new ServerCheck(config(s, "root", 5401, null, null, List.of(db + ".*"), List.of(db + ".*")))
                        .run()))
                .as("include and exclude leave nothing")
                .containsExactly(Kind.INCLUDE_MATCHES_NOTHING);
    }

    @Test
    void theServersOwnServerIdIsAFinding() {
        MariaDbServer s = MariaDbServer.shared(); // server_id=1
        List<Finding> findings =
                problems(new ServerCheck(config(s, "root", 1, null, null, List.of(), List.of())).run());
        assertThat(kinds(findings)).containsExactly(Kind.SERVER_ID_IS_THE_SERVERS);
        assertThat(findings.get(0).problem()).startsWith("source.server-id 1 is the server's own server_id");
    }

    @Test
    void aServerIdThatARegisteredReplicaUsesIsAFindingAndUnregisteredReadersANote() throws Exception {
        try (MariaDbServer primary = MariaDbServer.builder().start();
                MariaDbServer replica =
                        MariaDbServer.builder().option("server-id", "9001").start()) {
            String[] at = masterStatus(primary);
            replica.execute(
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                            + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_LOG_FILE='" + at[0]
                            + "', MASTER_LOG_POS="
                            + at[1] + ", MASTER_USE_GTID=no",
                    "START SLAVE");
            awaitRegistered(primary, 9001);

            List<Finding> findings =
                    new ServerCheck(config(primary, "root", 9001, null, null, List.of(), List.of())).run();
            assertThat(kinds(findings)).containsExactly(Kind.SERVER_ID_IN_USE);
            assertThat(problems(findings).get(0).problem())
                    .isEqualTo("The replica at 127.0.0.1:" + replica.port()
                            + " is registered with server id 9001, which is source.server-id: the server keeps one"
                            + " connection per id, so that replica and this pipeline would disconnect each other.");
            assertThat(problems(findings).get(0).fix())
                    .isEqualTo("give this pipeline another source.server-id" + " (ids in use: 1 (the server), 9001)");
            assertThat(notes(findings)).isEmpty();
            assertThat(problems(new ServerCheck(config(primary, "root", 9002, null, null, List.of(), List.of())).run()))
                    .isEmpty();

            // a binlog reader that does not register (as Sluice itself) is only a note: its id cannot be seen
            BinaryLogClient reader = new BinaryLogClient(primary.host(), primary.port(), "root", "");
            reader.setServerId(9003);
            reader.connect(10_000);
            try {
                List<Finding> withReader =
                        new ServerCheck(config(primary, "root", 9003, null, null, List.of(), List.of())).run();
                assertThat(problems(withReader)).isEmpty();
                assertThat(notes(withReader))
                        .singleElement()
                        .satisfies(n -> assertThat(n.problem())
                                .startsWith(
                                        "1 binlog reader(s) connected to the server did not register a server id (root@127.0.0.1:")
                                .contains("cannot tell whether one of them uses source.server-id 9003"));
            } finally {
                reader.disconnect();
            }

            // a user that may not list the replicas gets a note, not a clean bill
            primary.createUser("sluice_ids", "pw-i", "REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.*");
            List<Finding> limited = new ServerCheck(config(primary.host(), primary.port(), "sluice_ids", "pw-i")).run();
            assertThat(problems(limited)).isEmpty();
            assertThat(notes(limited)).extracting(Finding::kind).containsExactly(Kind.SERVER_ID_UNVERIFIED);
            assertThat(notes(limited).get(0).fix())
                    .contains("SHOW SLAVE HOSTS")
                    .contains("GRANT REPLICATION MASTER ADMIN ON *.* TO 'sluice_ids'@'%';");
        }
    }

    @Test
    void aPositionTheServerNoLongerHasIsAFindingThatSaysHowToStartOver() throws Exception {
        try (MariaDbServer s = MariaDbServer.builder().start()) {
            String purgedFile = masterStatus(s)[0];
            purgeAllBut(s, purgedFile);
            assertThat(binlogs(s)).hasSize(1);
            String kept = binlogs(s).get(0);
            String unwritten = String.format("mysql-bin.%06d", BinlogPosition.fileSequence(kept) + 4);
            MySqlSourceConfig cfg = config(s, "root", 5401, null, null, List.of(), List.of());
            String startOver = "stop the pipeline, move away /srv/shop/state and /srv/shop/out, and start it again";

            List<Finding> purged = problems(new ServerCheck(cfg)
                    .resumingFrom(checkpointAt(purgedFile, 4), startOver)
                    .run());
            assertThat(kinds(purged)).containsExactly(Kind.POSITION_UNAVAILABLE);
            assertThat(purged.get(0).problem())
                    .isEqualTo("The pipeline's checkpoint is at " + purgedFile + ":4, but"
                            + " the server has purged " + purgedFile
                            + ": `sluice run` would stop with error 1236. It has "
                            + kept + ".");
            assertThat(purged.get(0).fix())
                    .isEqualTo("source.start is ignored once a checkpoint exists. To start"
                            + " over: " + startOver + ". To keep binlogs longer from now on, raise the server's"
                            + " binlog_expire_logs_seconds (expire_logs_days).");

            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(checkpointAt(kept, 1L << 30), startOver)
                            .run()))
                    .singleElement()
                    .satisfies(f -> assertThat(f.problem()).contains("past the end of " + kept));
            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(checkpointAt(unwritten, 4), startOver)
                            .run()))
                    .singleElement()
                    .satisfies(f -> assertThat(f.problem()).contains("the server has not written " + unwritten));
            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(checkpointAt(kept, 4), startOver)
                            .run()))
                    .as("a position the server has")
                    .isEmpty();

            List<Finding> configured = problems(new ServerCheck(
                            config(s, "root", 5401, new StartPosition.At(purgedFile, 4), null, List.of(), List.of()))
                    .run());
            assertThat(kinds(configured)).containsExactly(Kind.POSITION_UNAVAILABLE);
            assertThat(configured.get(0).problem())
                    .startsWith("source.start is " + purgedFile + ":4, but the server" + " has purged " + purgedFile);
            assertThat(configured.get(0).fix())
                    .isEqualTo("set source.start to a position the server still has:"
                            + " earliest, latest, snapshot, or {file, pos} in " + kept);
        }
    }

    @Test
    void aCheckpointResumedByGtidIsCheckedAgainstThePurgedGtidsAsRunWouldResume() throws Exception {
        try (MariaDbServer s = MariaDbServer.builder().start()) {
            String db = s.createDatabase("gtids");
            s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (1)");
            String[] at = masterStatus(s);
            String sets = gtidBinlogPos(s);
            MySqlSourceConfig cfg = config(s, "root", 5401, null, null, List.of(), List.of());
            Checkpoint current =
                    new Checkpoint(new BinlogPosition(at[0], Long.parseLong(at[1]), sets), List.of(), Map.of());
            String startOver = "move away state/ and out/";
            // the file is purged, but nothing was written after the checkpoint: run resumes after its GTID set
            purgeAllBut(s, at[0]);
            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(current, startOver)
                            .run()))
                    .as("nothing that follows the checkpoint is purged")
                    .isEmpty();

            // a transaction after the checkpoint, then purged: run would stop with error 1236
            s.execute("INSERT INTO " + db + ".t VALUES (2)");
            String after = gtidBinlogPos(s);
            purgeAllBut(s, masterStatus(s)[0]);
            List<Finding> purged = problems(
                    new ServerCheck(cfg).resumingFrom(current, startOver).run());
            assertThat(kinds(purged)).containsExactly(Kind.POSITION_UNAVAILABLE);
            assertThat(purged.get(0).problem())
                    .startsWith("The pipeline's checkpoint is after GTIDs " + sets
                            + " (its file position " + at[0] + ":" + at[1]
                            + " is gone), and the server has purged transactions"
                            + " that follow it (domain 0: after " + sets.substring(sets.lastIndexOf('-') + 1)
                            + " up to "
                            + after.substring(after.lastIndexOf('-') + 1)
                            + "): `sluice run` would stop with error 1236.");
            assertThat(purged.get(0).fix())
                    .startsWith("source.start is ignored once a checkpoint exists. To start"
                            + " over: move away state/ and out/.");

            // a checkpoint from another server (a failover): its file position means nothing here
            ServerIdentity primary = new ServerIdentity(31, null);
            Checkpoint elsewhere = new Checkpoint(
                    new BinlogPosition("mysql-bin.000001", 1L << 30, after), List.of(), Map.of(), null, null, primary);
            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(elsewhere, startOver)
                            .run()))
                    .as("resumed after its GTID set, which the server has")
                    .isEmpty();
            Checkpoint noGtids = new Checkpoint(
                    new BinlogPosition("mysql-bin.000001", 4, null), List.of(), Map.of(), null, null, primary);
            assertThat(problems(new ServerCheck(cfg)
                            .resumingFrom(noGtids, startOver)
                            .run()))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.problem())
                                .startsWith("The pipeline's checkpoint was taken on server_id 31, and"
                                        + " this server is server_id 1: its file position mysql-bin.000001:4 is a place in"
                                        + " another binlog, and it has no GTID set");
                        assertThat(f.fix())
                                .startsWith("point source.host back at the server the checkpoint was"
                                        + " taken on; or source.start is ignored");
                    });
        }
    }

    private static String gtidBinlogPos(MariaDbServer s) throws SQLException {
        try (Connection c = s.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Flushes and purges until {@code gone} is no longer among the server's binlogs. */
    private static void purgeAllBut(MariaDbServer s, String gone) throws Exception {
        // the server keeps a file until its binlog checkpoint (InnoDB) has moved past it: flush and retry
        await(gone + " purged")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            s.execute("FLUSH BINARY LOGS");
                            s.execute("PURGE BINARY LOGS TO '" + masterStatus(s)[0] + "'");
                            return binlogs(s);
                        },
                        files -> !files.contains(gone));
    }

    @Test
    void checkSaysWhetherTheHeartbeatCanWrite() throws Exception {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("hbcheck");
        s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String hbDb = s.createDatabase("hbs");
        s.createUser("sluice_hb", "", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        MySqlSourceConfig cfg = config(s, "sluice_hb", "", db + ".*")
                .withHeartbeat(new io.sluice.mysql.source.HeartbeatConfig(hbDb + ".beat", Duration.ofSeconds(5)));

        List<Finding> denied = problems(new ServerCheck(cfg).run());
        assertThat(kinds(denied)).containsExactly(Kind.HEARTBEAT);
        assertThat(denied.get(0).problem())
                .startsWith("User 'sluice_hb'@'%' cannot write the heartbeat table " + hbDb + ".beat (")
                .endsWith("): `sluice run` would stop at its start.");
        assertThat(denied.get(0).fix())
                .startsWith("As an administrator: CREATE DATABASE IF NOT EXISTS `" + hbDb + "`; CREATE TABLE IF NOT"
                        + " EXISTS `" + hbDb + "`.`beat` (")
                .contains("; GRANT SELECT, INSERT, UPDATE ON `" + hbDb + "`.`beat` TO 'sluice_hb'@'%'; or leave");

        // with CREATE, SELECT, INSERT, UPDATE on its database: created, written in a transaction rolled back, a note
        s.execute("GRANT CREATE, SELECT, INSERT, UPDATE ON `" + hbDb + "`.* TO 'sluice_hb'@'%'");
        List<Finding> allowed = new ServerCheck(cfg).run();
        assertThat(problems(allowed)).isEmpty();
        assertThat(allowed)
                .filteredOn(f -> f.kind() == Kind.HEARTBEAT_WRITES)
                .singleElement()
                .satisfies(f ->
                        assertThat(f.problem()).startsWith("The heartbeat writes to " + hbDb + ".beat every 5000 ms"));
        try (java.sql.Connection c = s.rootConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + hbDb + "`.beat")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the check's write was rolled back").isZero();
        }
        assertThat(new ServerCheck(config(s, "sluice_hb", "", db + ".*")).run())
                .as("no heartbeat configured: nothing said of it")
                .noneMatch(f -> f.kind() == Kind.HEARTBEAT || f.kind() == Kind.HEARTBEAT_WRITES);
    }

    @Test
    void aMissingSignalTableIsAFindingWhenSnapshotsAreConfiguredAndTheUserCannotCreateIt() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("snap");
        s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String signalDb = s.createDatabase("signals");
        SnapshotConfig signal = new SnapshotConfig(signalDb + ".sig", SnapshotConfig.DEFAULT_CHUNK_SIZE)
                .withMode(SnapshotConfig.Mode.SIGNAL_TABLE);
        s.createUser("sluice_snap", "", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + db + "`.*");
        MySqlSourceConfig snapshotting =
                config(s, "sluice_snap", 5401, new StartPosition.Snapshot(), signal, List.of(db + ".*"), List.of());

        // snapshot.mode auto (the default): no problem, a note that snapshots run read-only, and how to use the table
        MySqlSourceConfig auto = config(
                s,
                "sluice_snap",
                5401,
                new StartPosition.Snapshot(),
                signal.withMode(SnapshotConfig.Mode.AUTO),
                List.of(db + ".*"),
                List.of());
        List<Finding> autoFindings = new ServerCheck(auto).run();
        assertThat(problems(autoFindings)).isEmpty();
        assertThat(autoFindings)
                .filteredOn(f -> f.kind() == Kind.SNAPSHOT_READ_ONLY)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.problem())
                            .startsWith("Snapshots will run read-only (snapshot.mode is auto and user"
                                    + " 'sluice_snap'@'%' cannot use the signal table " + signalDb + ".sig)");
                    assertThat(f.fix())
                            .startsWith("To use the signal table instead: as an administrator: CREATE DATABASE");
                });

        List<Finding> missing = problems(new ServerCheck(snapshotting).run());
        assertThat(kinds(missing)).containsExactly(Kind.SIGNAL_TABLE);
        assertThat(missing.get(0).problem())
                .isEqualTo("The snapshot signal table " + signalDb + ".sig does not exist"
                        + " (or user 'sluice_snap'@'%' cannot see it), and the user cannot create it (it lacks CREATE on `"
                        + signalDb + "`.*): the initial snapshot (start: snapshot) would stop before the first chunk.");
        assertThat(missing.get(0).fix())
                .startsWith("as an administrator: CREATE DATABASE IF NOT EXISTS `" + signalDb
                        + "`; CREATE TABLE IF NOT EXISTS `" + signalDb + "`.`sig` (")
                .endsWith("; GRANT SELECT, INSERT, UPDATE" + " ON `" + signalDb + "`.`sig` TO 'sluice_snap'@'%';");
        assertThat(problems(new ServerCheck(config(s, "sluice_snap", 5401, null, null, List.of(db + ".*"), List.of()))
                        .run()))
                .as("no snapshot configured: no signal table needed")
                .isEmpty();

        // the fix is real statements: run as an administrator, they clear the finding
        s.execute(
                missing.get(0).fix().substring("as an administrator: ".length()).split(";\\s*(?=CREATE|GRANT)|;$"));
        assertThat(problems(new ServerCheck(snapshotting).run())).isEmpty();

        // a table that exists but that the user cannot write
        s.execute("REVOKE INSERT, UPDATE ON `" + signalDb + "`.`sig` FROM 'sluice_snap'@'%'");
        List<Finding> readOnly = problems(new ServerCheck(snapshotting).run());
        assertThat(readOnly).singleElement().satisfies(f -> {
            assertThat(f.problem())
                    .startsWith("User 'sluice_snap'@'%' lacks INSERT, UPDATE on the snapshot signal" + " table "
                            + signalDb + ".sig");
            assertThat(f.fix())
                    .isEqualTo("GRANT SELECT, INSERT, UPDATE ON `" + signalDb + "`.`sig` TO" + " 'sluice_snap'@'%';");
        });

        // a user that may create it (Sluice does so at the first snapshot) needs nothing more
        String other = s.createDatabase("signals");
        s.createUser(
                "sluice_create",
                "",
                "REPLICATION SLAVE, BINLOG MONITOR ON *.*",
                "SELECT ON `" + db + "`.*",
                "CREATE, SELECT, INSERT, UPDATE ON `" + other + "`.*");
        assertThat(problems(new ServerCheck(config(
                                s,
                                "sluice_create",
                                5401,
                                new StartPosition.Snapshot(),
                                new SnapshotConfig(other + ".sig", 100).withMode(SnapshotConfig.Mode.SIGNAL_TABLE),
                                List.of(db + ".*"),
                                List.of()))
                        .run()))
                .isEmpty();
    }

    @Test
    void databasesTheServersBinlogFiltersLeaveOutAreFindings() {
        try (MariaDbServer s = MariaDbServer.builder()
                .option("binlog-do-db", "kept")
                .option("binlog-ignore-db", "ignored")
                .start()) {
            s.execute(
                    "CREATE DATABASE kept",
                    "CREATE DATABASE ignored",
                    "CREATE DATABASE other",
                    "CREATE TABLE kept.t (id INT PRIMARY KEY)",
                    "CREATE TABLE ignored.t (id INT PRIMARY KEY)",
                    "CREATE TABLE other.t (id INT PRIMARY KEY)");
            List<Finding> findings = problems(new ServerCheck(
                            config(s, "root", 5401, null, null, List.of("kept.*", "ignored.*", "oth?r.*"), List.of()))
                    .run());
            assertThat(kinds(findings)).containsExactly(Kind.BINLOG_FILTERED, Kind.BINLOG_FILTERED);
            assertThat(findings.get(0).problem())
                    .isEqualTo("The server's binlog leaves out the captured database"
                            + " ignored (binlog_ignore_db=ignored): its changes never reach the binlog.");
            assertThat(findings.get(1).problem())
                    .isEqualTo("The server's binlog holds only the databases kept"
                            + " (binlog_do_db), not the captured database other: its changes never reach the binlog.");
            assertThat(findings.get(1).fix()).startsWith("add binlog_do_db=other to my.cnf [mysqld]");

            List<Finding> snapshots = problems(new ServerCheck(
                            config(s, "root", 5401, new StartPosition.Snapshot(), null, List.of("kept.*"), List.of()))
                    .run());
            assertThat(snapshots)
                    .singleElement()
                    .satisfies(f -> assertThat(f.problem())
                            .isEqualTo("The server's"
                                    + " binlog holds only the databases kept (binlog_do_db), not the snapshot signal table's database"
                                    + " sluice: its changes never reach the binlog."));
        }
    }

    @Test
    void snapshotTablesThatSelectNoCapturedTableAreAFinding() {
        MariaDbServer s = MariaDbServer.shared();
        String db = s.createDatabase("snaptables");
        s.execute("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY)");
        SnapshotConfig only =
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 100, 1 << 20, List.of(db + ".order"));
        List<Finding> findings = problems(new ServerCheck(
                        config(s, "root", 5401, new StartPosition.Snapshot(), only, List.of(db + ".*"), List.of()))
                .run());
        assertThat(kinds(findings)).containsExactly(Kind.INCLUDE_MATCHES_NOTHING);
        assertThat(findings.get(0).problem())
                .startsWith("snapshot.tables [" + db + ".order] matches no captured" + " table");
        assertThat(problems(new ServerCheck(config(
                                s,
                                "root",
                                5401,
                                new StartPosition.Snapshot(),
                                new SnapshotConfig(
                                        SnapshotConfig.DEFAULT_SIGNAL_TABLE, 100, 1 << 20, List.of(db + ".ord*")),
                                List.of(db + ".*"),
                                List.of()))
                        .run()))
                .isEmpty();
    }

    private static Checkpoint checkpointAt(String file, long pos) {
        return new Checkpoint(new BinlogPosition(file, pos, null), List.of(), Map.of());
    }

    private static String[] masterStatus(MariaDbServer s) throws SQLException {
        try (Connection c = s.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private static List<String> binlogs(MariaDbServer s) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = s.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Waits until the replica's IO thread has registered with the primary. */
    private static void awaitRegistered(MariaDbServer primary, long serverId) {
        await("replica " + serverId + " registered with the primary")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            List<Long> ids = new ArrayList<>();
                            try (Connection c = primary.rootConnection();
                                    Statement st = c.createStatement();
                                    ResultSet rs = st.executeQuery("SHOW SLAVE HOSTS")) {
                                while (rs.next()) {
                                    ids.add(rs.getLong(1));
                                }
                            }
                            return ids;
                        },
                        ids -> ids.contains(serverId));
    }
}
