package io.sluice.mysql.snapshot;

import java.util.List;
import java.util.Locale;

/**
 * Settings of the chunked snapshot.
 *
 * @param signalTable {@code db.table} of the signal table that carries watermarks and requests through the binlog
 * @param chunkSize   rows read per chunk at most (the cap of the adaptive chunk size)
 * @param chunkBytes  rendered row bytes a chunk aims at: the row count adapts to the row width within the cap
 * @param tables      the tables {@code start: snapshot} reads, as {@code db.table} globs ({@code *}, {@code ?}) among
 *                    the captured ones; empty: every captured table
 * @param mode        how chunks are placed in the binlog stream: watermark rows in the signal table, or consistent
 *                    snapshots at the position the server reports (read-only); {@link Mode#AUTO} picks the first when
 *                    the signal table can be written
 */
public record SnapshotConfig(String signalTable, int chunkSize, long chunkBytes, List<String> tables, Mode mode) {

    /** How a snapshot's chunks are placed in the binlog stream ({@code snapshot.mode}). */
    public enum Mode {
        /** The signal table when the pipeline's user can write it (or create it), else read-only. */
        AUTO,
        /** Watermark rows in the signal table (DBLog): the user needs SELECT, INSERT, UPDATE on it. */
        SIGNAL_TABLE,
        /**
         * No write: each chunk is read in its own consistent snapshot whose binlog position the server reports
         * (MariaDB's {@code binlog_snapshot_file/position}) and emitted at that position.
         */
        READ_ONLY
    }

    public static final String DEFAULT_SIGNAL_TABLE = "sluice.sluice_signal";
    /** The row cap: narrow rows (a few hundred bytes) reach the byte budget at about this many rows. */
    public static final int DEFAULT_CHUNK_SIZE = 65_536;

    public static final long DEFAULT_CHUNK_BYTES = 8L << 20;
    public static final SnapshotConfig DEFAULT = new SnapshotConfig(DEFAULT_SIGNAL_TABLE, DEFAULT_CHUNK_SIZE);

    /** A configuration with the default byte budget. */
    public SnapshotConfig(String signalTable, int chunkSize) {
        this(signalTable, chunkSize, DEFAULT_CHUNK_BYTES);
    }

    /** A configuration whose initial snapshot reads every captured table. */
    public SnapshotConfig(String signalTable, int chunkSize, long chunkBytes) {
        this(signalTable, chunkSize, chunkBytes, List.of());
    }

    /** A configuration in {@link Mode#AUTO}. */
    public SnapshotConfig(String signalTable, int chunkSize, long chunkBytes, List<String> tables) {
        this(signalTable, chunkSize, chunkBytes, tables, Mode.AUTO);
    }

    /** This configuration in another mode. */
    public SnapshotConfig withMode(Mode newMode) {
        return new SnapshotConfig(signalTable, chunkSize, chunkBytes, tables, newMode);
    }

    public SnapshotConfig {
        signalTable = signalTable == null ? DEFAULT_SIGNAL_TABLE : signalTable;
        int dot = signalTable.indexOf('.');
        if (dot <= 0 || dot == signalTable.length() - 1 || signalTable.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("the signal table must be named as db.table, e.g. "
                    + DEFAULT_SIGNAL_TABLE + "; found '" + signalTable + "'");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("the snapshot chunk size must be at least 1: " + chunkSize);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("the snapshot chunk byte budget must be at least 1: " + chunkBytes);
        }
        tables = tables == null ? List.of() : List.copyOf(tables);
        mode = mode == null ? Mode.AUTO : mode;
    }

    public String signalDb() {
        return signalTable.substring(0, signalTable.indexOf('.'));
    }

    public String signalName() {
        return signalTable.substring(signalTable.indexOf('.') + 1);
    }

    /** True for the signal table (names compared as the server compares them on Linux: exactly, db case-folded). */
    public boolean isSignal(String db, String table) {
        return db != null
                && db.toLowerCase(Locale.ROOT).equals(signalDb().toLowerCase(Locale.ROOT))
                && table.equals(signalName());
    }
}
