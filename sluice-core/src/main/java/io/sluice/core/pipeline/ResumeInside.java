package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes inside a source transaction that a sink holds part of ({@link Checkpoint#partial()}): wraps a source's
 * emitter, drops that transaction's events the sink already holds ({@code source.row < rows}) and passes the rest
 * with their own ids and row numbers. Until the transaction has ended, every checkpoint passed on still carries the
 * mark, so a flush before the transaction's end (a file start, another transaction ahead of a held XA one) cannot
 * lose it; the checkpoint after the transaction's end is passed on as the source made it.
 *
 * <p>Works for any source whose event ids are deterministic ({@code <name>:<txn>:<row>}) and whose transactions
 * are contiguous in the output.
 *
 * <p><b>Inside a snapshot run.</b> A mark may also stand inside a whole-table read of a table without a key (txn
 * {@code snapshot:<run>:<db>.<table>}, rows numbered on across the read): the restart reads the table again and the
 * first {@code rows} rows are dropped. That read matches the first one only if the table did not change in
 * between; where a change of the table comes before the read's rows, the rows passed on may not agree with those
 * the sink holds, and a warning names the table and the way out (a new snapshot of it).
 */
public final class ResumeInside implements Emitter {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeInside.class);
    private static final String SNAPSHOT = "snapshot:";

    private final Emitter out;
    private final PartialTxn partial;
    private final String sourceName;
    private final String prefix;
    /** For a mark inside a snapshot run: {@code :<db>.<table>}, the end of its txn; else null. */
    private final String snapshotTable;

    private boolean active = true;
    private boolean seen;
    /** An event of the snapshot run's table that came before the run's rows, or null. */
    private String changedBy;

    private ResumeInside(Emitter out, String sourceName, PartialTxn partial) {
        this.out = out;
        this.partial = partial;
        this.sourceName = sourceName;
        this.prefix = sourceName + ':' + partial.txn() + ':';
        this.snapshotTable = partial.txn().startsWith(SNAPSHOT)
                ? partial.txn()
                        .substring(partial.txn().lastIndexOf(':', partial.txn().lastIndexOf('.')))
                : null;
    }

    /** The emitter a source streaming from {@code from} hands its output to: {@code out} itself when no mark. */
    public static Emitter wrap(Emitter out, String sourceName, Checkpoint from) {
        return from == null || from.partial() == null ? out : new ResumeInside(out, sourceName, from.partial());
    }

    @Override
    public void event(ChangeEvent event) throws InterruptedException {
        if (active && event.id().startsWith(prefix)) {
            if (!seen && changedBy != null) {
                LOG.warn(
                        "[{}] resuming snapshot {} after the {} rows the sink already holds: the table changed"
                                + " before it was read again (event {}), so the rows after them come from a read that may"
                                + " not agree with the first ones (the table has no key to tell them apart). Request a new"
                                + " snapshot of the table for a consistent copy",
                        sourceName,
                        partial.txn(),
                        partial.rows(),
                        changedBy);
            }
            seen = true;
            if (event.source().row() < partial.rows()) {
                return;
            }
        } else if (active && !seen && snapshotTable != null && changedBy == null && ofSnapshotTable(event)) {
            changedBy = event.id();
        }
        out.event(event);
    }

    /** The id of an event of the snapshot run's table that came before the run's rows, or null (for tests). */
    String changedBy() {
        return changedBy;
    }

    /** Whether the event is of the table the snapshot mark's run reads. */
    private boolean ofSnapshotTable(ChangeEvent event) {
        String db = event.source().db();
        String table = event.source().table();
        return db != null
                && table != null
                && snapshotTable.length() == db.length() + table.length() + 2
                && snapshotTable.startsWith(db, 1)
                && snapshotTable.charAt(db.length() + 1) == '.'
                && snapshotTable.endsWith(table);
    }

    @Override
    public void events(EventRun run) throws InterruptedException {
        if (active) {
            Emitter.super.events(run); // each event checked against the mark
        } else {
            out.events(run);
        }
    }

    @Override
    public void commit(Checkpoint checkpoint) throws InterruptedException {
        if (!active) {
            out.commit(checkpoint);
        } else if (seen) {
            active = false;
            out.commit(checkpoint);
        } else {
            out.commit(checkpoint.withPartial(partial));
        }
    }

    @Override
    public void sourceTime(long sourceTsMs) throws InterruptedException {
        out.sourceTime(sourceTsMs);
    }
}
