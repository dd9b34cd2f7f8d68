package io.sluice.mysql.it;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.Waits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The real binlog source run on its own, without a sink: {@link MySqlSource#stream} from a checkpoint into a
 * recorder of what it hands over (events and checkpoints, in order), for tests of where a stream resumes.
 */
final class SourceRun {

    private SourceRun() {}

    /** What a source run hands over, in order: events and checkpoints. */
    static final class Recorder implements Emitter {
        final List<Object> items = new ArrayList<>();

        @Override
        public synchronized void event(ChangeEvent event) {
            items.add(event);
        }

        @Override
        public synchronized void commit(Checkpoint checkpoint) {
            items.add(checkpoint);
        }

        synchronized List<Object> snapshot() {
            return List.copyOf(items);
        }

        /** The events, without the s events that announce a version no statement made (as {@code Capture}). */
        synchronized List<ChangeEvent> events() {
            return items.stream()
                    .filter(ChangeEvent.class::isInstance)
                    .map(ChangeEvent.class::cast)
                    .filter(e -> !announcement(e))
                    .toList();
        }

        @Override
        public String toString() {
            return snapshot().toString();
        }
    }

    /** Streams from {@code from} until {@code done} holds for what was emitted; returns all of it. */
    static List<Object> stream(MySqlSourceConfig config, Checkpoint from, Predicate<Recorder> done) throws Exception {
        MySqlSource source = new MySqlSource(config);
        Recorder rec = new Recorder();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = start(source, from, rec, error);
        Waits waiting = Waits.await("what the test waits for", Duration.ofSeconds(60))
                .whileAlive(() -> {
                    if (error.get() != null) {
                        throw new AssertionError("the source failed", error.get());
                    }
                });
        waiting.until(() -> rec, done);
        // a stray extra event, if the source were to emit one, is in once it has read to the server's end of binlog
        StartPosition.At end = endOfBinlog(config);
        waiting.alias("the source's checkpoint at the server's end of binlog " + end.file() + ":" + end.pos())
                .until(
                        () -> {
                            List<Checkpoint> cps = checkpoints(rec.snapshot());
                            return cps.isEmpty()
                                    ? null
                                    : cps.get(cps.size() - 1).position();
                        },
                        at -> Capture.reached(at, end));
        source.stop();
        t.join(30_000);
        return rec.snapshot();
    }

    /**
     * Streams from {@code from}, expecting the source to fail by itself; returns its error after checking that it
     * emitted nothing.
     */
    static Throwable failure(MySqlSourceConfig config, Checkpoint from) throws Exception {
        MySqlSource source = new MySqlSource(config);
        Recorder rec = new Recorder();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = start(source, from, rec, error);
        t.join(60_000);
        if (t.isAlive()) {
            source.stop();
            t.join(30_000);
            throw new AssertionError("the source did not fail; it emitted " + rec.snapshot());
        }
        if (error.get() == null) {
            throw new AssertionError("the source ended without an error; it emitted " + rec.snapshot());
        }
        if (!rec.events().isEmpty()) {
            throw new AssertionError("the source emitted events before it failed: " + rec.snapshot(), error.get());
        }
        return error.get();
    }

    /** SHOW MASTER STATUS of the server {@code config} reads from. */
    private static StartPosition.At endOfBinlog(MySqlSourceConfig config) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:mariadb://" + config.host() + ":" + config.port() + "/?sslMode=disable",
                        config.user(),
                        config.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new StartPosition.At(rs.getString(1), rs.getLong(2));
        }
    }

    private static Thread start(MySqlSource source, Checkpoint from, Recorder rec, AtomicReference<Throwable> error) {
        Thread t = new Thread(
                () -> {
                    try {
                        source.stream(from, rec);
                    } catch (Throwable e) {
                        error.set(e);
                    }
                },
                "source-run-it");
        t.start();
        return t;
    }

    /** The events among the items, without the s events that announce a version no statement made. */
    static List<ChangeEvent> events(List<Object> items) {
        return items.stream()
                .filter(ChangeEvent.class::isInstance)
                .map(ChangeEvent.class::cast)
                .filter(e -> !announcement(e))
                .toList();
    }

    /** An s event that announces a version first seen in a table map or by a snapshot ({@code ddl} null). */
    static boolean announcement(ChangeEvent e) {
        return e.op() == io.sluice.core.event.Op.SCHEMA && e.ddl() == null;
    }

    static List<Checkpoint> checkpoints(List<Object> items) {
        return items.stream()
                .filter(Checkpoint.class::isInstance)
                .map(Checkpoint.class::cast)
                .toList();
    }

    /** The last checkpoint emitted before the first event whose id starts with {@code idPrefix}. */
    static Checkpoint checkpointBefore(List<Object> items, String idPrefix) {
        Checkpoint last = null;
        for (Object o : items) {
            if (o instanceof ChangeEvent e && e.id().startsWith(idPrefix)) {
                return last;
            }
            if (o instanceof Checkpoint cp) {
                last = cp;
            }
        }
        throw new AssertionError("no event " + idPrefix + "* in " + items);
    }

    /** Done when the last event emitted has this id. */
    static Predicate<Recorder> lastIdIs(String id) {
        return r -> {
            List<ChangeEvent> ev = r.events();
            return !ev.isEmpty() && ev.get(ev.size() - 1).id().equals(id);
        };
    }
}
