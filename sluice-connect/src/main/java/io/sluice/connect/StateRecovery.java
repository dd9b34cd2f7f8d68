package io.sluice.connect;

import static io.sluice.core.config.ValueType.matching;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.config.ConfigKey;
import io.sluice.kafka.StateTopic;
import io.sluice.mysql.schema.HistoryRebuild;
import io.sluice.mysql.schema.SchemaHistory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What the task does when its state topic has lost records of the pipeline (the topic deleted or re-created, records
 * deleted by retention or by hand): the {@code state.recovery} setting, the decision, and the recovery itself. A
 * recovery rebuilds the schema history the way {@code sluice schema rebuild} does ({@link HistoryRebuild}: each
 * table version the offset names, as information_schema shows the table now, at the offset's position), starts a new
 * generation of the state topic when a log has a gap (so no key collides with a surviving record), copies the logs
 * that survived whole, and records what it did in log {@code recovery}; the task writes all of it in its first Kafka
 * transaction, before any event.
 */
final class StateRecovery {
    static final String HISTORY = "schema-history";
    static final String RULE_VERSIONS = "rule-versions";
    static final String APPROVALS = "approvals";
    /** The log recording each recovery (one JSON record each). */
    static final String RECOVERY = "recovery";

    static final ConfigKey<String> STATE_RECOVERY = ConfigKey.optional(
            "state.recovery",
            matching("auto|rebuild|fail", "auto, rebuild or fail"),
            "auto",
            "When the state topic has lost records of the pipeline (deleted or re-created, or records deleted by"
                    + " retention): rebuild (the schema history is rebuilt from the tables as information_schema"
                    + " shows them now, at the offset's position, and written before any event), fail (the task stops,"
                    + " naming what was lost) or auto (rebuild when the source has binlog_row_metadata=FULL, where rows"
                    + " decode from the binlog's own table maps; fail otherwise, as a rebuilt version is wrong if DDL"
                    + " ran between the offset and now).");

    /** How the history is rebuilt for a checkpoint (through a connection to the source). */
    interface Rebuilder {
        HistoryRebuild.Result at(Checkpoint cp) throws SQLException;
    }

    /**
     * What a recovery did.
     *
     * @param damage      what was lost ({@link #damage})
     * @param generation  the state topic's generation written to
     * @param carried     the logs that survived whole and were copied into a new generation (null: no new one)
     * @param history     the rebuilt versions (empty when the history was not lost)
     * @param rulesLost   the offset names a rule version the topic no longer has: the newest version runs instead
     * @param approvals   whether the topic still holds approvals
     * @param rowMetadata the source's binlog_row_metadata (null: the server has none)
     */
    record Report(
            List<String> damage,
            int generation,
            List<String> carried,
            HistoryRebuild.Result history,
            boolean rulesLost,
            boolean approvals,
            String rowMetadata) {

        /** The WARN line: what was lost, what was recovered, what was not. */
        String message(String where) {
            StringBuilder b = new StringBuilder("recovered the state in ")
                    .append(where)
                    .append(", which had lost ")
                    .append(String.join("; ", damage))
                    .append(": ");
            if (carried != null) {
                b.append("started generation ")
                        .append(generation)
                        .append(" (copied the logs that survived whole: ")
                        .append(carried.isEmpty() ? "none" : String.join(", ", carried))
                        .append("); ");
            }
            if (!history.versions().isEmpty() || !history.lost().isEmpty()) {
                b.append("rebuilt the schema history as the tables are now (origin rebuild): ");
                b.append(String.join(", ", history.recovered()));
                if (!history.lost().isEmpty()) {
                    b.append("; could not recover ").append(String.join(", ", history.lost()));
                }
                b.append("; not recoverable: ").append(HistoryRebuild.NOT_RECOVERABLE);
                if (!"FULL".equalsIgnoreCase(rowMetadata)) {
                    b.append(" The source's binlog_row_metadata is ")
                            .append(rowMetadata == null ? "not there" : rowMetadata)
                            .append(": rows are decoded with these versions.");
                }
                b.append(' ');
            }
            if (rulesLost) {
                b.append("The rule version the offset names is lost: the newest rule version runs (the rules setting's,"
                        + " recorded again); rules deployed with sluice rules deploy must be deployed again. ");
            }
            if (!approvals) {
                b.append("Approvals of breaking schema changes given before, if any, are lost: such a change halts"
                        + " again until approved again.");
            }
            return b.toString().strip();
        }

        /** The record in log {@code recovery}. */
        byte[] record(Checkpoint from, Instant at) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("at", at.toString());
            r.put("position", from == null ? null : from.position().toString());
            r.put("generation", generation);
            r.put("lost", damage);
            r.put("carried", carried);
            r.put("rebuilt", history.recovered());
            r.put("not_rebuilt", history.lost());
            r.put("not_recoverable", HistoryRebuild.NOT_RECOVERABLE);
            r.put("rules_lost", rulesLost);
            r.put("approvals_kept", approvals);
            r.put("binlog_row_metadata", rowMetadata);
            try {
                return CheckpointCodec.mapper().writeValueAsBytes(r);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private StateRecovery() {}

    /**
     * What the state read lacks for a task resuming at {@code from} (null: no offset yet): each log with a gap, and a
     * schema history missing under an offset that names table versions; empty when nothing is lost.
     */
    static List<String> damage(StateTopic state, Checkpoint from) {
        List<String> out = new ArrayList<>(state.lost());
        boolean historyGap = state.lost().stream().anyMatch(l -> l.startsWith(HISTORY + ":"));
        if (from != null && !from.schemas().isEmpty() && !state.holds(HISTORY) && !historyGap) {
            out.add(HISTORY + ": all of it (the offset names versions of "
                    + from.schemas().size() + " table(s); the"
                    + " topic holds " + (state.holdsAnything() ? "other records of the pipeline" : "nothing of it")
                    + ": deleted or re-created)");
        }
        return out;
    }

    /**
     * Whether to recover from {@code damage} under {@code mode} ({@code state.recovery}) given the source's
     * {@code rowMetadata} (null: none; not asked with {@code fail}): true to rebuild, else a
     * {@link ConnectException} naming what was lost and what to do.
     */
    static boolean decide(String mode, List<String> damage, String rowMetadata, String where, String name) {
        if (damage.isEmpty() || "rebuild".equals(mode)) {
            return !damage.isEmpty();
        }
        String lost = "the state topic " + where + " has lost " + String.join("; ", damage)
                + ": without its schema history rows could be decoded with the wrong columns. ";
        String startOver = "start over: stop the connector, reset its offsets (DELETE /connectors/" + name
                + "/offsets) and delete its topics. Keep the topic compacted (cleanup.policy=compact), never with a"
                + " retention time";
        if ("auto".equals(mode) && "FULL".equalsIgnoreCase(rowMetadata)) {
            return true;
        }
        if ("auto".equals(mode)) {
            throw new ConnectException(lost + "The source's binlog_row_metadata is "
                    + (rowMetadata == null ? "not there (a server before MySQL 8.0.1 / MariaDB 10.5)" : rowMetadata)
                    + ", so rows are decoded with the history, and a version rebuilt from the tables as they are now"
                    + " is wrong if DDL ran on them between the offset and now: state.recovery=auto does not rebuild"
                    + " it. If no DDL ran on the captured tables since, set state.recovery=rebuild and restart the"
                    + " task; else restore the topic, or " + startOver);
        }
        throw new ConnectException(lost + "state.recovery=fail: the task stops. Restore the topic; or set"
                + " state.recovery=rebuild (or auto) and restart the task to rebuild the history from the tables as"
                + " information_schema shows them now; or " + startOver);
    }

    /**
     * Recovers {@code state} for a task resuming at {@code from}: a new generation when a log has a gap, the history
     * rebuilt when it was lost under an offset naming table versions, a record in log {@link #RECOVERY}. Call it
     * before any log of {@code state} is used; the records go to the state's appender.
     */
    static Report recover(
            StateTopic state,
            Checkpoint from,
            List<String> damage,
            String rowMetadata,
            Rebuilder rebuilder,
            Instant now)
            throws SQLException {
        boolean historyLost = from != null && !from.schemas().isEmpty() && !state.holds(HISTORY);
        List<String> carried = state.lost().isEmpty() ? null : state.startNewGeneration();
        HistoryRebuild.Result history =
                historyLost ? rebuilder.at(from) : new HistoryRebuild.Result(List.of(), List.of(), List.of());
        SchemaHistory h = SchemaHistory.open(state.schemaHistory());
        history.versions().forEach(h::append);
        boolean rulesLost = from != null && from.rules() != null && !state.holds(RULE_VERSIONS);
        Report report = new Report(
                damage, state.generation(), carried, history, rulesLost, state.holds(APPROVALS), rowMetadata);
        state.record(RECOVERY, report.record(from, now));
        return report;
    }
}
