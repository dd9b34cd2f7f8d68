package io.sluice.mysql.check;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.mysql.check.Finding.Kind;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The binlog position the pipeline will read from, against SHOW BINARY LOGS: its checkpoint's, or else an explicit
 * {@code source.start: {file, pos}}. A file the server has purged (or never wrote) or an offset past the file's end
 * makes {@code sluice run} stop with error 1236; the finding says so beforehand, and since {@code source.start} is
 * ignored once a checkpoint exists, how to start over.
 */
final class PositionCheck {
    /** SHOW BINARY LOGS not allowed (a grant finding says so) or the binlog is off (so does another finding). */
    private static final List<Integer> CANNOT_LIST = List.of(1044, 1142, 1227, 1381);

    private record Log(String file, long size) {
    }

    private PositionCheck() {
    }

    static void check(Connection c, MySqlSourceConfig config, Checkpoint checkpoint, String startOver,
                      List<Finding> out) throws SQLException {
        BinlogPosition at;
        if (checkpoint != null) {
            at = checkpoint.readFrom();
        } else if (config.start() instanceof StartPosition.At a) {
            at = new BinlogPosition(a.file(), a.pos(), null);
        } else {
            return;
        }
        List<Log> logs;
        try {
            logs = binaryLogs(c);
        } catch (SQLException e) {
            if (CANNOT_LIST.contains(e.getErrorCode())) {
                return;
            }
            throw e;
        }
        if (logs.isEmpty()) {
            return;
        }
        Log first = logs.get(0);
        Log last = logs.get(logs.size() - 1);
        Log log = logs.stream().filter(l -> l.file().equals(at.file())).findFirst().orElse(null);
        String why;
        if (log == null) {
            why = !base(at.file()).equals(base(first.file())) ? "the server's binlogs are named " + base(first.file())
                    + ".*, so the position belongs to another server (or log_bin's name changed)"
                    : BinlogPosition.fileSequence(at.file()) < BinlogPosition.fileSequence(first.file())
                    ? "the server has purged " + at.file()
                    : "the server has not written " + at.file() + " (its binlog was reset, or the position belongs to"
                    + " another server)";
        } else if (at.pos() > log.size()) {
            why = "that is past the end of " + at.file() + " (" + log.size() + " bytes): its binlog was reset, or"
                    + " the position belongs to another server";
        } else {
            return;
        }
        String has = " It has " + (logs.size() == 1 ? first.file() : first.file() + " to " + last.file()) + ".";
        if (checkpoint != null) {
            out.add(new Finding(Kind.POSITION_UNAVAILABLE, "The pipeline's checkpoint is at " + at.file() + ":"
                    + at.pos() + ", but " + why + ": `sluice run` would stop with error 1236." + has,
                    "source.start is ignored once a checkpoint exists. To start over: " + startOver
                    + (startOver.endsWith(".") ? "" : ".") + " To keep binlogs longer from now on, raise the server's"
                    + " binlog_expire_logs_seconds (expire_logs_days)."));
        } else {
            out.add(new Finding(Kind.POSITION_UNAVAILABLE, "source.start is " + at.file() + ":" + at.pos() + ", but "
                    + why + ": `sluice run` would stop with error 1236." + has, "set source.start to a position the"
                    + " server still has: earliest, latest, snapshot, or {file, pos} in " + first.file()
                    + (logs.size() == 1 ? "" : " to " + last.file())));
        }
    }

    private static List<Log> binaryLogs(Connection c) throws SQLException {
        List<Log> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(new Log(rs.getString(1), rs.getLong(2)));
            }
        }
        return out;
    }

    /** The name without its sequence number: {@code mysql-bin} of {@code mysql-bin.000042}. */
    private static String base(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }
}
