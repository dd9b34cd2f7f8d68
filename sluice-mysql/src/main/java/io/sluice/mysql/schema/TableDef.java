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
 */
public record TableDef(String db, String table, List<ColumnDef> columns, int[] key) {

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
