package io.sluice.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;

/**
 * Generates row changes on a sysbench-like table and a table of mixed column types: inserts, updates and deletes
 * in chunks of {@code chunkRows} row changes (60% inserts, 30% updates, 10% deletes once a table holds enough rows),
 * committed every chunk or, for one big transaction, only at the end. Every statement's update count is checked, so
 * the number of row changes written to the binlog is exactly the number requested.
 */
final class Workload {
    /** Of every 4 chunks, this many go to the sysbench-like table, the rest to the mixed-types table. */
    private static final int SBTEST_SHARE = 3;

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String[] ENUMS = {"new", "paid", "shipped", "cancelled"};
    private static final String[] SETS = {"a", "b", "c", "a,b", "b,c", "a,b,c", ""};
    /** Text in 2-, 3- and 4-byte UTF-8 (and none), so that the utf8mb4 column carries more than ASCII. */
    private static final String[] WORLDS = {"", "Grüße aus Köln ", "東京の天気 ", "naïve café ", "🚀 ok ", "Ωμέγα "};

    private final String sbtest;
    private final String mixed;
    private final Random rnd = new Random(42);
    private long sbNext = 1;
    private long sbLow = 1;
    private long mxNext = 1;
    private long mxLow = 1;
    long inserts;
    long updates;
    long deletes;
    long transactions;

    Workload(String sbtestTable, String mixedTable) {
        this.sbtest = sbtestTable;
        this.mixed = mixedTable;
    }

    static String[] createTables(String sbtest, String mixed) {
        return new String[] {
            "CREATE TABLE " + sbtest + " (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0,"
                    + " c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k)) ENGINE=InnoDB",
            "CREATE TABLE " + mixed
                    + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED,"
                    + " mi MEDIUMINT, i INT, bi BIGINT UNSIGNED, f FLOAT, d DOUBLE, amount DECIMAL(18,4),"
                    + " vc VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, dt DATETIME(6), ts TIMESTAMP(3) NULL, dte DATE, tm TIME(3), yr YEAR, b BLOB,"
                    + " e ENUM('new','paid','shipped','cancelled'), st SET('a','b','c'), j JSON, bt BIT(8))"
                    + " ENGINE=InnoDB"
        };
    }

    /**
     * Writes {@code rows} row changes.
     *
     * @param chunkRows row changes per chunk (statements touch at most this many rows)
     * @param oneTxn    commit only once at the end instead of after every chunk
     */
    void run(Connection c, long rows, int chunkRows, boolean oneTxn) throws SQLException {
        c.setAutoCommit(false);
        long done = 0;
        long chunk = 0;
        try (Statement st = c.createStatement()) {
            while (done < rows) {
                int n = (int) Math.min(chunkRows, rows - done);
                if (chunk % 4 < SBTEST_SHARE) {
                    sbtestChunk(st, n);
                } else {
                    mixedChunk(st, n);
                }
                done += n;
                chunk++;
                if (!oneTxn) {
                    c.commit();
                    transactions++;
                }
            }
            if (oneTxn) {
                c.commit();
                transactions++;
            }
        }
        c.setAutoCommit(true);
    }

    private void sbtestChunk(Statement st, int n) throws SQLException {
        int[] mix = mix(n, sbNext - sbLow);
        if (mix[0] > 0) {
            StringBuilder sb = new StringBuilder(256 * mix[0])
                    .append("INSERT INTO ")
                    .append(sbtest)
                    .append(" (id, k, c, pad) VALUES ");
            for (int r = 0; r < mix[0]; r++) {
                long id = sbNext + r;
                sb.append(r == 0 ? "(" : ",(")
                        .append(id)
                        .append(',')
                        .append(rnd.nextInt(1_000_000))
                        .append(",'")
                        .append(digits(119))
                        .append("','")
                        .append(digits(59))
                        .append("')");
            }
            exec(st, sb.toString(), mix[0]);
            sbNext += mix[0];
        }
        if (mix[1] > 0) {
            long from = sbLow + (long) (rnd.nextDouble() * (sbNext - sbLow - mix[1]));
            exec(
                    st,
                    "UPDATE " + sbtest + " SET k = k + 1, c = CONCAT(SUBSTRING(c, 2), LEFT(c, 1)) WHERE id BETWEEN "
                            + from + " AND " + (from + mix[1] - 1),
                    mix[1]);
        }
        if (mix[2] > 0) {
            exec(st, "DELETE FROM " + sbtest + " WHERE id BETWEEN " + sbLow + " AND " + (sbLow + mix[2] - 1), mix[2]);
            sbLow += mix[2];
        }
    }

    private void mixedChunk(Statement st, int n) throws SQLException {
        int[] mix = mix(n, mxNext - mxLow);
        if (mix[0] > 0) {
            StringBuilder sb = new StringBuilder(400 * mix[0])
                    .append("INSERT INTO ")
                    .append(mixed)
                    .append(" (id, ti, si, mi, i, bi, f, d, amount, vc, dt, ts, dte, tm, yr, b, e, st, j, bt) VALUES ");
            for (int r = 0; r < mix[0]; r++) {
                long id = mxNext + r;
                byte[] blob = new byte[16 + rnd.nextInt(48)];
                rnd.nextBytes(blob);
                sb.append(r == 0 ? "(" : ",(")
                        .append(id)
                        .append(',')
                        .append(rnd.nextInt(256) - 128)
                        .append(',')
                        .append(rnd.nextInt(65536))
                        .append(',')
                        .append(rnd.nextInt(16_000_000) - 8_000_000)
                        .append(',')
                        .append(rnd.nextInt())
                        .append(',')
                        .append(Long.toUnsignedString(rnd.nextLong()))
                        .append(',')
                        .append(rnd.nextFloat() * 1000)
                        .append(',')
                        .append(rnd.nextDouble() * 1e9)
                        .append(',')
                        .append(rnd.nextInt(100_000_000))
                        .append('.')
                        .append(rnd.nextInt(10_000))
                        .append(",'")
                        .append(WORLDS[rnd.nextInt(WORLDS.length)])
                        .append(alnum(10 + rnd.nextInt(50)))
                        .append('\'')
                        .append(",'2024-")
                        .append(2 + rnd.nextInt(9))
                        .append('-')
                        .append(1 + rnd.nextInt(28))
                        .append(' ')
                        .append(rnd.nextInt(24))
                        .append(':')
                        .append(rnd.nextInt(60))
                        .append(':')
                        .append(rnd.nextInt(60))
                        .append('.')
                        .append(rnd.nextInt(1_000_000))
                        .append('\'')
                        .append(",'2023-06-")
                        .append(1 + rnd.nextInt(28))
                        .append(" 12:00:00.")
                        .append(rnd.nextInt(1000))
                        .append('\'')
                        .append(",'20")
                        .append(10 + rnd.nextInt(20))
                        .append("-01-")
                        .append(1 + rnd.nextInt(28))
                        .append('\'')
                        .append(",'")
                        .append(rnd.nextInt(24))
                        .append(':')
                        .append(rnd.nextInt(60))
                        .append(":01.5'")
                        .append(',')
                        .append(1990 + rnd.nextInt(40))
                        .append(",X'")
                        .append(HexFormat.of().formatHex(blob))
                        .append('\'')
                        .append(",'")
                        .append(ENUMS[rnd.nextInt(ENUMS.length)])
                        .append('\'')
                        .append(",'")
                        .append(SETS[rnd.nextInt(SETS.length)])
                        .append('\'')
                        .append(",'{\"a\":")
                        .append(id)
                        .append(",\"tags\":[\"x\",\"")
                        .append(alnum(5))
                        .append("\"],\"n\":{\"k\":")
                        .append(rnd.nextBoolean())
                        .append("}}'")
                        .append(',')
                        .append(rnd.nextInt(256))
                        .append(')');
            }
            exec(st, sb.toString(), mix[0]);
            mxNext += mix[0];
        }
        if (mix[1] > 0) {
            long from = mxLow + (long) (rnd.nextDouble() * (mxNext - mxLow - mix[1]));
            exec(
                    st,
                    "UPDATE " + mixed + " SET i = i + 1, vc = CONCAT('u', LEFT(vc, 50)), dt = NOW(6),"
                            + " amount = amount + 1.25, j = JSON_SET(j, '$.a', i) WHERE id BETWEEN " + from + " AND "
                            + (from + mix[1] - 1),
                    mix[1]);
        }
        if (mix[2] > 0) {
            exec(st, "DELETE FROM " + mixed + " WHERE id BETWEEN " + mxLow + " AND " + (mxLow + mix[2] - 1), mix[2]);
            mxLow += mix[2];
        }
    }

    /** {inserts, updates, deletes} for a chunk of n row changes on a table holding {@code live} rows. */
    private static int[] mix(int n, long live) {
        if (live < 1000 || n < 10) {
            return new int[] {n, 0, 0};
        }
        int ins = n * 6 / 10;
        int upd = n * 3 / 10;
        return new int[] {ins, upd, n - ins - upd};
    }

    private void exec(Statement st, String sql, int expected) throws SQLException {
        int got = st.executeUpdate(sql);
        if (got != expected) {
            throw new IllegalStateException("expected " + expected + " rows changed, got " + got + ": "
                    + sql.substring(0, Math.min(200, sql.length())));
        }
        switch (sql.charAt(0)) {
            case 'I' -> inserts += got;
            case 'U' -> updates += got;
            default -> deletes += got;
        }
    }

    private String digits(int len) {
        char[] cs = new char[len];
        for (int i = 0; i < len; i++) {
            cs[i] = (i % 12 == 11) ? '-' : (char) ('0' + rnd.nextInt(10));
        }
        return new String(cs);
    }

    private String alnum(int len) {
        char[] cs = new char[len];
        for (int i = 0; i < len; i++) {
            cs[i] = ALNUM.charAt(rnd.nextInt(ALNUM.length()));
        }
        return new String(cs);
    }
}
