package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.state.StateStore;
import io.sluice.mysql.decode.RowsDeserializers;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.schema.TableMapDefinitions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A table name's schema version sequence, on constructed binlog events: a table renamed away, dropped, created
 * again (also {@code LIKE} the renamed one) or renamed onto a name that had a table continues the name's numbers,
 * so {@code (table, version)} always means one column set; read straight through, after a restart from a
 * checkpoint, and replayed without a checkpoint from the schema history alone. The schema state is kept in a
 * store in memory.
 */
class SchemaVersionNumberingTest {
    private static final int LONG = 3;
    private static final String FILE = "mysql-bin.000001";

    private final SchemaState state = SchemaState.of(StateStore.inMemory());
    private final SchemaHistory history = state.history();
    private final BinlogBytes binlog = new BinlogBytes(1, 4);
    private long tableId = 100;

    private void ddl(String sql) {
        binlog.event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("shop", sql));
    }

    /** One transaction inserting one row of INT columns (the first is the key) into {@code shop.<table>}. */
    private void insert(String table, String... columns) {
        int[] types = new int[columns.length];
        Arrays.fill(types, LONG);
        BinlogBytes.Buf row = new BinlogBytes.Buf().u8(0);
        for (int i = 0; i < columns.length; i++) {
            row.le(i + 1, 4);
        }
        long id = tableId++;
        binlog.event(BinlogBytes.QUERY, 1_764_000_000, BinlogBytes.query("shop", "BEGIN"))
                .event(
                        BinlogBytes.TABLE_MAP,
                        1_764_000_000,
                        BinlogBytes.tableMap(id, "shop", table, types, new int[columns.length][0], columns, 0))
                .event(
                        BinlogBytes.WRITE_ROWS_V2,
                        1_764_000_000,
                        BinlogBytes.writeRowsV2(id, columns.length, row.bytes()))
                .event(BinlogBytes.XID, 1_764_000_000, BinlogBytes.xid(id));
    }

    /** What a pipeline read: its events as {@code op table version}, and its last checkpoint. */
    private record Read(List<String> events, Checkpoint last) {}

    /**
     * Reads the binlog's events from {@code fromPos} with a fresh source (assembler and schema tracker, as
     * {@code MySqlSource.stream} wires them), resuming from {@code checkpoint} or, without one, from the history.
     */
    private Read read(long fromPos, Checkpoint checkpoint) throws Exception {
        List<String> events = new ArrayList<>();
        List<Checkpoint> commits = new ArrayList<>();
        Emitter out = new Emitter() {
            @Override
            public void event(ChangeEvent e) {
                events.add(e.op().code() + " " + e.source().table() + " " + e.schema());
            }

            @Override
            public void commit(Checkpoint cp) {
                commits.add(cp);
            }
        };
        TableFilter filter = new TableFilter(List.of("shop.*"), List.of());
        SchemaTracker schema = new SchemaTracker(
                "src",
                history,
                state.approvals(),
                new SchemaPolicy(Compatibility.Mode.NONE, SchemaPolicy.Action.WARN, null),
                null,
                filter::captures);
        schema.start(
                checkpoint == null ? Map.of() : checkpoint.schemas(),
                checkpoint == null ? new BinlogPosition(FILE, fromPos, null) : checkpoint.readFrom());
        TransactionAssembler a =
                new TransactionAssembler("src", filter, new TableMapDefinitions(null), out, checkpoint, schema);
        byte[] stream = BinlogBytes.from(binlog.bytes(), 4, FILE, fromPos);
        EventDeserializer d = RowsDeserializers.create();
        ByteArrayInputStream in = new ByteArrayInputStream(stream);
        for (Event e = d.nextEvent(in); e != null; e = d.nextEvent(in)) {
            a.handle(e);
        }
        return new Read(events, commits.isEmpty() ? checkpoint : commits.get(commits.size() - 1));
    }

    @Test
    void aNameContinuesItsSequenceAcrossRenameAwayDropRecreateAndRestarts() throws Exception {
        ddl("CREATE TABLE evolve (id INT PRIMARY KEY)");
        insert("evolve", "id");
        ddl("ALTER TABLE evolve ADD COLUMN a INT");
        insert("evolve", "id", "a");
        ddl("RENAME TABLE evolve TO evolved");
        long afterRename = binlog.position();
        ddl("CREATE TABLE evolve LIKE evolved");
        insert("evolve", "id", "a");
        insert("evolved", "id", "a");
        Read first = read(4, null);
        assertThat(first.events())
                .containsExactly(
                        "s evolve 1",
                        "c evolve 1",
                        "s evolve 2",
                        "c evolve 2",
                        "s evolved 2",
                        "s evolve 3",
                        "c evolve 3",
                        "c evolved 2");

        long restartAt = binlog.position();
        ddl("DROP TABLE evolve");
        ddl("CREATE TABLE evolve (id INT PRIMARY KEY, b INT, c INT)");
        insert("evolve", "id", "b", "c");
        ddl("DROP TABLE evolve");
        long afterDrop = binlog.position();
        ddl("RENAME TABLE evolved TO evolve");
        insert("evolve", "id", "a");
        ddl("DROP DATABASE shop");
        List<String> rest = List.of(
                "s evolve 3",
                "s evolve 4",
                "c evolve 4",
                "s evolve 4",
                "s evolve 5",
                "c evolve 5",
                "s evolve 5"); // the renamed table passes the name's 4; evolved is gone
        Read resumed = read(restartAt, first.last());
        assertThat(first.last().position().pos()).isEqualTo(restartAt);
        assertThat(resumed.events()).as("resumed from the checkpoint").containsExactlyElementsOf(rest);
        assertThat(resumed.last().schemas())
                .containsEntry("shop.evolve", new TableVersion(5, TableVersion.GONE))
                .containsEntry("shop.evolved", new TableVersion(2, TableVersion.GONE));

        // replays without a checkpoint number the same from the history alone, wherever they start
        int entries = history.all().size();
        List<String> fromRename = new ArrayList<>(List.of("s evolve 3", "c evolve 3", "c evolved 2"));
        fromRename.addAll(rest);
        assertThat(read(afterRename, null).events())
                .as("replayed after the rename")
                .isEqualTo(fromRename);
        assertThat(read(afterDrop, null).events())
                .as("replayed after the drop")
                .containsExactly("s evolve 5", "c evolve 5", "s evolve 5");
        assertThat(history.all()).as("a replay records nothing new").hasSize(entries);

        // the history: one column set per (table, version), and where each name's table went away
        assertThat(history.versions("shop.evolve"))
                .extracting(v -> v.version() + " " + v.model().columnNames())
                .containsExactly("1 [id]", "2 [id, a]", "3 [id, a]", "4 [id, b, c]", "5 [id, a]");
        assertThat(history.versions("shop.evolved"))
                .extracting(v -> v.version() + " " + v.model().columnNames())
                .containsExactly("2 [id, a]");
        assertThat(history.all())
                .filteredOn(SchemaVersion::dropped)
                .extracting(v -> v.table() + " " + v.version() + " " + v.ddl())
                .containsExactly(
                        "shop.evolve 2 RENAME TABLE evolve TO evolved",
                        "shop.evolve 3 DROP TABLE evolve",
                        "shop.evolve 4 DROP TABLE evolve",
                        "shop.evolved 2 RENAME TABLE evolved TO evolve",
                        "shop.evolve 5 DROP DATABASE shop");
    }
}
