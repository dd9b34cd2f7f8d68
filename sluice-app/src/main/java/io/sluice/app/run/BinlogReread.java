package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Source;
import io.sluice.core.pipeline.SourceStatus;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.mysql.source.BinlogFileTimes;
import io.sluice.mysql.source.GtidPositions;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.ServerBinlogs;
import io.sluice.mysql.source.SourceWiring;
import io.sluice.mysql.source.StartPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a range of a pipeline's binlog again, apart from the live pipeline ({@code sluice rules preview} and {@code
 * replay}): its own binlog connection under its own server id, the source module's own reading and decoding
 * ({@link MySqlSource}), each row decoded with the table's version valid at its position, from a copy of the
 * pipeline's schema history in a state directory of its own. Nothing of the live pipeline is written: not its state
 * directory, not its checkpoint, not its sink. Snapshot signals inside the range are not acted on again.
 */
public final class BinlogReread {
    private static final Pattern POS = Pattern.compile("(.+):(\\d+)");

    /**
     * A range: the events of the transactions that begin at or after {@code from} and before {@code to}; with {@code
     * fromTime}, only those from the first transaction at or after that time; with {@code toTime}, only those before
     * the first transaction at or after that time (the re-read stops there).
     */
    public record Range(BinlogPosition from, BinlogPosition to, Instant fromTime, Instant toTime) {
        /** A range of positions, or from a time to a position. */
        public Range(BinlogPosition from, BinlogPosition to, Instant fromTime) {
            this(from, to, fromTime, null);
        }

        @Override
        public String toString() {
            return (fromTime != null ? fromTime + " (reading from " + from + ")" : from.file() + ":" + from.pos())
                    + " to "
                    + (toTime != null
                            ? toTime + " (or the end when it began, " + to.file() + ":" + to.pos() + ")"
                            : to.file() + ":" + to.pos());
        }
    }

    private final PipelineConfig pipeline;
    private final MySqlSourceConfig source;
    private final Scheduler scheduler;
    private final ServerBinlogs binlogs;

    /**
     * A re-reader of {@code pipeline}'s server, presenting {@code serverId} (0: one picked at random, above the
     * range people give replicas by hand) on its binlog connection.
     */
    public BinlogReread(PipelineConfig pipeline, long serverId, Scheduler scheduler) {
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.source = reading(pipeline.source(), null, serverId);
        this.binlogs = new ServerBinlogs(source);
    }

    /** The source settings of a re-read: its own server id and start; the signal table's rows are no events. */
    private static MySqlSourceConfig reading(MySqlSourceConfig c, StartPosition start, long serverId) {
        long id = serverId != 0 ? serverId : ThreadLocalRandom.current().nextLong(1L << 30, (1L << 31) - 1);
        List<String> exclude = new ArrayList<>(c.exclude());
        exclude.add(c.snapshot().signalTable());
        if (c.heartbeat().on()) {
            exclude.add(c.heartbeat().table()); // its rows are no events; a reread writes no heartbeat of its own
        }
        return c.toBuilder()
                .serverId(id)
                .exclude(exclude)
                .start(start)
                .snapshot(new io.sluice.mysql.snapshot.SnapshotConfig(
                        c.snapshot().signalDb() + ".sluice_reread_no_signal",
                        c.snapshot().chunkSize(),
                        c.snapshot().chunkBytes()))
                .heartbeat(null)
                .build();
    }

    /** The binlog files the server has, oldest first. */
    public List<String> binlogs() {
        return binlogs.names();
    }

    /** The server's current end of binlog. */
    public BinlogPosition end() {
        return binlogs.latest();
    }

    /**
     * Where a range bound given on the command line is: {@code file:pos} (a transaction's start, as events' {@code
     * source.file}/{@code source.pos} give it), a MariaDB GTID set (the place after it), or an ISO-8601 time
     * ({@code 2026-12-07T10:00:00Z}): as {@code from}, the first transaction at or after it, read from the last binlog
     * file that began before it (a binary search over the files' first events, {@link BinlogFileTimes}); as {@code
     * to}, the range ends before the first transaction at or after it (or at the server's end when it began).
     */
    public Range range(String from, String to) throws InterruptedException {
        Instant toTime = time(to);
        Instant time = time(from);
        if (time != null && toTime != null && !toTime.isAfter(time)) {
            throw new ConfigException("--to " + toTime + " is not after --from " + time + ": the range is empty");
        }
        BinlogPosition end = to == null || toTime != null ? end() : bound(to, "--to");
        BinlogPosition start = time != null ? startFor(time) : bound(from, "--from");
        return new Range(start, end, time, toTime);
    }

    /**
     * Where to read from for the first transaction at or after {@code time}: the start of the last binlog file that
     * began before it (no event of an earlier file is of that time or later); where the oldest file the server has
     * began at or after it, that file when it is the first one ever written, and a refusal when older ones were
     * purged (their events may have been of that time).
     */
    private BinlogPosition startFor(Instant time) throws InterruptedException {
        List<String> files = binlogs.names();
        if (files.isEmpty()) {
            return reachable(binlogs.earliest(), "--from");
        }
        BinlogFileTimes times = new BinlogFileTimes(source);
        int k = BinlogFileTimes.lastBegunBefore(files, time, times::begun);
        if (k >= 0) {
            return new BinlogPosition(files.get(k), 4, null);
        }
        String oldest = files.get(0);
        if (BinlogPosition.fileSequence(oldest) > 1) {
            throw new ConfigException("--from " + time + ": the oldest binlog the server still has, " + oldest
                    + ", began at " + times.begun(oldest) + ", not before that time, so the binlog no longer reaches"
                    + " back to it; the oldest position it has is " + oldest + ":4. " + purgedAdvice());
        }
        return new BinlogPosition(oldest, 4, null);
    }

    private BinlogPosition bound(String spec, String option) {
        Matcher m = POS.matcher(spec.trim());
        if (m.matches()) {
            return reachable(new BinlogPosition(m.group(1), Long.parseLong(m.group(2)), null), option);
        }
        if (GtidPositions.isMariaDb(spec)) {
            try (Connection conn = source.connect()) {
                return reachable(
                        GtidPositions.locate(conn, spec)
                                .orElseThrow(() -> new ConfigException(option + " " + spec + ": no binlog the server"
                                        + " still has holds the place of that GTID set (purged, or not written yet); "
                                        + purgedAdvice())),
                        option);
            } catch (SQLException e) {
                throw SluiceException.fatal("cannot locate GTID set " + spec + ": " + e.getMessage(), e);
            }
        }
        throw new ConfigException(option + " " + spec + ": not a binlog position (file:pos, e.g."
                + " mariadb-bin.000003:1234), a MariaDB GTID set (0-1-100) or a time (2026-12-07T10:00:00Z)");
    }

    private static Instant time(String spec) {
        if (spec == null) {
            return null;
        }
        try {
            return Instant.parse(spec.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The position, refused naming the oldest one the server has where the binlog no longer reaches back to it. */
    public BinlogPosition reachable(BinlogPosition p, String what) {
        List<String> files = binlogs.names();
        if (!files.contains(p.file())) {
            String oldest = files.isEmpty() ? "(none: the binlog is off)" : files.get(0) + ":4";
            boolean future = !files.isEmpty()
                    && BinlogPosition.fileSequence(p.file()) > BinlogPosition.fileSequence(files.get(files.size() - 1));
            throw new ConfigException(what + " " + p.file() + ":" + p.pos() + ": the server "
                    + pipeline.source().host() + ":" + pipeline.source().port()
                    + (future
                            ? " has not written that binlog yet; its end is " + end()
                            : " no longer has that binlog (purged); the oldest position it has is " + oldest + ". "
                                    + purgedAdvice()));
        }
        return p;
    }

    /** What to do where the binlog no longer reaches back. */
    static String purgedAdvice() {
        return "To shape the tables' current rows with the rules instead, start a pipeline with start: snapshot and"
                + " the rules (docs/rules.md, \"Replay\")";
    }

    /**
     * A source reading {@code range} only: from its start (a copy of the pipeline's schema history in {@code
     * stateDir} gives the tables' versions there), handing on the events of the transactions in the range, and
     * stopping itself after the transaction at its end. {@link BoundedSource#done()} tells when it got there.
     */
    public BoundedSource source(Range range, Path stateDir) {
        seedState(stateDir);
        MySqlSourceConfig c = reading(
                pipeline.source(),
                new StartPosition.At(range.from().file(), range.from().pos()),
                source.serverId());
        SourceWiring wiring = SourceWiring.builder(c)
                .state(stateDir, pipeline.schema())
                .scheduler(scheduler)
                .build();
        return new BoundedSource(new MySqlSource(c, wiring), range);
    }

    /** Reads {@code range} into {@code out}, with a state of its own in {@code stateDir}; returns at its end. */
    public void read(Range range, Path stateDir, Emitter out) throws InterruptedException {
        if (range.from().compareTo(range.to()) >= 0) {
            return;
        }
        BoundedSource s = source(range, stateDir);
        s.stream(null, out);
        if (!s.done()) {
            throw SluiceException.fatal("the re-read of " + range + " ended before its end", null);
        }
    }

    /**
     * Copies the pipeline's schema history and approvals into {@code stateDir} (where it has none yet), so the
     * re-read decodes with the versions valid in the range and never appends to the live history.
     */
    private void seedState(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            for (String name : new String[] {FileStateStore.SCHEMA_HISTORY, FileStateStore.APPROVALS}) {
                Path live = pipeline.state().resolve(name);
                Path own = stateDir.resolve(name);
                if (Files.exists(live) && !Files.exists(own)) {
                    Files.copy(live, own, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the re-read's state directory " + stateDir, e);
        }
    }

    /**
     * A source that hands on only the range's transactions and stops after its end: events of transactions beginning
     * at or after {@code to} (or before {@code fromTime}) are left out; the first checkpoint at or after {@code to}
     * is handed on and ends the stream.
     */
    public static final class BoundedSource implements Source {
        private final MySqlSource inner;
        private final Range range;
        private final CountDownLatch reached = new CountDownLatch(1);

        BoundedSource(MySqlSource inner, Range range) {
            this.inner = inner;
            this.range = range;
        }

        /** True once the range's end was read (and its checkpoint handed on). */
        public boolean done() {
            return reached.getCount() == 0;
        }

        /** Waits until the range's end was read. */
        public void awaitDone() throws InterruptedException {
            reached.await();
        }

        @Override
        public Checkpoint resolveStart() throws InterruptedException {
            return inner.resolveStart();
        }

        @Override
        public void stream(Checkpoint from, Emitter out) throws InterruptedException {
            if (from != null && from.position().compareTo(range.to()) >= 0) {
                reached.countDown(); // resumed past the end (a replay run again): nothing left to read
                return;
            }
            inner.stream(from, new Emitter() {
                private boolean entered = range.fromTime() == null;

                @Override
                public void event(ChangeEvent e) throws InterruptedException {
                    if (inRange(e)) {
                        out.event(e);
                    }
                }

                @Override
                public void events(EventRun run) throws InterruptedException {
                    for (int k = 0; k < run.size(); k++) {
                        event(run.event(k));
                    }
                }

                private boolean inRange(ChangeEvent e) {
                    if (e.source() == null || done()) {
                        return false;
                    }
                    if (new BinlogPosition(e.source().file(), e.source().pos(), null).compareTo(range.to()) >= 0) {
                        return false;
                    }
                    if (!entered && e.source().tsMs() >= range.fromTime().toEpochMilli()) {
                        entered = true;
                    }
                    if (entered
                            && range.toTime() != null
                            && e.source().tsMs() >= range.toTime().toEpochMilli()) {
                        // the first transaction at or after the end's time: the range ends before it
                        reached.countDown();
                        inner.stop();
                        return false;
                    }
                    return entered;
                }

                @Override
                public void commit(Checkpoint checkpoint) throws InterruptedException {
                    if (done()) {
                        return;
                    }
                    out.commit(checkpoint);
                    if (checkpoint.partial() == null && checkpoint.position().compareTo(range.to()) >= 0) {
                        reached.countDown();
                        inner.stop();
                    }
                }
            });
        }

        @Override
        public void stop() {
            inner.stop();
        }

        @Override
        public SourceStatus status() {
            return inner.status();
        }
    }
}
