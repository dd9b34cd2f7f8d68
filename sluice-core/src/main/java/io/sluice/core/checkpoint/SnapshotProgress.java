package io.sluice.core.checkpoint;

import java.util.List;

/**
 * The snapshot work a pipeline has yet to do, checkpointed with its position so a restart resumes from the last
 * completed chunk. The first job is the one being read; the others wait in order.
 *
 * @param jobs   tables still to be read (or being read), in order
 * @param paused true while snapshots are paused (no chunk is read; streaming goes on)
 */
public record SnapshotProgress(List<Job> jobs, boolean paused) {

    public SnapshotProgress {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    public SnapshotProgress(List<Job> jobs) {
        this(jobs, false);
    }

    /** The same pause state with other jobs. */
    public SnapshotProgress withJobs(List<Job> newJobs) {
        return new SnapshotProgress(newJobs, paused);
    }

    /** True when there is nothing to remember: no work and not paused. */
    public boolean idle() {
        return jobs.isEmpty() && !paused;
    }

    /**
     * One table of a snapshot run.
     *
     * @param run     the run's name: stable across restarts, new for each snapshot of a table
     * @param table   {@code db.table}
     * @param filter  an SQL condition the rows must meet, or null for all rows
     * @param lastKey the key of the last row of the last completed chunk, as the compact JSON of the event key,
     *                or null before the first chunk
     * @param rows    rows emitted so far
     * @param chunks  chunks completed so far
     */
    public record Job(String run, String table, String filter, String lastKey, long rows, long chunks) {

        public Job after(String newLastKey, long moreRows) {
            return new Job(run, table, filter, newLastKey, rows + moreRows, chunks + 1);
        }
    }
}
