package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.SourceInfo;

/**
 * Consecutive {@code r} events of one snapshot chunk, handed over as one item: the rows the chunk read (rendered as
 * read, {@link RenderedRows}), which of them are emitted, and the parts their events share ({@link EventBodies}).
 * Event {@code k} is row {@code picks[k]} as the chunk's {@code (firstRow + k)}-th event ({@code source.row}): a
 * chunk is one run, or (a whole-table read) several runs whose rows are numbered on from the one before.
 *
 * <p>A sink that writes bytes ({@code FileSink}) copies each event's JSON straight from the arena into its buffer
 * ({@link #render}); nothing per event is made on the way (no {@link ChangeEvent}, no body array, no id string). Any
 * other sink that writes JSON takes the events one by one encoded ({@link #encoded}), a typed one takes them typed
 * ({@link #event}); they equal, field for field and byte for byte, what {@link EventBodies} makes.
 */
public final class EventRun {
    private final EventBodies bodies;
    private final RenderedRows rows;
    private final int[] picks;
    private final int size;
    private final int firstRow;

    /**
     * @param bodies the shared parts (their id prefix the rows')
     * @param rows   the chunk's rows, with keys
     * @param picks  the indexes of the rows emitted, in order; only the first {@code size} count
     * @param size   how many events
     */
    public EventRun(EventBodies bodies, RenderedRows rows, int[] picks, int size) {
        this(bodies, rows, picks, size, 0);
    }

    /**
     * The run of a chunk's events after {@code firstRow} others of the same chunk (the other parameters as above).
     *
     * @param firstRow the {@code source.row} of the first event
     */
    public EventRun(EventBodies bodies, RenderedRows rows, int[] picks, int size, int firstRow) {
        bodies.checkRows(rows);
        if (size < 0 || size > picks.length) {
            throw new IllegalArgumentException("size " + size + " of " + picks.length + " picks");
        }
        if (firstRow < 0 || firstRow + size < 0) {
            throw new IllegalArgumentException("first row " + firstRow + " of " + size + " events");
        }
        this.bodies = bodies;
        this.rows = rows;
        this.picks = picks;
        this.size = size;
        this.firstRow = firstRow;
    }

    /** How many events. */
    public int size() {
        return size;
    }

    /** The source block the events share ({@code row} aside: event k's is {@code firstRow + k}). */
    public SourceInfo source() {
        return bodies.source();
    }

    /** Event k, typed, made as {@link EventBodies#event(RenderedRows, int, int)} makes it. */
    public ChangeEvent event(int k) {
        return bodies.event(rows, pick(k), firstRow + k);
    }

    /** Event k encoded whole, as {@link EventBodies#encoded(RenderedRows, int, int)} makes it. */
    public Encoded encoded(int k) {
        return bodies.encoded(rows, pick(k), firstRow + k);
    }

    /** The length of event k's body (its JSON up to its emit time). */
    public int bodyLength(int k) {
        return bodies.length(rows, pick(k), firstRow + k);
    }

    /** Writes event k's body into {@code into} at {@code at} (room for {@link #bodyLength} bytes); returns its end. */
    public int render(int k, byte[] into, int at) {
        return bodies.render(rows, pick(k), firstRow + k, into, at);
    }

    /**
     * The bytes every event body of the run ends with, followed by {@code then} (what the sink writes after each
     * body): for {@link #render(int, byte[], int, byte[])}.
     */
    public byte[] ending(byte[] then) {
        return bodies.ending(then);
    }

    /**
     * Writes event k's body into {@code into} at {@code at} as {@link #render(int, byte[], int)} does, but with
     * {@code ending} (from {@link #ending}) in place of its last bytes; room for {@link #bodyLength} bytes and what
     * the ending adds is needed. Returns where it ends.
     */
    public int render(int k, byte[] into, int at, byte[] ending) {
        return bodies.render(rows, pick(k), firstRow + k, into, at, ending);
    }

    private int pick(int k) {
        if (k < 0 || k >= size) {
            throw new IndexOutOfBoundsException("event " + k + " of " + size);
        }
        return picks[k];
    }
}
