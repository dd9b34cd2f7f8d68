package io.sluice.mysql.check;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.server.ServerVersion;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The place the pipeline will read from, against what the server still has: its checkpoint's, or else an explicit
 * {@code source.start: {file, pos}}. {@code sluice run} resumes at the checkpoint's file position on the server it
 * was taken on, and after its GTID set elsewhere (a failover) or where the file position is no longer the place the
 * set describes; so a file the server has purged (or never wrote), an offset past its end, or GTIDs purged past the
 * set make it stop with error 1236, and a checkpoint from another server without GTIDs makes it refuse. The finding
 * says so beforehand and, since {@code source.start} is ignored once a checkpoint exists, how to start over.
 */
final class PositionCheck {
    /** Not allowed (a grant finding says so) or the binlog is off (so does another finding). */
    private static final List<Integer> CANNOT_READ = List.of(1044, 1142, 1227, 1381);

    private record Log(String file, long size) {}

    private final Connection c;
    private final List<Log> logs;
    private final List<Finding> out;

    private PositionCheck(Connection c, List<Log> logs, List<Finding> out) {
        this.c = c;
        this.logs = logs;
        this.out = out;
    }

    static void check(
            Connection c,
            ServerVersion server,
            MySqlSourceConfig config,
            Checkpoint checkpoint,
            String startOver,
            List<Finding> out)
            throws SQLException {
        if (checkpoint == null && !(config.start() instanceof StartPosition.At)) {
            return;
        }
        List<Log> logs = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                logs.add(new Log(rs.getString(1), rs.getLong(2)));
            }
        } catch (SQLException e) {
            if (CANNOT_READ.contains(e.getErrorCode())) {
                return;
            }
            throw e;
        }
        if (logs.isEmpty()) {
            return;
        }
        PositionCheck p = new PositionCheck(c, logs, out);
        if (checkpoint == null) {
            StartPosition.At a = (StartPosition.At) config.start();
            String why = p.unavailable(new BinlogPosition(a.file(), a.pos(), null));
            if (why != null) {
                out.add(new Finding(
                        Kind.POSITION_UNAVAILABLE,
                        "source.start is " + a.file() + ":" + a.pos() + ", but " + why
                                + ": `sluice run` would stop with error 1236." + p.has(),
                        "set source.start to a"
                                + " position the server still has: earliest, latest, snapshot, or {file, pos} in "
                                + p.range()));
            }
        } else {
            p.checkpoint(server, checkpoint, startOver);
        }
    }

    /** Where a checkpoint resumes: by file position on its own server, else after its GTID set (as the source). */
    private void checkpoint(ServerVersion server, Checkpoint cp, String startOver) throws SQLException {
        BinlogPosition at = cp.readFrom();
        String sets = cp.position().gtids() == null || cp.position().gtids().isBlank()
                ? null
                : cp.position().gtids();
        ServerIdentity here = identity(server);
        boolean sameServer = cp.server() == null || cp.server().sameAs(here);
        String fix = "source.start is ignored once a checkpoint exists. To start over: " + startOver
                + (startOver.endsWith(".") ? "" : ".");
        if (!sameServer && sets == null) {
            out.add(new Finding(
                    Kind.POSITION_UNAVAILABLE,
                    "The pipeline's checkpoint was taken on " + cp.server()
                            + ", and this server is " + here + ": its file position " + at.file() + ":" + at.pos()
                            + " is a"
                            + " place in another binlog, and it has no GTID set to find its place by, so `sluice run` refuses"
                            + " to resume here.",
                    "point source.host back at the server the checkpoint was taken on; or "
                            + fix.substring(0, 1).toLowerCase() + fix.substring(1)));
            return;
        }
        boolean byGtid = sets != null
                && (!sameServer
                        || server.mariaDb()
                                && !agrees(
                                        sets,
                                        gtidStateAt(
                                                cp.position().file(),
                                                cp.position().pos())));
        if (!byGtid) {
            String why = unavailable(at);
            if (why != null) {
                out.add(new Finding(
                        Kind.POSITION_UNAVAILABLE,
                        "The pipeline's checkpoint is at " + at.file() + ":" + at.pos() + ", but " + why
                                + ": `sluice run` would stop with error 1236." + has(),
                        fix
                                + " To keep binlogs longer from now on, raise the server's binlog_expire_logs_seconds"
                                + " (expire_logs_days)."));
            }
            return;
        }
        String purged = server.mariaDb() ? mariaDbPurged(sets) : mySqlPurged(sets);
        if (purged != null) {
            out.add(new Finding(
                    Kind.POSITION_UNAVAILABLE,
                    "The pipeline's checkpoint is after GTIDs " + sets
                            + (sameServer
                                    ? " (its file position " + at.file() + ":" + at.pos() + " is gone)"
                                    : " (taken on " + cp.server() + "; this server is " + here + ")")
                            + ", and the server has purged"
                            + " transactions that follow it (" + purged + "): `sluice run` would stop with error 1236."
                            + has(),
                    fix + " To keep binlogs longer from now on, raise the server's binlog_expire_logs_seconds"
                            + " (expire_logs_days)."));
        }
    }

    /** Why the server cannot send from this file position, or null when it can. */
    private String unavailable(BinlogPosition at) {
        Log first = logs.get(0);
        Log log = logs.stream()
                .filter(l -> l.file().equals(at.file()))
                .findFirst()
                .orElse(null);
        if (log == null) {
            return !base(at.file()).equals(base(first.file()))
                    ? "the server's binlogs are named " + base(first.file())
                            + ".*, so the position belongs to another server (or log_bin's name changed)"
                    : BinlogPosition.fileSequence(at.file()) < BinlogPosition.fileSequence(first.file())
                            ? "the server has purged " + at.file()
                            : "the server has not written " + at.file()
                                    + " (its binlog was reset, or the position belongs to" + " another server)";
        }
        return at.pos() > log.size()
                ? "that is past the end of " + at.file() + " (" + log.size() + " bytes): its"
                        + " binlog was reset, or the position belongs to another server"
                : null;
    }

    /** MariaDB: per domain, the GTIDs before the oldest binlog that the checkpoint's set has not reached; or null. */
    private String mariaDbPurged(String sets) throws SQLException {
        String before = gtidStateAt(logs.get(0).file(), 4);
        if (before == null || before.isBlank()) {
            return null;
        }
        Map<Long, Long> reached = sequences(sets);
        List<String> missing = new ArrayList<>();
        sequences(before).forEach((domain, seq) -> {
            long have = reached.getOrDefault(domain, 0L);
            if (have < seq) {
                missing.add("domain " + domain + ": after " + have + " up to " + seq);
            }
        });
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    /** MySQL: the purged GTIDs the checkpoint's set does not contain, or null. */
    private String mySqlPurged(String sets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?)," + " GTID_SUBTRACT(@@GLOBAL.gtid_purged, ?)")) {
            ps.setString(1, sets);
            ps.setString(2, sets);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0 ? rs.getString(2) : null;
            }
        }
    }

    /** MariaDB's GTID state at a position of its binlog; null where that is no event boundary (or no such file). */
    private String gtidStateAt(String file, long pos) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, pos);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether the server's state at a position has, for each domain of the checkpoint's set, the same GTID. */
    private static boolean agrees(String sets, String stateThere) {
        if (stateThere == null) {
            return false;
        }
        Map<Long, String> there = new HashMap<>();
        for (String g : stateThere.split(",")) {
            if (!g.isBlank()) {
                there.put(Long.parseLong(g.strip().split("-")[0]), g.strip());
            }
        }
        for (String g : sets.split(",")) {
            if (!g.isBlank()
                    && !g.strip().equals(there.get(Long.parseLong(g.strip().split("-")[0])))) {
                return false;
            }
        }
        return true;
    }

    /** A MariaDB GTID list as domain to sequence number. */
    private static Map<Long, Long> sequences(String list) {
        Map<Long, Long> out = new HashMap<>();
        for (String g : list.split(",")) {
            String[] parts = g.strip().split("-");
            if (parts.length == 3) {
                out.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
            }
        }
        return out;
    }

    private ServerIdentity identity(ServerVersion server) throws SQLException {
        long id = Long.parseLong(ServerCheck.one(c, "SELECT @@GLOBAL.server_id"));
        return new ServerIdentity(id, server.mariaDb() ? null : ServerCheck.one(c, "SELECT @@GLOBAL.server_uuid"));
    }

    private String has() {
        return " It has " + range() + ".";
    }

    private String range() {
        return logs.size() == 1
                ? logs.get(0).file()
                : logs.get(0).file() + " to " + logs.get(logs.size() - 1).file();
    }

    /** The name without its sequence number: {@code mysql-bin} of {@code mysql-bin.000042}. */
    private static String base(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }
}
