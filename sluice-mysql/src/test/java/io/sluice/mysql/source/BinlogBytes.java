package io.sluice.mysql.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.Deflater;

/**
 * Builds binlog event bytes the way a MySQL 8 server writes them (v4 headers, no checksum), for tests of encodings
 * a MariaDB test server never sends: MySQL GTIDs, binary JSON, compressed transaction payloads, MariaDB's v2
 * compressed rows events, event types Sluice does not decode.
 */
final class BinlogBytes {
    static final int QUERY = 2,
            ROTATE = 4,
            XID = 16,
            TABLE_MAP = 19,
            WRITE_ROWS_V2 = 30,
            UPDATE_ROWS_V2 = 31,
            DELETE_ROWS_V2 = 32,
            GTID = 33,
            ANONYMOUS_GTID = 34,
            XA_PREPARE = 38,
            TRANSACTION_PAYLOAD = 40,
            BINLOG_CHECKPOINT = 161,
            MARIADB_GTID = 162,
            QUERY_COMPRESSED = 165,
            WRITE_ROWS_COMPRESSED_V2 = 169;
    /** MariaDB GTID flags: a statement on its own (DDL), and a prepared XA transaction. */
    static final int FL_STANDALONE = 1, FL_PREPARED_XA = 64;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long serverId;
    private long pos;

    BinlogBytes(long serverId, long startPos) {
        this.serverId = serverId;
        this.pos = startPos;
    }

    long position() {
        return pos;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    BinlogBytes event(int type, long timestampSeconds, byte[] body) {
        return event(type, timestampSeconds, 0, body);
    }

    BinlogBytes event(int type, long timestampSeconds, int flags, byte[] body) {
        int length = 19 + body.length;
        pos += length;
        Buf h = new Buf()
                .le(timestampSeconds, 4)
                .u8(type)
                .le(serverId, 4)
                .le(length, 4)
                .le(pos, 4)
                .le(flags, 2);
        out.writeBytes(h.bytes());
        out.writeBytes(body);
        return this;
    }

    /**
     * What a server sends a client asking for {@code pos} of {@code file}, whose events {@code binlog} holds from
     * {@code startPos} on: a ROTATE it fakes at connect, then the events from {@code pos}.
     */
    static byte[] from(byte[] binlog, long startPos, String file, long pos) {
        byte[] start = new BinlogBytes(1, 0).event(ROTATE, 0, rotate(file, pos)).bytes();
        int skip = (int) (pos - startPos);
        byte[] out = new byte[start.length + binlog.length - skip];
        System.arraycopy(start, 0, out, 0, start.length);
        System.arraycopy(binlog, skip, out, start.length, binlog.length - skip);
        return out;
    }

    static byte[] rotate(String file, long position) {
        return new Buf()
                .le(position, 8)
                .raw(file.getBytes(StandardCharsets.US_ASCII))
                .bytes();
    }

    static byte[] mysqlGtid(UUID uuid, long gno, long immediateCommitMicros) {
        return new Buf()
                .u8(1)
                .be(uuid.getMostSignificantBits(), 8)
                .be(uuid.getLeastSignificantBits(), 8)
                .le(gno, 8)
                .u8(2)
                .le(0, 8)
                .le(1, 8)
                .le(immediateCommitMicros, 7)
                .packed(0)
                .bytes();
    }

    /** MariaDB's GTID event: {@code <domain>-<server id of the header>-<sequence>}, with its flags. */
    static byte[] mariaDbGtid(long sequence, int domain, int flags) {
        return new Buf().le(sequence, 8).le(domain, 4).u8(flags).bytes();
    }

    /** A BINLOG_CHECKPOINT event (MariaDB, at a file's start): names the file. */
    static byte[] binlogCheckpoint(String file) {
        return new Buf()
                .le(file.length(), 4)
                .raw(file.getBytes(StandardCharsets.US_ASCII))
                .bytes();
    }

    /** MySQL's XA_PREPARE event of the xid {@code gtrid} (format 1, no bqual), one-phase or not. */
    static byte[] xaPrepare(String gtrid, boolean onePhase) {
        byte[] data = gtrid.getBytes(StandardCharsets.US_ASCII);
        return new Buf()
                .u8(onePhase ? 1 : 0)
                .le(1, 4)
                .le(data.length, 4)
                .le(0, 4)
                .raw(data)
                .bytes();
    }

    /** The xid {@code gtrid} (format 1, no bqual) as an {@code XA} statement names it. */
    static String xid(String gtrid) {
        return "X'" + java.util.HexFormat.of().formatHex(gtrid.getBytes(StandardCharsets.US_ASCII)) + "',X'',1";
    }

    static byte[] query(String db, String sql) {
        byte[] d = db.getBytes(StandardCharsets.UTF_8);
        return new Buf()
                .le(1, 4)
                .le(0, 4)
                .u8(d.length)
                .le(0, 2)
                .le(0, 2)
                .raw(d)
                .u8(0)
                .raw(sql.getBytes(StandardCharsets.UTF_8))
                .bytes();
    }

    /** A QUERY event of session {@code threadId} that ran under {@code sqlMode} (its Q_SQL_MODE status variable). */
    static byte[] query(long threadId, String db, String sql, long sqlMode) {
        byte[] d = db.getBytes(StandardCharsets.UTF_8);
        byte[] vars = new Buf().u8(0).le(0, 4).u8(1).le(sqlMode, 8).bytes(); // Q_FLAGS2, Q_SQL_MODE
        return new Buf()
                .le(threadId, 4)
                .le(0, 4)
                .u8(d.length)
                .le(0, 2)
                .le(vars.length, 2)
                .raw(vars)
                .raw(d)
                .u8(0)
                .raw(sql.getBytes(StandardCharsets.UTF_8))
                .bytes();
    }

    /** An EXECUTE_LOAD_QUERY event: a LOAD DATA statement logged as text, its file's blocks staged before it. */
    static byte[] executeLoadQuery(String db, String sql) {
        byte[] d = db.getBytes(StandardCharsets.UTF_8);
        return new Buf()
                .le(5, 4)
                .le(0, 4)
                .u8(d.length)
                .le(0, 2)
                .le(0, 2)
                .le(1, 4)
                .le(10, 4)
                .le(20, 4)
                .u8(0) // file id, file name start and end, duplicate handling
                .raw(d)
                .u8(0)
                .raw(sql.getBytes(StandardCharsets.UTF_8))
                .bytes();
    }

    static byte[] xid(long xid) {
        return new Buf().le(xid, 8).bytes();
    }

    /** A TABLE_MAP with full metadata: column names, signedness (all signed) and a one-column primary key. */
    static byte[] tableMap(
            long tableId, String db, String table, int[] types, int[][] metas, String[] names, int pkColumn) {
        Buf b = new Buf().le(tableId, 6).le(0, 2);
        b.u8(db.length()).raw(db.getBytes(StandardCharsets.UTF_8)).u8(0);
        b.u8(table.length()).raw(table.getBytes(StandardCharsets.UTF_8)).u8(0);
        b.packed(types.length);
        for (int t : types) {
            b.u8(t);
        }
        Buf meta = new Buf();
        for (int[] m : metas) {
            for (int x : m) {
                meta.u8(x);
            }
        }
        b.packed(meta.size()).raw(meta.bytes());
        b.raw(new byte[(types.length + 7) / 8]); // nullability: none nullable
        Buf namesField = new Buf();
        for (String n : names) {
            namesField.packed(n.length()).raw(n.getBytes(StandardCharsets.UTF_8));
        }
        b.u8(1).packed(1).u8(0); // SIGNEDNESS: one numeric column, signed
        b.u8(4).packed(namesField.size()).raw(namesField.bytes()); // COLUMN_NAME
        b.u8(8).packed(1).packed(pkColumn); // SIMPLE_PRIMARY_KEY
        return b.bytes();
    }

    static byte[] writeRowsV2(long tableId, int columns, byte[]... rows) {
        Buf b = new Buf().le(tableId, 6).le(0, 2).le(2, 2).packed(columns);
        b.raw(new byte[] {(byte) ((1 << columns) - 1)});
        for (byte[] r : rows) {
            b.raw(r);
        }
        return b.bytes();
    }

    /** An UPDATE_ROWS v2 event of all columns: each pair of rows is a row's before and after image. */
    static byte[] updateRowsV2(long tableId, int columns, byte[]... beforeAndAfter) {
        Buf b = new Buf().le(tableId, 6).le(0, 2).le(2, 2).packed(columns);
        b.raw(new byte[] {(byte) ((1 << columns) - 1)}).raw(new byte[] {(byte) ((1 << columns) - 1)});
        for (byte[] r : beforeAndAfter) {
            b.raw(r);
        }
        return b.bytes();
    }

    /** A DELETE_ROWS v2 event of all columns: the layout of a WRITE_ROWS v2 event's (the event type differs). */
    static byte[] deleteRowsV2(long tableId, int columns, byte[]... rows) {
        return writeRowsV2(tableId, columns, rows);
    }

    /** A zstd-compressed TRANSACTION_PAYLOAD wrapping the given inner events. */
    static byte[] payload(byte[] innerEvents) {
        byte[] compressed = com.github.luben.zstd.Zstd.compress(innerEvents);
        Buf b = new Buf();
        b.packed(2).packed(1).packed(0); // compression type: ZSTD
        Buf size = new Buf().packed(innerEvents.length);
        b.packed(3).packed(size.size()).raw(size.bytes());
        Buf psize = new Buf().packed(compressed.length);
        b.packed(1).packed(psize.size()).raw(psize.bytes());
        b.packed(0);
        return b.raw(compressed).bytes();
    }

    /** MariaDB's compressed record of {@code plain}: a header byte, the length big-endian, the zlib stream. */
    static byte[] zlibRecord(byte[] plain) {
        int lengthBytes = plain.length < 1 << 8 ? 1 : plain.length < 1 << 16 ? 2 : plain.length < 1 << 24 ? 3 : 4;
        Deflater zlib = new Deflater();
        zlib.setInput(plain);
        zlib.finish();
        Buf b = new Buf().u8(0x80 | lengthBytes).be(plain.length, lengthBytes);
        byte[] chunk = new byte[4096];
        while (!zlib.finished()) {
            b.raw(Arrays.copyOf(chunk, zlib.deflate(chunk)));
        }
        zlib.end();
        return b.bytes();
    }

    /** A MariaDB Query_compressed event's body: the QUERY post-header, database, then the compressed text. */
    static byte[] queryCompressed(String db, String sql) {
        byte[] d = db.getBytes(StandardCharsets.UTF_8);
        return new Buf()
                .le(1, 4)
                .le(0, 4)
                .u8(d.length)
                .le(0, 2)
                .le(0, 2)
                .raw(d)
                .u8(0)
                .raw(zlibRecord(sql.getBytes(StandardCharsets.UTF_8)))
                .bytes();
    }

    /**
     * A MariaDB Write_rows_compressed event (v2, type 169) of all columns: table id, flags, extra data length,
     * column count and bitmap uncompressed, the rows compressed.
     */
    static byte[] writeRowsCompressedV2(long tableId, int columns, byte[]... rows) {
        Buf plain = new Buf();
        for (byte[] r : rows) {
            plain.raw(r);
        }
        return new Buf()
                .le(tableId, 6)
                .le(0, 2)
                .le(2, 2)
                .packed(columns)
                .u8((1 << columns) - 1)
                .raw(zlibRecord(plain.bytes()))
                .bytes();
    }

    /** Little/big-endian byte writer. */
    static final class Buf {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Buf u8(int v) {
            b.write(v);
            return this;
        }

        Buf le(long v, int n) {
            for (int i = 0; i < n; i++) {
                b.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Buf be(long v, int n) {
            for (int i = n - 1; i >= 0; i--) {
                b.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Buf packed(long v) {
            if (v < 251) {
                return u8((int) v);
            }
            if (v < 65536) {
                return u8(0xFC).le(v, 2);
            }
            if (v < 16777216) {
                return u8(0xFD).le(v, 3);
            }
            return u8(0xFE).le(v, 8);
        }

        Buf raw(byte[] bytes) {
            b.writeBytes(bytes);
            return this;
        }

        int size() {
            return b.size();
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }
}
