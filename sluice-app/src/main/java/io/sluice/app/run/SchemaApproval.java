package io.sluice.app.run;

import io.sluice.app.config.PipelineConfig;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;

/**
 * Approving a breaking table version, with the checks {@code sluice schema approve} and the console's Approve share:
 * a version approved already or not breaking is left alone and said so. The approval is appended to the pipeline's
 * approvals of its state store; a halted pipeline reads them when it is restarted.
 */
public final class SchemaApproval {
    /** What an approval did. */
    public enum Outcome {
        /** The approval was recorded. */
        APPROVED,
        /** The version was approved before: nothing changed. */
        ALREADY_APPROVED,
        /** The version is not breaking, the pipeline does not halt for it: nothing changed. */
        NOT_BREAKING
    }

    /** The outcome and the sentence that tells the user (with what to do next). */
    public record Result(Outcome outcome, String message) {}

    private SchemaApproval() {}

    /**
     * Approves {@code version} of {@code table} (in {@code db.table} form) of the pipeline {@code pc}, in its schema
     * {@code history} and {@code approvals} (from its state store).
     */
    public static Result approve(
            PipelineConfig pc, SchemaHistory history, Approvals approvals, String table, int version, String note) {
        return approve(history, approvals, table, version, note, restartHint(pc), "sluice schema list -c " + pc.file());
    }

    /**
     * As {@link #approve(PipelineConfig, SchemaHistory, Approvals, String, int, String)} for a pipeline named
     * otherwise (a Kafka Connect connector): {@code restartHint} says how to restart it, {@code listCommand} how to
     * list its versions.
     */
    public static Result approve(
            SchemaHistory history,
            Approvals approvals,
            String table,
            int version,
            String note,
            String restartHint,
            String listCommand) {
        SchemaVersion v = history.version(table, version);
        if (approvals.approved(table, version)) {
            return new Result(
                    Outcome.ALREADY_APPROVED,
                    "version " + version + " of " + table + " is approved already; nothing changed. " + restartHint);
        }
        if (v != null && v.breaking().isEmpty()) {
            return new Result(
                    Outcome.NOT_BREAKING,
                    "version " + version + " of " + table
                            + " is not breaking: the pipeline does not halt for it, so there is nothing to approve"
                            + " (see " + listCommand + ")");
        }
        approvals.add(new Approvals.Approval(table, version, null, note));
        return new Result(
                Outcome.APPROVED,
                "approved version " + version + " of " + table
                        + (v == null
                                ? " (the schema history has no such version yet)"
                                : ", which breaks: " + String.join("; ", v.breaking()))
                        + ". " + restartHint);
    }

    /** What to do after an approval: a halted pipeline reads approvals when it starts. */
    public static String restartHint(PipelineConfig pc) {
        return "If pipeline " + pc.name() + " has halted in a running sluice run, restart it there: sluice restart"
                + " --pipeline " + pc.name() + "; if its process has ended, start it again: sluice run -c " + pc.file();
    }
}
