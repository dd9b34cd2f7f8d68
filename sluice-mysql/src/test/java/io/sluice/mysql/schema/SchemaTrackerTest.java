package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.mysql.ddl.DdlParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker between DDL and table maps: the binlog corrects the DDL model, unannounced changes are checked. */
class SchemaTrackerTest {
    @TempDir
    Path state;

    private static ColumnDef intColumn(String name, boolean nullable) {
        return new ColumnDef(name, ColumnDef.LONG, 0, 0, false, null, null, null, nullable);
    }

    private SchemaTracker tracker(SchemaHistory h) {
        return new SchemaTracker("t", h, new Approvals(state), SchemaPolicy.DEFAULT, null, (db, t) -> true)
                .announceFirstSeen(true);
    }

    private static final TableDef ID_AND_A =
            new TableDef("shop", "t", List.of(intColumn("id", false), intColumn("a", false)), new int[] {0});

    /** The table created (version 1) and its first rows' TABLE_MAP. */
    private static void create(SchemaTracker t) {
        assertThat(t.statement(
                        DdlParser.parse("CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL)", "shop"),
                        "c",
                        "bin.000001",
                        4))
                .extracting(SchemaTracker.SchemaEvent::version)
                .containsExactly(1);
        assertThat(t.tableMap(ID_AND_A, "bin.000001", 800, false))
                .as("adopts the announced number")
                .isEqualTo(1);
    }

    @Test
    void aChangeOnlyTheTableMapShowsIsCheckedBeforeItsRows() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = tracker(h);
        create(t);
        TableDef onlyId = new TableDef("shop", "t", List.of(intColumn("id", false)), new int[] {0});
        assertThatThrownBy(() -> t.tableMap(onlyId, "bin.000001", 900, false))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("version 2 of shop.t breaks the backward compatibility policy")
                .hasMessageContaining("column a dropped")
                .hasMessageContaining("the change was seen in the binlog's table map at bin.000001:900")
                .hasMessageContaining("--table shop.t --version 2");
        assertThat(h.version("shop.t", 2).breaking()).isNotEmpty(); // recorded before halting: approve can name it
        new Approvals(state).add(new Approvals.Approval("shop.t", 2, null, "test"));
        SchemaTracker again = tracker(h);
        create(again);
        assertThat(again.tableMap(onlyId, "bin.000001", 900, false)).isEqualTo(2);
        assertThat(again.current("shop.t").columnNames()).containsExactly("id");
        // seen in a table map only: its rows come after an s event that announces it (ddl null)
        assertThat(again.versions()).containsEntry("shop.t", new TableVersion(2, onlyId.fingerprint(), true));
    }

    @Test
    void aTableMapReadAgainBeforeTheCheckpointNeitherCountsNorRecords() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = tracker(h);
        create(t);
        int entries = h.all().size();
        TableDef onlyId = new TableDef("shop", "t", List.of(intColumn("id", false)), new int[] {0});
        assertThat(t.tableMap(onlyId, "bin.000001", 900, true)).isEqualTo(1);
        assertThat(h.all()).hasSize(entries);
        assertThat(t.versions()).containsEntry("shop.t", new TableVersion(1, ID_AND_A.fingerprint()));
    }

    @Test
    void aSnapshotsRowsGetTheCurrentNumberOrTheNextOneWhichTheNextTableMapAdopts() {
        SchemaTracker t = tracker(SchemaHistory.inMemory());
        t.at("bin.000001", 50);
        assertThat(t.snapshotVersion("shop.t")).as("a table not seen yet").isEqualTo(1);
        assertThat(t.versions()).containsEntry("shop.t", new TableVersion(1, TableVersion.PENDING, true));
        assertThat(t.tableMap(ID_AND_A, "bin.000001", 60, false)).isEqualTo(1);
        assertThat(t.snapshotVersion("shop.t")).isEqualTo(1);
        assertThat(t.statement(DdlParser.parse("DROP TABLE t", "shop"), "d", "bin.000001", 70))
                .extracting(SchemaTracker.SchemaEvent::version)
                .containsExactly(1);
        assertThat(t.snapshotVersion("shop.t"))
                .as("a table created under the name again")
                .isEqualTo(2);
    }

    @Test
    void whereTheDdlModelAndTheBinlogDisagreeTheBinlogWins() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = tracker(h);
        create(t);
        List<SchemaTracker.SchemaEvent> altered =
                t.statement(DdlParser.parse("ALTER TABLE t ADD COLUMN b INT", "shop"), "alter", "bin.000001", 100);
        assertThat(altered).extracting(SchemaTracker.SchemaEvent::version).containsExactly(2);
        assertThat(altered.get(0).change().columns().json()).contains("\"name\":\"b\"");
        // the server wrote another layout than the statement suggests (say, a parser blind spot)
        TableDef actual = new TableDef(
                "shop", "t", List.of(intColumn("id", false), intColumn("a", false), intColumn("c", true)), new int[] {0
                });
        assertThat(t.tableMap(actual, "bin.000001", 200, false))
                .as("adopts the announced number")
                .isEqualTo(2);
        assertThat(h.version("shop.t", 2).model().columnNames()).containsExactly("id", "a", "c");
        assertThat(h.version("shop.t", 2).origin()).isEqualTo(SchemaVersion.TABLE_MAP);
        assertThat(h.version("shop.t", 2).ddl()).isEqualTo("alter");
        assertThat(t.known("shop.t").columns())
                .extracting(InfoSchema.Column::name)
                .containsExactly("id", "a", "c");
        // the same table map again changes nothing
        int entries = h.all().size();
        assertThat(t.tableMap(actual, "bin.000001", 300, false)).isEqualTo(2);
        assertThat(h.all()).hasSize(entries);
    }

    @Test
    void uniqueKeyChangesKeepTheNumberAndApplyFromTheirPosition() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = tracker(h);
        t.statement(DdlParser.parse("CREATE TABLE t (id INT NOT NULL, a INT)", "shop"), "c", "bin.000001", 4);
        assertThat(t.current("shop.t").eventKey()).isEmpty();
        t.statement(DdlParser.parse("CREATE UNIQUE INDEX u ON t (id)", "shop"), "u", "bin.000001", 100);
        assertThat(t.current("shop.t").eventKey()).containsExactly("id");
        assertThat(h.version("shop.t", 1).model().eventKey())
                .as("recorded before its checkpoint")
                .containsExactly("id");
        java.util.Map<String, io.sluice.core.checkpoint.TableVersion> cp =
                java.util.Map.of("shop.t", new io.sluice.core.checkpoint.TableVersion(1, "f"));
        SchemaTracker before = tracker(h);
        before.start(cp, new io.sluice.core.checkpoint.BinlogPosition("bin.000001", 50, null));
        assertThat(before.current("shop.t").eventKey())
                .as("a restart before the index")
                .isEmpty();
        SchemaTracker after = tracker(h);
        after.start(cp, new io.sluice.core.checkpoint.BinlogPosition("bin.000001", 150, null));
        assertThat(after.current("shop.t").eventKey()).containsExactly("id");
    }

    @Test
    void aCheckpointWithVersionsRefusesALostHistoryAndSaysHowToRebuildIt() throws Exception {
        Map<String, TableVersion> cp = Map.of("shop.t", new TableVersion(3, "f"));
        BinlogPosition at = new BinlogPosition("bin.000002", 4, null);
        Path file = state.resolve(SchemaHistory.FILE_NAME);
        SchemaHistory lost = SchemaHistory.open(state);
        assertThatThrownBy(() -> tracker(lost).start(cp, at))
                .isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("the schema history " + file + " is missing, but the checkpoint records"
                        + " versions of 1 table(s) (shop.t)")
                .hasMessageContaining("sluice schema rebuild --config")
                .hasMessageEndingWith("create it empty: touch " + file);
        tracker(SchemaHistory.open(state)).start(Map.of(), at); // a new pipeline: nothing to lose

        Files.writeString(file, "");
        SchemaTracker accepted = tracker(SchemaHistory.open(state));
        accepted.start(cp, at);
        assertThat(accepted.current("shop.t"))
                .as("described from the binlog when next seen")
                .isNull();
    }

    @Test
    void aVersionFirstSeenInATableMapIsAnnouncedBeforeItsFirstRowOnceAndTheMarkTravelsWithTheCheckpoint() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = tracker(h);
        t.start(Map.of(), new BinlogPosition("bin.000001", 4, null));
        assertThat(t.tableMap(ID_AND_A, "bin.000001", 800, false)).isEqualTo(1);
        Map<String, TableVersion> before = t.versions();
        assertThat(before.get("shop.t").unannounced()).isTrue();
        SchemaTracker.SchemaEvent s = t.firstRow("shop", "t", 1);
        assertThat(s.ddl()).isNull();
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.change().columns().json()).contains("\"name\":\"id\"").contains("\"name\":\"a\"");
        assertThat(s.change().oldColumns()).isNull();
        assertThat(s.event().table().names()).containsExactly("id", "a");
        assertThat(t.firstRow("shop", "t", 1)).as("announced once").isNull();
        Map<String, TableVersion> after = t.versions();
        assertThat(after.get("shop.t").unannounced()).isFalse();

        // a restart from the checkpoint taken before the s (not committed) announces it again; from one after, not
        SchemaTracker crashed = tracker(h);
        crashed.start(before, new BinlogPosition("bin.000001", 4, null));
        assertThat(crashed.tableMap(ID_AND_A, "bin.000001", 800, false)).isEqualTo(1);
        assertThat(crashed.firstRow("shop", "t", 1)).isNotNull();
        SchemaTracker committed = tracker(h);
        committed.start(after, new BinlogPosition("bin.000001", 1000, null));
        assertThat(committed.tableMap(ID_AND_A, "bin.000001", 1100, false)).isEqualTo(1);
        assertThat(committed.firstRow("shop", "t", 1)).isNull();
    }

    @Test
    void byDefaultAVersionFirstSeenInATableMapIsNeitherAnnouncedNorMarkedInTheCheckpoint() {
        SchemaHistory h = SchemaHistory.inMemory();
        SchemaTracker t = new SchemaTracker("t", h, new Approvals(state), SchemaPolicy.DEFAULT, null, (db, x) -> true);
        t.start(Map.of(), new BinlogPosition("bin.000001", 4, null));
        assertThat(t.tableMap(ID_AND_A, "bin.000001", 800, false)).isEqualTo(1);
        assertThat(t.versions().get("shop.t"))
                .as("encoding.announce-schemas is off: the checkpoint's entry as without the option")
                .isEqualTo(new TableVersion(1, ID_AND_A.fingerprint()));
        assertThat(t.firstRow("shop", "t", 1)).as("no s event with ddl null").isNull();
        // a checkpoint written with the option on does not bring announcements back with it off
        SchemaTracker off =
                new SchemaTracker("t", h, new Approvals(state), SchemaPolicy.DEFAULT, null, (db, x) -> true);
        off.start(
                Map.of("shop.t", new TableVersion(1, ID_AND_A.fingerprint(), true)),
                new BinlogPosition("bin.000001", 900, null));
        assertThat(off.versions().get("shop.t").unannounced()).isFalse();
        assertThat(off.firstRow("shop", "t", 1)).isNull();
    }

    @Test
    void aVersionAStatementMadeNeedsNoSecondAnnouncement() {
        SchemaTracker t = tracker(SchemaHistory.inMemory());
        create(t);
        assertThat(t.firstRow("shop", "t", 1)).isNull();
        assertThat(t.versions().get("shop.t").unannounced()).isFalse();
    }
}
