package io.sluice.app.metrics;

import io.sluice.core.checkpoint.BinlogPosition;
import java.util.List;

/** One row of {@code SHOW BINARY LOGS}: a binlog file on the server and its current size in bytes. */
record BinlogFile(String name, long size) {

    /**
     * Bytes the server has written past {@code committed}: the rest of the committed file plus every later file.
     * A committed file the server no longer lists (purged) counts every listed later file; never negative.
     */
    static long bytesBehind(BinlogPosition committed, List<BinlogFile> files) {
        long behind = 0;
        for (BinlogFile f : files) {
            int c = compare(f.name, committed.file());
            if (c == 0) {
                behind += Math.max(0, f.size - committed.pos());
            } else if (c > 0) {
                behind += f.size;
            }
        }
        return behind;
    }

    private static int compare(String a, String b) {
        int c = Long.compare(BinlogPosition.fileSequence(a), BinlogPosition.fileSequence(b));
        return c != 0 ? c : a.compareTo(b);
    }
}
