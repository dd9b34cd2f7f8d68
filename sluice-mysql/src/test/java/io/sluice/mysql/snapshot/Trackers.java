package io.sluice.mysql.snapshot;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import java.time.Clock;
import java.util.List;

/** The snapshot tracker the coordinator's tests drive: one job on table {@code db.t}, nothing handed on looked at. */
final class Trackers {
    /** The one snapshot job, of {@code db.t}. */
    static final SnapshotProgress.Job JOB = new SnapshotProgress.Job("run1", "db.t", null, null, 0, 0);

    private Trackers() {}

    /** A tracker of pipeline {@code p} for {@link #JOB}, on {@code clock}, whose emitter drops what it is given. */
    static SnapshotTracker tracker(Clock clock) {
        Emitter ignored = new Emitter() {
            @Override
            public void event(ChangeEvent event) {
                // the rows of the parts: not looked at here
            }

            @Override
            public void commit(Checkpoint checkpoint) {
                // the tracker never commits
            }
        };
        return new SnapshotTracker(
                "p",
                ignored,
                (qn, described) -> described.withVersion(1),
                qn -> true,
                new SnapshotProgress(List.of(JOB)),
                clock);
    }
}
