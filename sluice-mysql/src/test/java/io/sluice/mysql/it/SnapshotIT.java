package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.snapshot.SnapshotTracker;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The watermark snapshot on a real MariaDB: tables with a primary key, a composite primary key of mixed types,
 * only a unique NOT NULL index, and no key at all are snapshotted in small chunks while a writer updates, deletes
 * and inserts rows in the ranges being read. The output, applied in order, must equal the tables' final content,
 * with no key lost or doubled: c, u and r events set a key's row, d events remove it (DBLog's ordering: a change of
 * a row whose chunk is read later comes before that row's r event); a keyless table's events apply exactly from its
 * r events on; every r id is unique.
 */
class SnapshotIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MariaDbServer db = MariaDbServer.shared();

    /** The JSON_OBJECT expression giving a table's rows in the contract's encoding, per test table. */
    private static final Map<String, String> ROW_JSON = Map.of(
            "pk", "JSON_OBJECT('id', id, 'v', v, 'n', n)",
            "comp",
                    "JSON_OBJECT('a', a, 'b', b, 'c', TO_BASE64(c), 'd', LEFT(DATE_FORMAT(d, '%Y-%m-%dT%H:%i:%s.%f'), 23),"
                            + " 'v', v)",
            "uq", "JSON_OBJECT('x', x, 'y', y, 'v', v, 'f', f)",
            "nokey", "JSON_OBJECT('v', v, 'w', w)",
            "marker", "JSON_OBJECT('id', id)");

    private String createTables() {
        String s = db.createDatabase("snap");
        db.execute(
                "CREATE TABLE " + s + ".pk (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "CREATE TABLE " + s + ".comp (a INT, b VARCHAR(20), c VARBINARY(8), d DATETIME(3), v INT,"
                        + " PRIMARY KEY (a, b, c, d))",
                // a DOUBLE column: this table is read over the binary protocol, on a connection of its own
                "CREATE TABLE " + s + ".uq (x INT NOT NULL, y VARCHAR(10) NOT NULL, v INT, f DOUBLE,"
                        + " UNIQUE KEY (y, x))",
                "CREATE TABLE " + s + ".nokey (v INT, w VARCHAR(10))",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)");
        StringBuilder pk = new StringBuilder();
        for (int i = 0; i < 600; i += 2) {
            pk.append(pk.length() == 0 ? "" : ",")
                    .append("(")
                    .append(i)
                    .append(",'v")
                    .append(i)
                    .append("',")
                    .append(i % 7)
                    .append(")");
        }
        StringBuilder comp = new StringBuilder();
        for (int i = 0; i < 240; i++) {
            comp.append(comp.length() == 0 ? "" : ",")
                    .append("(")
                    .append(i / 20)
                    .append(",'")
                    .append((char) ('a' + i % 5))
                    .append("',X'0")
                    .append(i % 3)
                    .append("ff',")
                    .append("'2024-02-29 13:45:0")
                    .append(i % 4)
                    .append(".")
                    .append(100 + i % 2)
                    .append("',")
                    .append(i)
                    .append(")");
        }
        StringBuilder uq = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            uq.append(uq.length() == 0 ? "" : ",")
                    .append("(")
                    .append(i)
                    .append(",'y")
                    .append(i % 13)
                    .append("',")
                    .append(i)
                    .append(",")
                    .append(i)
                    .append(".25)"); // never integral: 2.0 and 2 are not equal JSON
        }
        StringBuilder nokey = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            nokey.append(nokey.length() == 0 ? "" : ",")
                    .append("(")
                    .append(i % 9)
                    .append(",'w")
                    .append(i)
                    .append("')");
        }
        db.execute(
                "INSERT INTO " + s + ".pk VALUES " + pk,
                "INSERT INTO " + s + ".comp VALUES " + comp,
                "INSERT INTO " + s + ".uq VALUES " + uq,
                "INSERT INTO " + s + ".nokey VALUES " + nokey);
        return s;
    }

    @Test
    void initialSnapshotWithConcurrentWritesEqualsTheFinalTables() throws Exception {
        snapshotWhileWriting(17, (cap, s) -> {}, (cap, s) -> {
            long chunks = cap.source().snapshotStatus().stream()
                    .mapToLong(SnapshotTracker.TableStatus::chunks)
                    .sum();
            assertThat(chunks).as("chunks read").isGreaterThan(20);
        });
    }

    /**
     * A user who cannot write (or even see) the signal table: snapshot.mode auto falls back to read-only, each chunk
     * read in a consistent snapshot at the position MariaDB reports and emitted there, while a writer changes the
     * tables (the keyless one is read whole, also without the watermark write). Every row once, the final state
     * equal to the tables'.
     */
    @Test
    void aReadOnlyUserSnapshotsInAutoModeWithConcurrentWritesEqualToTheFinalTables() throws Exception {
        snapshotWhileWriting(17, "snapro", SnapshotConfig.Mode.AUTO, (cap, s) -> {}, (cap, s) -> {
            assertThat(cap.source().snapshotsReadOnly())
                    .as("snapshots ran read-only")
                    .isTrue();
            long chunks = cap.source().snapshotStatus().stream()
                    .mapToLong(SnapshotTracker.TableStatus::chunks)
                    .sum();
            assertThat(chunks).as("chunks read").isGreaterThan(20);
        });
    }

    /**
     * snapshot.mode read-only for root, who could write the signal table: the pipeline's watermark row is not written
     * (nor the table created), and every row comes once.
     */
    @Test
    void readOnlyModeForcedWritesNoWatermark() throws Exception {
        String before = watermarkRow("it");
        snapshotWhileWriting(29, null, SnapshotConfig.Mode.READ_ONLY, (cap, s) -> {}, (cap, s) -> {
            assertThat(cap.source().snapshotsReadOnly())
                    .as("snapshots ran read-only")
                    .isTrue();
            assertThat(watermarkRow("it"))
                    .as("the watermark row of pipeline it")
                    .isEqualTo(before);
        });
    }

    /** The watermark row of a pipeline in the signal table as text, or "absent" (no table, or no row). */
    private String watermarkRow(String pipeline) throws SQLException {
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = 'sluice' AND TABLE_NAME = 'sluice_signal'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return "absent";
            }
            try (ResultSet w = st.executeQuery(
                    "SELECT kind, detail FROM sluice.sluice_signal WHERE id = '" + pipeline + ":watermark'")) {
                return w.next() ? w.getString(1) + " " + w.getString(2) : "absent";
            }
        }
    }

    /** A step of a test on a running capture of the tables in database {@code s}. */
    private interface CaptureStep {
        void run(Capture cap, String s) throws Exception;
    }

    /**
     * Snapshots the tables of {@link #createTables} in chunks of {@code chunkSize} rows while a writer changes them;
     * {@code during} runs while the snapshot does. Then the output, applied in order, must equal the final tables
     * ({@link #verify}); {@code after} checks more.
     */
    private void snapshotWhileWriting(int chunkSize, CaptureStep during, CaptureStep after) throws Exception {
        snapshotWhileWriting(chunkSize, null, SnapshotConfig.Mode.AUTO, during, after);
    }

    /**
     * As above, as {@code user} when not null: a user made here with only SELECT on the tables' database,
     * REPLICATION SLAVE and BINLOG MONITOR (no grant on the signal table); snapshots in {@code mode}.
     */
    private void snapshotWhileWriting(
            int chunkSize, String user, SnapshotConfig.Mode mode, CaptureStep during, CaptureStep after)
            throws Exception {
        String s = createTables();
        if (user != null) {
            db.createUser(user, "pw", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON `" + s + "`.*");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        AtomicInteger writes = new AtomicInteger();
        Thread writer = new Thread(() -> write(s, stop, writes, writerError), "writer");
        SnapshotConfig snapshot = new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, chunkSize).withMode(mode);
        try (Capture cap = user == null
                ? Capture.create(db, List.of(s + ".*"), new StartPosition.Snapshot(), snapshot)
                : Capture.createAs(
                        db,
                        db.host(),
                        db.port(),
                        user,
                        "pw",
                        List.of(s + ".*"),
                        new StartPosition.Snapshot(),
                        snapshot)) {
            writer.start();
            cap.run();
            during.run(cap, s);
            awaitSnapshotDone(cap, 5);
            stop.set(true);
            writer.join();
            assertThat(writerError.get()).isNull();
            assertThat(writes.get()).as("writes made while the snapshot ran").isGreaterThan(50);
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            verify(s, awaitMarker(cap, s));
            after.run(cap, s);
        } finally {
            stop.set(true);
        }
    }

    /**
     * An on-demand snapshot requested by an INSERT into the signal table (as from any SQL client) while streaming
     * and while writers hammer the table. A filter that sleeps per row widens each chunk's window, so many chunk
     * rows change inside their window: the reconciliation must leave them out (a stale r after the newer u would
     * make the final state wrong). The writers stay at most 256 KiB of binlog ahead of the pipeline: unthrottled,
     * three writers on a private server outrun a pipeline that fsyncs on a loaded machine, the binlog reader never
     * reaches a chunk's high watermark while they write, and the snapshot cannot end (seen at load 24: the reader
     * blocked on the full queue, the sink busy in fsync, progress but ever further behind).
     */
    @Test
    void sqlRequestedSnapshotLeavesOutRowsChangedInsideTheirWindow() throws Exception {
        String s = db.createDatabase("hot");
        db.execute(
                "CREATE TABLE " + s + ".pk (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)");
        StringBuilder pk = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            pk.append(pk.length() == 0 ? "" : ",").append("(").append(i).append(",'v',0)");
        }
        db.execute("INSERT INTO " + s + ".pk VALUES " + pk);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicInteger writes = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        AtomicReference<Capture> running = new AtomicReference<>();
        for (int w = 0; w < 3; w++) {
            int seed = w;
            writers.add(new Thread(
                    () -> {
                        Random r = new Random(seed);
                        try (Connection c = db.rootConnection();
                                Statement st = c.createStatement()) {
                            for (int n = 1; !stop.get(); n++) {
                                if (n % 50 == 0) {
                                    running.get().awaitWithin(c, 256 << 10);
                                }
                                int id = r.nextInt(200);
                                try {
                                    st.execute(
                                            switch (r.nextInt(10)) {
                                                case 0 -> "DELETE FROM " + s + ".pk WHERE id = " + id;
                                                case 1 -> "INSERT IGNORE INTO " + s + ".pk VALUES (" + id + ", 'i', 0)";
                                                default ->
                                                    "UPDATE " + s + ".pk SET v = 'u" + r.nextInt(1000) + "', n = n + 1"
                                                            + " WHERE id = " + id;
                                            });
                                    writes.incrementAndGet();
                                } catch (java.sql.SQLTransactionRollbackException deadlock) {
                                    // writers collide with each other; the next statement goes on
                                }
                            }
                        } catch (Throwable t) {
                            error.set(t);
                        }
                    },
                    "writer-" + w));
        }
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".*"),
                Capture.current(db),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
            cap.run();
            running.set(cap);
            createSignalTable(); // a pipeline with no snapshot work yet creates none
            writers.forEach(Thread::start);
            db.execute("INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind, tables, filter)"
                    + " VALUES ('hot-run', 'it', 'snapshot', '" + s + ".pk', 'SLEEP(0.004) = 0')");
            awaitSnapshotDone(cap, 1);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertThat(error.get()).isNull();
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            List<JsonNode> events = awaitMarker(cap, s);
            verify(db, s, events, List.of("pk"));
            assertThat(events.stream()
                            .filter(e -> e.get("op").asText().equals("r"))
                            .findFirst()
                            .orElseThrow()
                            .get("id")
                            .asText())
                    .startsWith("it:snapshot:hot-run:" + s + ".pk:{\"id\":");
            long superseded = cap.source().snapshotStatus().stream()
                    .mapToLong(SnapshotTracker.TableStatus::superseded)
                    .sum();
            assertThat(superseded).as("chunk rows changed inside their window").isPositive();
        } finally {
            stop.set(true);
        }
    }

    /**
     * An XA transaction prepared before the snapshot starts, changing every row, commits inside the window of a
     * chunk read before the commit (the signal table locked: the coordinator waits to write the watermark that closes
     * the chunk it has just read). The chunk's rows are older than the commit's: they must be left out, as for any
     * change in the window, or the stale r would follow the newer u. The keys are marked at XA COMMIT.
     */
    @Test
    void anXaPreparedBeforeAChunkAndCommittedInsideItsWindowSupersedesTheChunksRows() throws Exception {
        xaAcrossAChunkWindow("xacommit", true);
    }

    /**
     * An XA transaction prepared inside a chunk's window (after its rows were read), changing every row, and rolled
     * back: it changed nothing, so the chunk's rows must be emitted (marking its keys at PREPARE dropped them, and
     * nothing else ever gave them).
     */
    @Test
    void anXaPreparedInsideAChunksWindowAndRolledBackLeavesTheChunksRows() throws Exception {
        xaAcrossAChunkWindow("xarollback", false);
    }

    /**
     * Table {@code pk} of 2,000 rows snapshotted on request in chunks of 10; once some chunks are emitted, the signal
     * table is locked until the coordinator waits on it, with the chunk it has just read in its open window. With
     * {@code commit}, an XA transaction that updated every row was prepared before the request and is committed (from
     * another connection) in that window; else one is prepared in that window and rolled back after it. The output
     * applied in order must equal the final table.
     */
    private void xaAcrossAChunkWindow(String name, boolean commit) throws Exception {
        String s = db.createDatabase(name);
        db.execute(
                "CREATE TABLE " + s + ".pk (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)",
                "INSERT INTO " + s + ".pk SELECT seq, CONCAT('v', seq), 0 FROM " + s + ".seq_1_to_2000");
        String xid = "'" + name + "'";
        String[] prepare = {"XA START " + xid, "UPDATE " + s + ".pk SET n = 1", "XA END " + xid, "XA PREPARE " + xid};
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".*"),
                Capture.current(db),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
            cap.run();
            createSignalTable();
            if (commit) {
                db.execute(prepare); // the connection closes: the prepared transaction waits for its XA COMMIT
            }
            db.execute("INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind, tables)"
                    + " VALUES ('" + name + "-run', 'it', 'snapshot', '" + s + ".pk')");
            awaitEmitted(cap, 40);
            assertThat(cap.source().snapshotStatus())
                    .as("the snapshot still runs")
                    .noneMatch(t -> t.done());
            try (Connection lock = db.rootConnection();
                    Statement ls = lock.createStatement()) {
                lock.setAutoCommit(false);
                ls.executeQuery("SELECT id FROM " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " FOR UPDATE")
                        .close();
                awaitWatermarkWaiting(db);
                db.execute(commit ? new String[] {"XA COMMIT " + xid} : prepare);
                lock.commit();
            }
            if (!commit) {
                db.execute("XA ROLLBACK " + xid);
            }
            awaitSnapshotDone(cap, 1);
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            verify(db, s, awaitMarker(cap, s), List.of("pk"));
        }
    }

    /** Waits until the coordinator's watermark write waits for a lock on the signal table that the test holds. */
    private static void awaitWatermarkWaiting(MariaDbServer server) throws Exception {
        awaitCount(
                server,
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                        + " AND INFO LIKE 'INSERT INTO%sluice_signal%'",
                "the snapshot's watermark write waiting for the" + " signal table's lock");
    }

    /** Waits until the query's count is positive. */
    private static void awaitCount(MariaDbServer server, String countSql, String what) {
        await(what)
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            try (Connection c = server.rootConnection();
                                    Statement st = c.createStatement();
                                    ResultSet rs = st.executeQuery(countSql)) {
                                rs.next();
                                return rs.getInt(1);
                            }
                        },
                        n -> n > 0);
    }

    /** Waits until the snapshot has emitted {@code n} rows in all. */
    private static void awaitEmitted(Capture cap, long n) {
        Capture.waiting(n + " snapshot rows emitted", Duration.ofSeconds(60), cap.pipeline())
                .until(() -> emitted(cap), rows -> rows >= n);
    }

    /**
     * A request whose filter the server rejects cancels that table's snapshot, not the pipeline: the next request
     * runs and changes keep streaming.
     */
    @Test
    void aFilterTheServerRejectsCancelsOnlyThatSnapshot() throws Exception {
        String s = db.createDatabase("badfilter");
        db.execute(
                "CREATE TABLE " + s + ".pk (id INT PRIMARY KEY, v VARCHAR(40), n INT)",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)",
                "INSERT INTO " + s + ".pk VALUES (1, 'a', 0), (2, 'b', 0)");
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".*"),
                Capture.current(db),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
            cap.run();
            createSignalTable();
            db.execute(
                    "INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind, tables, filter)"
                            + " VALUES ('bad-run', 'it', 'snapshot', '" + s + ".pk', 'no_such_column = 1')",
                    "INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind, tables)"
                            + " VALUES ('good-run', 'it', 'snapshot', '" + s + ".pk')");
            awaitSnapshotDone(cap, 2);
            List<SnapshotTracker.TableStatus> st = cap.source().snapshotStatus();
            assertThat(st)
                    .filteredOn(t -> t.run.equals("bad-run"))
                    .singleElement()
                    .matches(SnapshotTracker.TableStatus::cancelled, "cancelled");
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            List<JsonNode> events = awaitMarker(cap, s);
            assertThat(events)
                    .filteredOn(e -> e.get("id").asText().startsWith("it:snapshot:good-run:"))
                    .hasSize(2);
            assertThat(events).noneMatch(e -> e.get("id").asText().startsWith("it:snapshot:bad-run:"));
        }
    }

    private void createSignalTable() {
        createSignalTable(db);
    }

    private static void createSignalTable(MariaDbServer server) {
        server.execute(
                "CREATE DATABASE IF NOT EXISTS sluice",
                new io.sluice.mysql.snapshot.SignalTable(SnapshotConfig.DEFAULT).createSql());
    }

    /**
     * Snapshots paused in the middle of tables and resumed, twice, while a writer changes them: no chunk is read while
     * paused (a chunk the last watermark had already opened is given up, and read again after the resume), and the
     * output still equals the final tables with every r id once.
     */
    @Test
    void pausedInTheMiddleOfATableAndResumedEveryRowOnce() throws Exception {
        snapshotWhileWriting(
                3,
                (cap, s) -> {
                    for (int pause = 0; pause < 2; pause++) {
                        awaitEmitted(cap, emitted(cap) + 30);
                        db.execute("INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind) VALUES"
                                + " ('pause-" + pause + "', 'it', 'pause')");
                        // once the binlog reader has passed the pause, the chunk being read then is the last one
                        // emitted
                        db.execute("INSERT INTO " + s + ".marker VALUES (" + (100 + pause) + ")");
                        awaitMarker(cap, 100 + pause);
                        // a chunk read when the pause came may still be emitted: the count comes to rest
                        long[] last = {emitted(cap), System.nanoTime()};
                        await("no row emitted for 500 ms once paused")
                                .atMost(Duration.ofSeconds(20))
                                .until(() -> {
                                    long now = emitted(cap);
                                    if (now != last[0]) {
                                        last[0] = now;
                                        last[1] = System.nanoTime();
                                    }
                                    return System.nanoTime() - last[1] >= 500_000_000L;
                                });
                        long paused = last[0];
                        // the subject: no chunk is read while paused, however long the pause lasts
                        await("rows emitted while paused")
                                .during(Duration.ofMillis(700))
                                .atMost(Duration.ofSeconds(5))
                                .until(() -> emitted(cap), rows -> rows == paused);
                        db.execute("INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind) VALUES"
                                + " ('resume-" + pause + "', 'it', 'resume')");
                    }
                },
                (cap, s) -> {});
    }

    /**
     * Columns added, renamed, dropped and retyped while the table is snapshotted in many chunks, with a writer
     * changing it: every r, c and u event has the columns of the version in force where it stands in the stream
     * (a chunk read before a DDL but emitted after it would carry the old columns: it must be read again), its
     * {@code schema} is that version, and the output applied in order equals the final table.
     */
    @Test
    void columnsChangedWhileATableIsSnapshottedGiveNoRowOfAnotherVersion() throws Exception {
        String s = db.createDatabase("snapddl");
        List<JsonNode> events = snapshotAcross(
                s,
                List.of(
                        new DdlStep(
                                "ALTER TABLE " + s + ".t ADD COLUMN extra INT NOT NULL DEFAULT 7",
                                "id",
                                "v",
                                "n",
                                "extra"),
                        new DdlStep("ALTER TABLE " + s + ".t CHANGE COLUMN v w VARCHAR(20)", "id", "w", "n", "extra"),
                        new DdlStep("ALTER TABLE " + s + ".t DROP COLUMN extra", "id", "w", "n"),
                        new DdlStep("ALTER TABLE " + s + ".t MODIFY n BIGINT", "id", "w", "n")));
        assertThat(events).filteredOn(e -> e.get("op").asText().equals("s")).hasSize(4);
    }

    /**
     * The table truncated while it is snapshotted in many chunks, with a writer inserting meanwhile: no row
     * read before a truncate comes out after its t event (a TRUNCATE logs no row changes, so no chunk window would
     * leave those rows out), and the output applied in order (t empties the table) equals the final table.
     */
    @Test
    void aTableTruncatedWhileSnapshottedHasNoRowOfBeforeTheTruncateAfterIt() throws Exception {
        String s = db.createDatabase("snaptrunc");
        List<JsonNode> events = snapshotAcross(s, List.of(new DdlStep("TRUNCATE TABLE " + s + ".t", "id", "v", "n")));
        assertThat(events).filteredOn(e -> e.get("op").asText().equals("t")).hasSize(1);
    }

    /**
     * The key's type changed (INT to VARCHAR: another order) while the table is snapshotted: the last emitted
     * chunk's key means nothing in the new order, so the table's reading starts over; rows come again as r events
     * of the new version (with the key as a string), and the output applied in order equals the final table.
     */
    @Test
    void aKeyRetypedWhileItsTableIsSnapshottedStartsTheTableOver() throws Exception {
        String s = db.createDatabase("snapkey");
        List<JsonNode> events = snapshotAcross(
                s, List.of(new DdlStep("ALTER TABLE " + s + ".t MODIFY id VARCHAR(12) NOT NULL", "id", "v", "n")));
        // every row of the final table has an event of the new version (a key as a string) after the s event
        Set<String> newVersion = new HashSet<>();
        boolean after = false;
        for (JsonNode e : events) {
            if (!e.get("source").get("table").asText().equals("t")) {
                continue;
            }
            after |= e.get("op").asText().equals("s");
            if (after && !e.get("after").isNull() && e.get("key").get("id").isTextual()) {
                newVersion.add(e.get("key").get("id").asText());
            }
        }
        List<String> ids = new ArrayList<>();
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM " + s + ".t")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        assertThat(newVersion).as("keys with an event of the new version").containsAll(ids);
    }

    /**
     * Virtual and stored generated columns and an invisible column: the r event of a row equals the c event the
     * binlog gave for it (the same columns in the same order, the same values).
     */
    @Test
    void generatedAndInvisibleColumnsComeAsTheBinlogCarriesThem() throws Exception {
        String s = db.createDatabase("snapgen");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, a INT, g INT AS (a * 2) VIRTUAL,"
                + " p VARCHAR(20) AS (CONCAT('p', a)) PERSISTENT, h INT INVISIBLE DEFAULT 5, z VARCHAR(5))");
        try (Capture live = Capture.create(db, List.of(s + ".t"), Capture.current(db))) {
            live.run();
            db.execute(
                    "INSERT INTO " + s + ".t (id, a, h, z) VALUES (1, 10, 7, 'x'), (2, NULL, 8, 'y')",
                    "INSERT INTO " + s + ".t (id, a, z) VALUES (3, 3, NULL)");
            List<JsonNode> created = awaitEvents(live, 3);
            try (Capture snap = Capture.create(db, List.of(s + ".t"), new StartPosition.Snapshot())) {
                snap.run();
                List<JsonNode> read = awaitEvents(snap, 3);
                for (int i = 0; i < 3; i++) {
                    assertThat(read.get(i).get("op").asText()).isEqualTo("r");
                    assertThat(read.get(i).get("after").toString())
                            .as("r vs c of row " + (i + 1))
                            .isEqualTo(created.get(i).get("after").toString());
                }
            }
        }
    }

    private static List<JsonNode> awaitEvents(Capture cap, int n) {
        return cap.awaitEvents(n + " events in the sink's files", Duration.ofSeconds(60), events -> events.size() >= n);
    }

    /** A statement run in the middle of a snapshot, and the table's columns after it. */
    private record DdlStep(String sql, String... columns) {}

    /**
     * Table {@code s.t} (id INT PRIMARY KEY, v VARCHAR(20), n INT) of 20,000 rows is snapshotted in chunks of 10
     * rows while a writer updates, inserts and deletes rows; each step's statement runs once another 1,500 rows
     * were emitted, inside the window of the chunk just read. Then every r, c and u event must have the columns of the step in force where it stands and the
     * schema version of the last s event, and the events applied in order (t empties the table) must give the final
     * table's keys and values of n. Returns the events.
     */
    private List<JsonNode> snapshotAcross(String s, List<DdlStep> steps) throws Exception {
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20), n INT)",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)",
                "INSERT INTO " + s + ".t SELECT seq, CONCAT('v', seq), 0 FROM " + s + ".seq_1_to_20000");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    Random r = new Random(7);
                    try (Connection c = db.rootConnection();
                            Statement st = c.createStatement()) {
                        while (!stop.get()) {
                            int id = r.nextInt(45_000);
                            st.execute(
                                    switch (r.nextInt(4)) {
                                        case 0 -> "DELETE FROM " + s + ".t WHERE id = '" + id + "'";
                                        case 1 -> "INSERT IGNORE INTO " + s + ".t (id, n) VALUES ('" + id + "', 1)";
                                        default -> "UPDATE " + s + ".t SET n = n + 1 WHERE id = '" + id + "'";
                                    });
                        }
                    } catch (Throwable t) {
                        error.set(t);
                    }
                },
                "writer");
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".*"),
                new StartPosition.Snapshot(),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
            cap.run();
            writer.start();
            for (DdlStep step : steps) {
                awaitEmitted(cap, emitted(cap) + 1500);
                assertThat(cap.source().snapshotStatus())
                        .as("the snapshot still runs")
                        .noneMatch(t -> t.table.endsWith(".t") && t.done());
                // the signal table locked: the coordinator blocks writing the watermark that closes the chunk it has
                // just read, so the statement commits inside that chunk's window, after its rows were read
                try (Connection lock = db.rootConnection();
                        Statement ls = lock.createStatement()) {
                    lock.setAutoCommit(false);
                    ls.executeQuery("SELECT id FROM " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " FOR UPDATE")
                            .close();
                    awaitWatermarkWaiting(db);
                    db.execute(step.sql());
                    lock.commit();
                }
            }
            awaitSnapshotDone(cap, 2);
            stop.set(true);
            writer.join();
            assertThat(error.get()).isNull();
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            List<JsonNode> events = awaitMarker(cap, s);
            Map<String, JsonNode> rows = new HashMap<>();
            List<String> columns = List.of("id", "v", "n");
            int step = 0;
            int version = -1;
            Set<String> readIds = new HashSet<>();
            for (JsonNode e : events) {
                if (!e.get("source").get("db").asText().equals(s)
                        || !e.get("source").get("table").asText().equals("t")) {
                    continue;
                }
                String op = e.get("op").asText();
                switch (op) {
                    case "s" -> {
                        columns = List.of(steps.get(step++).columns()); // each s event is one step's ALTER
                        version = e.get("schema").asInt();
                    }
                    case "t" -> rows.clear();
                    case "d" -> rows.remove(e.get("key").get("id").asText());
                    default -> {
                        List<String> names = new ArrayList<>();
                        e.get("after").fieldNames().forEachRemaining(names::add);
                        assertThat(names).as("columns of " + e).isEqualTo(columns);
                        if (version > 0) {
                            assertThat(e.get("schema").asInt())
                                    .as("schema version of " + e)
                                    .isEqualTo(version);
                        }
                        if (op.equals("r")) {
                            assertThat(readIds.add(e.get("id").asText()))
                                    .as("r id twice: " + e.get("id"))
                                    .isTrue();
                        }
                        rows.put(e.get("key").get("id").asText(), e.get("after"));
                    }
                }
            }
            // rows keep the shape of the version they were written in: compare the columns all versions have
            List<String> expected = new ArrayList<>();
            try (Connection c = db.rootConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, n FROM " + s + ".t")) {
                while (rs.next()) {
                    expected.add(rs.getInt(1) + "=" + rs.getLong(2));
                }
            }
            assertThat(rows.values().stream()
                            .map(r -> r.get("id").asInt() + "=" + r.get("n").asLong())
                            .toList())
                    .as("applied events vs table (id=n)")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(readIds).as("r events").isNotEmpty();
            return events;
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    private static long emitted(Capture cap) {
        return cap.source() == null
                ? 0
                : cap.source().snapshotStatus().stream()
                        .mapToLong(SnapshotTracker.TableStatus::rows)
                        .sum();
    }

    /**
     * A table of 150,000 rows in 375 chunks: every row once. A next chunk's lower bound that came out wrong would make
     * chunks overlap and rows repeat (or leave gaps).
     */
    @Test
    void aLargeTableInManyChunksHasEveryRowExactlyOnce() throws Exception {
        String s = db.createDatabase("snapbig");
        db.execute(
                "CREATE TABLE " + s + ".big (id INT PRIMARY KEY, k INT, c CHAR(120), pad CHAR(60))",
                "INSERT INTO " + s
                        + ".big SELECT seq, seq % 1000, REPEAT(CHAR(65 + seq % 26), 120), CONCAT('pad-', seq)"
                        + " FROM " + s + ".seq_1_to_150000");
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".big"),
                new StartPosition.Snapshot(),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 400))) {
            cap.run();
            awaitSnapshotDone(cap, 1);
            SnapshotTracker.TableStatus st = cap.source().snapshotStatus().get(0);
            assertThat(st.chunks()).as("chunks").isGreaterThan(370);
            assertThat(st.rows()).as("rows emitted").isEqualTo(150_000);
            Capture.waiting("150,000 lines in the sink's files", Duration.ofSeconds(60), cap.pipeline())
                    .until(() -> cap.eventLines().size(), n -> n >= 150_000);
            List<String> lines = cap.eventLines();
            assertThat(lines).hasSize(150_000);
            assertThat(lines.stream()
                            .map(l -> l.substring(0, l.indexOf(",\"op\"")))
                            .distinct()
                            .count())
                    .as("distinct ids")
                    .isEqualTo(150_000);
        }
    }

    @Test
    void aTableWithAKeyThatCannotBeChunkedStreamsInPartsNumberedOn() throws Exception {
        // an ENUM key orders by the list's order and compares as text: read whole, here in parts of 17 rows
        String s = db.createDatabase("snapparts");
        db.execute(
                "CREATE TABLE " + s + ".t (e ENUM('z', 'a', 'm') NOT NULL, n INT NOT NULL, v VARCHAR(10),"
                        + " PRIMARY KEY (e, n))",
                "INSERT INTO " + s + ".t SELECT ELT(1 + seq % 3, 'z', 'a', 'm'), seq, CONCAT('v', seq) FROM " + s
                        + ".seq_1_to_200");
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".t"),
                new StartPosition.Snapshot(),
                new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 17))) {
            cap.run();
            awaitSnapshotDone(cap, 1);
            assertThat(cap.source().snapshotStatus().get(0).rows()).isEqualTo(200);
            List<JsonNode> events = awaitEvents(cap, 200);
            assertThat(events).hasSize(200);
            Set<String> ids = new HashSet<>();
            Set<Integer> ns = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                assertThat(e.get("op").asText()).isEqualTo("r");
                assertThat(e.get("source").get("row").asInt())
                        .as("source.row of event " + i)
                        .isEqualTo(i);
                assertThat(e.get("source").get("pos").asLong())
                        .isEqualTo(events.get(0).get("source").get("pos").asLong());
                assertThat(e.get("id").asText())
                        .endsWith(":" + s + ".t:" + e.get("key").toString());
                ids.add(e.get("id").asText());
                ns.add(e.get("after").get("n").asInt());
                assertThat(e.get("after").get("v").asText())
                        .isEqualTo("v" + e.get("after").get("n").asInt());
            }
            assertThat(ids).hasSize(200);
            assertThat(ns).hasSize(200);
        }
    }

    /**
     * A keyless table of 3,000 rows read whole (a filter that sleeps per row makes the read last; the driver fetches
     * 1,024 rows at a time, emitted in parts of 10) through a {@link TcpProxy} that resets every connection once parts of it were emitted. The binlog reader waits at the
     * read's position for its parts: it must not wait for ever (the pipeline stayed RUNNING, never retried), and the
     * parts emitted before the cut were not checkpointed, so after the pipeline's retry from its checkpoint the table's
     * rows come once each, numbered from {@code #0} again.
     */
    @Test
    void aWholeTableReadCutMidReadIsReadAgainFromTheCheckpointWithEveryRowOnce() throws Exception {
        String s = db.createDatabase("wholecut");
        createKeylessTable(db, s, 3000);
        try (TcpProxy proxy = TcpProxy.start(db.host(), db.port());
                Capture cap = Capture.create(
                        db,
                        proxy,
                        List.of(s + ".*"),
                        Capture.current(db),
                        new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
            cap.run();
            createSignalTable();
            requestSnapshot(db, "wholecut-run", s + ".nokey", "SLEEP(0.002) = 0");
            awaitEmitted(cap, 30);
            assertThat(cap.source().snapshotStatus()).as("the read still runs").noneMatch(t -> t.done());
            assertThat(proxy.cutAll()).as("connections cut").isPositive();
            awaitSnapshotDone(cap, 1);
            assertThat(cap.pipeline().stats().retries()).as("pipeline retries").isPositive();
            db.execute("INSERT INTO " + s + ".marker VALUES (1)");
            List<JsonNode> events = awaitMarker(cap, s);
            verify(db, s, events, List.of("nokey"));
            assertThat(events.stream()
                            .filter(e -> e.get("op").asText().equals("r"))
                            .map(e -> e.get("id").asText()))
                    .hasSize(3000)
                    .contains(
                            "it:snapshot:wholecut-run:" + s + ".nokey:#0",
                            "it:snapshot:wholecut-run:" + s + ".nokey:#2999");
        }
    }

    /**
     * A keyless table's whole read fails with a retriable server error before any part (the table locked by another
     * session, on a server whose lock_wait_timeout is 2 s): the binlog reader, waiting at the read's position, goes
     * on, the pipeline retries from its checkpoint, and once the lock is gone the table's rows come once each.
     */
    @Test
    void aWholeTableReadFailingWithALockWaitTimeoutIsRetriedByThePipeline() throws Exception {
        try (MariaDbServer own =
                MariaDbServer.builder().option("lock_wait_timeout", "2").start()) {
            String s = own.createDatabase("wholelock");
            createKeylessTable(own, s, 50);
            createSignalTable(own);
            try (Capture cap = Capture.create(
                    own,
                    List.of(s + ".*"),
                    Capture.current(own),
                    new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10))) {
                cap.run();
                try (Connection lock = own.rootConnection();
                        Statement ls = lock.createStatement()) {
                    ls.execute("LOCK TABLES " + s + ".nokey WRITE");
                    requestSnapshot(own, "wholelock-run", s + ".nokey", null);
                    await("pipeline retries after the lock wait timeout")
                            .atMost(Duration.ofSeconds(120))
                            .until(() -> cap.pipeline().stats().retries(), n -> n > 0);
                    ls.execute("UNLOCK TABLES");
                }
                awaitSnapshotDone(cap, 1);
                own.execute("INSERT INTO " + s + ".marker VALUES (1)");
                verify(own, s, awaitMarker(cap, s), List.of("nokey"));
            }
        }
    }

    /**
     * The pipeline stops while the binlog reader waits at a whole-table read's position for rows the read cannot
     * give (its table locked by another session, with the server's default lock wait of a day): the stop returns
     * at once, the pipeline ends STOPPED, not FAILED, and the read's statement is ended on the server.
     */
    @Test
    void stopReturnsWhileTheBinlogReaderWaitsForAWholeTableRead() throws Exception {
        String s = db.createDatabase("wholestop");
        createKeylessTable(db, s, 50);
        try (Capture cap = Capture.create(
                        db,
                        List.of(s + ".*"),
                        Capture.current(db),
                        new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 10));
                Connection lock = db.rootConnection();
                Statement ls = lock.createStatement()) {
            cap.run();
            createSignalTable();
            ls.execute("LOCK TABLES " + s + ".nokey WRITE");
            requestSnapshot(db, "wholestop-run", s + ".nokey", null);
            Capture.waiting("the binlog reader waits for the whole-table read", Duration.ofSeconds(60), cap.pipeline())
                    .until(SnapshotIT::readerWaitsForAWholeTableRead);
            long t0 = System.nanoTime();
            cap.pipeline().stop();
            assertThat(cap.pipeline().await(Duration.ofSeconds(20)))
                    .as("the pipeline ended after stop()")
                    .isTrue();
            assertThat(cap.pipeline().state()).isEqualTo(io.sluice.core.pipeline.PipelineState.STOPPED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            awaitCount(
                    db,
                    "SELECT COUNT(*) = 0 FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                            + " AND INFO LIKE 'SELECT%" + s + "%nokey%'",
                    "the read's statement ended on the server");
        }
    }

    /** True while the pipeline's reader thread waits in the snapshot tracker for a whole-table read's rows. */
    private static boolean readerWaitsForAWholeTableRead() {
        for (Map.Entry<Thread, StackTraceElement[]> t :
                Thread.getAllStackTraces().entrySet()) {
            if (t.getKey().getName().equals("sluice-it-reader")) {
                for (StackTraceElement f : t.getValue()) {
                    if (f.getClassName().equals(SnapshotTracker.class.getName())
                            && f.getMethodName().equals("emitWhole")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Tables {@code s.nokey} (no key: read whole) of {@code rows} rows and {@code s.marker}. */
    private static void createKeylessTable(MariaDbServer server, String s, int rows) {
        server.execute(
                "CREATE TABLE " + s + ".nokey (v INT, w VARCHAR(10))",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)",
                "INSERT INTO " + s + ".nokey SELECT seq % 9, CONCAT('w', seq) FROM " + s + ".seq_1_to_" + rows);
    }

    /** Requests a snapshot of pipeline "it" by a row in the signal table, as from any SQL client. */
    private static void requestSnapshot(MariaDbServer server, String run, String table, String filter) {
        server.execute("INSERT INTO " + SnapshotConfig.DEFAULT_SIGNAL_TABLE + " (id, pipeline, kind, tables, filter)"
                + " VALUES ('" + run + "', 'it', 'snapshot', '" + table + "', "
                + (filter == null ? "NULL" : "'" + filter.replace("'", "''") + "'") + ")");
    }

    @Test
    void snapshotTablesLimitsTheInitialSnapshotToTheTablesItNames() throws Exception {
        String s = db.createDatabase("snaponly");
        db.execute(
                "CREATE TABLE " + s + ".orders (id INT PRIMARY KEY)",
                "CREATE TABLE " + s + ".order_lines (id INT" + " PRIMARY KEY)",
                "CREATE TABLE " + s + ".audit (id INT PRIMARY KEY)",
                "CREATE TABLE " + s + ".marker (id INT PRIMARY KEY)",
                "INSERT INTO " + s + ".orders VALUES (1), (2)",
                "INSERT INTO " + s + ".order_lines VALUES (3)",
                "INSERT INTO " + s + ".audit VALUES (4), (5)");
        try (Capture cap = Capture.create(
                db,
                List.of(s + ".*"),
                new StartPosition.Snapshot(),
                new SnapshotConfig(
                        SnapshotConfig.DEFAULT_SIGNAL_TABLE,
                        100,
                        SnapshotConfig.DEFAULT_CHUNK_BYTES,
                        List.of(s + ".order?", "nomatch.*")))) {
            cap.run();
            awaitSnapshotDone(cap, 1);
            assertThat(cap.source().snapshotStatus()).extracting(t -> t.table).containsExactly(s + ".orders");
            db.execute("INSERT INTO " + s + ".audit VALUES (6)", "INSERT INTO " + s + ".marker VALUES (1)");
            List<JsonNode> events = awaitMarker(cap, s);
            assertThat(events.stream()
                            .filter(e -> e.get("op").asText().equals("r"))
                            .map(e -> e.get("source").get("table").asText() + ":"
                                    + e.get("key").get("id").asInt()))
                    .containsExactly("orders:1", "orders:2");
            assertThat(events.stream()
                            .filter(e -> e.get("source").get("table").asText().equals("audit"))
                            .map(e -> e.get("op").asText() + ":"
                                    + e.get("key").get("id").asInt()))
                    .containsExactly("c:6");
        }
    }

    static void awaitSnapshotDone(Capture cap, int tables) {
        Capture.waiting("the snapshot of " + tables + " table(s) done", Duration.ofSeconds(180), cap.pipeline())
                .until(
                        () -> new Status(
                                cap.source() == null ? List.of() : cap.source().snapshotStatus()),
                        st -> st.tables().size() >= tables
                                && st.tables().stream().allMatch(t -> t.done() || t.cancelled()));
    }

    /** The snapshot's tables, shown as a failed wait saw them last. */
    private record Status(List<SnapshotTracker.TableStatus> tables) {
        @Override
        public String toString() {
            return tables.stream()
                    .map(t -> t.table + " " + t.rows() + " done=" + t.done())
                    .toList()
                    .toString();
        }
    }

    /** Waits for the insert of marker row 1 (the tests' last write) and returns the events up to then. */
    static List<JsonNode> awaitMarker(Capture cap, String s) throws Exception {
        return awaitMarker(cap, 1);
    }

    /** Waits for the insert of marker row {@code id}: the binlog reader has passed what was written before it. */
    static List<JsonNode> awaitMarker(Capture cap, int id) {
        return cap.awaitEvents(
                "marker row " + id,
                Duration.ofSeconds(60),
                events -> events.stream()
                        .anyMatch(e -> e.get("source").get("table").asText().equals("marker")
                                && e.get("op").asText().equals("c")
                                && e.get("after").get("id").asInt() == id));
    }

    /** Applies the events in order per table and compares with the tables' content; r ids are unique. */
    static void verify(MariaDbServer db, String s, List<JsonNode> events) throws SQLException {
        verify(db, s, events, List.of("pk", "comp", "uq", "nokey"));
    }

    static void verify(MariaDbServer db, String s, List<JsonNode> events, List<String> tables) throws SQLException {
        Map<String, Map<String, JsonNode>> keyed = new HashMap<>();
        Map<String, List<JsonNode>> keyless = new HashMap<>();
        Set<String> readIds = new HashSet<>();
        Map<String, Integer> reads = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String table = e.get("source").get("table").asText();
            if (!e.get("source").get("db").asText().equals(s)) {
                continue;
            }
            String op = e.get("op").asText();
            if (op.equals("s") || op.equals("t")) {
                continue;
            }
            assertThat(e.get("source").get("snapshot").asBoolean())
                    .as("snapshot flag of " + e)
                    .isEqualTo(op.equals("r"));
            if (op.equals("r")) {
                assertThat(readIds.add(e.get("id").asText()))
                        .as("r id read twice: " + e.get("id"))
                        .isTrue();
                assertThat(e.get("source").get("gtid").isNull()).isTrue();
                assertThat(e.get("before").isNull()).isTrue();
                reads.merge(table, 1, Integer::sum);
            }
            if (e.get("key").isNull()) {
                // a keyless table is read whole at one position: exact from its r events on, nothing before
                if (!op.equals("r") && !keyless.containsKey(table)) {
                    continue;
                }
                List<JsonNode> rows = keyless.computeIfAbsent(table, k -> new ArrayList<>());
                if (!e.get("before").isNull()) {
                    assertThat(rows.remove(e.get("before")))
                            .as("row to change exists: " + e)
                            .isTrue();
                }
                if (!e.get("after").isNull()) {
                    rows.add(e.get("after"));
                }
            } else {
                // keyed rows: c, u and r set the key's row, d removes it (a change of a row whose chunk was not
                // read yet comes before that row's r, as DBLog orders them)
                Map<String, JsonNode> rows = keyed.computeIfAbsent(table, k -> new HashMap<>());
                String key = e.get("key").toString();
                if (op.equals("d")) {
                    rows.remove(key);
                } else {
                    rows.put(key, e.get("after"));
                }
            }
        }
        for (String table : tables) {
            List<JsonNode> expected = content(db, s, table);
            List<JsonNode> actual = table.equals("nokey")
                    ? keyless.getOrDefault(table, List.of())
                    : new ArrayList<>(keyed.getOrDefault(table, Map.of()).values());
            assertThat(actual).as(table + " applied events vs table").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(reads.getOrDefault(table, 0)).as("r events of " + table).isPositive();
        }
    }

    private void verify(String s, List<JsonNode> events) throws SQLException {
        verify(db, s, events);
    }

    static List<JsonNode> content(MariaDbServer db, String s, String table) throws SQLException {
        List<JsonNode> rows = new ArrayList<>();
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + ROW_JSON.get(table) + " FROM " + s + "." + table)) {
            while (rs.next()) {
                try {
                    rows.add(JSON.readTree(rs.getString(1)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return rows;
    }

    /** Random updates, deletes, inserts and key changes in all test tables until stopped. */
    static void write(String s, AtomicBoolean stop, AtomicInteger writes, AtomicReference<Throwable> error) {
        write(MariaDbServer.shared(), s, stop, writes, error);
    }

    static void write(
            MariaDbServer db, String s, AtomicBoolean stop, AtomicInteger writes, AtomicReference<Throwable> error) {
        Random r = new Random(42);
        try (Connection c = db.rootConnection();
                Statement st = c.createStatement()) {
            while (!stop.get()) {
                int id = r.nextInt(700);
                String sql = switch (r.nextInt(14)) {
                    case 0 -> "UPDATE " + s + ".pk SET v = CONCAT('u', " + r.nextInt(1000) + ") WHERE id = " + id;
                    case 1 -> "DELETE FROM " + s + ".pk WHERE id = " + id;
                    case 2 -> "INSERT IGNORE INTO " + s + ".pk VALUES (" + id + ", 'new', 1)";
                    case 3 -> "UPDATE IGNORE " + s + ".pk SET id = id + 1 WHERE id = " + id;
                    case 4 ->
                        "UPDATE " + s + ".comp SET v = v + 1 WHERE a = " + r.nextInt(12) + " AND b = '"
                                + (char) ('a' + r.nextInt(5)) + "'";
                    case 5 -> "DELETE FROM " + s + ".comp WHERE a = " + r.nextInt(12) + " AND v % 7 = " + r.nextInt(7);
                    case 6 ->
                        "INSERT IGNORE INTO " + s + ".comp VALUES (" + r.nextInt(12) + ", 'z', X'00', NOW(3), -1)";
                    case 7 ->
                        "UPDATE IGNORE " + s + ".comp SET b = 'k' WHERE a = " + r.nextInt(12) + " AND v = "
                                + r.nextInt(240);
                    case 8 -> "UPDATE " + s + ".uq SET v = v + 1, f = f + 0.5 WHERE x = " + r.nextInt(160);
                    case 9 -> "UPDATE IGNORE " + s + ".uq SET y = 'q' WHERE x = " + r.nextInt(160);
                    case 10 -> "DELETE FROM " + s + ".uq WHERE x = " + r.nextInt(160);
                    case 11 ->
                        "INSERT IGNORE INTO " + s + ".uq VALUES (" + r.nextInt(160) + ", 'y" + r.nextInt(13)
                                + "', 0, 0.25)";
                    case 12 -> "UPDATE " + s + ".nokey SET w = 'x' WHERE v = " + r.nextInt(9) + " LIMIT 1";
                    default ->
                        r.nextBoolean()
                                ? "DELETE FROM " + s + ".nokey WHERE v = " + r.nextInt(9) + " LIMIT 1"
                                : "INSERT INTO " + s + ".nokey VALUES (" + r.nextInt(9) + ", 'n')";
                };
                if (r.nextInt(5) == 0) {
                    c.setAutoCommit(false);
                    st.execute(sql);
                    st.execute("UPDATE " + s + ".pk SET n = n + 1 WHERE id = " + r.nextInt(700));
                    c.commit();
                    c.setAutoCommit(true);
                } else {
                    st.execute(sql);
                }
                writes.incrementAndGet();
            }
        } catch (Throwable t) {
            error.set(t);
        }
    }
}
