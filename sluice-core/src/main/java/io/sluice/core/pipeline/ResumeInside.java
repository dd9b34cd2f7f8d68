package io.sluice.core.pipeline;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventRun;

/**
 * Resumes inside a source transaction that a sink holds part of ({@link Checkpoint#partial()}): wraps a source's
 * emitter, drops that transaction's events the sink already holds ({@code source.row < rows}) and passes the rest
 * with their own ids and row numbers. Until the transaction has ended, every checkpoint passed on still carries the
 * mark, so a flush before the transaction's end (a file start, another transaction ahead of a held XA one) cannot
 * lose it; the checkpoint after the transaction's end is passed on as the source made it.
 *
 * <p>Works for any source whose event ids are deterministic ({@code <name>:<txn>:<row>}) and whose transactions
 * are contiguous in the output.
 */
public final class ResumeInside implements Emitter {
    private final Emitter out;
    private final PartialTxn partial;
    private final String prefix;
    private boolean active = true;
    private boolean seen;

    private ResumeInside(Emitter out, String sourceName, PartialTxn partial) {
        this.out = out;
        this.partial = partial;
        this.prefix = sourceName + ':' + partial.txn() + ':';
    }

    /** The emitter a source streaming from {@code from} hands its output to: {@code out} itself when no mark. */
    public static Emitter wrap(Emitter out, String sourceName, Checkpoint from) {
        return from == null || from.partial() == null ? out : new ResumeInside(out, sourceName, from.partial());
    }

    @Override
    public void event(ChangeEvent event) throws InterruptedException {
        if (active && event.id().startsWith(prefix)) {
            seen = true;
            if (event.source().row() < partial.rows()) {
                return;
            }
        }
        out.event(event);
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
}
