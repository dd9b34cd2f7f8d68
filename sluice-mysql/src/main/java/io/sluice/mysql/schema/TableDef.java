package io.sluice.mysql.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A table's definition as used to decode its rows at one point of the binlog.
 *
 * @param db      database
 * @param table   table name
 * @param columns columns in table order
 * @param key     indexes (into columns) of the event key: the primary key, else the first unique index whose
 *                columns are all NOT NULL; empty when the table has neither
 * @param versioning how the binlog's rows of a MariaDB system-versioned table map to the columns, else null
 */
public record TableDef(String db, String table, List<ColumnDef> columns, int[] key, Versioning versioning) {

    /**
     * A MariaDB system-versioned table ({@code WITH SYSTEM VERSIONING}) as its binlog rows show it: they also hold
     * the table's period columns and its history rows, which Sluice leaves out (docs/change-event.md). The
     * implicit {@code row_start}/{@code row_end} columns are not among {@link #columns()} (SELECT and
     * information_schema do not show them either); declared period columns are, as ordinary columns. The row-end
     * column, which the server adds to the primary key, is not part of the event key.
     *
     * <p>The implicit columns are the last two of the binlog's rows (the server adds columns before them), so the
     * columns are the first {@code columns().size()} cells of a binlog row.
     *
     * @param binlogColumns the number of columns the binlog's rows hold
     * @param rowEnd        the index in the binlog's rows of the row-end column: a row whose row end is the
     *                      greatest value of its type is current, any other is history
     */
    public record Versioning(int binlogColumns, int rowEnd) {
        /** The value of a current row's row end: the greatest TIMESTAMP(6) (64-bit too) or BIGINT UNSIGNED. */
        public static boolean current(Object rowEnd) {
            if (rowEnd instanceof io.sluice.core.value.TimestampValue t) {
                // 2038-01-19T03:14:07.999999Z, or 2106-02-07T06:28:15.999999Z where timestamps are 64-bit
                return t.micros() == 999_999
                        && (t.epochSecond() == 2_147_483_647L || t.epochSecond() == 4_294_967_295L);
            }
            if (rowEnd instanceof Long l) {
                return l == -1L; // 18446744073709551615 read as a signed long
            }
            return rowEnd instanceof java.math.BigInteger b && b.equals(UNSIGNED_MAX);
        }

        private static final java.math.BigInteger UNSIGNED_MAX =
                java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
    }

    /** A table that is not system-versioned. */
    public TableDef(String db, String table, List<ColumnDef> columns, int[] key) {
        this(db, table, columns, key, null);
    }

    public TableDef {
        columns = List.copyOf(columns);
        key = key == null ? new int[0] : key.clone();
    }

    public String qualifiedName() {
        return db + "." + table;
    }

    /** A digest of columns and key: equal for equal layouts, different when a column or the key changes. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (ColumnDef c : columns) {
            sb.append(c.signature()).append('\n');
        }
        sb.append("key");
        for (int k : key) {
            sb.append(' ').append(k);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
