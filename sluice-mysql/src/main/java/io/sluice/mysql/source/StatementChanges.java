package io.sluice.mysql.source;

import io.sluice.core.SluiceException;
import io.sluice.mysql.ddl.AlterAction;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.TableName;
import io.sluice.mysql.schema.SchemaTracker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the statements that changed rows of captured tables without row events, and applies
 * {@code source.on-statement-changes} ({@link StatementPolicy}) to them: DML the server logged as text
 * ({@code binlog_format} STATEMENT or MIXED for the session, rows written before the server went to ROW, tables
 * the server always logs so), {@code CREATE TABLE ... SELECT} logged as text, and DDL that adds or removes rows
 * ({@link AlterAction.RowsChanged}). DML on tables that are not captured, and on a session's temporary tables
 * (which may shadow a captured table's name), changes nothing a consumer sees.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class StatementChanges {
    private static final Logger LOG = LoggerFactory.getLogger(StatementChanges.class);

    /**
     * A statement's changes without row events.
     *
     * @param what          what it did, for messages (e.g. {@code INSERT logged as a statement}, {@code DROP PARTITION})
     * @param tables        the captured tables whose rows it changed
     * @param unknownTables it may also have changed tables its text does not name (a stored function's changes)
     * @param asText        the rows were logged as a statement (binlog_format), not removed by DDL
     */
    record Found(String what, List<TableName> tables, boolean unknownTables, boolean asText) {}

    private final String name;
    private final StatementPolicy policy;
    private final BiPredicate<String, Long> approvedAt;
    private final Consumer<String> counted;
    /** Per session (thread id), the temporary tables it created ({@code db.table}). */
    private final Map<Long, Set<String>> temporary = new HashMap<>();

    /** How the commands in the halt's text name the pipeline: {@code --config <its file>}. */
    private final String configOption;

    /**
     * @param name       the pipeline
     * @param policy     what such a statement does
     * @param approvedAt whether an operator approved the statement at a binlog position ({@code sluice schema
     *                   approve --at file:pos}): it is then let through with a warning
     * @param counted    called with {@code db.table} (or {@code *} for tables it cannot name) for each table whose
     *                   changes were let through
     */
    StatementChanges(
            String name, StatementPolicy policy, BiPredicate<String, Long> approvedAt, Consumer<String> counted) {
        this(name, policy, approvedAt, counted, null);
    }

    /** As above; {@code configOption} names the pipeline in the commands the halt gives (null: a placeholder). */
    StatementChanges(
            String name,
            StatementPolicy policy,
            BiPredicate<String, Long> approvedAt,
            Consumer<String> counted,
            String configOption) {
        this.configOption = configOption == null ? SchemaTracker.UNKNOWN_CONFIG_OPTION : configOption;
        this.name = name;
        this.policy = policy == null ? StatementPolicy.HALT : policy;
        this.approvedAt = approvedAt == null ? (f, p) -> false : approvedAt;
        this.counted = counted == null ? t -> {} : counted;
    }

    StatementPolicy policy() {
        return policy;
    }

    /**
     * The captured tables a statement changed without row events, or null when it changed none. Also keeps track of
     * the session's temporary tables.
     */
    Found find(DdlStatement st, long threadId, Predicate<TableName> captured) {
        return find(st, threadId, captured, t -> null);
    }

    /**
     * As {@link #find(DdlStatement, long, Predicate)}, where {@code current} gives the CURRENT partition of a
     * system-versioned table partitioned by SYSTEM_TIME (else null): truncating or dropping other partitions removes
     * history rows, which no event shows.
     */
    Found find(
            DdlStatement st,
            long threadId,
            Predicate<TableName> captured,
            java.util.function.Function<TableName, String> current) {
        if (st instanceof DdlStatement.CreateTable c) {
            if (c.temporary()) {
                temporary.computeIfAbsent(threadId, k -> new HashSet<>()).add(qn(c.table()));
                return null;
            }
            return c.asSelect() && captured.test(c.table())
                    ? new Found("CREATE TABLE ... SELECT logged as a statement", List.of(c.table()), false, true)
                    : null;
        }
        if (st instanceof DdlStatement.DropTable d) {
            Set<String> mine = temporary.get(threadId);
            if (mine != null) {
                d.tables().forEach(t -> mine.remove(qn(t)));
                if (mine.isEmpty()) {
                    temporary.remove(threadId);
                }
            }
            return null;
        }
        if (st instanceof DdlStatement.Dml dml) {
            Set<String> mine = temporary.getOrDefault(threadId, Set.of());
            List<TableName> tables = dml.tables().stream()
                    .filter(t -> captured.test(t) && !mine.contains(qn(t)))
                    .distinct()
                    .toList();
            return tables.isEmpty() && !dml.unknownTables()
                    ? null
                    : new Found(dml.kind() + " logged as a statement", tables, dml.unknownTables(), true);
        }
        if (st instanceof DdlStatement.RenameTable r) {
            List<TableName> tables = new ArrayList<>();
            for (DdlStatement.RenameTable.Rename rename : r.renames()) {
                renamedIn(rename.from(), rename.to(), threadId, captured, tables);
            }
            return tables.isEmpty() ? null : new Found(RENAMED_IN, tables, false, false);
        }
        if (st instanceof DdlStatement.AlterTable a) {
            List<TableName> tables = new ArrayList<>();
            List<String> what = new ArrayList<>();
            if (a.renamedTo() != null) {
                renamedIn(a.table(), a.renamedTo(), threadId, captured, tables);
                if (!tables.isEmpty()) {
                    what.add(RENAMED_IN);
                }
            }
            for (AlterAction.RowsChanged r : a.rowsChanged()) {
                if (r.truncatesAll() || historyOnly(r, a.table(), captured, current)) {
                    continue; // a truncation, which the table's t event says; or history, which no event shows
                }
                what.add(r.operation()
                        + (r.partitions().isEmpty() ? "" : " " + String.join(", ", r.partitions()))
                        + (r.other() == null ? "" : " (with " + r.other() + ")"));
                for (TableName t : r.other() == null ? List.of(a.table()) : List.of(a.table(), r.other())) {
                    if (captured.test(t) && !tables.contains(t)) {
                        tables.add(t);
                    }
                }
            }
            return tables.isEmpty() ? null : new Found(String.join(", ", what), tables, false, false);
        }
        return null;
    }

    /** A TRUNCATE or DROP of history partitions only, of a captured system-versioned table. */
    private boolean historyOnly(
            AlterAction.RowsChanged r,
            TableName table,
            Predicate<TableName> captured,
            java.util.function.Function<TableName, String> current) {
        if (r.partitions().isEmpty()
                || r.other() != null
                || !captured.test(table)
                || !(r.operation().equals("TRUNCATE PARTITION") || r.operation().equals("DROP PARTITION"))) {
            return false;
        }
        String cur = current.apply(table);
        if (cur == null || r.partitions().stream().anyMatch(cur::equalsIgnoreCase)) {
            return false;
        }
        LOG.info(
                "[{}] {} {} of {} removes history rows only, which no event shows",
                name,
                r.operation(),
                String.join(", ", r.partitions()),
                table);
        return true;
    }

    /**
     * A table Sluice does not capture renamed to a captured name: its rows, never emitted, are now the captured
     * table's (an online schema change's cut-over, when the include names the table but not the tool's copy). A
     * session's temporary table stays temporary under its new name.
     */
    private void renamedIn(
            TableName from, TableName to, long threadId, Predicate<TableName> captured, List<TableName> out) {
        Set<String> mine = temporary.get(threadId);
        if (mine != null && mine.remove(qn(from))) {
            mine.add(qn(to));
            return;
        }
        if (!captured.test(from) && captured.test(to) && !out.contains(to)) {
            out.add(to);
        }
    }

    private static final String RENAMED_IN = "a table that is not captured renamed to a captured name, its rows"
            + " with it (include the table it comes from, such as an online schema change tool's copy, to have its"
            + " rows as events)";

    /**
     * Applies the policy to a found statement at {@code file:pos}: halts (throws) unless it was approved there or the
     * policy lets it through; returns the tables to snapshot again (for {@link StatementPolicy#SNAPSHOT}), else an
     * empty list.
     */
    List<TableName> decide(Found f, String sql, String file, long pos) {
        String at = file + ":" + pos;
        String tables = f.tables.isEmpty()
                ? "tables its text does not name"
                : "the captured table" + (f.tables.size() > 1 ? "s " : " ")
                        + String.join(
                                ", ",
                                f.tables.stream().map(TableName::qualifiedName).toList())
                        + (f.unknownTables ? " (and maybe tables its text does not name)" : "");
        boolean approved = approvedAt.test(file, pos);
        if (policy == StatementPolicy.HALT && !approved) {
            throw SluiceException.fatal("the statement at " + at + " changed rows of " + tables + " without row"
                    + " events (" + f.what + "), so Sluice cannot tell which rows changed:\n    " + sql
                    + "\nSluice stopped before it; nothing of its transaction was emitted, and the checkpoint stays"
                    + " before it. " + cause(f) + "To go on, either set source.on-statement-changes: snapshot and"
                    + " restart (Sluice emits a t event for each table concerned and snapshots it again), or accept"
                    + " this statement with `sluice schema approve " + configOption + " --at " + at + "`, restart,"
                    + " and re-load the table" + (f.tables.size() > 1 ? "s" : "") + " with `sluice snapshot "
                    + configOption + snapshotTables(f) + "`.");
        }
        f.tables.forEach(t -> counted.accept(qn(t)));
        if (f.unknownTables) {
            counted.accept("*");
        }
        boolean snapshot = policy == StatementPolicy.SNAPSHOT && !f.tables.isEmpty();
        LOG.warn(
                "[{}] the statement at {} changed rows of {} without row events ({}); {}: {}",
                name,
                at,
                tables,
                f.what,
                approved
                        ? "approved, going on"
                        : snapshot
                                ? "the table" + (f.tables.size() > 1 ? "s are" : " is") + " truncated (t) and"
                                        + " snapshotted again"
                                        + (f.unknownTables ? "; tables it does not name cannot be" : "")
                                : "going on (source.on-statement-changes: "
                                        + policy.name().toLowerCase() + "); consumers may"
                                        + " hold other rows than the table until it is snapshotted again",
                sql);
        return snapshot && !approved ? f.tables : List.of();
    }

    private static String cause(Found f) {
        if (!f.asText) {
            return "";
        }
        return "The server logged the statement's rows as text: binlog_format was STATEMENT or MIXED for its session"
                + " (or the table is one MariaDB always logs so, such as a transaction-precise system-versioned"
                + " table). Set binlog_format=ROW (SET GLOBAL binlog_format='ROW' and in my.cnf; sessions keep their"
                + " format until they reconnect). ";
    }

    private static String snapshotTables(Found f) {
        if (f.tables.isEmpty()) {
            return " --table <db.table>";
        }
        StringBuilder sb = new StringBuilder();
        for (TableName t : f.tables) {
            sb.append(" --table ").append(t.qualifiedName());
        }
        return sb.toString();
    }

    private static String qn(TableName t) {
        return t.db() + "." + t.table();
    }
}
