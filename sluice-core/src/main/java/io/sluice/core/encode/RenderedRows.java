package io.sluice.core.encode;

import io.sluice.core.event.Row;
import io.sluice.core.schema.Column;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one snapshot chunk, rendered as they are read, so that {@link EventBodies#event(RenderedRows, int,
 * int)} makes each row's {@code r} event from a few array copies. A byte arena holds, per row and in this order:
 * the after image's JSON (exactly what {@link EventCodec} writes for the row), the key's compact JSON (exactly
 * {@link EventCodec#compact}) and the rest of the event's id after the chunk's shared prefix (the key JSON), quoted
 * as in a JSON string, without its opening quote and with its closing one. Besides, per row: the id, and once
 * {@link #finish finished}, the key and after image as {@link Row}s over the arena (their values decoded when first
 * asked for) or, for rows rendered the generic way, over their values.
 *
 * <p>One thread fills it: per row {@link #beginRow}, the after JSON through the {@code put} methods (or
 * {@link #rewindRow} to start the row again), {@link #endAfter}, the key JSON, {@link #endRow}; then
 * {@link #finish}. After that it does not change, and is handed to the thread that emits the events. A table
 * without a key has rows without key and id ({@link #keyed} false): their ids are numbered when emitted.
 */
public final class RenderedRows {
    /**
     * Reads a row's values back from what the reader put in the arena for it ({@code json[off, off + len)}, the
     * row's JSON): the values of a row made without them, when they are asked for.
     */
    @FunctionalInterface
    public interface Decoder {
        Object[] decode(byte[] json, int off, int len);
    }

    private static final String[] NO_NAMES = {};
    private static final Decoder NO_DECODER = (json, off, len) -> {
        throw new IllegalStateException("no rows");
    };

    private final String idPrefix;
    private final boolean keyed;
    /** Rows fill one arena up to this size; beyond it the next row starts a new one (a whole table read at once). */
    public static final int SEGMENT = 16 << 20;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** The arena being written, and where the next byte goes. */
    private byte[] buf;

    private int at;
    /** Where the current row starts in {@link #buf}; positions handed out are relative to it. */
    private int rowStart;
    /** How many of the current row's marks are set (they move with the row when it moves to a new arena). */
    private int marked;
    /** Per row: the arena holding it. */
    private byte[][] arenas;
    /** Bytes of all rows. */
    private long bytes;

    private int count;
    /** Per row: where its after JSON, key JSON, quoted id rest start and where the row ends. */
    private int[] marks;
    /** Per row: the after image and key of a row rendered the generic way (their values known), else null. */
    private Row[] afters;

    private Row[] keys;
    /**
     * Per row: the after image and key over the arena, made when first asked for: a sink that copies the rows'
     * bytes ({@link EventRun}) never needs them. Reads after {@link #finish} may come from the thread the rows were
     * handed to and then another it handed them on to; a slot made twice by a race holds equal rows.
     */
    private Row[] afterRows;

    private Row[] keyRows;
    private String[] names;
    private String[] keyNames;
    private Decoder afterDecoder;
    private Decoder keyDecoder;
    private boolean finished;

    /**
     * @param idPrefix the start every id of the chunk shares ({@code <name>:snapshot:<run>:<db>.<table>:})
     * @param keyed    whether the rows have a key (and so an id made of it)
     * @param rows     the rows expected (room for more is made as needed)
     * @param capacity the arena's first size in bytes (it grows as needed)
     */
    public RenderedRows(String idPrefix, boolean keyed, int rows, int capacity) {
        this.idPrefix = idPrefix;
        this.keyed = keyed;
        this.buf = new byte[Math.min(Math.max(capacity, 64), SEGMENT)];
        rows = Math.max(rows, 16);
        this.marks = new int[4 * rows];
        this.arenas = new byte[rows][];
        this.afters = new Row[rows];
        this.keys = keyed ? new Row[rows] : null;
    }

    /** No rows. */
    public static RenderedRows empty(String idPrefix) {
        return new RenderedRows(idPrefix, false, 0, 0).finish(NO_NAMES, NO_DECODER, null, null);
    }

    // ---- filling ----

    /** Starts the next row. */
    public void beginRow() {
        int m = 4 * count;
        if (m + 4 > marks.length) {
            int rows = 2 * count;
            marks = Arrays.copyOf(marks, 4 * rows);
            afters = Arrays.copyOf(afters, rows);
            arenas = Arrays.copyOf(arenas, rows);
            if (keyed) {
                keys = Arrays.copyOf(keys, rows);
            }
        }
        marks[m] = at;
        rowStart = at;
        marked = 1;
    }

    /** Drops what was written of the current row, to write it again from its start. */
    public void rewindRow() {
        at = rowStart;
        marked = 1;
    }

    /** The write position in the current row: where its next byte goes, counted from the row's start. */
    public int position() {
        return at - rowStart;
    }

    /** Bytes of the rows so far (JSON, key JSON and quoted id rest). */
    public long bytes() {
        return bytes;
    }

    /**
     * Makes room for {@code n} more bytes: the arena doubles, or when that would take it past {@link #SEGMENT}, the
     * current row moves to a new arena (rows never span two; an arena is only larger than that for one huge row).
     */
    private void ensure(int n) {
        // small enough for C1 to inline: the common case costs a comparison, not a call
        if (at + n > buf.length || at + n < 0) {
            grow(n);
        }
    }

    private void grow(int n) {
        if ((long) at + n <= buf.length) {
            return;
        }
        int rowLen = at - rowStart;
        if (rowStart > 0 && (long) at + n > SEGMENT) {
            byte[] next = new byte[(int) Math.min(MAX_ARRAY, Math.max(SEGMENT, (long) rowLen + 2L * n))];
            System.arraycopy(buf, rowStart, next, 0, rowLen);
            int m = 4 * count;
            for (int k = 0; k < marked; k++) {
                marks[m + k] -= rowStart;
            }
            buf = next;
            at = rowLen;
            rowStart = 0;
            return;
        }
        long need = (long) at + n;
        if (need > MAX_ARRAY) {
            throw new IllegalStateException("a row of more than 2 GiB of JSON cannot be rendered");
        }
        // one row alone in its arena doubles it as it grows; else the arena stays within a segment (checked above)
        long size = Math.max(need, rowStart == 0 ? 2L * buf.length : Math.min(2L * buf.length, SEGMENT));
        buf = Arrays.copyOf(buf, (int) Math.min(size, MAX_ARRAY));
    }

    public void put(byte b) {
        if (at == buf.length) {
            ensure(1);
        }
        buf[at++] = b;
    }

    public void put(byte[] b) {
        put(b, 0, b.length);
    }

    public void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, at, len);
        at += len;
    }

    /** Appends a copy of the current row's bytes {@code [from, to)} (positions as {@link #position} gives them). */
    public void copy(int from, int to) {
        ensure(to - from);
        System.arraycopy(buf, rowStart + from, buf, at, to - from);
        at += to - from;
    }

    public void putNull() {
        ensure(4);
        byte[] b = buf;
        int i = at;
        b[i] = 'n';
        b[i + 1] = 'u';
        b[i + 2] = 'l';
        b[i + 3] = 'l';
        at = i + 4;
    }

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    /** "00", "01", ... "99": two digits per division (the C1 compiler divides by a constant with a division). */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** A number in decimal, as the generator writes a long. */
    public void putLong(long v) {
        ensure(20);
        at = putLong(buf, at, v);
    }

    /** Writes {@code v} in decimal (as the generator writes a long) at {@code b[i]}, room for 20 bytes; returns the end. */
    static int putLong(byte[] b, int i, long v) {
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, b, i, MIN_LONG.length);
            return i + MIN_LONG.length;
        }
        if (v < 0) {
            b[i++] = '-';
            v = -v;
        }
        if (v <= Integer.MAX_VALUE) {
            return putInt(b, i, (int) v);
        }
        int n = 10;
        for (long t = v / 10_000_000_000L; t > 0; t /= 10) {
            n++;
        }
        int j = i + n;
        while (v >= 100) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            b[--j] = DIGIT_PAIRS[2 * r + 1];
            b[--j] = DIGIT_PAIRS[2 * r];
            v = q;
        }
        int r = (int) v;
        if (r >= 10) {
            b[--j] = DIGIT_PAIRS[2 * r + 1];
            b[--j] = DIGIT_PAIRS[2 * r];
        } else {
            b[--j] = (byte) ('0' + r);
        }
        return i + n;
    }

    /** Writes {@code v >= 0} in decimal at {@code b[i]}; returns where it ends. */
    static int putInt(byte[] b, int i, int v) {
        int n = v < 10
                ? 1
                : v < 100
                        ? 2
                        : v < 1000
                                ? 3
                                : v < 10_000
                                        ? 4
                                        : v < 100_000
                                                ? 5
                                                : v < 1_000_000
                                                        ? 6
                                                        : v < 10_000_000
                                                                ? 7
                                                                : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
        int end = i + n;
        int j = end;
        while (v >= 100) {
            int q = (int) ((v * 1_374_389_535L) >>> 37); // v / 100 for every int v >= 0, without a division
            int r = v - q * 100;
            b[--j] = DIGIT_PAIRS[2 * r + 1];
            b[--j] = DIGIT_PAIRS[2 * r];
            v = q;
        }
        if (v >= 10) {
            b[--j] = DIGIT_PAIRS[2 * v + 1];
            b[--j] = DIGIT_PAIRS[2 * v];
        } else {
            b[--j] = (byte) ('0' + v);
        }
        return end;
    }

    /**
     * The first {@code len} bytes as a JSON string ({@code "} + bytes + {@code "}) when all are printable ASCII other
     * than {@code "} and {@code \\} (the generator writes such a string as they are; see {@link AsciiText}). Returns
     * false otherwise, having written nothing: the row is then written again the generic way.
     */
    public boolean putString(byte[] bytes, int len) {
        openString();
        appendText(bytes, 0, len);
        return closeString();
    }

    /** Where the string {@link #openString} opened starts (its opening quote), or -1 when none is open. */
    private int stringAt = -1;
    /** Whether a byte of the open string was not plain. */
    private boolean stringBad;

    private final TextOut text = new TextOut();

    /** The stream of {@link #text()}: its writes append to the open string and throw no {@code IOException}. */
    public final class TextOut extends OutputStream {
        private TextOut() {}

        @Override
        public void write(int b) {
            byte[] one = {(byte) b};
            appendText(one, 0, 1);
        }

        @Override
        public void write(byte[] b) {
            appendText(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            appendText(b, off, len);
        }
    }

    /**
     * Opens a JSON string whose bytes then come through {@link #text()}, in as many writes as need be, and which
     * {@link #closeString} ends. Each byte is tested as it is copied in, in one pass ({@link #appendText}).
     */
    public void openString() {
        if (stringAt >= 0) {
            throw new IllegalStateException("a string is open already");
        }
        stringAt = at;
        stringBad = false;
        put((byte) '"');
    }

    /**
     * The stream the bytes of the string {@link #openString} opened are written to. A driver's
     * {@code ByteArrayInputStream} over its row buffer hands its bytes straight to it ({@code transferTo}), without
     * the copy a {@code byte[]} of the value costs.
     */
    public TextOut text() {
        return text;
    }

    /**
     * Closes the string {@link #openString} opened and returns true when all its bytes were plain; else removes
     * what was written of it and returns false (the row is then written again the generic way).
     */
    public boolean closeString() {
        int start = stringAt;
        if (start < 0) {
            throw new IllegalStateException("no string is open");
        }
        stringAt = -1;
        if (stringBad) {
            at = start;
            return false;
        }
        put((byte) '"');
        return true;
    }

    /**
     * Copies bytes of the open string into the arena and tests, in the same pass, that all are printable ASCII
     * ({@code 0x20..0x7E}) other than {@code "} and {@code \\}. Eight bytes at a time: a long of them is plain when no
     * byte has its high bit set, none is below 0x20 (subtracting 0x20 from each borrows nowhere and sets no high
     * bit), none is 0x7F (adding 1 to each sets no high bit) and none equals {@code "} or {@code \\} (the classic
     * zero-byte test on the long XOR the byte repeated). A borrow or carry that crosses into the next byte only starts
     * at a byte that fails anyway, so the verdict on the whole long is exact. The tests are ORed together and looked at
     * once at the end: no branch per word. Two to three times as fast as a loop over the bytes under the C1 compiler,
     * where this runs for most of a snapshot's text.
     */
    private void appendText(byte[] src, int off, int len) {
        if (stringAt < 0) {
            throw new IllegalStateException("no string is open");
        }
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        ensure(len + 1); // and its closing quote
        byte[] d = buf;
        int o = at;
        long seen = 0;
        int j = 0;
        for (int end = len - 7; j < end; j += 8) {
            long x = (long) LONGS.get(src, off + j);
            LONGS.set(d, o + j, x);
            long q = x ^ QUOTES;
            long s = x ^ BACKSLASHES;
            seen |= x | (x + ONES) | (x - SPACES) | (q - ONES) & ~q | (s - ONES) & ~s;
        }
        boolean bad = (seen & HIGH) != 0;
        for (; j < len; j++) {
            byte c = src[off + j];
            d[o + j] = c;
            bad |= c < 0x20 || c == '"' || c == '\\' || c == 0x7F; // negative bytes (non-ASCII) are below 0x20 too
        }
        at = o + len;
        stringBad |= bad;
    }

    /** Replaces each {@code from} byte by {@code to} in the current row from {@code position} ({@link #position}) on. */
    public void replace(int position, byte from, byte to) {
        byte[] b = buf;
        for (int i = rowStart + position; i < at; i++) {
            if (b[i] == from) {
                b[i] = to;
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    /** {@link #putString(byte[], int)} for a string's characters. */
    public boolean putString(String s) {
        int len = s.length();
        ensure(len + 2);
        byte[] b = buf;
        int i = at;
        b[i++] = '"';
        for (int j = 0; j < len; j++) {
            char c = s.charAt(j);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F) {
                return false;
            }
            b[i++] = (byte) c;
        }
        b[i++] = '"';
        at = i;
        return true;
    }

    /** Appends a printable ASCII byte other than {@code "} and {@code \} inside the string just written. */
    public void extendString(byte c) {
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7F || at == 0 || buf[at - 1] != '"') {
            throw new IllegalArgumentException("not a string's end, or not a plain character: " + c);
        }
        ensure(1);
        buf[at - 1] = c;
        buf[at++] = '"';
    }

    /** The after image's JSON ends here; the key's compact JSON follows (nothing for a table without a key). */
    public void endAfter() {
        marks[4 * count + 1] = at;
        marked = 2;
    }

    /**
     * Ends the row: from the key JSON written since {@link #endAfter}, its quoted id rest and its id.
     *
     * @param after the row when it was rendered the generic way (its JSON is then taken as the one written), or
     *              null when its values are to be decoded from the JSON if ever needed
     * @param key   likewise for the key (null for a table without a key)
     */
    public void endRow(Row after, Row key) {
        int m = 4 * count;
        marks[m + 2] = at;
        marked = 3;
        afters[count] = after;
        if (keyed) {
            keys[count] = key;
            quoteIdRest(m);
        }
        marks[m + 3] = at;
        arenas[count] = buf;
        bytes += at - rowStart;
        count++;
    }

    /** Writes row m/4's key JSON quoted (without the opening quote), the rest of its quoted id. */
    private void quoteIdRest(int m) {
        ensure(2 * (marks[m + 2] - marks[m + 1]) + 1);
        int from = marks[m + 1]; // after ensure, which may have moved the row
        int to = marks[m + 2];
        int len = to - from;
        byte[] b = buf;
        int i = at;
        for (int j = from; j < to; j++) {
            byte c = b[j];
            if (c < 0x20 || c == 0x7F) {
                // control or non-ASCII (negative) bytes: quoted by the encoder
                byte[] q = EventBodies.quote(new String(b, from, len, StandardCharsets.UTF_8));
                put(q, 1, q.length - 1);
                return;
            }
            if (c == '"' || c == '\\') {
                b[i++] = '\\';
            }
            b[i++] = c;
        }
        b[i++] = '"';
        at = i;
    }

    /**
     * Ends the filling: makes each row's after image and key as rows over the arena (with their values when they
     * were given, else decoded from the JSON by the decoders when first asked for). Returns this.
     */
    public RenderedRows finish(String[] names, Decoder afterDecoder, String[] keyNames, Decoder keyDecoder) {
        this.names = names;
        this.afterDecoder = afterDecoder;
        this.keyNames = keyNames;
        this.keyDecoder = keyDecoder;
        this.afterRows = new Row[count];
        this.keyRows = keyed ? new Row[count] : null;
        finished = true;
        return this;
    }

    // ---- reading (after finish) ----

    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Whether the rows have keys and ids; else both are null. */
    public boolean keyed() {
        return keyed;
    }

    /** The start all ids share. */
    public String idPrefix() {
        return idPrefix;
    }

    /** The i-th row's event id (the prefix and its key JSON), or null for a table without a key. */
    public String id(int i) {
        return keyed ? idPrefix.concat(keyJson(i)) : null;
    }

    /**
     * The i-th row's key, its JSON rendered, or null for a table without a key.
     *
     * @param columns the key's columns ({@link io.sluice.core.schema.TableSchema#keyColumns()}), in key order
     */
    public Row key(int i, List<Column> columns) {
        if (!keyed) {
            return null;
        }
        Row k = keyRows[checked(i)];
        if (k == null) {
            int m = 4 * i;
            int off = marks[m + 1];
            int len = marks[m + 2] - off;
            k = keys[i] != null
                    ? keys[i].withColumns(columns)
                    : deferred(keyNames, columns, arenas[i], off, len, keyDecoder);
            keyRows[i] = k;
        }
        return k;
    }

    /**
     * The i-th row's after image, its JSON rendered.
     *
     * @param columns the table's columns ({@link io.sluice.core.schema.TableSchema#columns()}), one per value
     */
    public Row after(int i, List<Column> columns) {
        Row a = afterRows[checked(i)];
        if (a == null) {
            int m = 4 * i;
            int off = marks[m];
            int len = marks[m + 1] - off;
            a = afters[i] != null
                    ? afters[i].withColumns(columns)
                    : deferred(names, columns, arenas[i], off, len, afterDecoder);
            afterRows[i] = a;
        }
        return a;
    }

    private static Row deferred(String[] names, List<Column> columns, byte[] arena, int off, int len, Decoder decoder) {
        return Row.deferred(names, columns, () -> decoder.decode(arena, off, len));
    }

    /** The i-th row's key as compact JSON ({@link EventCodec#compact}), or null for a table without a key. */
    public String keyJson(int i) {
        if (!keyed) {
            return null;
        }
        int m = 4 * checked(i);
        return new String(arenas[i], marks[m + 1], marks[m + 2] - marks[m + 1], StandardCharsets.UTF_8);
    }

    /** The i-th row's after image's JSON, as rendered (to check and to log). */
    public String afterJson(int i) {
        int m = 4 * checked(i);
        return new String(arenas[i], marks[m], marks[m + 1] - marks[m], StandardCharsets.UTF_8);
    }

    /** Bytes of the rows' after images' JSON, all together. */
    public long afterBytes() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += marks[4 * i + 1] - marks[4 * i];
        }
        return n;
    }

    private int checked(int i) {
        if (!finished) {
            throw new IllegalStateException("the rows are not finished");
        }
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }

    /** The arena holding row i. */
    byte[] arena(int i) {
        return arenas[i];
    }

    /** Row i's after, key and quoted-id-rest starts and its end are {@code marks()[4i .. 4i + 3]}. */
    int[] marks() {
        return marks;
    }
}
