package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.event.ChangeEvent;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binlog source on a GTID replica (log_slave_updates, gtid_strict_mode) after a checkpoint was taken on its
 * primary. The replica's binlog was reset after it was provisioned, so the two servers' file positions differ, as
 * they do after any real failover. A checkpoint's file position is never used on the other server: the source
 * resumes after the checkpoint's GTIDs, with the same event ids, or refuses with a sentence saying why.
 */
class FailoverIT {
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(7900);
    private static final ServerIdentity PRIMARY = new ServerIdentity(31, null);
    private static final ServerIdentity REPLICA = new ServerIdentity(32, null);

    private static MariaDbServer primary;
    private static MariaDbServer replica;
    /** The primary's last GTID sequence number before the replica's binlog was reset. */
    private static long provisioned;

    @BeforeAll
    static void primaryAndReplica() throws Exception {
        primary = gtidServer(31);
        replica = gtidServer(32);
        primary.execute(
                "CREATE DATABASE provision",
                "CREATE TABLE provision.t (id INT PRIMARY KEY)",
                "INSERT INTO provision.t VALUES (1), (2), (3)");
        replica.replicateFrom(primary);
        awaitReplica();
        replica.execute("STOP SLAVE", "RESET MASTER", "START SLAVE");
        String pos = single(primary, "SELECT @@gtid_binlog_pos");
        provisioned = Long.parseLong(pos.substring(pos.lastIndexOf('-') + 1));
        primary.execute("INSERT INTO provision.t VALUES (4)"); // the first transaction in the replica's binlog
        awaitReplica();
    }

    @AfterAll
    static void stopServers() {
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    static MariaDbServer gtidServer(int serverId) {
        return MariaDbServer.builder()
                .option("server-id", Integer.toString(serverId))
                .option("log-slave-updates", "1")
                .option("gtid-strict-mode", "1")
                .start();
    }

    @Test
    void aCheckpointTakenOnThePrimaryResumesOnTheReplicaAfterItsGtids() throws Exception {
        TenInserts primaryRun = tenInserts("fo");
        List<ChangeEvent> all = primaryRun.events();
        Checkpoint cp = primaryRun.afterFour();
        assertThat(cp.server()).isEqualTo(PRIMARY);
        insertEach(primaryRun.table().db(), 11, 15);
        awaitReplica();

        List<Object> onReplica = SourceRun.stream(
                primaryRun.table().on(replica), cp, r -> r.events().size() == 11);
        List<ChangeEvent> resumed = SourceRun.events(onReplica);
        assertThat(ids(resumed.subList(0, 6)))
                .as("the same ids as on the primary")
                .isEqualTo(ids(all.subList(4, 10)));
        assertThat(resumed)
                .extracting(e -> ((Number) e.after().value(0)).intValue())
                .containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        List<Checkpoint> cps = SourceRun.checkpoints(onReplica);
        assertThat(cps).allSatisfy(c -> assertThat(c.server()).isEqualTo(REPLICA));
        Checkpoint last = cps.get(cps.size() - 1);
        assertThat(last.position().file() + ":" + last.position().pos())
                .as("the replica's own position")
                .isEqualTo(masterStatus(replica));
        assertThat(last.position().gtids()).isEqualTo(resumed.get(10).source().gtid());
    }

    @Test
    void aFilePositionThatIsALaterTransactionOnTheReplicaIsNotTrusted() throws Exception {
        TenInserts primaryRun = tenInserts("land");
        List<ChangeEvent> all = primaryRun.events();
        Checkpoint cp = primaryRun.afterFour();
        awaitReplica();
        // the case: the checkpoint's offset is a transaction boundary in the replica's binlog, three
        // transactions further on than the checkpoint's GTIDs; as a file position it would skip them silently
        String[] later = replicaPositionOf(all.get(7).source().gtid());
        for (ServerIdentity named : new ServerIdentity[] {PRIMARY, null}) {
            Checkpoint landing = new Checkpoint(
                    new BinlogPosition(
                            later[0], Long.parseLong(later[1]), cp.position().gtids()),
                    List.of(),
                    cp.schemas(),
                    null,
                    null,
                    named);
            List<Object> onReplica = SourceRun.stream(
                    primaryRun.table().on(replica),
                    landing,
                    SourceRun.lastIdIs(all.get(9).id()));
            assertThat(ids(SourceRun.events(onReplica)))
                    .as("checkpoint naming %s", named)
                    .isEqualTo(ids(all.subList(4, 10)));
        }
    }

    @Test
    void aReplicaWhoseBinlogLacksWhatFollowsTheCheckpointIsRefused() throws Exception {
        // the checkpoint is two transactions before the replica's binlog begins (it was reset after them)
        Checkpoint cp = new Checkpoint(
                new BinlogPosition("mysql-bin.000001", 4, "0-31-" + (provisioned - 2)),
                List.of(),
                java.util.Map.of(),
                null,
                null,
                PRIMARY);
        Throwable e = SourceRun.failure(config(replica, "provision", current(replica)), cp);
        assertThat(e)
                .isInstanceOfSatisfying(
                        SluiceException.class, se -> assertThat(se.retriable()).isFalse());
        assertThat(e.getMessage())
                .contains(
                        "does not hold the transactions that follow the checkpoint's GTID set 0-31-"
                                + (provisioned - 2),
                        "sequence numbers " + (provisioned - 1) + " to " + provisioned + " of domain 0 are missing",
                        "Point source.host at a server whose binlog holds them",
                        "state directory");
    }

    @Test
    void aCheckpointWithoutGtidsIsRefusedOnAnotherServer() throws Exception {
        Checkpoint cp = new Checkpoint(
                new BinlogPosition("mysql-bin.000001", 4, null), List.of(), java.util.Map.of(), null, null, PRIMARY);
        Throwable e = SourceRun.failure(config(replica, "provision", current(replica)), cp);
        assertThat(e)
                .isInstanceOfSatisfying(
                        SluiceException.class, se -> assertThat(se.retriable()).isFalse());
        assertThat(e.getMessage())
                .contains(
                        "mysql-bin.000001:4 is a place in another server's binlog",
                        "the checkpoint was taken on server_id 31, and the server at " + replica.host() + ":"
                                + replica.port() + " is server_id 32",
                        "failover",
                        "no GTID set",
                        "Point source.host back");
    }

    @Test
    void anXaTransactionPreparedBeforeTheCheckpointIsReadAgainOnTheReplica() throws Exception {
        Table table = table("foxa");
        String s = table.db();
        primary.execute("INSERT INTO " + s + ".t (id) VALUES (1)");
        primary.execute(
                "XA START 'fx'", "INSERT INTO " + s + ".t (id) VALUES (2), (3)", "XA END 'fx'", "XA PREPARE 'fx'");
        primary.execute("INSERT INTO " + s + ".t (id) VALUES (4)");
        List<Object> onPrimary =
                SourceRun.stream(table.on(primary), null, r -> r.events().size() == 2);
        List<Checkpoint> taken = SourceRun.checkpoints(onPrimary);
        Checkpoint cp = taken.get(taken.size() - 1);
        assertThat(cp.heldXa()).extracting(HeldXa::xid).hasSize(1);
        assertThat(cp.heldXa().get(0).at().gtids())
                .as("the GTIDs before the PREPARE group")
                .isEqualTo(SourceRun.events(onPrimary).get(0).source().gtid());
        primary.execute(
                "INSERT INTO " + s + ".t (id) VALUES (5)", "XA COMMIT 'fx'", "INSERT INTO " + s + ".t (id) VALUES (6)");
        awaitReplica();

        List<ChangeEvent> onReplica = SourceRun.events(
                SourceRun.stream(table.on(replica), cp, r -> r.events().size() == 4));
        List<ChangeEvent> stayed = SourceRun.events(
                SourceRun.stream(table.on(primary), cp, r -> r.events().size() == 4));
        assertThat(onReplica)
                .extracting(e -> ((Number) e.after().value(0)).intValue())
                .containsExactly(5, 2, 3, 6);
        assertThat(ids(onReplica)).as("the ids a resume on the primary gives").isEqualTo(ids(stayed));
        assertThat(onReplica.get(1).source().file() + ":"
                        + onReplica.get(1).source().pos())
                .as("the PREPARE group's place in the replica's binlog")
                .isNotEqualTo(stayed.get(1).source().file() + ":"
                        + stayed.get(1).source().pos());
    }

    @Test
    void aTransactionTheSinkHoldsPartOfContinuesOnTheReplica() throws Exception {
        Table table = table("fopart");
        String s = table.db();
        primary.execute("INSERT INTO " + s + ".t (id) VALUES (0)");
        primary.execute("BEGIN", "INSERT INTO " + s + ".t (id) VALUES (1), (2), (3), (4), (5)", "COMMIT");
        primary.execute("INSERT INTO " + s + ".t (id) VALUES (6)");
        List<Object> onPrimary =
                SourceRun.stream(table.on(primary), null, r -> r.events().size() == 7);
        List<ChangeEvent> all = SourceRun.events(onPrimary);
        String big = PartialTxn.txnOf("it", all.get(1).id());
        Checkpoint cp = SourceRun.checkpointBefore(onPrimary, all.get(1).id()).withPartial(new PartialTxn(big, 2));
        awaitReplica();

        List<Object> onReplica = SourceRun.stream(
                table.on(replica), cp, SourceRun.lastIdIs(all.get(6).id()));
        assertThat(ids(SourceRun.events(onReplica))).isEqualTo(ids(all.subList(3, 7)));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A fresh table {@code <db>.t} on the primary and the binlog position before it has any rows. */
    private record Table(String db, StartPosition start) {

        /** The source's configuration for this table on {@code server}. */
        MySqlSourceConfig on(MariaDbServer server) {
            return config(server, db, start);
        }
    }

    private static Table table(String prefix) throws SQLException {
        String s = primary.createDatabase(prefix);
        primary.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        return new Table(s, current(primary));
    }

    /** A table with ten inserts on the primary, one transaction each, and what the source emitted for them there. */
    private record TenInserts(Table table, List<Object> emitted, List<ChangeEvent> events) {

        /** The checkpoint after the first four transactions. */
        Checkpoint afterFour() {
            return SourceRun.checkpointBefore(emitted, events.get(4).id());
        }
    }

    private static TenInserts tenInserts(String prefix) throws Exception {
        Table table = table(prefix);
        insertEach(table.db(), 1, 10);
        List<Object> emitted =
                SourceRun.stream(table.on(primary), null, r -> r.events().size() == 10);
        return new TenInserts(table, emitted, SourceRun.events(emitted));
    }

    private static MySqlSourceConfig config(MariaDbServer server, String db, StartPosition start) {
        return Capture.source(server.host(), server.port(), SERVER_IDS.incrementAndGet(), List.of(db + ".*"), start)
                .build();
    }

    private static void insertEach(String db, int from, int to) {
        for (int i = from; i <= to; i++) {
            primary.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'v" + i + "')");
        }
    }

    private static List<String> ids(List<ChangeEvent> events) {
        return events.stream().map(ChangeEvent::id).toList();
    }

    private static StartPosition current(MariaDbServer server) throws SQLException {
        String[] at = masterStatus(server).split(":");
        return new StartPosition.At(at[0], Long.parseLong(at[1]));
    }

    private static String masterStatus(MariaDbServer server) throws SQLException {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString(1) + ":" + rs.getLong(2);
        }
    }

    /** {file, pos} of the GTID event of {@code gtid} in the replica's binlog. */
    private static String[] replicaPositionOf(String gtid) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Connection c = replica.rootConnection();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    files.add(rs.getString(1));
                }
            }
            for (String f : files) {
                try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + f + "'")) {
                    while (rs.next()) {
                        if (rs.getString("Info").endsWith("GTID " + gtid)) {
                            return new String[] {f, Long.toString(rs.getLong("Pos"))};
                        }
                    }
                }
            }
        }
        throw new AssertionError(gtid + " is not in the replica's binlog");
    }

    private static String single(MariaDbServer server, String sql) throws SQLException {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void awaitReplica() {
        replica.awaitReplicated(primary, Duration.ofSeconds(60));
    }
}
