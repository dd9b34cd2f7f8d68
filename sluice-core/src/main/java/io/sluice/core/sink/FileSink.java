package io.sluice.core.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.nio.file.ExtendedOpenOption;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.state.CheckpointFile;
import io.sluice.core.state.Durability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once JSON Lines into size-rotated segment files {@code events-000000000001.jsonl}, … (names sort in
 * write order).
 *
 * <p><b>Durability.</b> {@link #commit} remembers the byte position (segment, length) the checkpoint covers.
 * {@link #flush} pushes the buffers out, fsyncs every segment written since the last flush, and only then
 * atomically replaces {@code checkpoint.json} ({@link CheckpointFile}) with {segment, length, checkpoint}. So the
 * checkpoint never points past durable data.
 *
 * <p><b>Recovery.</b> {@link #open} truncates the checkpoint's segment to its recorded length and deletes later
 * segments: whatever lies past the checkpoint is the uncommitted tail of a crashed or failed run. The first open
 * of an empty output directory writes a state document with no checkpoint (segment 1, length 0), so a crash before
 * the first commit is recovered the same way. Segment files without any state document come from an unknown run
 * and are refused rather than mixed with new data.
 *
 * <p><b>Direct I/O.</b> Unless {@link FileSinkConfig#directIo()} is off, whole blocks of the segments are written with
 * {@code O_DIRECT}, past the page cache (see {@link ChannelOut}); where the file system refuses that, the sink logs
 * a warning and writes through the page cache. The files' bytes are the same either way.
 *
 * <p>A reader tailing the files live may see bytes that a crash later cuts off; a reader that wants committed data
 * only reads up to the segment and length {@code checkpoint.json} names.
 */
final class FileSink implements RunSink {
    static final String KIND = "file";
    /** Write buffer per segment: 1 MiB direct writes cost half the kernel time of 256 KiB ones (BENCHMARKS.md). */
    static final int BUFFER_BYTES = 1 << 20;

    private static final int SCRATCH_BYTES = 64 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);
    private static final Pattern SEGMENT = Pattern.compile("events-(\\d{12})\\.jsonl");

    private static final class Segment {
        final long index;
        final Path path;
        final FileChannel channel;
        final ChannelOut out;
        final JsonGenerator gen;
        /** The file's identity when it was opened ({@link #fileKey}). */
        final Object key;

        long length;

        Segment(long index, Path path, FileChannel channel, ChannelOut out, long length, Object key) {
            this.index = index;
            this.path = path;
            this.channel = channel;
            this.out = out;
            this.gen = EventCodec.generator(out);
            this.length = length;
            this.key = key;
        }

        void close() {
            closeQuietly(channel);
            try {
                out.close();
            } catch (IOException ignored) {
                // closing after a failure or when discarding: nothing to save
            }
        }
    }

    /**
     * One directory's run of segments: the output directory's own (events no rule routed) or a route's
     * sub-directory (events a rule routed there). Touched by the pipeline's thread only.
     */
    private static final class Lane {
        /** The route, null for the output directory's own lane. */
        final String route;

        final Path dir;
        /** Where the next event goes while no segment is open. */
        long segIndex;

        long segLength;
        Segment current;
        /** Segments rotated away since the last flush: still to be fsynced, then closed. */
        final List<Segment> retired = new ArrayList<>();

        Lane(String route, Path dir) {
            this.route = route;
            this.dir = dir;
        }

        /** How far this lane's data goes now. */
        Mark mark() {
            return current != null
                    ? new Mark(current.path.getFileName().toString(), current.length)
                    : new Mark(segmentName(segIndex), segLength);
        }
    }

    /** A position in a lane: segment file name and committed length. */
    private record Mark(String segment, long length) {}

    private record Pending(Mark root, Map<String, Mark> routes, Checkpoint checkpoint) {}

    /** Route names the sink takes as sub-directory names: Sluice's own directories start with '_'. */
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Path dir;
    private final long segmentBytes;
    private final Clock clock;
    private final Durability durability;
    private final CheckpointFile state;
    /** Whole blocks of the segments go past the page cache ({@link ChannelOut}); off once the file system refused. */
    private boolean directIo;
    /** Alignment of direct writes: the file system's block size. */
    private int block;

    private boolean opened;
    private volatile boolean broken;
    /** Makes flushes durable while the pipeline's thread writes on ({@link #flush}); made on first use. */
    private java.util.concurrent.ExecutorService flusher;
    /** The flush in flight, or null. */
    private java.util.concurrent.Future<?> inflight;
    /** The output directory's own segments. */
    private final Lane root;
    /** The routes' sub-directories, by route. */
    private final Map<String, Lane> routes = new TreeMap<>();

    private Pending pending;
    /** Where {@link #write(EventRun)} puts events together before they go to the segment's buffer. */
    private byte[] scratch = new byte[SCRATCH_BYTES];

    FileSink(FileSinkConfig config, Clock clock, Durability durability) {
        this.dir = config.dir();
        this.segmentBytes = config.segmentBytes();
        this.clock = clock;
        this.durability = durability;
        this.state = new CheckpointFile(config.stateDir(), KIND, durability);
        this.directIo = config.directIo();
        this.root = new Lane(null, dir);
    }

    static String segmentName(long index) {
        return String.format("events-%012d.jsonl", index);
    }

    @Override
    public Optional<Checkpoint> open() throws IOException {
        settleInflight();
        closeFiles();
        opened = false;
        broken = false;
        pending = null;
        createDirectories(dir);
        createDirectories(state.path().getParent());
        block = blockSize(dir);
        Optional<CheckpointFile.Stored> stored = state.readDocument();
        Checkpoint cp = null;
        if (stored.isPresent()) {
            CheckpointFile.Stored s = stored.get();
            String name = s.text("segment");
            long length = s.number("length");
            Matcher m = SEGMENT.matcher(name);
            if (!m.matches()) {
                throw SluiceException.fatal(
                        "checkpoint file " + s.file() + " is corrupt: '" + name + "' is not a segment file name");
            }
            recover(root, Long.parseLong(m.group(1)), length, s.file());
            recoverRoutes(s);
            cp = s.checkpoint();
        } else {
            startEmpty();
        }
        durability.forceDirectory(dir);
        opened = true;
        return Optional.ofNullable(cp);
    }

    /**
     * The routes' lanes as the checkpoint names them, each cut back to its committed length; a sub-directory's
     * segments that no checkpoint covers (a route first written after the last checkpoint) are deleted.
     */
    private void recoverRoutes(CheckpointFile.Stored s) throws IOException {
        routes.clear();
        com.fasterxml.jackson.databind.JsonNode committed = s.doc().path("routes");
        for (var it = committed.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getValue().path("segment").asText();
            Matcher m = SEGMENT.matcher(name);
            if (!ROUTE.matcher(e.getKey()).matches() || !m.matches()) {
                throw SluiceException.fatal("checkpoint file " + s.file() + " is corrupt: route '" + e.getKey()
                        + "' names '" + name + "', not a segment file name");
            }
            Lane lane = new Lane(e.getKey(), dir.resolve(e.getKey()));
            createDirectories(lane.dir);
            recover(
                    lane,
                    Long.parseLong(m.group(1)),
                    e.getValue().path("length").asLong(),
                    s.file());
            routes.put(lane.route, lane);
        }
        for (Path sub : routeDirectories()) {
            if (!routes.containsKey(sub.getFileName().toString())) {
                for (Path p : segments(sub).values()) {
                    delete(p);
                }
            }
        }
    }

    /** Sub-directories of the output directory that may be routes' (Sluice's own start with '_'). */
    private List<Path> routeDirectories() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isDirectory)
                    .filter(p -> ROUTE.matcher(p.getFileName().toString()).matches())
                    .toList();
        } catch (IOException e) {
            throw new IOException("cannot list output directory " + dir + ": " + describe(e), e);
        }
    }

    /** Cuts a lane back to (index, length): truncates that segment, deletes every later one. */
    private void recover(Lane lane, long index, long length, Path stateFile) throws IOException {
        for (var e : segments(lane.dir).tailMap(index, false).entrySet()) {
            delete(e.getValue());
        }
        Path path = lane.dir.resolve(segmentName(index));
        if (Files.exists(path)) {
            long size = Files.size(path);
            if (size < length) {
                throw SluiceException.fatal(
                        stateFile + " says " + path + " holds " + length + " committed bytes, but it" + " holds only "
                                + size + ": the output was changed outside Sluice or lost data");
            }
            if (size > length) {
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(length);
                    durability.force(ch, path);
                } catch (IOException e) {
                    throw new IOException(
                            "cannot truncate " + path + " to its committed length " + length + ": " + describe(e), e);
                }
            }
        } else if (length > 0) {
            throw SluiceException.fatal(stateFile + " says " + path + " holds " + length + " committed bytes, but the"
                    + " file is missing: the output was changed outside Sluice");
        }
        lane.segIndex = index;
        lane.segLength = length;
    }

    /** No state yet: the output must hold no data; claim it with a state document that has no checkpoint. */
    private void startEmpty() throws IOException {
        List<Path> leftovers = new ArrayList<>(segments(dir).values());
        for (Path sub : routeDirectories()) {
            leftovers.addAll(segments(sub).values());
        }
        List<String> nonEmpty = new ArrayList<>();
        for (Path p : leftovers) {
            if (Files.size(p) > 0) {
                nonEmpty.add(dir.relativize(p).toString());
            }
        }
        if (!nonEmpty.isEmpty()) {
            throw SluiceException.fatal("output directory " + dir + " holds segment files " + nonEmpty
                    + " but there is no "
                    + state.path() + ": they come from an unknown run. Move them away (or point the sink to an empty"
                    + " directory) rather than mixing them with new data.");
        }
        for (Path p : leftovers) {
            delete(p);
        }
        routes.clear();
        root.segIndex = 1;
        root.segLength = 0;
        String first = segmentName(1);
        state.write(null, doc -> {
            doc.put("segment", first);
            doc.put("length", 0L);
        });
    }

    @Override
    public long write(Encoded event) throws IOException {
        ensureUsable();
        Segment seg;
        try {
            seg = segmentForNextEvent(lane(event.event()));
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
        // bytes so far = what reached the stream + what the generator still buffers (flushed at flush())
        long before = seg.out.count() + seg.gen.getOutputBuffered();
        try {
            long now = clock.millis();
            if (event.writeWhole(seg.out, now, seg.gen)) {
                // made ahead whole: copied straight into the channel's buffer, past the generator
                seg.out.write('\n');
            } else {
                event.write(seg.gen, now);
                seg.gen.writeRaw('\n');
            }
        } catch (IOException e) {
            broken = true;
            throw new IOException("writing to " + seg.path + " failed: " + describe(e), e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        }
        long n = seg.out.count() + seg.gen.getOutputBuffered() - before;
        seg.length += n;
        return n;
    }

    /**
     * Writes the run's events as {@link #write(Encoded)} would, without making them: each body is copied
     * together from the chunk's arena into a reused array, several events per copy into the segment's buffer (one
     * emit time for the run).
     */
    @Override
    public long write(EventRun run) throws IOException {
        ensureUsable();
        byte[] suffix = EventCodec.emitSuffix(clock.millis());
        byte[] line = Arrays.copyOf(suffix, suffix.length + 1);
        line[suffix.length] = '\n';
        byte[] ending = run.ending(line); // the bodies' last bytes, the emit time and the newline: one copy per event
        long total = 0;
        int k = 0;
        int n = run.size();
        Segment seg = null;
        try {
            while (k < n) {
                seg = segmentForNextEvent(root); // a run's events are no rule's: they go to the output directory
                if (seg.gen.getOutputBuffered() > 0) {
                    seg.gen.flush();
                }
                int used = 0;
                // the segment's bound is checked before each event, as segmentForNextEvent does
                while (k < n && seg.length < segmentBytes) {
                    int len = run.bodyLength(k) + suffix.length + 1;
                    if (used + len > scratch.length) {
                        if (used > 0) {
                            break;
                        }
                        scratch = new byte[len];
                    }
                    run.render(k, scratch, used, ending);
                    used += len;
                    seg.length += len;
                    total += len;
                    k++;
                }
                seg.out.write(scratch, 0, used);
            }
        } catch (IOException e) {
            broken = true;
            throw new IOException("writing to " + (seg == null ? dir : seg.path) + " failed: " + describe(e), e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        }
        return total;
    }

    /**
     * The lane of {@code e}: the output directory's own, or the sub-directory named by the route a rule gave it,
     * made (and its entry made durable) the first time. A route that is no usable directory name stops the sink.
     */
    private Lane lane(ChangeEvent e) throws IOException {
        String route = e.shaping() == null ? null : e.shaping().route();
        if (route == null) {
            return root;
        }
        Lane lane = routes.get(route);
        if (lane != null) {
            return lane;
        }
        if (!ROUTE.matcher(route).matches()) {
            throw SluiceException.fatal("event " + e.id() + " has the route '" + route + "' (rule version "
                    + e.shaping().version() + "), which the file sink cannot use as a sub-directory of " + dir
                    + ": a route is letters, digits, '.', '_' and '-', starting with a letter or digit. Change the"
                    + " rule's route (sluice rules deploy) and start the pipeline again");
        }
        lane = new Lane(route, dir.resolve(route));
        createDirectories(lane.dir);
        durability.forceDirectory(dir); // the sub-directory's entry is durable before a checkpoint covers it
        lane.segIndex = 1;
        lane.segLength = 0;
        routes.put(route, lane);
        return lane;
    }

    /** The lane's open segment, rotating first when it has reached the size bound (so only between events). */
    private Segment segmentForNextEvent(Lane lane) throws IOException {
        if (lane.current == null) {
            boolean full = lane.segLength >= segmentBytes;
            lane.current = openSegment(lane, full ? lane.segIndex + 1 : lane.segIndex, full ? 0 : lane.segLength, full);
        } else if (lane.current.length >= segmentBytes) {
            Segment old = lane.current;
            flushBuffer(old);
            lane.retired.add(old);
            lane.current = null;
            lane.segIndex = old.index;
            lane.segLength = old.length;
            lane.current = openSegment(lane, old.index + 1, 0, true);
        }
        return lane.current;
    }

    private Segment openSegment(Lane lane, long index, long length, boolean fresh) throws IOException {
        Path path = lane.dir.resolve(segmentName(index));
        FileChannel ch = null;
        FileChannel direct = null;
        ChannelOut out;
        Object key;
        try {
            ch = FileChannel.open(
                    path,
                    fresh ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            key = fileKey(path);
            direct = openDirect(path);
            out = new ChannelOut(ch, direct, block, length, BUFFER_BYTES);
        } catch (IOException e) {
            closeQuietly(ch);
            closeQuietly(direct);
            throw new IOException("cannot open segment file " + path + " for writing: " + describe(e), e);
        }
        lane.segIndex = index;
        lane.segLength = length;
        return new Segment(index, path, ch, out, length, key);
    }

    /** The segment opened for direct I/O, or null when that is off or the file system refuses it (then off). */
    private FileChannel openDirect(Path path) {
        if (!directIo) {
            return null;
        }
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            directIo = false;
            LOG.warn(
                    "the file system of {} refuses direct I/O ({}): segments are written through the page cache"
                            + " (more CPU for large outputs; set sink.direct-io: false to not try)",
                    dir,
                    e.toString());
            return null;
        }
    }

    /** The file system's block size where it is a power of two, else 4096. */
    private static int blockSize(Path dir) {
        try {
            long b = Files.getFileStore(dir).getBlockSize();
            return b > 0 && b <= (1 << 16) && Long.bitCount(b) == 1 ? (int) b : 4096;
        } catch (IOException | UnsupportedOperationException e) {
            return 4096;
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) throws IOException {
        ensureUsable();
        Map<String, Mark> marks = new TreeMap<>();
        for (Lane lane : routes.values()) {
            marks.put(lane.route, lane.mark());
        }
        pending = new Pending(root.mark(), marks, checkpoint);
    }

    /**
     * Hands the bytes written so far to the kernel, then fsyncs them and writes the checkpoint on the flusher thread,
     * while the pipeline writes on: writes made meanwhile are not part of this flush (an fsync covers them too, but
     * the checkpoint names only the committed length). The fsync no longer stalls the pipeline (it took 50-100 ms
     * per 50 MB in a bulk load, during which the queue filled and the reader stopped).
     */
    @Override
    public boolean flush() throws IOException {
        awaitFlush();
        ensureUsable();
        if (pending == null) {
            return true;
        }
        List<Segment> full = new ArrayList<>();
        List<Segment> open = new ArrayList<>();
        for (Lane lane : lanes()) {
            full.addAll(lane.retired);
            lane.retired.clear();
            if (lane.current != null) {
                open.add(lane.current);
            }
        }
        Pending p = pending;
        pending = null;
        for (Segment s : open) {
            try {
                flushBuffer(s);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
        if (flusher == null) {
            flusher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sluice-file-flush");
                t.setDaemon(true);
                return t;
            });
        }
        inflight = flusher.submit(() -> {
            makeDurable(full, open, p);
            return null;
        });
        return false;
    }

    /** On the flusher thread: fsyncs the segments written, closes the full ones, then writes the checkpoint. */
    private void makeDurable(List<Segment> full, List<Segment> open, Pending p) throws IOException {
        try {
            for (Segment s : full) {
                durability.force(s.channel, s.path);
            }
            for (Segment s : full) {
                s.close();
            }
            for (Segment s : open) {
                durability.force(s.channel, s.path);
            }
            ensureVisible(full, open, p);
            state.write(p.checkpoint(), doc -> {
                doc.put("segment", p.root().segment());
                doc.put("length", p.root().length());
                if (!p.routes().isEmpty()) {
                    var r = doc.putObject("routes");
                    p.routes().forEach((route, m) -> {
                        var o = r.putObject(route);
                        o.put("segment", m.segment());
                        o.put("length", m.length());
                    });
                }
            });
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /**
     * Fails unless every segment this flush covers is still the file at its path. A segment whose file or directory
     * was deleted, moved or replaced while it was open takes writes and fsyncs without an error, but no reader will
     * ever see them: a checkpoint over them would report as delivered what is lost. So the checkpoint stays where it
     * was, at data a reader can still find.
     */
    private void ensureVisible(List<Segment> full, List<Segment> open, Pending p) throws IOException {
        List<Segment> covered = new ArrayList<>(full);
        covered.addAll(open);
        for (Segment s : covered) {
            Object now = fileKey(s.path);
            if (now == null || !now.equals(s.key)) {
                throw vanished(s.path, now == null ? "is gone (deleted or moved)" : "was replaced by another file");
            }
        }
        if (covered.isEmpty()) {
            Path named = dir.resolve(p.root().segment());
            if (!Files.isDirectory(dir) || (p.root().length() > 0 && !Files.exists(named))) {
                throw vanished(named, "is gone (deleted or moved)");
            }
        }
    }

    private SluiceException vanished(Path segment, String what) {
        return SluiceException.fatal("segment file " + segment + " " + what
                + (Files.isDirectory(dir) ? "" : " (the output directory " + dir + " is gone)")
                + " while the file sink wrote to it: the events since"
                + " the last checkpoint are in no file a reader can see, so the checkpoint in " + state.path()
                + " stays at the last data that is. Restore the output directory as it was and restart, or remove "
                + state.path() + " (and what is left of the output) to start over from the configured start.");
    }

    /**
     * The file's identity (device and inode on Linux; just "it exists" where the file system has none), null when it
     * does not exist.
     */
    private static Object fileKey(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return key != null ? key : Boolean.TRUE; // a file system without identities: it exists, at least
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void awaitFlush() throws IOException {
        java.util.concurrent.Future<?> f = inflight;
        if (f == null) {
            return;
        }
        inflight = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true; // whether the checkpoint was written is unknown until the sink is opened again
            throw new java.io.InterruptedIOException("interrupted while the file sink in " + dir + " flushed");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("flushing the file sink in " + dir + " failed: " + c, c);
        }
    }

    /** Waits for a flush in flight to end, whatever its outcome (before closing or reopening the files). */
    private void settleInflight() {
        try {
            awaitFlush();
        } catch (IOException | RuntimeException ignored) {
            // the sink is closed or reopened: reopening reads what is durable
        }
    }

    private void flushBuffer(Segment s) throws IOException {
        try {
            s.gen.flush();
            s.out.drain();
        } catch (IOException e) {
            throw new IOException("writing to " + s.path + " failed: " + describe(e), e);
        }
        if (directIo && s.out.fallback() != null) {
            directIo = false;
            LOG.warn(
                    "a direct I/O write to {} failed ({}): segments are written through the page cache from now on"
                            + " (more CPU for large outputs; set sink.direct-io: false to not try)",
                    s.path,
                    s.out.fallback().toString());
        }
    }

    /** Closes the files without writing buffered bytes: nothing unflushed is ever covered by a checkpoint. */
    @Override
    public void close() {
        settleInflight();
        if (flusher != null) {
            flusher.shutdown();
            flusher = null;
        }
        closeFiles();
        opened = false;
        pending = null;
    }

    private void closeFiles() {
        for (Lane lane : lanes()) {
            for (Segment s : lane.retired) {
                s.close();
            }
            lane.retired.clear();
            if (lane.current != null) {
                lane.current.close();
                lane.current = null;
            }
        }
    }

    /** The output directory's lane and the routes', in that order. */
    private List<Lane> lanes() {
        List<Lane> all = new ArrayList<>(1 + routes.size());
        all.add(root);
        all.addAll(routes.values());
        return all;
    }

    private void ensureUsable() throws IOException {
        if (!opened) {
            throw new IllegalStateException("the file sink in " + dir + " is not open");
        }
        if (broken) {
            throw new IOException("the file sink in " + dir + " failed earlier; open it again to resume from its last"
                    + " checkpoint");
        }
    }

    /** True when the open segment writes its whole blocks with direct I/O (for tests). */
    boolean directIo() {
        return root.current != null && root.current.out.directIo();
    }

    /** Segment files in a directory (the output directory, or a route's) by index. */
    private static TreeMap<Long, Path> segments(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    found.put(Long.parseLong(m.group(1)), p);
                }
            });
        } catch (IOException e) {
            throw new IOException("cannot list output directory " + dir + ": " + describe(e), e);
        }
        return found;
    }

    private static void delete(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IOException("cannot delete uncommitted segment " + p + ": " + describe(e), e);
        }
    }

    private static void createDirectories(Path d) throws IOException {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new IOException("cannot create directory " + d + ": " + describe(e), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing after a failure or when discarding: nothing to save
            }
        }
    }

    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
