package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.sluice.core.SluiceException;
import io.sluice.mysql.schema.ColumnDef;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Rows events of every column type the binlog carries, decoded both ways: from the event's bytes by
 * {@link RowDecoder}, and the library's way (the rows deserializers' cells, then each column's
 * {@link ColumnDecoder}). The two must give the same values, of the same classes, row by row, column by column.
 */
class RowDecoderTest {
    private static final String[] LABELS = {"a", "b", "c", "d", "e"};

    /** A column of the corpus: its TABLE_MAP type and metadata, its definition, and a maker of its cells' bytes. */
    private record Col(int tmType, int tmMeta, ColumnDef def, Function<Random, byte[]> cell) {}

    private static ColumnDef def(int type, int meta, int length, boolean unsigned, String charset, String sqlType) {
        return new ColumnDef("c" + type, type, meta, length, unsigned, charset, LABELS, sqlType, true);
    }

    private static Function<Random, byte[]> fixed(int n) {
        return r -> {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        };
    }

    /** A length in {@code prefix} bytes little-endian, then that many bytes: ASCII text, any bytes, or none. */
    private static Function<Random, byte[]> prefixed(int prefix, int max) {
        return r -> {
            byte[] v = switch (r.nextInt(4)) {
                case 0 -> new byte[0];
                case 1 -> ("text " + r.nextInt(1000) + "  ").getBytes(StandardCharsets.US_ASCII);
                case 2 -> "naïve 🚀 \"q\"".getBytes(StandardCharsets.UTF_8);
                default -> fixed(r.nextInt(Math.min(max, 40) + 1)).apply(r);
            };
            if (v.length > max) {
                v = java.util.Arrays.copyOf(v, max);
            }
            return concat(littleEndian(v.length, prefix), v);
        };
    }

    /** MySQL binary JSON: literals, an int16 and a string. */
    private static Function<Random, byte[]> json() {
        return r -> {
            byte[] v = switch (r.nextInt(4)) {
                case 0 -> new byte[] {4, 1};
                case 1 -> new byte[] {4, 0};
                case 2 -> new byte[] {5, (byte) r.nextInt(), (byte) r.nextInt()};
                default -> new byte[] {12, 3, 'a', '"', 'c'};
            };
            return concat(littleEndian(v.length, 4), v);
        };
    }

    private static List<Col> corpus() {
        List<Col> cols = new ArrayList<>();
        int[][] ints = {
            {ColumnDef.TINY, 1},
            {ColumnDef.SHORT, 2},
            {ColumnDef.INT24, 3},
            {ColumnDef.LONG, 4},
            {ColumnDef.LONGLONG, 8}
        };
        for (int[] t : ints) {
            cols.add(new Col(t[0], 0, def(t[0], 0, 0, false, null, null), fixed(t[1])));
            cols.add(new Col(t[0], 0, def(t[0], 0, 0, true, null, null), fixed(t[1])));
        }
        cols.add(new Col(ColumnDef.FLOAT, 4, def(ColumnDef.FLOAT, 4, 0, false, null, null), fixed(4)));
        cols.add(new Col(ColumnDef.DOUBLE, 8, def(ColumnDef.DOUBLE, 8, 0, false, null, null), fixed(8)));
        for (int[] ps : new int[][] {{10, 2}, {65, 30}, {5, 0}, {18, 9}, {20, 20}}) {
            int meta = ps[0] | ps[1] << 8;
            int x = ps[0] - ps[1];
            int bytes = (x / 9) * 4 + DIG[x % 9] + (ps[1] / 9) * 4 + DIG[ps[1] % 9];
            cols.add(new Col(ColumnDef.NEWDECIMAL, meta, def(ColumnDef.NEWDECIMAL, meta, 0, false, null, null), r -> {
                byte[] b = new byte[bytes];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(10); // small digit groups: valid decimals
                }
                if (r.nextBoolean()) {
                    b[0] |= (byte) 0x80; // the sign bit set: positive (else all bytes inverted: negative)
                } else {
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) ~b[i];
                    }
                    b[0] &= 0x7F;
                }
                return b;
            }));
        }
        cols.add(new Col(
                ColumnDef.DATE,
                0,
                def(ColumnDef.DATE, 0, 0, false, null, null),
                r -> r.nextInt(5) == 0
                        ? BinlogCells.date(0, 0, 0)
                        : BinlogCells.date(r.nextInt(10000), r.nextInt(13), r.nextInt(32))));
        cols.add(new Col(ColumnDef.TIME, 0, def(ColumnDef.TIME, 0, 0, false, null, null), r -> {
            int v = r.nextInt(839) * 10000 + r.nextInt(60) * 100 + r.nextInt(60);
            return littleEndian(r.nextBoolean() ? v : -v, 3);
        }));
        cols.add(new Col(ColumnDef.TIMESTAMP, 0, def(ColumnDef.TIMESTAMP, 0, 0, false, null, null), fixed(4)));
        cols.add(new Col(
                ColumnDef.DATETIME,
                0,
                def(ColumnDef.DATETIME, 0, 0, false, null, null),
                r -> littleEndian(
                        r.nextInt(10000) * 10_000_000_000L
                                + (r.nextInt(13) * 100 + r.nextInt(32)) * 1_000_000L
                                + r.nextInt(24) * 10000
                                + r.nextInt(60) * 100
                                + r.nextInt(60),
                        8)));
        for (int fsp = 0; fsp <= 6; fsp++) {
            int f = fsp;
            int scale = (int) Math.pow(10, 6 - fsp);
            cols.add(new Col(
                    ColumnDef.TIME_V2,
                    fsp,
                    def(ColumnDef.TIME_V2, fsp, 0, false, null, null),
                    r -> BinlogCells.time2(
                            r.nextBoolean(),
                            r.nextInt(839),
                            r.nextInt(60),
                            r.nextInt(60),
                            r.nextInt(1_000_000) / scale * scale,
                            f)));
            cols.add(new Col(
                    ColumnDef.DATETIME_V2,
                    fsp,
                    def(ColumnDef.DATETIME_V2, fsp, 0, false, null, null),
                    r -> BinlogCells.datetime2(
                            r.nextInt(10000),
                            r.nextInt(13),
                            r.nextInt(32),
                            r.nextInt(24),
                            r.nextInt(60),
                            r.nextInt(60),
                            r.nextInt(1_000_000) / scale * scale,
                            f)));
            cols.add(new Col(
                    ColumnDef.TIMESTAMP_V2,
                    fsp,
                    def(ColumnDef.TIMESTAMP_V2, fsp, 0, false, null, null),
                    r -> BinlogCells.timestamp2(
                            r.nextInt(Integer.MAX_VALUE), r.nextInt(1_000_000) / scale * scale, f)));
        }
        cols.add(new Col(ColumnDef.YEAR, 0, def(ColumnDef.YEAR, 0, 0, false, null, null), fixed(1)));
        for (int meta : new int[] {1, 5, 8 << 8, 3 << 8 | 4}) {
            int bytes = Cells.bitBytes(meta);
            cols.add(new Col(ColumnDef.BIT, meta, def(ColumnDef.BIT, meta, 0, false, null, null), fixed(bytes)));
        }
        // CHAR/BINARY: STRING in the TABLE_MAP, the real type and byte length in its metadata
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 40,
                def(ColumnDef.STRING, 0xFE << 8 | 40, 40, false, "utf8mb4", null),
                prefixed(1, 40)));
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 10,
                def(ColumnDef.STRING, 0xFE << 8 | 10, 10, false, "latin1", null),
                prefixed(1, 10)));
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 8,
                def(ColumnDef.STRING, 0xFE << 8 | 8, 8, false, "binary", null),
                prefixed(1, 8)));
        // CHAR(255) of utf8mb4: 1020 bytes, two of its length bits in the metadata's type byte
        cols.add(new Col(
                ColumnDef.STRING,
                0xCE << 8 | 0xFC,
                def(ColumnDef.STRING, 0xCE << 8 | 0xFC, 1020, false, "utf8mb4", null),
                prefixed(2, 1020)));
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 16,
                def(ColumnDef.STRING, 0xFE << 8 | 16, 16, false, "binary", "inet6"),
                prefixed(1, 16)));
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 16,
                def(ColumnDef.STRING, 0xFE << 8 | 16, 16, false, "binary", "uuid"),
                prefixed(1, 16)));
        cols.add(new Col(
                ColumnDef.STRING,
                0xFE << 8 | 4,
                def(ColumnDef.STRING, 0xFE << 8 | 4, 4, false, "binary", "inet4"),
                prefixed(1, 4)));
        cols.add(new Col(
                ColumnDef.STRING,
                ColumnDef.ENUM << 8 | 1,
                def(ColumnDef.ENUM, ColumnDef.ENUM << 8 | 1, 1, false, "utf8mb4", null),
                r -> new byte[] {(byte) r.nextInt(LABELS.length + 1)}));
        cols.add(new Col(
                ColumnDef.STRING,
                ColumnDef.SET << 8 | 1,
                def(ColumnDef.SET, ColumnDef.SET << 8 | 1, 1, false, "utf8mb4", null),
                r -> new byte[] {(byte) r.nextInt(32)}));
        cols.add(new Col(
                ColumnDef.VARCHAR, 400, def(ColumnDef.VARCHAR, 400, 0, false, "utf8mb4", null), prefixed(2, 400)));
        cols.add(new Col(ColumnDef.VARCHAR, 20, def(ColumnDef.VARCHAR, 20, 0, false, "latin1", null), prefixed(1, 20)));
        cols.add(new Col(ColumnDef.VARCHAR, 20, def(ColumnDef.VARCHAR, 20, 0, false, "ucs2", null), r -> {
            int n = r.nextInt(10);
            byte[] v = new byte[n * 2];
            for (int i = 0; i < n; i++) {
                v[2 * i + 1] = (byte) ('A' + r.nextInt(26));
            }
            return concat(new byte[] {(byte) v.length}, v);
        }));
        cols.add(new Col(ColumnDef.VARCHAR, 30, def(ColumnDef.VARCHAR, 30, 0, false, "binary", null), prefixed(1, 30)));
        for (int meta = 1; meta <= 4; meta++) {
            cols.add(new Col(
                    ColumnDef.BLOB, meta, def(ColumnDef.BLOB, meta, 0, false, "utf8mb4", null), prefixed(meta, 200)));
            cols.add(new Col(
                    ColumnDef.BLOB, meta, def(ColumnDef.BLOB, meta, 0, false, "binary", null), prefixed(meta, 200)));
        }
        cols.add(
                new Col(ColumnDef.GEOMETRY, 4, def(ColumnDef.GEOMETRY, 4, 0, false, "binary", null), prefixed(4, 100)));
        cols.add(new Col(ColumnDef.JSON, 4, def(ColumnDef.JSON, 4, 0, false, "binary", null), json()));
        return cols;
    }

    private static final int[] DIG = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

    @Test
    void everyTypeDecodesFromTheBytesAsFromTheLibrarysCells() throws Exception {
        List<Col> cols = corpus();
        Random r = new Random(19);
        for (RowsBodies.Kind kind : RowsBodies.Kind.values()) {
            for (boolean v2 : new boolean[] {false, true}) {
                for (int event = 0; event < 20; event++) {
                    int images = kind == RowsBodies.Kind.UPDATE ? 2 * (1 + r.nextInt(5)) : 1 + r.nextInt(10);
                    int compared = compare(cols, kind, v2, images, r);
                    assertThat(compared).isEqualTo(images * cols.size());
                }
            }
        }
    }

    @Test
    void aColumnMadeOfOtherColumnsTypeTakesTheLibrarysWay() {
        // a column the TABLE_MAP calls LONG whose definition says VARCHAR: both ways fail alike, not with a
        // silently different value
        ColumnDef varchar = def(ColumnDef.VARCHAR, 20, 0, false, "utf8mb4", null);
        List<Col> cols = List.of(new Col(ColumnDef.LONG, 0, varchar, fixed(4)));
        byte[] body = body(cols, RowsBodies.Kind.WRITE, false, 1, new Random(1), 0);
        EventData e = event(cols, body, RowsBodies.Kind.WRITE, false);
        RowDecoder d = decoder(cols);
        assertThatThrownBy(() -> d.row(body, ((BinlogRows) e).body().rowsAt(), new Object[1]))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("column shop.t.c15 could not be decoded (Integer cell");
    }

    @Test
    void aBodyPastAMebibyteIsReadTheLibrarysWay() throws Exception {
        List<Col> cols = List.of(new Col(ColumnDef.BLOB, 4, def(ColumnDef.BLOB, 4, 0, false, "binary", null), r -> {
            byte[] v = new byte[RowsBodies.LARGE + 1];
            java.util.Arrays.fill(v, (byte) 'x');
            return concat(littleEndian(v.length, 4), v);
        }));
        RowsBodies d = new RowsBodies(Map.of(100L, tableMap(cols)), RowsBodies.Kind.WRITE, false);
        byte[] large = body(cols, RowsBodies.Kind.WRITE, false, 1, new Random(1), 0);
        EventData e = d.deserialize(new com.github.shyiko.mysql.binlog.io.ByteArrayInputStream(large));
        assertThat(e).isNotInstanceOf(BinlogRows.class);
        assertThat((byte[]) ((WriteRowsEventData) e).getRows().get(0)[0]).hasSize(RowsBodies.LARGE + 1);

        List<Col> small = List.of(new Col(ColumnDef.LONG, 0, def(ColumnDef.LONG, 0, 0, false, null, null), fixed(4)));
        RowsBodies s = new RowsBodies(Map.of(100L, tableMap(small)), RowsBodies.Kind.WRITE, false);
        byte[] body = body(small, RowsBodies.Kind.WRITE, false, 3, new Random(1), 0);
        assertThat(s.deserialize(new com.github.shyiko.mysql.binlog.io.ByteArrayInputStream(body)))
                .isInstanceOf(BinlogRows.class);
    }

    @Test
    void aTypeOnlyTheLibraryKnowsMakesNoDecoder() {
        ColumnDef old = def(0, 0, 0, false, null, null); // the pre-5.0 DECIMAL
        TableMapEventData tm = tableMap(List.of(new Col(0, 0, old, fixed(1))));
        assertThat(RowDecoder.of(tm, "shop.t", List.of(old), new ColumnDecoder[] {c -> c}))
                .isNull();
    }

    /** Makes an event of random rows, decodes it both ways, compares, and returns the number of values compared. */
    private static int compare(List<Col> cols, RowsBodies.Kind kind, boolean v2, int images, Random r)
            throws Exception {
        byte[] body = body(cols, kind, v2, images, r, 5);
        EventData e = event(cols, body, kind, v2);
        List<Serializable[]> cells = new ArrayList<>();
        if (e instanceof WriteRowsEventData w) {
            cells.addAll(w.getRows());
        } else if (e instanceof UpdateRowsEventData u) {
            for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
                cells.add(row.getKey());
                cells.add(row.getValue());
            }
        } else {
            cells.addAll(((DeleteRowsEventData) e).getRows());
        }
        assertThat(cells).hasSize(images);
        RowDecoder decoder = decoder(cols);
        int p = ((BinlogRows) e).body().rowsAt();
        int compared = 0;
        for (int image = 0; image < images; image++) {
            Object[] fast = new Object[cols.size()];
            p = decoder.row(body, p, fast);
            for (int i = 0; i < cols.size(); i++) {
                Serializable cell = cells.get(image)[i];
                Object old = cell == null
                        ? null
                        : ColumnDecoder.of(cols.get(i).def()).decode(cell);
                String what = kind + (v2 ? " v2" : " v1") + " image " + image + " column "
                        + cols.get(i).def();
                if (old == null) {
                    assertThat(fast[i]).as(what).isNull();
                } else {
                    assertThat(fast[i]).as(what).isNotNull();
                    assertThat(fast[i].getClass()).as(what).isEqualTo(old.getClass());
                    assertThat(fast[i]).as(what).isEqualTo(old);
                }
                compared++;
            }
        }
        assertThat(p).as("the rows end where the body ends").isEqualTo(body.length);
        return compared;
    }

    private static RowDecoder decoder(List<Col> cols) {
        List<ColumnDef> defs = cols.stream().map(Col::def).toList();
        ColumnDecoder[] decoders = defs.stream().map(ColumnDecoder::of).toArray(ColumnDecoder[]::new);
        RowDecoder d = RowDecoder.of(tableMap(cols), "shop.t", defs, decoders);
        assertThat(d).isNotNull();
        assertThat(d.maps(tableMap(cols))).isTrue();
        return d;
    }

    private static EventData event(List<Col> cols, byte[] body, RowsBodies.Kind kind, boolean v2) {
        try {
            return RowsBodies.of(body, Map.of(100L, tableMap(cols)), kind, v2);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TableMapEventData tableMap(List<Col> cols) {
        TableMapEventData tm = new TableMapEventData();
        tm.setTableId(100);
        tm.setDatabase("shop");
        tm.setTable("t");
        byte[] types = new byte[cols.size()];
        int[] metas = new int[cols.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = (byte) cols.get(i).tmType();
            metas[i] = cols.get(i).tmMeta();
        }
        tm.setColumnTypes(types);
        tm.setColumnMetadata(metas);
        return tm;
    }

    /**
     * A rows event's body as the server writes it: table id, flags, (v2) extra info, the column count, the
     * included-columns bitmap(s), then the row images, each a null bitmap and its non-null cells.
     */
    private static byte[] body(List<Col> cols, RowsBodies.Kind kind, boolean v2, int images, Random r, int nullIn) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(littleEndian(100, 6));
        out.writeBytes(littleEndian(1, 2));
        if (v2) {
            out.writeBytes(littleEndian(2 + 5, 2)); // extra info: 5 bytes after its length
            out.writeBytes(new byte[] {1, 2, 3, 4, 5});
        }
        int n = cols.size();
        out.write(n < 251 ? n : 252);
        if (n >= 251) {
            out.writeBytes(littleEndian(n, 2));
        }
        byte[] all = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            all[i / 8] |= (byte) (1 << (i % 8));
        }
        out.writeBytes(all);
        if (kind == RowsBodies.Kind.UPDATE) {
            out.writeBytes(all);
        }
        for (int image = 0; image < images; image++) {
            byte[] nulls = new byte[(n + 7) / 8];
            ByteArrayOutputStream cells = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                if (nullIn > 0 && r.nextInt(nullIn) == 0) {
                    nulls[i / 8] |= (byte) (1 << (i % 8));
                } else {
                    cells.writeBytes(cols.get(i).cell().apply(r));
                }
            }
            out.writeBytes(nulls);
            out.writeBytes(cells.toByteArray());
        }
        return out.toByteArray();
    }

    private static byte[] littleEndian(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return BinlogCells.concat(a, b);
    }
}
