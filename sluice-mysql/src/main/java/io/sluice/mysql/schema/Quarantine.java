package io.sluice.mysql.schema;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.EventRun;
import io.sluice.core.pipeline.Emitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side sink of {@code schema.on-breaking: quarantine}: while a table is quarantined (a breaking version not
 * yet approved), its events — the new version's {@code s} event first — go to {@code <state>/quarantine/<db.table>
 * .jsonl} instead of the pipeline's sink, in the same JSON-lines format. Every other table flows on.
 *
 * <p>Each side file is fsynced at the end of every transaction, before that transaction's checkpoint is handed to
 * the sink, so a checkpoint never covers a quarantined event that is not durable. Events re-read after a restart
 * from an older checkpoint are recognised by their id and not written twice.
 */
public final class Quarantine implements Emitter {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    public static final String DIR_NAME = "quarantine";

    private final Emitter out;
    private final SchemaTracker tracker;
    private final Path dir;
    /** The time written as the side files' {@code ts_ms} (when Sluice emitted the event). */
    private final Clock clock;
    private final Map<String, Side> sides = new HashMap<>();

    private static final class Side {
        final FileChannel channel;
        final Set<String> ids;
        boolean dirty;

        Side(FileChannel channel, Set<String> ids) {
            this.channel = channel;
            this.ids = ids;
        }
    }

    public Quarantine(Emitter out, SchemaTracker tracker, Path stateDir) {
        this(out, tracker, stateDir, Clock.systemUTC());
    }

    /** A quarantine whose side files take their emit times from {@code clock}. */
    public Quarantine(Emitter out, SchemaTracker tracker, Path stateDir, Clock clock) {
        this.out = out;
        this.tracker = tracker;
        this.dir = stateDir == null ? null : stateDir.resolve(DIR_NAME);
        this.clock = clock;
    }

    @Override
    public void events(EventRun run) throws InterruptedException {
        if (dir == null || !tracker.quarantined(run.source().db(), run.source().table())) {
            out.events(run);
        } else {
            Emitter.super.events(run); // event by event into the side file
        }
    }

    @Override
    public void event(ChangeEvent e) throws InterruptedException {
        if (dir == null || !tracker.quarantined(e.source().db(), e.source().table())) {
            out.event(e);
            return;
        }
        String qn = e.source().db() + "." + e.source().table();
        try {
            Side side = sides.get(qn);
            if (side == null) {
                side = open(qn);
                sides.put(qn, side);
            }
            if (side.ids.add(e.id())) {
                byte[] json = EventCodec.toJson(e, clock.millis());
                ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
                while (buf.hasRemaining()) {
                    side.channel.write(buf);
                }
                side.dirty = true;
            }
        } catch (IOException ex) {
            throw SluiceException.fatal("cannot write the quarantine file of " + qn + " in " + dir + ": "
                    + ex.getMessage() + "; nothing after it was checkpointed", ex);
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) throws InterruptedException {
        for (Map.Entry<String, Side> s : sides.entrySet()) {
            if (s.getValue().dirty) {
                try {
                    s.getValue().channel.force(true);
                } catch (IOException ex) {
                    throw SluiceException.fatal("cannot sync the quarantine file of " + s.getKey() + ": "
                            + ex.getMessage(), ex);
                }
                s.getValue().dirty = false;
            }
        }
        tracker.refreshApprovals();
        out.commit(checkpoint);
    }

    /** Opens a table's side file for appending: drops a torn last line and remembers the ids it holds. */
    private Side open(String qn) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(qn + ".jsonl");
        Set<String> ids = new HashSet<>();
        long valid = 0;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                    ids.add(SchemaHistory.JSON.readTree(line).path("id").asText());
                    start = i + 1;
                }
            }
            valid = start;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.truncate(valid);
        ch.position(valid);
        LOG.warn("table {} is quarantined: its events go to {} until its breaking version is approved", qn, file);
        return new Side(ch, ids);
    }

    /** Closes the side files (end of a source session). */
    public void close() {
        for (Side s : sides.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                LOG.debug("close failed", e);
            }
        }
        sides.clear();
    }
}
