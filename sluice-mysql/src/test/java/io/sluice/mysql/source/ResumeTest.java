package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.HeldXa;
import io.sluice.core.checkpoint.ServerIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a checkpoint is picked up: its file position on the server it was taken on, else after its GTID set. */
class ResumeTest {
    private static final ServerIdentity PRIMARY = new ServerIdentity(31, null);
    private static final ServerIdentity REPLICA = new ServerIdentity(32, null);
    private static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String UUID_B = "4e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static Checkpoint at(String gtids, ServerIdentity server, HeldXa... held) {
        return new Checkpoint(
                new BinlogPosition("mysql-bin.000001", 227985, gtids), List.of(held), Map.of(), null, null, server);
    }

    private static Resume.Server maria(ServerIdentity id, String stateAtPosition) {
        return new Resume.Server(id, true, stateAtPosition, true);
    }

    @Test
    void theServerTheCheckpointWasTakenOnResumesAtTheFilePosition() {
        Resume r = Resume.decide(at("0-31-904", PRIMARY), maria(PRIMARY, "0-31-904"), "db:3306");
        assertThat(r.byGtid()).isFalse();
        assertThat(r.verified()).isTrue();
    }

    @Test
    void anotherServerIdResumesAfterTheGtidSet() {
        Resume r = Resume.decide(at("0-31-904", PRIMARY), maria(REPLICA, "0-31-1211"), "replica:3306");
        assertThat(r.byGtid()).isTrue();
        assertThat(r.gtids()).isEqualTo("0-31-904");
        assertThat(r.reason()).contains("server_id 31", "server_id 32", "replica:3306");
    }

    @Test
    void aCheckpointNamingNoServerIsCheckedByTheGtidStateTheServerFindsAtThePosition() {
        // a checkpoint of an older Sluice: the replica's binlog has another transaction at the same offset
        Resume moved = Resume.decide(at("0-31-904", null), maria(REPLICA, "0-31-1211"), "replica:3306");
        assertThat(moved.byGtid()).isTrue();
        assertThat(moved.reason()).contains("after GTIDs 0-31-1211", "checkpoint is after GTIDs 0-31-904");
        // ... or the middle of an event
        assertThat(Resume.decide(at("0-31-904", null), maria(REPLICA, null), "r:1")
                        .reason())
                .contains("not at the start of an event");
        // the same server, or one that cannot tell: the file position
        assertThat(Resume.decide(at("0-31-904", null), maria(PRIMARY, "0-31-904"), "p:1")
                        .byGtid())
                .isFalse();
        Resume unverified = Resume.decide(at(null, null), new Resume.Server(PRIMARY, false, null, false), "p:1");
        assertThat(unverified.byGtid()).isFalse();
        assertThat(unverified.verified()).isFalse();
    }

    @Test
    void theSameServerIdWithAnotherBinlogResumesByGtid() {
        // RESET MASTER on the server the checkpoint was taken on: its positions now hold other transactions
        Resume r = Resume.decide(at("0-31-904,1-7-3", PRIMARY), maria(PRIMARY, "0-31-2"), "db:3306");
        assertThat(r.byGtid()).isTrue();
        assertThat(r.gtids()).isEqualTo("0-31-904,1-7-3");
    }

    @Test
    void aDomainTheCheckpointHasNotSeenDoesNotDisagree() {
        assertThat(Resume.decide(at("0-31-904", PRIMARY), maria(PRIMARY, "0-31-904,5-9-12"), "db:3306")
                        .byGtid())
                .isFalse();
    }

    @Test
    void mysqlServersAreToldApartByUuid() {
        Checkpoint cp = at(UUID_A + ":1-904", new ServerIdentity(1, UUID_A));
        assertThat(Resume.decide(cp, new Resume.Server(new ServerIdentity(1, UUID_A), false, null, false), "m:1")
                        .byGtid())
                .isFalse();
        Resume r = Resume.decide(cp, new Resume.Server(new ServerIdentity(1, UUID_B), false, null, false), "m:2");
        assertThat(r.byGtid()).isTrue();
        assertThat(r.gtids()).isEqualTo(UUID_A + ":1-904");
    }

    @Test
    void anotherServerWithoutAGtidSetIsRefusedWithTheWayForward() {
        assertThatThrownBy(() -> Resume.decide(at(null, PRIMARY), maria(REPLICA, null), "replica:3306"))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("mysql-bin.000001:227985 is a place in another server's binlog")
                .hasMessageContaining("server_id 31")
                .hasMessageContaining("server_id 32")
                .hasMessageContaining("failover")
                .hasMessageContaining("no GTID set")
                .hasMessageContaining("Point source.host back")
                .hasMessageContaining("state directory");
        assertThatThrownBy(() -> Resume.decide(at("", PRIMARY), maria(REPLICA, null), "replica:3306"))
                .hasMessageContaining("no GTID set");
    }

    @Test
    void heldXaGroupsAreReadAgainFromTheSetBeforeTheEarliest() {
        Checkpoint cp = at(
                "0-31-904",
                PRIMARY,
                new HeldXa("1:7831:", new BinlogPosition("mysql-bin.000001", 9000, "0-31-880")),
                new HeldXa("1:7832:", new BinlogPosition("mysql-bin.000001", 5000, "0-31-850")));
        Resume r = Resume.decide(cp, maria(REPLICA, null), "replica:3306");
        assertThat(r.gtids()).isEqualTo("0-31-850");
    }

    @Test
    void heldXaGroupsWithoutTheirGtidSetAreRefusedOnAnotherServer() {
        Checkpoint cp =
                at("0-31-904", PRIMARY, new HeldXa("1:7831:", new BinlogPosition("mysql-bin.000001", 9000, null)));
        assertThatThrownBy(() -> Resume.decide(cp, maria(REPLICA, null), "replica:3306"))
                .hasMessageContaining("1:7831:")
                .hasMessageContaining("older Sluice");
    }

    @Test
    void gtidSetsCompareInTheirOwnDialect() {
        GtidTracker maria = new GtidTracker("0-31-904,1-7-3");
        assertThat(maria.contains("0-32-904")).isTrue();
        assertThat(maria.contains("0-31-905")).isFalse();
        assertThat(maria.contains("2-31-1")).isFalse();
        assertThat(maria.missingBefore("0-31-905")).isNull();
        assertThat(maria.missingBefore("0-32-1212")).isEqualTo("sequence numbers 905 to 1211 of domain 0");
        assertThat(maria.missingBefore("0-32-906")).isEqualTo("sequence number 905 of domain 0");
        assertThat(maria.missingBefore("9-1-50")).isNull();
        assertThat(maria.agreesWith("0-31-904,1-7-3,2-1-1")).isTrue();
        assertThat(maria.agreesWith("0-31-903,1-7-3")).isFalse();
        assertThat(maria.agreesWith("")).isFalse();

        GtidTracker mysql = new GtidTracker(UUID_A + ":1-904:910-920," + UUID_B + ":1-5");
        assertThat(mysql.contains(UUID_A + ":905")).isFalse();
        assertThat(mysql.contains(UUID_A + ":915")).isTrue();
        assertThat(mysql.missingBefore(UUID_A + ":921")).isNull();
        assertThat(mysql.missingBefore(UUID_A + ":1212")).isEqualTo(UUID_A + ":921-1211");
        assertThat(mysql.missingBefore(UUID_B + ":7")).isEqualTo(UUID_B + ":6");

        assertThat(GtidTracker.earliest(List.of("0-31-904", "0-31-850,1-7-3", "0-31-880,1-7-3")))
                .isNull(); // 0-31-904 lacks domain 1: no set is in all the others
        assertThat(GtidTracker.earliest(List.of("0-31-904,1-7-3", "0-31-850,1-7-2", "0-31-880,1-7-3")))
                .isEqualTo("0-31-850,1-7-2");
        assertThat(GtidTracker.earliest(List.of(UUID_A + ":1-904", UUID_A + ":1-850")))
                .isEqualTo(UUID_A + ":1-850");
    }

    @Test
    void aFileStartsGtidListCompletesASetBegunInTheMiddleOfAFile() {
        GtidTracker t = new GtidTracker("0-31-904");
        t.complete("0-31-904,0-32-700,1-7-3");
        assertThat(t.toString()).isEqualTo("0-31-904,1-7-3");
        t.complete("0-31-800"); // an older list (read again before the checkpoint) changes nothing
        assertThat(t.toString()).isEqualTo("0-31-904,1-7-3");
        GtidTracker m = new GtidTracker(UUID_A + ":901-904");
        m.complete(UUID_A + ":1-904," + UUID_B + ":1-5");
        assertThat(m.toString()).isEqualTo(UUID_A + ":1-904," + UUID_B + ":1-5");
    }
}
