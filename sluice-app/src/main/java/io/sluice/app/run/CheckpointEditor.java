package io.sluice.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.mysql.source.GtidPositions;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Changes where a stopped pipeline resumes ({@code sluice position set}), in the checkpoint a file or stdout sink keeps
 * in {@code <state>/checkpoint.json}: makes the new checkpoint, checked against the server, and writes it in place of
 * the old one, which it keeps next to it. The caller holds the state directory ({@link PipelineLocks}): a running
 * pipeline would overwrite the change at its next commit.
 */
public final class CheckpointEditor {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private CheckpointEditor() {}

    /**
     * The checkpoint at {@code file:pos} of the server at {@code source.host}: the file must still be there, and on
     * MariaDB the position must start an event (its GTID state there goes into the checkpoint). Table versions are
     * kept from {@code old}, so numbering continues; the server's identity is the one answering now.
     *
     * @throws ConfigException when the server has no such file, or no event starts there
     */
    public static Checkpoint at(PipelineConfig pc, Checkpoint old, String file, long pos) {
        try (Connection conn = pc.source().connect();
                Statement st = conn.createStatement()) {
            List<String> logs = io.sluice.mysql.source.ServerBinlogs.names(conn);
            if (!logs.contains(file)) {
                throw new ConfigException(
                        "--file: the server at " + where(pc) + " has no binlog " + file + "; it has " + logs);
            }
            long serverId;
            boolean mariaDb;
            try (ResultSet rs = st.executeQuery("SELECT @@server_id, @@version")) {
                rs.next();
                serverId = rs.getLong(1);
                mariaDb = rs.getString(2).toLowerCase(Locale.ROOT).contains("mariadb");
            }
            String uuid = null;
            String gtids = null;
            if (mariaDb) {
                gtids = gtidStateAt(conn, file, pos);
                if (gtids == null) {
                    throw new ConfigException("--pos: " + file + ":" + pos + " is not the start of an event (see SHOW"
                            + " BINLOG EVENTS IN '" + file + "' on " + where(pc) + ")");
                }
            } else {
                try (ResultSet rs = st.executeQuery("SELECT @@server_uuid")) {
                    rs.next();
                    uuid = rs.getString(1);
                }
            }
            return new Checkpoint(
                    new BinlogPosition(file, pos, gtids == null || gtids.isEmpty() ? null : gtids),
                    List.of(),
                    old.schemas(),
                    null,
                    null,
                    new ServerIdentity(serverId, uuid));
        } catch (SQLException e) {
            throw SluiceException.fatal("cannot check the position on " + where(pc) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint right after the GTID set {@code gtids} on the MariaDB server at {@code source.host}: the binlog
     * position where the server's GTID state is that set (found in the binlogs it still has), checked as {@link #at}
     * checks a file position.
     *
     * @throws ConfigException when the set is not a MariaDB one, the server is not MariaDB, or no binlog it still has
     *                         holds that place
     */
    public static Checkpoint afterGtids(PipelineConfig pc, Checkpoint old, String gtids) {
        if (!GtidPositions.isMariaDb(gtids)) {
            throw new ConfigException("--gtid: " + gtids + " is not a MariaDB GTID set (domain-server-sequence,"
                    + " comma separated, e.g. 0-1-982); on MySQL give --file with --pos (see SHOW BINLOG EVENTS)");
        }
        BinlogPosition found;
        try (Connection conn = pc.source().connect();
                Statement st = conn.createStatement()) {
            String current;
            try (ResultSet rs = st.executeQuery("SELECT @@version, @@gtid_binlog_pos")) {
                rs.next();
                if (!rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb")) {
                    throw new ConfigException("--gtid: the server at " + where(pc) + " is MySQL; --gtid takes a"
                            + " MariaDB GTID set: give --file with --pos instead (see SHOW BINLOG EVENTS)");
                }
                current = rs.getString(2);
            }
            found = GtidPositions.locate(conn, gtids.trim())
                    .orElseThrow(() -> new ConfigException("--gtid: no binlog the server at " + where(pc)
                            + " still has is at GTID set " + gtids.trim() + " (the server is at " + current
                            + "; its oldest binlogs may be purged, see SHOW BINARY LOGS). Give a set between the"
                            + " server's oldest binlog and " + current + ", or --snapshot to start over"));
        } catch (SQLException e) {
            throw SluiceException.fatal(
                    "cannot find GTID set " + gtids + " on " + where(pc) + ": " + e.getMessage(), e);
        }
        return at(pc, old, found.file(), found.pos());
    }

    private static String gtidStateAt(Connection conn, String file, long pos) throws SQLException {
        return GtidPositions.stateAt(conn, file, pos);
    }

    /**
     * A start over as {@code source.start: snapshot} makes it for a new pipeline: the server's binlog end, with a
     * snapshot of every captured table to read first.
     */
    public static Checkpoint snapshotStart(PipelineConfig pc) {
        MySqlSourceConfig s = pc.source();
        MySqlSourceConfig asSnapshot =
                s.toBuilder().start(new StartPosition.Snapshot()).build();
        return new MySqlSource(asSnapshot, pc.state(), pc.schema()).resolveStart();
    }

    /**
     * Replaces the checkpoint in the pipeline's state document by {@code next}, keeping the document's other fields
     * (the sink's own: where its output ends), atomically (a temporary file renamed over it). The old document is
     * kept as {@code checkpoint.json.bak-<UTC time>} (with {@code -2}, {@code -3}... for more in one second), whose path is returned.
     */
    public static Path replace(PipelineConfig pc, Checkpoint next, Instant now) throws IOException {
        Path doc = pc.state().resolve(StoredState.CHECKPOINT_FILE);
        JsonNode tree = CheckpointCodec.mapper().readTree(Files.readAllBytes(doc));
        if (!(tree instanceof ObjectNode o)) {
            throw SluiceException.fatal(doc + " is not a JSON object");
        }
        String name = StoredState.CHECKPOINT_FILE + ".bak-" + STAMP.format(now);
        Path backup = doc.resolveSibling(name);
        // two changes within a second keep both old documents
        for (int n = 2; Files.exists(backup); n++) {
            backup = doc.resolveSibling(name + "-" + n);
        }
        Files.copy(doc, backup, StandardCopyOption.COPY_ATTRIBUTES);
        o.set("checkpoint", CheckpointCodec.toJson(next));
        Path temp = doc.resolveSibling(StoredState.CHECKPOINT_FILE + ".position-set.tmp");
        Files.write(
                temp,
                CheckpointCodec.toBytes(o),
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        Files.move(temp, doc, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return backup;
    }

    /**
     * Replaces the checkpoint a sink keeps elsewhere (Kafka's offsets topic, a JDBC target's checkpoint table) by
     * {@code next}: first keeps {@code old} in the state directory as {@code checkpoint-<sink type>.bak-<UTC
     * time>.json} (fsynced; its path is returned), then has the sink write {@code next} only while it still holds
     * {@code old} ({@link io.sluice.core.sink.SinkProvider#writeCheckpoint}).
     *
     * @throws io.sluice.core.sink.SinkProvider.CheckpointMoved when the sink's checkpoint moved since {@code old} was
     *                                                         read (nothing written)
     * @throws SluiceException when the sink's system cannot be reached
     */
    public static Path replaceElsewhere(PipelineConfig pc, Checkpoint old, Checkpoint next, Instant now)
            throws IOException {
        Files.createDirectories(pc.state());
        String name = "checkpoint-" + pc.sink().type() + ".bak-" + STAMP.format(now);
        Path backup = pc.state().resolve(name + ".json");
        for (int n = 2; Files.exists(backup); n++) {
            backup = pc.state().resolve(name + "-" + n + ".json");
        }
        Files.write(
                backup,
                CheckpointCodec.toBytes(CheckpointCodec.toJson(old)),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        pc.sink().writeCheckpoint(old, next);
        return backup;
    }

    private static String where(PipelineConfig pc) {
        return pc.source().host() + ":" + pc.source().port();
    }
}
