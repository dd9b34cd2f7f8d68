package io.sluice.mysql.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import io.sluice.core.SluiceException;
import io.sluice.mysql.schema.ColumnDef;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the rows of a {@link BinlogRows} event straight from its bytes into typed values, one pass per row: each
 * column's binlog type, metadata and length are worked out once per TABLE_MAP (as the library's row reader works
 * them out per cell), integer columns become their values at once, and every other cell is read from the array
 * into exactly the object the rows deserializers of {@link RowsDeserializers} read (so the column's
 * {@link ColumnDecoder} gives the same value), without the library's byte-by-byte stream, cell array and type
 * lookups.
 *
 * <p>Built for one TABLE_MAP's column types and one table definition; used by one thread (the binlog reader's).
 */
public final class RowDecoder {
    private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    // what a column is read as: an integer made its value at once, else a cell of its binlog type then its decoder
    private static final int SIGNED = 1, UNSIGNED = 2, DECIMAL = 3, CELL = 4;
    private static final int[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final String table;
    private final List<ColumnDef> defs;
    private final ColumnDecoder[] decoders;
    private final byte[] typeCodes;
    private final int[] metas;
    // the real binlog type (ENUM, SET and CHAR are STRING in the TABLE_MAP), its length, how it is read
    private final int[] types;
    private final int[] lengths;
    private final int[] reads;
    private final int nullBytes;

    private RowDecoder(String table, List<ColumnDef> defs, ColumnDecoder[] decoders, byte[] typeCodes, int[] metas) {
        this.table = table;
        this.defs = defs;
        this.decoders = decoders;
        this.typeCodes = typeCodes;
        this.metas = metas;
        int n = typeCodes.length;
        this.types = new int[n];
        this.lengths = new int[n];
        this.reads = new int[n];
        this.nullBytes = (n + 7) >> 3;
    }

    /**
     * The decoder of rows a TABLE_MAP maps for a table of these columns (whose values {@code decoders} make), or null
     * when the rows must take the library's way: the map's columns are not the definition's one for one, or one is of
     * a type only the library reads (or fails on).
     */
    public static RowDecoder of(TableMapEventData tm, String table, List<ColumnDef> defs, ColumnDecoder[] decoders) {
        byte[] typeCodes = tm.getColumnTypes();
        int[] metas = tm.getColumnMetadata();
        if (typeCodes == null || metas == null || typeCodes.length != defs.size() || metas.length < typeCodes.length) {
            return null;
        }
        RowDecoder d = new RowDecoder(table, defs, decoders, typeCodes.clone(), metas.clone());
        for (int i = 0; i < typeCodes.length; i++) {
            if (!d.plan(i)) {
                return null;
            }
        }
        return d;
    }

    /** True when this decoder was built for the same column types and metadata as the TABLE_MAP's. */
    public boolean maps(TableMapEventData tm) {
        return Arrays.equals(typeCodes, tm.getColumnTypes())
                && Arrays.equals(metas, 0, metas.length, tm.getColumnMetadata(), 0, metas.length);
    }

    /** Works out column {@code i}'s real type, length and reading as the library does per cell; false if unknown. */
    private boolean plan(int i) {
        int type = ColumnDef.realType(typeCodes[i] & 0xFF, metas[i]);
        int length = ColumnDef.realLength(typeCodes[i] & 0xFF, metas[i]);
        types[i] = type;
        lengths[i] = length;
        ColumnDef c = defs.get(i);
        boolean plainInteger = c.type() == type && c.sqlType() == null;
        switch (type) {
            case ColumnDef.TINY, ColumnDef.SHORT, ColumnDef.INT24, ColumnDef.LONG, ColumnDef.LONGLONG ->
                reads[i] = !plainInteger ? CELL : c.unsigned() ? UNSIGNED : SIGNED;
            // up to 18 digits the value fits a long: made at once with its column's scale (as its decoder sets it)
            case ColumnDef.NEWDECIMAL ->
                reads[i] =
                        plainInteger && (metas[i] & 0xFF) <= 18 && c.decimalScale() == metas[i] >> 8 ? DECIMAL : CELL;
            case ColumnDef.BIT,
                    ColumnDef.FLOAT,
                    ColumnDef.DOUBLE,
                    ColumnDef.DATE,
                    ColumnDef.TIME,
                    ColumnDef.TIME_V2,
                    ColumnDef.TIMESTAMP,
                    ColumnDef.TIMESTAMP_V2,
                    ColumnDef.DATETIME,
                    ColumnDef.DATETIME_V2,
                    ColumnDef.YEAR,
                    ColumnDef.STRING,
                    ColumnDef.VARCHAR,
                    ColumnDef.VAR_STRING,
                    ColumnDef.BLOB,
                    ColumnDef.ENUM,
                    ColumnDef.SET,
                    ColumnDef.GEOMETRY,
                    ColumnDef.JSON -> reads[i] = CELL;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The number of columns a row holds. */
    public int columns() {
        return types.length;
    }

    /**
     * Decodes the row image at {@code b[p]} (its null bitmap, then its non-null cells) into {@code out} (whose
     * null columns are left null) and returns where the next image begins.
     */
    public int row(byte[] b, int p, Object[] out) {
        int nulls = p;
        p += nullBytes;
        int[] reads = this.reads;
        for (int i = 0; i < reads.length; i++) {
            if ((b[nulls + (i >> 3)] & (1 << (i & 7))) != 0) {
                continue;
            }
            switch (reads[i]) {
                case SIGNED -> {
                    switch (types[i]) {
                        case ColumnDef.TINY -> out[i] = (int) b[p++];
                        case ColumnDef.SHORT -> {
                            out[i] = (int) (short) le(b, p, 2);
                            p += 2;
                        }
                        case ColumnDef.INT24 -> {
                            out[i] = ((int) le(b, p, 3) << 8) >> 8;
                            p += 3;
                        }
                        case ColumnDef.LONG -> {
                            out[i] = (int) le(b, p, 4);
                            p += 4;
                        }
                        default -> {
                            out[i] = le(b, p, 8);
                            p += 8;
                        }
                    }
                }
                case UNSIGNED -> {
                    switch (types[i]) {
                        case ColumnDef.TINY -> out[i] = b[p++] & 0xFF;
                        case ColumnDef.SHORT -> {
                            out[i] = (int) le(b, p, 2);
                            p += 2;
                        }
                        case ColumnDef.INT24 -> {
                            out[i] = (int) le(b, p, 3);
                            p += 3;
                        }
                        case ColumnDef.LONG -> {
                            out[i] = le(b, p, 4);
                            p += 4;
                        }
                        default -> {
                            long v = le(b, p, 8);
                            out[i] = v >= 0 ? (Object) v : decode(i, v);
                            p += 8;
                        }
                    }
                }
                case DECIMAL -> {
                    int precision = metas[i] & 0xFF;
                    int scale = metas[i] >> 8;
                    BigDecimal v = decimal(precision, scale, b, p);
                    if (v == null) {
                        p = cell(i, b, p, out); // not a decimal the server writes: as the library reads it
                    } else {
                        out[i] = v;
                        p += decimalBytes(precision, scale);
                    }
                }
                default -> p = cell(i, b, p, out);
            }
        }
        return p;
    }

    /**
     * A DECIMAL(precision ≤ 18, scale) at {@code b[p]} as a BigDecimal of that scale, or null if a group of its
     * digits holds more than its digits can (then the library's reading decides). The server's form: big-endian
     * groups of nine digits in four bytes (the integer part's first and the fraction's last group shorter), the
     * first bit flipped, every bit inverted for a negative value.
     */
    private static BigDecimal decimal(int precision, int scale, byte[] b, int p) {
        int mask = (b[p] & 0x80) != 0 ? 0 : 0xFF;
        int intLead = (precision - scale) % 9;
        int fracTail = scale % 9;
        int groups = (intLead > 0 ? 1 : 0) + (precision - scale) / 9 + scale / 9 + (fracTail > 0 ? 1 : 0);
        long v = 0;
        int q = p;
        for (int group = 0; group < groups; group++) {
            int digits = group == 0 && intLead > 0 ? intLead : group == groups - 1 && fracTail > 0 ? fracTail : 9;
            int g = 0;
            for (int k = 0; k < DIG_TO_BYTES[digits]; k++, q++) {
                int by = (b[q] ^ mask) & 0xFF;
                g = (g << 8) | (q == p ? by ^ 0x80 : by);
            }
            long limit = digits == 9 ? 1_000_000_000L : POW10[digits];
            if (g < 0 || g >= limit) {
                return null;
            }
            v = v * limit + g;
        }
        return BigDecimal.valueOf(mask == 0 ? v : -v, scale);
    }

    /** Reads column i's cell at {@code b[p]} as the rows deserializers read it, decodes it, returns where it ends. */
    private int cell(int i, byte[] b, int p, Object[] out) {
        int meta = metas[i];
        Object cell;
        switch (types[i]) {
            case ColumnDef.TINY -> cell = (int) b[p++];
            case ColumnDef.SHORT -> {
                cell = (int) (short) le(b, p, 2);
                p += 2;
            }
            case ColumnDef.INT24 -> {
                cell = ((int) le(b, p, 3) << 8) >> 8;
                p += 3;
            }
            case ColumnDef.LONG -> {
                cell = (int) le(b, p, 4);
                p += 4;
            }
            case ColumnDef.LONGLONG -> {
                cell = le(b, p, 8);
                p += 8;
            }
            case ColumnDef.FLOAT -> {
                cell = Float.intBitsToFloat((int) le(b, p, 4));
                p += 4;
            }
            case ColumnDef.DOUBLE -> {
                cell = Double.longBitsToDouble(le(b, p, 8));
                p += 8;
            }
            case ColumnDef.NEWDECIMAL -> {
                int precision = meta & 0xFF;
                int scale = meta >> 8;
                int n = decimalBytes(precision, scale);
                cell = AbstractRowsEventDataDeserializer.asBigDecimal(
                        precision, scale, Arrays.copyOfRange(b, p, p + n));
                p += n;
            }
            case ColumnDef.BIT -> {
                int n = Cells.bitBytes(meta);
                cell = Cells.bit(Arrays.copyOfRange(b, p, p + n));
                p += n;
            }
            case ColumnDef.DATE -> {
                cell = Temporal.date((int) le(b, p, 3));
                p += 3;
            }
            case ColumnDef.TIME -> {
                cell = Cells.timeOld((int) le(b, p, 3));
                p += 3;
            }
            case ColumnDef.TIME_V2 -> {
                cell = Cells.time2(meta, b, p);
                p += 3 + Cells.fractionBytes(meta);
            }
            case ColumnDef.TIMESTAMP -> {
                cell = Temporal.timestamp(le(b, p, 4), 0, 0);
                p += 4;
            }
            case ColumnDef.TIMESTAMP_V2 -> {
                cell = Cells.timestamp2(meta, b, p);
                p += 4 + Cells.fractionBytes(meta);
            }
            case ColumnDef.DATETIME -> {
                cell = Temporal.datetimeOld(le(b, p, 8));
                p += 8;
            }
            case ColumnDef.DATETIME_V2 -> {
                cell = Cells.datetime2(meta, b, p);
                p += 5 + Cells.fractionBytes(meta);
            }
            case ColumnDef.YEAR -> cell = Cells.year(b[p++] & 0xFF);
            case ColumnDef.ENUM -> {
                cell = (int) le(b, p, lengths[i]);
                p += lengths[i];
            }
            case ColumnDef.SET -> {
                cell = le(b, p, lengths[i]);
                p += lengths[i];
            }
            default -> {
                // strings, blobs, geometry, JSON: their length (in 1-4 bytes), then their bytes
                int prefix = switch (types[i]) {
                    case ColumnDef.STRING -> lengths[i] < 256 ? 1 : 2;
                    case ColumnDef.VARCHAR, ColumnDef.VAR_STRING -> meta < 256 ? 1 : 2;
                    default -> meta;
                };
                int n = (int) le(b, p, prefix);
                p += prefix;
                cell = Arrays.copyOfRange(b, p, p + n);
                p += n;
            }
        }
        out[i] = decode(i, cell);
        return p;
    }

    private Object decode(int i, Object cell) {
        try {
            return decoders[i].decode(cell);
        } catch (SluiceException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw undecodable(table, defs.get(i), cell, ex);
        }
    }

    /** The error of a cell its column's decoder failed on. */
    public static SluiceException undecodable(String table, ColumnDef def, Object cell, RuntimeException ex) {
        return SluiceException.fatal(
                "column " + table + "." + def.name() + " could not be decoded ("
                        + cell.getClass().getSimpleName() + " cell, definition " + def + "): " + ex
                        + "; please report it with the column's definition",
                ex);
    }

    /** The bytes of a DECIMAL(precision, scale) value: 4 a nine digits, the rest by {@link #DIG_TO_BYTES}. */
    private static int decimalBytes(int precision, int scale) {
        int x = precision - scale;
        int ipd = x / 9;
        int fpd = scale / 9;
        return (ipd << 2) + DIG_TO_BYTES[x - ipd * 9] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * 9];
    }

    /** {@code n} bytes little-endian at {@code b[p]}, unsigned. */
    private static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = p + n - 1; i >= p; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
