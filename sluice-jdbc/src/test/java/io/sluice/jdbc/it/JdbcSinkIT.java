package io.sluice.jdbc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.sink.Sink;
import io.sluice.jdbc.JdbcSinkConfig;
import io.sluice.jdbc.JdbcSinkProvider;
import io.sluice.jdbc.JdbcSinks;
import io.sluice.mysql.testing.LocalSources;
import io.sluice.testkit.MariaDbServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDBC sink's exactly-once commit, fencing and order, against real targets. */
class JdbcSinkIT {
    private static final TableSchema T = new TableSchema(
            "src",
            "t",
            1,
            List.of(
                    new Column("id", "int", null, null, false, null, false, false, null, null),
                    new Column("v", "varchar", 20L, null, false, "utf8mb4", true, false, null, null)),
            new int[] {0});

    @ParameterizedTest
    @EnumSource(Target.class)
    void aSecondInstanceFencesTheFirstAndResumesFromItsLastCommit(Target target) throws Exception {
        String tdb = target.newDatabase("fence");
        JdbcSinkConfig cfg = target.sinkConfig("fence", tdb);
        try (Sink first = JdbcSinks.jdbc(cfg);
                Sink second = JdbcSinks.jdbc(cfg)) {
            assertThat(first.open()).isEmpty();
            first.write(insert(1, 0, "one"));
            first.commit(checkpoint(100));
            first.flush();
            first.awaitFlush(); // the commit runs on the sink's worker

            assertThat(second.open()).as("the checkpoint the first committed").contains(checkpoint(100));
            first.write(insert(2, 0, "two"));
            first.commit(checkpoint(200));
            assertThatThrownBy(() -> {
                        first.flush();
                        first.awaitFlush();
                    })
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("another instance of pipeline fence took over")
                    .satisfies(
                            e -> assertThat(((SluiceException) e).retriable()).isFalse());

            second.write(insert(3, 0, "three"));
            second.commit(checkpoint(300));
            second.flush();
            second.awaitFlush(); // the commit runs on the sink's worker
        }
        assertThat(rows(target, tdb, "src", "t")).containsOnlyKeys(1, 3);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aHalfWrittenSourceTransactionIsNotCommittedByAFlush(Target target) throws Exception {
        String tdb = target.newDatabase("half");
        JdbcSinkConfig cfg = target.sinkConfig("half", tdb);
        try (Sink sink = JdbcSinks.jdbc(cfg)) {
            sink.open();
            sink.write(insert(1, 0, "one"));
            sink.commit(checkpoint(100));
            sink.write(insert(2, 0, "two")); // the next transaction, not committed by the source yet
            sink.flush();
            sink.awaitFlush(); // the commit runs on the sink's worker
        }
        assertThat(rows(target, tdb, "src", "t")).containsOnlyKeys(1);
        try (Sink sink = JdbcSinks.jdbc(cfg)) {
            assertThat(sink.open()).contains(checkpoint(100));
        }
    }

    /**
     * The position guard: a second writer replaying an older range into the same table (its own pipeline, its own
     * checkpoint row) neither overwrites nor deletes rows a newer change wrote, and still adds the rows it alone has.
     * Positions order by binlog file first: bin.000001 at 900 is older than bin.000002 at 100.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void withThePositionGuardAnOlderRangeReplayedNeverRegressesARow(Target target) throws Exception {
        String tdb = target.newDatabase("guard");
        try (Sink newer = JdbcSinks.jdbc(target.sinkConfig("newer", tdb).withPositionGuard());
                Sink older = JdbcSinks.jdbc(target.sinkConfig("older", tdb).withPositionGuard())) {
            newer.open();
            newer.write(change(tdb, Op.UPDATE, 1, "new", "bin.000002", 100, 0));
            newer.write(change(tdb, Op.CREATE, 2, "kept", "bin.000002", 100, 1));
            newer.commit(checkpoint(100));
            newer.flush();
            newer.awaitFlush(); // the commit runs on the sink's worker

            older.open();
            older.write(change(tdb, Op.CREATE, 1, "old", "bin.000001", 900, 0));
            older.write(change(tdb, Op.DELETE, 2, "kept", "bin.000001", 900, 1));
            older.write(change(tdb, Op.CREATE, 3, "three", "bin.000001", 900, 2));
            older.write(change(tdb, Op.UPDATE, 3, "three again", "bin.000001", 950, 0));
            older.commit(checkpoint(950));
            older.flush();
            older.awaitFlush(); // the commit runs on the sink's worker
        }
        assertThat(rows(target, tdb, tdb, "t")).isEqualTo(Map.of(1, "new/u", 2, "kept/c", 3, "three again/u"));
        try (Connection c = target.connect(tdb);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT _sluice_pos FROM " + target.table(tdb, "t") + " WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0000000002:00000000000000000100:0000000000");
        }
    }

    /** A change of {@code db.t} at a binlog position: an upsert's after image, or a delete's before image. */
    private static ChangeEvent change(String db, Op op, int id, String v, String file, long pos, int row) {
        SourceInfo source = new SourceInfo("it", 1, null, file, pos, row, 1_700_000_000_000L, db, "t", false);
        Row image = new Row(T.names(), T.columns(), new Object[] {(long) id, v});
        Row key = new Row(T.keyNames(), T.keyColumns(), new Object[] {(long) id});
        return new ChangeEvent(
                ChangeEvent.id("it", file + ":" + pos, row),
                op,
                source,
                key,
                op == Op.DELETE ? image : null,
                op == Op.DELETE ? null : image,
                1,
                null);
    }

    /**
     * Two rows swap the values of a unique key in one source transaction (through a third value, as MySQL must):
     * the target, with the same unique key, ends equal to the source, never with a row updated by the wrong key.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void twoRowsSwappingUniqueValuesInOneTransactionEndAsInTheSource(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("swap");
        db.execute(
                "CREATE TABLE " + s + ".u (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, n INT, UNIQUE KEY (code))");
        String tdb = target.newDatabase("swap");
        String tt = target.table(s, "u");
        if (target == Target.POSTGRESQL) {
            target.execute(
                    tdb,
                    "CREATE SCHEMA \"" + s + "\"",
                    "CREATE TABLE " + tt + " (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, n INTEGER)");
        } else {
            target.execute(
                    tdb,
                    "CREATE DATABASE `" + s + "`",
                    "CREATE TABLE " + tt
                            + " (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, n INT, UNIQUE KEY (code))");
        }
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "swap", s + ".u", LocalSources.current(db)),
                JdbcSinks.jdbc(target.sinkConfig("swap", tdb)));
        try {
            db.execute(
                    "INSERT INTO " + s + ".u VALUES (1, 'a', 1), (2, 'b', 2)",
                    "BEGIN",
                    "UPDATE " + s + ".u SET code = 'tmp', n = 10 WHERE id = 1",
                    "UPDATE " + s + ".u SET code = 'a', n = 20 WHERE id = 2",
                    "UPDATE " + s + ".u SET code = 'b', n = 11 WHERE id = 1",
                    "COMMIT",
                    // and a new row taking a value freed in the same transaction
                    "BEGIN",
                    "UPDATE " + s + ".u SET code = 'c' WHERE id = 2",
                    "INSERT INTO " + s + ".u VALUES (3, 'a', 3)",
                    "COMMIT");
            Pipelines.await("the swap applied", p, () -> target(target, tdb, tt).containsKey(3));
            assertThat(target(target, tdb, tt))
                    .isEqualTo(Map.of(1, "b/11", 2, "c/20", 3, "a/3"))
                    .isEqualTo(source(db, s + ".u"));
        } finally {
            Pipelines.stop(p);
        }
    }

    /**
     * The pipeline crashes mid-stream again and again (a fatal failure at a write, the sink's open transaction lost
     * with it); each run resumes from the checkpoint in the target. At the end the target equals the source, and an
     * audit trigger on the target, which records the {@code _sluice_pos} (event id) of every row written, shows no
     * event applied twice.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void crashesMidStreamLeaveEveryChangeAppliedOnce(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("crash");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20), n INT)");
        String tdb = target.newDatabase("crash");
        String tt = target.table(s, "t");
        createAuditedTarget(target, tdb, s, tt);
        var start = LocalSources.current(db);
        List<String> sql = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            sql.add("BEGIN");
            for (int r = 0; r < 5; r++) {
                int id = t * 5 + r + 1;
                sql.add("INSERT INTO " + s + ".t VALUES (" + id + ", 'v" + id + "', 0)");
            }
            sql.add("UPDATE " + s + ".t SET n = n + 1 WHERE id <= " + (t * 5 + 1));
            if (t % 7 == 3) {
                sql.add("UPDATE " + s + ".t SET id = id + 1000 WHERE id = " + (t * 5 + 2)); // a key change
            }
            if (t % 5 == 4) {
                sql.add("DELETE FROM " + s + ".t WHERE id = " + (t * 5));
            }
            sql.add(t % 9 == 8 ? "ROLLBACK" : "COMMIT");
        }
        db.execute(sql.toArray(String[]::new));
        JdbcSinkConfig cfg = target.sinkConfig("crash", tdb)
                // with the metadata columns; source transactions split in parts of 7 events, too
                .withWriting(7, 1 << 20, JdbcSinkConfig.KeylessMode.APPEND, true);
        var source = Pipelines.source(db, "crash", s + ".t", start);
        for (int crashAt : new int[] {37, 211, 450, 1001, 1500}) {
            Pipeline p = Pipelines.start(source, crashingAt(JdbcSinks.jdbc(cfg), crashAt));
            assertThat(p.await(Duration.ofSeconds(120))).as("the run stops").isTrue();
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        }
        Pipeline p = Pipelines.start(source, JdbcSinks.jdbc(cfg));
        try {
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");
        } finally {
            Pipelines.stop(p);
        }
        assertThat(positionsAppliedTwice(target, tdb, s))
                .as("events applied more than once")
                .isEmpty();
        assertThat(auditedWrites(target, tdb, s)).as("audited writes").isGreaterThan(300);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aSourceTransactionOverTheByteBoundIsSplitAndCrashesInsideItApplyEachEventOnce(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("big");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20), n INT)");
        String tdb = target.newDatabase("big");
        String tt = target.table(s, "t");
        createAuditedTarget(target, tdb, s, tt);
        var start = LocalSources.current(db);
        List<String> sql = new ArrayList<>();
        sql.add("BEGIN");
        for (int id = 1; id <= 300; id++) {
            sql.add("INSERT INTO " + s + ".t VALUES (" + id + ", '" + "v".repeat(20) + "', " + id + ")");
        }
        sql.add("UPDATE " + s + ".t SET n = n + 1 WHERE id <= 40");
        sql.add("COMMIT");
        db.execute(sql.toArray(String[]::new));
        // bounded by bytes only (a TiDB-like transaction-size limit): about 75 bytes of values per row, 1,000 bytes
        // a target transaction
        JdbcSinkConfig cfg =
                target.sinkConfig("big", tdb).withWriting(1_000_000, 1_000, JdbcSinkConfig.KeylessMode.APPEND, true);
        JdbcSinkProvider provider = new JdbcSinkProvider();
        var source = Pipelines.source(db, "big", s + ".t", start);
        int lastMark = 0;
        for (int crashAt : new int[] {60, 45, 100}) {
            Pipeline p = Pipelines.start(source, crashingAt(JdbcSinks.jdbc(cfg), crashAt));
            assertThat(p.await(Duration.ofSeconds(120))).as("the run stops").isTrue();
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
            // the target holds a part of the one source transaction, marked in its checkpoint
            Checkpoint cp = provider.readCheckpoint(cfg).orElseThrow();
            assertThat(cp.partial())
                    .as("a resume-inside mark after the crash at " + crashAt)
                    .isNotNull();
            assertThat(cp.partial().rows()).isGreaterThan(lastMark).isLessThan(lastMark + crashAt);
            lastMark = cp.partial().rows();
        }
        Pipeline p = Pipelines.start(source, JdbcSinks.jdbc(cfg));
        try {
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");
        } finally {
            Pipelines.stop(p);
        }
        assertThat(provider.readCheckpoint(cfg).orElseThrow().partial())
                .as("the transaction is whole in the end")
                .isNull();
        assertThat(positionsAppliedTwice(target, tdb, s))
                .as("events applied more than once")
                .isEmpty();
        assertThat(auditedWrites(target, tdb, s))
                .as("audited writes: every event of the transaction once")
                .isEqualTo(340);
    }

    /**
     * A snapshot of a table with a key and of one without, then the stream: the target tables are created from the
     * snapshot rows' schema and end equal to the source (the keyless one holding each row once: appended).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aSnapshotThenTheStreamFillTheTargetTables(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("snap");
        db.execute(
                "CREATE TABLE " + s + ".k (id INT PRIMARY KEY, v VARCHAR(20), n BIGINT)",
                "INSERT INTO " + s + ".k SELECT seq, CONCAT('v', seq), seq * 2 FROM " + s + ".seq_1_to_700",
                "CREATE TABLE " + s + ".nokey (n INT NOT NULL, v VARCHAR(20))",
                "INSERT INTO " + s + ".nokey SELECT seq, CONCAT('n', seq) FROM " + s + ".seq_1_to_300");
        String tdb = target.newDatabase("snap");
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "snap", s + ".*", new io.sluice.mysql.source.StartPosition.Snapshot()),
                JdbcSinks.jdbc(target.sinkConfig("snap", tdb)));
        try {
            Pipelines.await(
                    "the snapshot in the target",
                    p,
                    () -> target(target, tdb, target.table(s, "k")).size() == 700);
            db.execute(
                    "UPDATE " + s + ".k SET v = 'changed' WHERE id <= 10",
                    "DELETE FROM " + s + ".k WHERE id > 690",
                    "INSERT INTO " + s + ".nokey VALUES (301, 'n301')");
            awaitTargetEqualsSource(p, target, tdb, db, s, "k");
            awaitTargetEqualsSource(p, target, tdb, db, s, "nokey");
        } finally {
            Pipelines.stop(p);
        }
    }

    /**
     * A table without a key in {@code keyless-mode: all-columns}: an update or delete removes the one row equal to
     * the old row; then a TRUNCATE empties the target table in the same transaction as what follows it.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aKeylessTableFollowsItsSourceByAllColumnsAndATruncateEmptiesIt(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("keyless");
        db.execute("CREATE TABLE " + s + ".t (n INT NOT NULL, v VARCHAR(20), d DECIMAL(10,2))");
        String tdb = target.newDatabase("keyless");
        JdbcSinkConfig cfg = target.sinkConfig("keyless", tdb)
                .withWriting(
                        JdbcSinkConfig.DEFAULT_TRANSACTION_EVENTS,
                        JdbcSinkConfig.DEFAULT_TRANSACTION_BYTES,
                        JdbcSinkConfig.KeylessMode.ALL_COLUMNS,
                        false);
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "keyless", s + ".t", LocalSources.current(db)), JdbcSinks.jdbc(cfg));
        try {
            db.execute(
                    "INSERT INTO " + s + ".t VALUES (1, 'a', 1.5), (2, 'b', NULL), (3, NULL, 3.25)",
                    "UPDATE " + s + ".t SET v = 'B' WHERE n = 2",
                    "DELETE FROM " + s + ".t WHERE n = 3");
            assertThat(source(db, s + ".t")).isEqualTo(Map.of(1, "a/1.50", 2, "B/null"));
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");
            db.execute("TRUNCATE TABLE " + s + ".t", "INSERT INTO " + s + ".t VALUES (4, 'd', 4)");
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");
        } finally {
            Pipelines.stop(p);
        }
    }

    /** The target restarted while the pipeline streams: the sink fails, is opened again, and nothing is lost. */
    @org.junit.jupiter.api.Test
    void theTargetRestartedMidStreamIsRetriedAndNothingIsLost() throws Exception {
        Target target = Target.POSTGRESQL;
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("restart");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20), n INT)");
        String tdb = target.newDatabase("restart");
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "restart", s + ".t", LocalSources.current(db)),
                JdbcSinks.jdbc(target.sinkConfig("restart", tdb)));
        try {
            for (int round = 0; round < 3; round++) {
                List<String> sql = new ArrayList<>();
                for (int i = 1; i <= 100; i++) {
                    int id = round * 100 + i;
                    sql.add("INSERT INTO " + s + ".t VALUES (" + id + ", 'v" + id + "', " + round + ")");
                }
                sql.add("UPDATE " + s + ".t SET n = n + 10 WHERE id % 7 = 0");
                db.execute(sql.toArray(String[]::new));
                if (round == 1) {
                    target.postgres().restart();
                }
            }
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");
        } finally {
            Pipelines.stop(p);
        }
    }

    /**
     * A column added at the source while streaming is added to the target; a target column too narrow for a value
     * stops the pipeline with the target's complaint (the MySQL family would otherwise cut the value quietly).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void anAddedColumnIsAddedAndATooNarrowTargetColumnStopsThePipeline(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("evolve");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        String tdb = target.newDatabase("evolve");
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "evolve", s + ".t", LocalSources.current(db)),
                JdbcSinks.jdbc(target.sinkConfig("evolve", tdb)));
        try {
            db.execute(
                    "INSERT INTO " + s + ".t VALUES (1, 'one')",
                    "ALTER TABLE " + s + ".t ADD COLUMN n INT",
                    "INSERT INTO " + s + ".t VALUES (2, 'two', 2)",
                    "UPDATE " + s + ".t SET n = 1 WHERE id = 1");
            assertThat(source(db, s + ".t")).isEqualTo(Map.of(1, "one/1", 2, "two/2"));
            awaitTargetEqualsSource(p, target, tdb, db, s, "t");

            target.execute(
                    tdb,
                    target == Target.POSTGRESQL
                            ? "ALTER TABLE " + target.table(s, "t") + " ALTER COLUMN v TYPE VARCHAR(3)"
                            : "ALTER TABLE " + target.table(s, "t") + " MODIFY v VARCHAR(3)");
            db.execute("INSERT INTO " + s + ".t VALUES (3, 'longer than three', 3)");
            assertThat(p.await(Duration.ofSeconds(60))).as("the pipeline stops").isTrue();
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
            assertThat(p.failure().orElseThrow())
                    .hasMessageContaining(
                            target == Target.POSTGRESQL ? "value too long" : "the target changed a value");
            assertThat(target(target, tdb, target.table(s, "t"))).doesNotContainKey(3);
        } finally {
            Pipelines.stop(p);
        }
    }

    /**
     * Types widened at the source (INT to BIGINT, VARCHAR(10) to VARCHAR(50), DECIMAL(5,2) to DECIMAL(10,2)) are
     * widened in the target, and rows only the wider types hold arrive; a type change then halts the pipeline naming the
     * DDL the target would need, and applies nothing after it.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void widenedColumnsAreWidenedAndANarrowedOneHaltsNamingTheDdl(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("widen");
        db.execute("CREATE TABLE " + s + ".w (id INT PRIMARY KEY, v VARCHAR(10), d DECIMAL(5,2))");
        String tdb = target.newDatabase("widen");
        Pipeline p = Pipelines.start(
                Pipelines.source(db, "widen", s + ".w", LocalSources.current(db)),
                JdbcSinks.jdbc(target.sinkConfig("widen", tdb)));
        String select = "SELECT id, v, d FROM %s ORDER BY id";
        try {
            db.execute(
                    "INSERT INTO " + s + ".w VALUES (1, 'short', 123.45)",
                    "ALTER TABLE " + s + ".w MODIFY id BIGINT, MODIFY v VARCHAR(50), MODIFY d DECIMAL(10,2)",
                    "INSERT INTO " + s + ".w VALUES (5000000000, 'longer than ten characters', 12345678.91)",
                    "UPDATE " + s + ".w SET v = 'also longer than ten', d = 99999999.99 WHERE id = 1");
            List<String> want = lines(db.rootConnection(), String.format(select, s + ".w"));
            assertThat(want)
                    .containsExactly(
                            "1/also longer than ten/99999999.99", "5000000000/longer than ten characters/12345678.91");
            Pipelines.await(
                    "the widened rows in the target",
                    p,
                    () -> lines(target.connect(tdb), String.format(select, target.table(s, "w")))
                            .equals(want));

            db.execute(
                    "ALTER TABLE " + s + ".w MODIFY d VARCHAR(20)", "INSERT INTO " + s + ".w VALUES (3, 'three', '3')");
            assertThat(p.await(Duration.ofSeconds(60))).as("the pipeline halts").isTrue();
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
            assertThat(p.failure().orElseThrow())
                    .hasMessageContaining("column d changed from decimal(10,2) to varchar(")
                    .hasMessageContaining(", which is not a widening")
                    .hasMessageContaining(
                            target == Target.POSTGRESQL
                                    ? "ALTER TABLE " + target.table(s, "w") + " ALTER COLUMN \"d\" TYPE VARCHAR("
                                    : "ALTER TABLE " + target.table(s, "w") + " MODIFY COLUMN `d` VARCHAR(");
            assertThat(lines(target.connect(tdb), String.format(select, target.table(s, "w"))))
                    .isEqualTo(want);
        } finally {
            Pipelines.stop(p);
        }
    }

    /**
     * A schema halt sticks: it is recorded in the checkpoint table, so a restart without resolving it halts again at
     * once with the same message naming the DDL, and applies nothing; once the DDL is run on the target and the halt
     * cleared with the statement the message names, the pipeline goes on and the target equals the source.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aSchemaHaltSticksAcrossRestartsUntilTheOperatorApprovesIt(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("stick");
        db.execute("CREATE TABLE " + s + ".h (id INT PRIMARY KEY, v VARCHAR(10), d DECIMAL(5,2))");
        String tdb = target.newDatabase("stick");
        // a checkpoint table as an older Sluice made it, without the halt column: the sink adds it
        target.execute(
                tdb,
                "CREATE TABLE sluice_checkpoint (pipeline VARCHAR(255) NOT NULL PRIMARY KEY, generation BIGINT NOT"
                        + " NULL, checkpoint TEXT)");
        JdbcSinkConfig config = target.sinkConfig("stick", tdb);
        var source = Pipelines.source(db, "stick", s + ".h", LocalSources.current(db));
        String select = "SELECT id, v, d FROM %s ORDER BY id";
        String th = target.table(s, "h");
        String ddl = target == Target.POSTGRESQL
                ? "ALTER TABLE " + th + " ALTER COLUMN \"d\" TYPE VARCHAR("
                : "ALTER TABLE " + th + " MODIFY COLUMN `d` VARCHAR(";
        JdbcSinkProvider provider = new JdbcSinkProvider();
        assertThat(provider.readCheckpoint(config))
                .as("no checkpoint before the first run")
                .isEmpty();
        Pipeline p = Pipelines.start(source, JdbcSinks.jdbc(config));
        db.execute("INSERT INTO " + s + ".h VALUES (1, 'one', 1.25)");
        Pipelines.await(
                "row 1 in the target",
                p,
                () -> lines(target.connect(tdb), String.format(select, th)).equals(List.of("1/one/1.25")));
        assertThat(haltFindings(provider, config))
                .as("no halt to report before one")
                .isEmpty();
        // a type change; the value inserted after it would also fit the target's old NUMERIC/DECIMAL column, so
        // only the recorded halt stops a restart from carrying on
        db.execute("ALTER TABLE " + s + ".h MODIFY d VARCHAR(20)", "INSERT INTO " + s + ".h VALUES (2, 'two', '2.5')");
        String first = halted(p);
        assertThat(first)
                .contains("column d changed from decimal(5,2) to varchar(")
                .contains(ddl)
                .contains("The halt is recorded in the target")
                .contains("sluice schema approve -c <the pipeline's file> --table " + s + ".h --version");
        // position show reads the checkpoint from the target (read only, while nothing runs): the one before the change
        Checkpoint before = provider.readCheckpoint(config).orElseThrow();
        java.util.regex.Matcher clear = java.util.regex.Pattern.compile("run on the target (UPDATE .*?) and start")
                .matcher(first);
        assertThat(clear.find())
                .as("the message names the statement clearing the halt: " + first)
                .isTrue();

        for (int restart = 0; restart < 2; restart++) {
            String again = halted(Pipelines.start(source, JdbcSinks.jdbc(config)));
            assertThat(again)
                    .contains("pipeline stick halted earlier and stays halted")
                    .contains("column d changed from decimal(5,2) to varchar(")
                    .contains(ddl)
                    .contains(clear.group(1));
            assertThat(lines(target.connect(tdb), String.format(select, th))).containsExactly("1/one/1.25");
            assertThat(provider.readCheckpoint(config)).contains(before);
        }
        // sluice check reports the halt and says how to clear it
        List<io.sluice.core.sink.SinkFinding> findings = haltFindings(provider, config);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).isProblem()).isTrue();
        assertThat(findings.get(0).problem())
                .contains("pipeline stick is halted")
                .contains("column d changed from decimal(5,2) to varchar(");
        assertThat(findings.get(0).fix()).contains("sluice schema approve").contains("--table " + s + ".h");
        // approving another table's change clears nothing
        assertThat(provider.clearHalt(config, s + ".other")).isEmpty();

        // the operator resolves it: the DDL the halt named, then the approval (sluice schema approve calls the
        // provider) clears the halt; more changes meanwhile
        String named = first.substring(first.indexOf(ddl));
        target.execute(tdb, named.substring(0, named.indexOf(')') + 1));
        assertThat(provider.clearHalt(config, s + ".h"))
                .hasValueSatisfying(m -> assertThat(m).contains("cleared the halt of pipeline stick"));
        assertThat(provider.clearHalt(config, s + ".h")).as("cleared once").isEmpty();
        assertThat(haltFindings(provider, config)).isEmpty();
        db.execute(
                "INSERT INTO " + s + ".h VALUES (3, 'three', 'not a number')",
                "UPDATE " + s + ".h SET d = 'x' WHERE id = 1");
        List<String> want = lines(db.rootConnection(), String.format(select, s + ".h"));
        assertThat(want).containsExactly("1/one/x", "2/two/2.5", "3/three/not a number");
        Pipeline resumed = Pipelines.start(source, JdbcSinks.jdbc(config));
        try {
            Pipelines.await(
                    "the target equal to the source after the halt is cleared",
                    resumed,
                    () -> lines(target.connect(tdb), String.format(select, th)).equals(want));
        } finally {
            Pipelines.stop(resumed);
        }
        assertThat(provider.readCheckpoint(config)).isPresent().isNotEqualTo(Optional.of(before));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void characterColumnsGetTheirLengthInCharactersFromTheTableMapAndFromTheDdl(Target target) throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("lens");
        // created before the pipeline starts from the current position: the rows' schema comes from the table map
        // alone, whose lengths are bytes (utf8mb4 VARCHAR(10): 40, CHAR(120): 480)
        db.execute("CREATE TABLE " + s + ".w (id INT PRIMARY KEY, v4 VARCHAR(10) CHARACTER SET utf8mb4,"
                + " c4 CHAR(120) CHARACTER SET utf8mb4, v3 VARCHAR(6) CHARACTER SET utf8mb3,"
                + " v1 VARCHAR(10) CHARACTER SET latin1, c1 CHAR(3) CHARACTER SET latin1, vb VARBINARY(10),"
                + " cb BINARY(4))");
        String tdb = target.newDatabase("lens");
        JdbcSinkConfig config = target.sinkConfig("lens", tdb);
        var source = Pipelines.source(db, "lens", s + ".w", LocalSources.current(db));
        Pipeline p = Pipelines.start(source, JdbcSinks.jdbc(config));
        try {
            String emoji = "\uD83D\uDE00"; // four bytes in utf8mb4
            db.execute(
                    "INSERT INTO " + s + ".w VALUES (1, '" + emoji.repeat(10) + "', '" + "\u00e9".repeat(120) + "', '"
                            + "\u20ac".repeat(6) + "', '" + "\u00e9".repeat(10) + "', 'abc', x'00112233445566778899',"
                            + " x'00ff00ff')",
                    // from the DDL now: a column added while streaming
                    "ALTER TABLE " + s + ".w ADD COLUMN a4 VARCHAR(7) CHARACTER SET utf8mb4",
                    "INSERT INTO " + s + ".w VALUES (2, 'x', 'y', 'z', 'w', 'v', x'01', x'02', '" + emoji.repeat(7)
                            + "')");
            String select = "SELECT id, v4, c4, v3, v1, c1, a4 FROM %s ORDER BY id";
            List<String> want = lines(db.rootConnection(), String.format(select, s + ".w"));
            String th = target.table(s, "w");
            Pipelines.await(
                    "the target equal to the source",
                    p,
                    () -> lines(target.connect(tdb), String.format(select, th)).equals(want));
        } finally {
            Pipelines.stop(p);
        }
        String lengths = target == Target.POSTGRESQL
                ? "SELECT column_name, character_maximum_length FROM information_schema.columns WHERE table_schema = '"
                        + s + "' AND table_name = 'w' ORDER BY ordinal_position"
                : "SELECT column_name, character_maximum_length FROM information_schema.columns WHERE table_schema = '"
                        + s + "' AND table_name = 'w' ORDER BY ordinal_position";
        List<String> got = lines(target.connect(tdb), lengths);
        if (target == Target.POSTGRESQL) {
            assertThat(got)
                    .containsExactly(
                            "id/null", "v4/10", "c4/120", "v3/6", "v1/10", "c1/3", "vb/null", "cb/null", "a4/7");
        } else {
            assertThat(got)
                    .containsExactly("id/null", "v4/10", "c4/120", "v3/6", "v1/10", "c1/3", "vb/10", "cb/4", "a4/7");
        }
    }

    /** What {@code sluice check} says of a recorded halt (the grants are checked by TargetCheckIT). */
    private static List<io.sluice.core.sink.SinkFinding> haltFindings(
            JdbcSinkProvider provider, JdbcSinkConfig config) {
        return provider.check(config).stream()
                .filter(f -> f.problem().contains("halted"))
                .toList();
    }

    /** Waits for the pipeline to halt and returns its failure's message. */
    private static String halted(Pipeline p) throws InterruptedException {
        try {
            assertThat(p.await(Duration.ofSeconds(60))).as("the pipeline halts").isTrue();
            assertThat(p.state()).isEqualTo(PipelineState.FAILED);
            return p.failure().orElseThrow().getMessage();
        } finally {
            Pipelines.stop(p);
        }
    }

    /** Every row of a query, its columns joined by {@code /}; closes the connection. */
    private static List<String> lines(Connection connection, String sql) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = connection;
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "/").append(rs.getString(i));
                }
                rows.add(sb.toString());
            }
        }
        return rows;
    }

    /** The target table with the metadata columns, and a trigger recording the event id of every row written. */
    static void createAuditedTarget(Target target, String tdb, String s, String tt) throws SQLException {
        String audit = target.table(s, "audit");
        if (target == Target.POSTGRESQL) {
            target.execute(
                    tdb,
                    "CREATE SCHEMA \"" + s + "\"",
                    "CREATE TABLE " + tt + " (id INTEGER PRIMARY KEY, v VARCHAR(20), n INTEGER, _sluice_op VARCHAR(1),"
                            + " _sluice_ts BIGINT, _sluice_pos VARCHAR(255))",
                    "CREATE TABLE " + audit + " (pos VARCHAR(255), op VARCHAR(1))",
                    "CREATE FUNCTION \"" + s + "\".audit() RETURNS trigger AS $$ BEGIN INSERT INTO " + audit
                            + " VALUES (NEW._sluice_pos, NEW._sluice_op); RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER audit_ins AFTER INSERT OR UPDATE ON " + tt + " FOR EACH ROW EXECUTE FUNCTION \"" + s
                            + "\".audit()");
        } else {
            target.execute(
                    tdb,
                    "CREATE DATABASE `" + s + "`",
                    "CREATE TABLE " + tt + " (id INT PRIMARY KEY, v VARCHAR(20), n INT, _sluice_op VARCHAR(1),"
                            + " _sluice_ts BIGINT, _sluice_pos VARCHAR(255))",
                    "CREATE TABLE " + audit + " (pos VARCHAR(255), op VARCHAR(1))",
                    "CREATE TRIGGER " + target.table(s, "audit_ins") + " AFTER INSERT ON " + tt
                            + " FOR EACH ROW INSERT INTO " + audit + " VALUES (NEW._sluice_pos, NEW._sluice_op)",
                    "CREATE TRIGGER " + target.table(s, "audit_upd") + " AFTER UPDATE ON " + tt
                            + " FOR EACH ROW INSERT INTO " + audit + " VALUES (NEW._sluice_pos, NEW._sluice_op)");
        }
    }

    /** Waits until the target's table equals the source's {@code s.table} as it is now. */
    static void awaitTargetEqualsSource(Pipeline p, Target target, String tdb, MariaDbServer db, String s, String table)
            throws SQLException {
        Map<Integer, String> want = source(db, s + "." + table);
        Pipelines.await(
                target.table(s, table) + " in the target equals the source",
                p,
                () -> target(target, tdb, target.table(s, table)).equals(want));
    }

    static Map<Integer, String> source(MariaDbServer db, String table) throws SQLException {
        try (Connection c = db.rootConnection()) {
            return rowsOf(c, "SELECT * FROM " + table);
        }
    }

    static Map<Integer, String> target(Target target, String tdb, String table) throws SQLException {
        try (Connection c = target.connect(tdb)) {
            return rowsOf(c, "SELECT * FROM " + table);
        }
    }

    /** id → the next two columns' values, {@code a/b} (or the next one's). */
    private static Map<Integer, String> rowsOf(Connection c, String sql) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                boolean three = rs.getMetaData().getColumnCount() > 2;
                rows.put(rs.getInt(1), rs.getString(2) + (three ? "/" + rs.getString(3) : ""));
            }
        }
        return rows;
    }

    private static Map<Integer, String> rows(Target target, String tdb, String db, String table) throws SQLException {
        return target(target, tdb, target.table(db, table));
    }

    private static ChangeEvent insert(int id, int row, String v) {
        SourceInfo source =
                new SourceInfo("it", 1, null, "bin.000001", id * 100L, row, 1_700_000_000_000L, "src", "t", false);
        Row after = new Row(T.names(), T.columns(), new Object[] {(long) id, v});
        Row key = new Row(T.keyNames(), T.keyColumns(), new Object[] {(long) id});
        return new ChangeEvent(
                ChangeEvent.id("it", "bin.000001:" + id * 100L, row), Op.CREATE, source, key, null, after, 1, null);
    }

    private static Checkpoint checkpoint(long pos) {
        return new Checkpoint(new BinlogPosition("bin.000001", pos, null), List.of(), Map.of());
    }

    /**
     * The sink, failing fatally at its n-th write as a crash would: its connection closed first, so nothing after
     * its last flush is made durable.
     */
    static Sink crashingAt(Sink sink, int n) {
        int[] writes = {0};
        return (Sink) Proxy.newProxyInstance(
                Sink.class.getClassLoader(), new Class<?>[] {Sink.class}, (proxy, m, a) -> {
                    if (m.getName().equals("write") && ++writes[0] == n) {
                        sink.close();
                        throw SluiceException.fatal("simulated crash at write " + n);
                    }
                    try {
                        return m.invoke(sink, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The source positions the audit trigger recorded more than once ({@code pos xN}). */
    private static List<String> positionsAppliedTwice(Target target, String tdb, String s) throws Exception {
        try (Connection c = target.connect(tdb);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pos, COUNT(*) FROM " + target.table(s, "audit")
                        + " GROUP BY pos HAVING COUNT(*) > 1")) {
            List<String> twice = new ArrayList<>();
            while (rs.next()) {
                twice.add(rs.getString(1) + " x" + rs.getInt(2));
            }
            return twice;
        }
    }

    /** How many writes the audit trigger recorded. */
    private static int auditedWrites(Target target, String tdb, String s) throws Exception {
        try (Connection c = target.connect(tdb);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + target.table(s, "audit"))) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
