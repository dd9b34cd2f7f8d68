package io.sluice.core.checkpoint;

import java.util.Objects;

/**
 * A position in a server's binary log: file and byte offset, with the GTID set executed up to there
 * (MariaDB {@code domain-server-seq,...} or MySQL {@code uuid:1-5,...}), or null where the server has none.
 */
public record BinlogPosition(String file, long pos, String gtids) implements Comparable<BinlogPosition> {

    public BinlogPosition {
        Objects.requireNonNull(file, "file");
    }

    public BinlogPosition withGtids(String newGtids) {
        return new BinlogPosition(file, pos, newGtids);
    }

    /** Orders positions of one server's binlog: by file sequence number, then offset. */
    @Override
    public int compareTo(BinlogPosition o) {
        int c = Long.compare(fileSequence(file), fileSequence(o.file));
        if (c == 0) {
            c = file.compareTo(o.file);
        }
        return c != 0 ? c : Long.compare(pos, o.pos);
    }

    /** The numeric suffix of a binlog file name ({@code mysql-bin.000042} gives 42), or -1. */
    public static long fileSequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return file + ":" + pos + (gtids == null || gtids.isEmpty() ? "" : " (gtids " + gtids + ")");
    }
}
