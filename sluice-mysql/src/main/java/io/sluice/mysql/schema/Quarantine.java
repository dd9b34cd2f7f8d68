package io.sluice.mysql.schema;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.Encoder;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import io.sluice.core.state.StateStore;
import java.io.IOException;
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
 * .jsonl} (the store's {@linkplain StateStore#quarantine quarantine log} of the table) instead of the pipeline's
 * sink, in the same JSON-lines format. Every other table flows on.
 *
 * <p>Each side log is synced at the end of every transaction, before that transaction's checkpoint is handed to
 * the sink, so a checkpoint never covers a quarantined event that is not durable. Events re-read after a restart
 * from an older checkpoint are recognised by their id and not written twice.
 */
public final class Quarantine implements Emitter {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    public static final String DIR_NAME = FileStateStore.QUARANTINE;

    private final Emitter out;
    private final SchemaTracker tracker;
    private final StateStore store;
    /** The time written as the side logs' {@code ts_ms} (when Sluice emitted the event). */
    private final Clock clock;

    private final Map<String, Side> sides = new HashMap<>();

    private static final class Side {
        final RecordLog log;
        final Set<String> ids;
        boolean dirty;

        Side(RecordLog log, Set<String> ids) {
            this.log = log;
            this.ids = ids;
        }
    }

    /** Quarantines into {@code store}; null: no quarantine, every event goes to {@code out}. */
    public Quarantine(Emitter out, SchemaTracker tracker, StateStore store) {
        this(out, tracker, store, Clock.systemUTC());
    }

    /** A quarantine whose side logs take their emit times from {@code clock}. */
    public Quarantine(Emitter out, SchemaTracker tracker, StateStore store, Clock clock) {
        this.out = out;
        this.tracker = tracker;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void events(EventRun run) throws InterruptedException {
        if (store == null
                || !tracker.quarantined(run.source().db(), run.source().table())) {
            out.events(run);
        } else {
            Emitter.super.events(run); // event by event into the side file
        }
    }

    @Override
    public void event(ChangeEvent e) throws InterruptedException {
        if (store == null || !tracker.quarantined(e.source().db(), e.source().table())) {
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
                side.log.append(Encoder.toJson(e, clock.millis()));
                side.dirty = true;
            }
        } catch (IOException ex) {
            throw SluiceException.fatal(
                    "cannot write the quarantine file of " + qn + " (" + where(qn) + "): " + ex.getMessage()
                            + "; nothing after it was checkpointed",
                    ex);
        }
    }

    @Override
    public void sourceTime(long sourceTsMs) throws InterruptedException {
        out.sourceTime(sourceTsMs);
    }

    @Override
    public void commit(Checkpoint checkpoint) throws InterruptedException {
        for (Map.Entry<String, Side> s : sides.entrySet()) {
            if (s.getValue().dirty) {
                try {
                    s.getValue().log.sync();
                } catch (IOException ex) {
                    throw SluiceException.fatal(
                            "cannot sync the quarantine file of " + s.getKey() + ": " + ex.getMessage(), ex);
                }
                s.getValue().dirty = false;
            }
        }
        tracker.refreshApprovals();
        out.commit(checkpoint);
    }

    /** Opens a table's side log for appending: remembers the ids it holds. */
    private Side open(String qn) throws IOException {
        RecordLog log = store.quarantine(qn);
        Set<String> ids = new HashSet<>();
        for (byte[] record : log.read()) {
            ids.add(SchemaHistory.JSON.readTree(record).path("id").asText());
        }
        LOG.warn(
                "table {} is quarantined: its events go to {} until its breaking version is approved", qn, log.where());
        return new Side(log, ids);
    }

    private String where(String qn) {
        Side side = sides.get(qn);
        return side != null ? side.log.where() : store.quarantine(qn).where();
    }

    /** Forgets the side logs (end of a source session); the store keeps them. */
    public void close() {
        sides.clear();
    }
}
