package io.sluice.mysql.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.encode.RenderedRows;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Row;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.SqlTypes;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import io.sluice.mysql.schema.CoreSchemas;
import io.sluice.mysql.schema.InfoSchema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How one table is read over JDBC so that every value comes out exactly as the binlog decoders give it (the
 * contract's JSON): temporal values as the server's own text ({@code CAST(... AS CHAR)}, TIMESTAMP in a UTC
 * session), FLOAT and DOUBLE over the binary protocol (exact bits, where the text protocol rounds FLOAT to six
 * digits; tables without such columns are read over the text protocol, which costs the server and the driver
 * less), BIT and YEAR as unsigned numbers, byte strings as bytes and character strings as the server converts
 * them to utf8mb4.
 */
final class TablePlan {
    /** How a column's value is read and, for key columns, bound as a chunk's lower bound. */
    enum Kind {
        INT,
        UINT64,
        DECIMAL,
        FLOAT,
        DOUBLE,
        NUMBER,
        TEXT,
        BYTES,
        DATE,
        DATETIME,
        TIMESTAMP,
        TIME,
        JSON,
        LABEL
    }

    /** Kinds whose ORDER BY and comparison with a bound value agree, so the table can be read in key chunks. */
    private static final Set<Kind> CHUNKABLE = Set.of(
            Kind.INT,
            Kind.UINT64,
            Kind.DECIMAL,
            Kind.FLOAT,
            Kind.DOUBLE,
            Kind.TEXT,
            Kind.BYTES,
            Kind.DATE,
            Kind.DATETIME,
            Kind.TIMESTAMP,
            Kind.TIME);

    final String db;
    final String table;
    final String[] names;
    final String[] keyNames;
    final int[] key;
    final Kind[] kinds;
    final boolean chunkable;
    /** True when a FLOAT or DOUBLE column needs the binary protocol (the text protocol rounds FLOAT to 6 digits). */
    final boolean binaryProtocol;

    private final String from;
    private final String selectList;

    /** Kinds whose values are rendered straight from the driver when plain (see {@link #render}). */
    private static final Set<Kind> DIRECT =
            Set.of(Kind.INT, Kind.TEXT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME, Kind.TIMESTAMP, Kind.TIME);
    /** Whether every column's kind may be rendered straight from the driver (else every row goes the generic way). */
    private final boolean direct;
    /** Per column, what precedes its value in the row's JSON: {@code {"name":} for the first, then {@code ,"name":}. */
    private final byte[][] prefixes;
    /** Likewise per key column, in the key's JSON. */
    private final byte[][] keyPrefixes;
    /** The key columns' kinds, in key order. */
    final Kind[] keyKinds;
    /**
     * Scratch of {@link #render(ResultSet, RenderedRows)}: where each value of the row being rendered starts and ends.
     * A plan renders on one thread at a time (the snapshot coordinator's), and nothing else may use them.
     */
    private final int[] valueFrom;

    private final int[] valueTo;
    /** Per column: whether its value is read as a stream over the driver's row buffer (see {@link #putText}). */
    private final boolean[] streams;
    /** Arena bytes per row of the last chunk, to size the next chunk's arena. */
    private volatile int bytesPerRow = 256;

    private final RenderedRows.Decoder rowDecoder;
    private final RenderedRows.Decoder keyDecoder;

    /**
     * The table as this plan read it, under version 0 (the tracker gives the events the version's schema, {@link
     * SnapshotTracker.Schemas}).
     */
    final TableSchema described;

    /** A plan of a table known only by its names, key and kinds (tests): its columns' types are the kinds' names. */
    TablePlan(String db, String table, String[] names, int[] key, Kind[] kinds) {
        this(db, table, names, key, kinds, kindsOnly(db, table, names, key, kinds));
    }

    private static TableSchema kindsOnly(String db, String table, String[] names, int[] key, Kind[] kinds) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            cols.add(new Column(
                    names[i],
                    kinds[i].name().toLowerCase(Locale.ROOT),
                    null,
                    null,
                    false,
                    null,
                    true,
                    false,
                    null,
                    null));
        }
        return new TableSchema(db, table, 0, cols, key);
    }

    TablePlan(String db, String table, String[] names, int[] key, Kind[] kinds, TableSchema described) {
        this.described = described;
        this.db = db;
        this.table = table;
        this.names = names;
        this.key = key;
        this.kinds = kinds;
        this.keyNames = new String[key.length];
        boolean ok = key.length > 0;
        for (int k = 0; k < key.length; k++) {
            keyNames[k] = names[key[k]];
            ok &= CHUNKABLE.contains(kinds[key[k]]);
        }
        this.chunkable = ok;
        boolean floats = false;
        for (Kind k : kinds) {
            floats |= k == Kind.FLOAT || k == Kind.DOUBLE;
        }
        this.binaryProtocol = floats;
        this.from = SignalTable.quote(db) + "." + SignalTable.quote(table);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(expression(SignalTable.quote(names[i]), kinds[i]));
        }
        this.selectList = sb.toString();
        boolean d = true;
        for (Kind k : kinds) {
            d &= DIRECT.contains(k);
        }
        this.direct = d;
        this.prefixes = prefixes(names);
        this.keyPrefixes = prefixes(keyNames);
        this.keyKinds = new Kind[key.length];
        for (int k = 0; k < key.length; k++) {
            keyKinds[k] = kinds[key[k]];
        }
        this.valueFrom = new int[names.length];
        this.valueTo = new int[names.length];
        this.streams = new boolean[names.length];
        Arrays.fill(streams, true);
        this.rowDecoder = (json, off, len) -> decode(json, off, len, prefixes, kinds);
        this.keyDecoder = (json, off, len) -> decode(json, off, len, keyPrefixes, keyKinds);
    }

    private static byte[][] prefixes(String[] names) {
        return EventCodec.namePrefixes(names);
    }

    String qualifiedName() {
        return db + "." + table;
    }

    /** Describes a table from information_schema, or returns null when it does not exist. */
    static TablePlan describe(Connection conn, String db, String table) throws SQLException {
        InfoSchema.Table t = InfoSchema.describe(conn, db, table);
        if (t == null) {
            return null;
        }
        List<InfoSchema.Column> cols = t.columns();
        String[] names = new String[cols.size()];
        Kind[] kinds = new Kind[cols.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = cols.get(i).name();
            kinds[i] = kind(cols.get(i));
        }
        int[] key = new int[t.keyColumns().size()];
        for (int k = 0; k < key.length; k++) {
            key[k] = -1;
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(t.keyColumns().get(k))) {
                    key[k] = i;
                }
            }
        }
        boolean keyKnown = Arrays.stream(key).allMatch(k -> k >= 0);
        return new TablePlan(
                db, table, names, key, kinds, CoreSchemas.of(db, table, cols, keyKnown ? key : new int[0], 0));
    }

    private static Kind kind(InfoSchema.Column c) {
        if (SqlTypes.isBytes(c.dataType())) {
            return Kind.BYTES;
        }
        return switch (c.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer" -> Kind.INT;
            case "bigint" -> c.unsigned() ? Kind.UINT64 : Kind.INT;
            case "decimal", "numeric" -> Kind.DECIMAL;
            case "float" -> Kind.FLOAT;
            case "double", "real", "double precision" -> Kind.DOUBLE;
            case "bit", "year" -> Kind.NUMBER;
            case "date" -> Kind.DATE;
            case "datetime" -> Kind.DATETIME;
            case "timestamp" -> Kind.TIMESTAMP;
            case "time" -> Kind.TIME;
            case "json" -> Kind.JSON; // MySQL's native type; MariaDB reports its alias as longtext
            case "enum", "set" -> Kind.LABEL;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" ->
                c.charset() == null || "binary".equals(c.charset()) ? Kind.BYTES : Kind.TEXT;
            default -> Kind.TEXT; // inet4, inet6, uuid and other types SELECT shows as text
        };
    }

    private static String expression(String col, Kind kind) {
        return switch (kind) {
            case DATE, DATETIME, TIMESTAMP, TIME -> "CAST(" + col + " AS CHAR)";
            case NUMBER -> "CAST(" + col + " AS UNSIGNED)";
            default -> col;
        };
    }

    /** The statement reading the first chunk ({@code bounded} false) or a chunk after a lower bound. */
    String chunkSql(boolean bounded, String filter) {
        StringBuilder sql =
                new StringBuilder("SELECT ").append(selectList).append(" FROM ").append(from);
        List<String> where = new ArrayList<>();
        if (bounded) {
            // (k1, k2, ...) > (?, ?, ...) spelt out, which the range optimizer reads as ranges of the key
            StringBuilder or = new StringBuilder("(");
            for (int k = 0; k < key.length; k++) {
                or.append(k == 0 ? "(" : " OR (");
                for (int j = 0; j < k; j++) {
                    or.append(SignalTable.quote(keyNames[j])).append(" = ? AND ");
                }
                or.append(SignalTable.quote(keyNames[k])).append(" > ?)");
            }
            where.add(or.append(")").toString());
        }
        if (filter != null && !filter.isBlank()) {
            where.add("(" + filter + ")");
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        if (key.length > 0) {
            sql.append(" ORDER BY ");
            for (int k = 0; k < key.length; k++) {
                sql.append(k == 0 ? "" : ", ").append(SignalTable.quote(keyNames[k]));
            }
        }
        return sql.toString();
    }

    /**
     * Reads and renders the chunk after {@code lastKey} (null: from the start) as the rows arrive: the server sends
     * the rest of the chunk while the first rows render, as a plain streamed read lets it.
     */
    Chunk readChunk(Connection conn, String lastKey, String filter, int limit, String idPrefix) throws SQLException {
        try (PreparedStatement ps = chunkStatement(conn, lastKey, filter, limit, ResultSet.TYPE_FORWARD_ONLY)) {
            ps.setFetchSize(STREAM_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                RenderedRows rows = renderAll(rs, idPrefix, limit);
                int n = rows.size();
                return new Chunk(rows, n == 0 ? lastKey : rows.keyJson(n - 1), n < limit, null);
            }
        }
    }

    /** The chunk query after {@code lastKey} (null: from the start), its bound bound. */
    private PreparedStatement chunkStatement(Connection conn, String lastKey, String filter, int limit, int type)
            throws SQLException {
        String sql = chunkSql(lastKey != null, filter) + " LIMIT " + limit;
        PreparedStatement ps = conn.prepareStatement(sql, type, ResultSet.CONCUR_READ_ONLY);
        try {
            if (lastKey != null) {
                JsonNode bound = parse(lastKey);
                int p = 1;
                for (int k = 0; k < key.length; k++) {
                    for (int j = 0; j <= k; j++) {
                        bind(ps, p++, kinds[key[j]], bound.get(keyNames[j]));
                    }
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Rows the driver reads from the socket at a time while a chunk streams in. */
    private static final int STREAM_ROWS = 1024;

    /** Takes the full parts of a whole-table read as they are rendered. */
    interface Parts {
        /** A part's rows; returns false to stop the read (the chunk is gone, or the pipeline stops). */
        boolean take(RenderedRows part) throws InterruptedException;
    }

    /**
     * Reads every row (within the filter) in one statement, streamed, the caller holding the transaction: the rows
     * are rendered in parts of about {@code partBytes} and at most {@code partRows} rows, each full part handed to
     * {@code parts} as soon as it is rendered (so a table of any size takes a few parts of memory). Returns the last
     * part (possibly empty), or null when {@code parts} stopped the read.
     */
    RenderedRows readAll(Connection conn, String filter, String idPrefix, long partBytes, int partRows, Parts parts)
            throws SQLException, InterruptedException {
        try (PreparedStatement ps = conn.prepareStatement(
                chunkSql(false, filter), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(STREAM_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                int expected = (int) Math.max(16, Math.min(partRows, partBytes / Math.max(1, bytesPerRow)));
                RenderedRows rows = newRows(idPrefix, expected);
                while (rs.next()) {
                    render(rs, rows);
                    if (rows.bytes() >= partBytes || rows.size() >= partRows) {
                        if (!parts.take(finish(rows))) {
                            return null;
                        }
                        rows = newRows(idPrefix, expected);
                    }
                }
                return finish(rows);
            }
        }
    }

    private RenderedRows newRows(String idPrefix, int expectedRows) {
        int expected = Math.min(expectedRows, 65_536);
        return new RenderedRows(idPrefix, key.length > 0, expected, (int)
                Math.min(RenderedRows.SEGMENT, (long) expected * bytesPerRow));
    }

    /** Renders the rest of the result set; {@code expectedRows} sizes the arena (at the last chunk's row width). */
    private RenderedRows renderAll(ResultSet rs, String idPrefix, int expectedRows) throws SQLException {
        RenderedRows rows = newRows(idPrefix, expectedRows);
        while (rs.next()) {
            render(rs, rows);
        }
        return finish(rows);
    }

    /** Ends the rows {@link #render} wrote: their rows decode their values with this plan's decoders. */
    RenderedRows finish(RenderedRows rows) {
        if (!rows.isEmpty()) {
            bytesPerRow = (int) Math.min(1 << 20, rows.bytes() / rows.size() + 16);
        }
        return rows.finish(names, rowDecoder, keyNames, keyDecoder);
    }

    /**
     * Renders the result set's current row into the arena: its JSON, its key's compact JSON, its id. A row whose
     * values are all plain (NULL, integers, text that is printable ASCII without {@code "} and {@code \}, DECIMAL
     * and temporal text) is written straight from the driver's values, with the column names' prefixes encoded
     * once, and its key from the same value bytes: no {@link Row}, boxed value or generator per row. Any other row
     * goes the generic way ({@link #row}, {@link EventCodec}, {@link #keyJson}), so the bytes are the same either way.
     */
    void render(ResultSet rs, RenderedRows out) throws SQLException {
        out.beginRow();
        if (direct && renderPlain(rs, out)) {
            out.put((byte) '}');
            out.endAfter();
            for (int k = 0; k < key.length; k++) {
                out.put(keyPrefixes[k]);
                out.copy(valueFrom[key[k]], valueTo[key[k]]);
            }
            if (key.length > 0) {
                out.put((byte) '}');
            }
            out.endRow(null, null);
            return;
        }
        out.rewindRow();
        Row row = row(rs);
        out.put(EventCodec.renderRow(row));
        out.endAfter();
        Row k = keyOf(row);
        if (k != null) {
            out.put(keyJson(k).getBytes(StandardCharsets.UTF_8));
        }
        out.endRow(row, k);
    }

    /** Writes the row's JSON but its closing brace when every value is plain; false when one is not. */
    private boolean renderPlain(ResultSet rs, RenderedRows out) throws SQLException {
        Kind[] ks = kinds;
        for (int i = 0; i < ks.length; i++) {
            out.put(prefixes[i]);
            valueFrom[i] = out.position();
            int c = i + 1;
            switch (ks[i]) {
                case INT -> {
                    long l = rs.getLong(c);
                    if (rs.wasNull()) {
                        out.putNull();
                    } else {
                        out.putLong(l);
                    }
                }
                case TEXT, DATE, TIME -> {
                    if (!putText(rs, c, out)) {
                        return false;
                    }
                }
                case DATETIME, TIMESTAMP -> {
                    int at = out.position();
                    if (!putText(rs, c, out)) {
                        return false;
                    }
                    if (!rs.wasNull()) {
                        out.replace(at, (byte) ' ', (byte) 'T');
                        if (ks[i] == Kind.TIMESTAMP) {
                            out.extendString((byte) 'Z');
                        }
                    }
                }
                case DECIMAL -> {
                    String s = rs.getString(c);
                    if (s == null) {
                        out.putNull();
                    } else if (!out.putString(s)) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
            valueTo[i] = out.position();
        }
        return true;
    }

    /**
     * Writes column {@code c}'s value as a JSON string, or null; returns false, having written nothing, when it is
     * not plain text. The value's bytes go from the driver's row buffer straight into the arena: the MariaDB driver
     * gives a text column's stream as a {@code ByteArrayInputStream} over that buffer, whose {@code transferTo} hands
     * the buffer itself to the arena's stream (no {@code byte[]} of the value is made, and the plain-text test runs
     * as the bytes are copied). Any other stream gives the same bytes, only with a copy more. A column the driver
     * gives no stream of (it answers with a data exception) is read with {@code getBytes} from then on.
     */
    private boolean putText(ResultSet rs, int c, RenderedRows out) throws SQLException {
        if (streams[c - 1]) {
            InputStream in;
            try {
                in = rs.getBinaryStream(c);
            } catch (SQLDataException e) {
                streams[c - 1] = false;
                return putText(rs, c, out);
            }
            if (in == null) {
                out.putNull();
                return true;
            }
            out.openString();
            try {
                in.transferTo(out.text());
            } catch (IOException e) {
                out.closeString();
                throw new SQLException(
                        "reading the value of column " + names[c - 1] + " of " + qualifiedName() + " failed: "
                                + e.getMessage(),
                        e);
            }
            return out.closeString();
        }
        byte[] b = rs.getBytes(c);
        if (b == null) {
            out.putNull();
            return true;
        }
        return out.putString(b, b.length);
    }

    /**
     * The values of a row {@link #renderPlain} wrote, decoded from its JSON ({@code json[off, off + len)}) as
     * {@link #value} reads them: the JSON holds only what that wrote (null, integers, strings without escapes).
     */
    static Object[] decode(byte[] json, int off, int len, byte[][] prefixes, Kind[] kinds) {
        Object[] values = new Object[kinds.length];
        int p = off;
        for (int i = 0; i < kinds.length; i++) {
            p += prefixes[i].length;
            byte c = json[p];
            if (c == 'n') {
                p += 4;
            } else if (c == '"') {
                int q = p + 1;
                while (json[q] != '"') {
                    q++;
                }
                values[i] = kinds[i] == Kind.TEXT
                        ? AsciiText.ofSafe(Arrays.copyOfRange(json, p + 1, q), q - p - 1)
                        : typed(kinds[i], new String(json, p + 1, q - p - 1, StandardCharsets.US_ASCII));
                p = q + 1;
            } else {
                int q = p;
                while (json[q] != ',' && json[q] != '}') {
                    q++;
                }
                values[i] = Long.parseLong(new String(json, p, q - p, StandardCharsets.US_ASCII));
                p = q;
            }
        }
        if (p != off + len - 1 || json[p] != '}') {
            throw new IllegalStateException(
                    "not a row's JSON as rendered: " + new String(json, off, len, StandardCharsets.UTF_8));
        }
        return values;
    }

    /**
     * A key as compact JSON, as {@link EventCodec#compact} writes it (used in ids and to match binlog keys): integer
     * keys under plain column names are written directly, everything else through the codec.
     */
    static String keyJson(Row key) {
        StringBuilder sb = new StringBuilder(32).append('{');
        for (int k = 0; k < key.size(); k++) {
            Object v = key.value(k);
            String n = key.name(k);
            if (!(v instanceof Long || v instanceof Integer) || !plainName(n)) {
                return EventCodec.compact(key);
            }
            sb.append(k == 0 ? "\"" : ",\"").append(n).append("\":").append(v);
        }
        return sb.append('}').toString();
    }

    private static boolean plainName(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    Row keyOf(Row row) {
        if (key.length == 0) {
            return null;
        }
        Object[] values = new Object[key.length];
        for (int k = 0; k < key.length; k++) {
            values[k] = row.value(key[k]);
        }
        return new Row(keyNames, values);
    }

    /** The result set's current row, read value by value the generic way (not rendered). */
    Row row(ResultSet rs) throws SQLException {
        Object[] values = new Object[names.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(rs, i + 1, kinds[i]);
        }
        return new Row(names, values);
    }

    private static Object value(ResultSet rs, int i, Kind kind) throws SQLException {
        switch (kind) {
            case INT -> {
                // a number from the binary protocol, not its text parsed back
                long l = rs.getLong(i);
                return rs.wasNull() ? null : l;
            }
            case FLOAT -> {
                float f = rs.getFloat(i);
                return rs.wasNull() ? null : f;
            }
            case DOUBLE -> {
                double d = rs.getDouble(i);
                return rs.wasNull() ? null : d;
            }
            case BYTES -> {
                byte[] b = rs.getBytes(i);
                return b == null ? null : Bytes.adopt(b);
            }
            case TEXT -> {
                // the connection's character set is utf8mb4: printable ASCII is kept as its bytes, as the binlog
                // decoders keep it, so the codec copies it without decoding and re-encoding
                byte[] b = rs.getBytes(i);
                if (b == null) {
                    return null;
                }
                AsciiText a = AsciiText.ofSafe(b, b.length);
                return a != null ? a : new String(b, StandardCharsets.UTF_8);
            }
            default -> {}
        }
        String s = rs.getString(i);
        if (s == null) {
            return null;
        }
        return switch (kind) {
            case UINT64, NUMBER -> s.length() < 19 ? (Object) Long.parseLong(s) : unsigned(s);
            case JSON -> new JsonText(s);
            default -> typed(kind, s);
        };
    }

    /**
     * The typed value of a DECIMAL or temporal column from the server's text (or the contract's, which
     * {@link #decode} reads back); other kinds' text as it is.
     */
    private static Object typed(Kind kind, String s) {
        return switch (kind) {
            case DECIMAL -> new BigDecimal(s);
            case DATE -> DateValue.parse(s);
            case TIME -> TimeValue.parse(s);
            case DATETIME -> DateTimeValue.parse(s);
            case TIMESTAMP -> TimestampValue.parse(s);
            default -> s;
        };
    }

    private static Object unsigned(String s) {
        BigInteger b = new BigInteger(s);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private static void bind(PreparedStatement ps, int p, Kind kind, JsonNode v) throws SQLException {
        if (v == null || v.isNull()) {
            ps.setNull(p, java.sql.Types.NULL);
            return;
        }
        switch (kind) {
            case INT, UINT64, NUMBER -> ps.setBigDecimal(p, new BigDecimal(v.bigIntegerValue()));
            case DECIMAL -> ps.setBigDecimal(p, new BigDecimal(v.asText()));
            case FLOAT -> ps.setFloat(p, (float) v.doubleValue());
            case DOUBLE -> ps.setDouble(p, v.doubleValue());
            case BYTES -> ps.setBytes(p, Base64.getDecoder().decode(v.asText()));
            case DATETIME -> ps.setString(p, v.asText().replace('T', ' '));
            case TIMESTAMP -> ps.setString(p, v.asText().replace('T', ' ').replace("Z", ""));
            default -> ps.setString(p, v.asText());
        }
    }

    private static JsonNode parse(String json) {
        try {
            return CheckpointCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the checkpointed snapshot key is not JSON: " + json, e);
        }
    }

    /**
     * Rows read for one chunk.
     *
     * @param rows     the rows, in key order, rendered
     * @param lastKey  the compact key JSON of the last row (the next chunk's lower bound)
     * @param last     true when the table has no more rows after this chunk
     * @param position for a whole-table read: the binlog position it is consistent with ({@code file:pos}), else null
     */
    record Chunk(RenderedRows rows, String lastKey, boolean last, io.sluice.core.checkpoint.BinlogPosition position) {}
}
