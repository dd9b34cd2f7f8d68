package io.sluice.mysql.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.SchemaChange;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.ddl.AlterAction;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.KeySpec;
import io.sluice.mysql.ddl.TableName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the captured tables' schema versions while the binlog is read, on the reader thread. It numbers
 * the versions ({@link VersionNumbers}: a DDL statement announces the next number, the next TABLE_MAP adopts it
 * for its layout; a layout no DDL announced is counted there; a snapshot's rows get the current number), applies
 * each parsed DDL statement to the previous version's model, completes or corrects it from the TABLE_MAP events that
 * follow (and from information_schema on first sight of a table), records every version durably before the event
 * that announces it is emitted, checks each change against the compatibility policy (halting before the new
 * version's first event where the policy says so), and gives the models to decoding where the binlog carries no
 * column names (MINIMAL metadata), so a replay decodes with the version valid at its position.
 *
 * <p>The source calls in, never the other way: {@link #start} at the read position, {@link #statement} for each
 * statement (returning the {@code s} events to emit), {@link #tableMap} for each TABLE_MAP of a captured table
 * (returning its number), {@link #snapshotVersion} for snapshot rows, and {@link #versions} for every checkpoint.
 */
public final class SchemaTracker {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaTracker.class);

    /**
     * An {@code s} event to emit, in order: a captured table created, its columns or primary key changed, renamed
     * (under the new name) or dropped (with its last number).
     *
     * @param table   the table
     * @param version its version number
     * @param ddl     the statement
     * @param change  the column lists and what breaks the compatibility policy
     */
    public record SchemaEvent(TableName table, int version, String ddl, SchemaChange change) {
        /** The {@code s} event (without its id and source block), with the version's typed schema where known. */
        public ChangeEvent event() {
            TableSchema s = change == null ? null : change.schema();
            return new ChangeEvent(null, Op.SCHEMA, null, null, null, null, version, ddl, change)
                    .withTable(s != null && s.version() == version ? s : null);
        }
    }

    private final String pipeline;
    private final SchemaHistory history;
    private final Approvals approvals;
    private final SchemaPolicy policy;
    private final TableDescriber describer;
    private final BiPredicate<String, String> captured;
    private final VersionNumbers numbers = new VersionNumbers();
    private final Map<String, TableModel> current = new HashMap<>();
    /** The version number each model of {@link #current} describes (also the last one of a name whose table went). */
    private final Map<String, Integer> currentVersion = new HashMap<>();

    private final Map<String, String> checkedFingerprint = new HashMap<>();
    private final Map<String, DdlModels.Result> pending = new HashMap<>();
    /** The numbers in effect at the start position, per the history, for names the checkpoint does not know. */
    private final Map<String, TableVersion> atStart = new HashMap<>();

    private final Map<String, TableModel> pendingOld = new HashMap<>();
    private String atFile;
    private long atPos;
    /** What names the pipeline in a command a message gives when its configuration file is not known. */
    public static final String UNKNOWN_CONFIG_OPTION = "--config <pipeline file>";

    /** Quarantined tables and their breaking versions not approved yet. */
    private final Map<String, java.util.Set<Integer>> quarantined = new HashMap<>();

    private java.util.function.Consumer<SchemaVersion> recorded = v -> {};
    /** How the commands in its messages name the pipeline ({@code --config <its file>}). */
    private String configOption = UNKNOWN_CONFIG_OPTION;

    public SchemaTracker(
            String pipeline,
            SchemaHistory history,
            Approvals approvals,
            SchemaPolicy policy,
            TableMapDefinitions.Catalog catalog,
            BiPredicate<String, String> captured) {
        this.pipeline = pipeline;
        this.history = history;
        this.approvals = approvals;
        this.policy = policy;
        this.describer = new TableDescriber(pipeline, catalog);
        this.captured = captured;
    }

    /** Names the pipeline's configuration file in the commands its messages give ({@code --config <file>}). */
    public SchemaTracker configOption(String option) {
        this.configOption = java.util.Objects.requireNonNull(option, "option");
        return this;
    }

    /**
     * Whether a version no statement made gets an {@code s} event before its first row ({@link #firstRow}):
     * {@code encoding.announce-schemas}, off by default (the contract's {@code s} is a schema change; see
     * docs/change-event.md, "Announcing a version").
     */
    private boolean announceFirstSeen;

    /** Turns the {@code s} events of {@link #firstRow} on or off (off by default); call before {@link #start}. */
    public SchemaTracker announceFirstSeen(boolean on) {
        this.announceFirstSeen = on;
        numbers.announce(on);
        return this;
    }

    /** Called with each version newly written to the history (e.g. to write its schemas for consumers). */
    public void onRecorded(java.util.function.Consumer<SchemaVersion> listener) {
        this.recorded = listener;
    }

    private void record(SchemaVersion v) {
        if (history.append(v)) {
            recorded.accept(v);
        }
    }

    public SchemaHistory history() {
        return history;
    }

    /**
     * Sets the numbers and models in effect where reading starts: for each table of the checkpoint, its number and
     * the history's entry for it (unless the history dropped it before that position, or the checkpoint says the
     * name's table is gone); for other tables, whatever the history had in effect before the position. Tables whose
     * model the history holds continue their numbering, their next TABLE_MAP adopting the number; names whose table
     * was dropped or renamed away before it continue the name's sequence for a table created under it (a checkpoint's
     * own numbers always win).
     */
    public void start(Map<String, TableVersion> versions, BinlogPosition readFrom) {
        if (!versions.isEmpty() && history.missing()) {
            throw lostHistory(versions);
        }
        Map<String, SchemaVersion> before = readFrom == null ? Map.of() : history.validAt(readFrom);
        for (Map.Entry<String, SchemaVersion> e : before.entrySet()) {
            int number = e.getValue().version();
            // a name the checkpoint does not know was never announced to this sink: its first row gets an s event
            boolean dropped = e.getValue().dropped();
            atStart.put(
                    e.getKey(),
                    new TableVersion(
                            number, dropped ? TableVersion.GONE : TableVersion.PENDING, !dropped && announceFirstSeen));
            if (!e.getValue().dropped()) {
                current.put(e.getKey(), e.getValue().model());
                currentVersion.put(e.getKey(), number);
            }
        }
        for (Map.Entry<String, TableVersion> e : versions.entrySet()) {
            if (e.getValue().gone()) {
                current.remove(e.getKey());
                currentVersion.remove(e.getKey());
                continue;
            }
            SchemaVersion b = before.get(e.getKey());
            if (b != null && b.dropped() && b.version() == e.getValue().version()) {
                continue;
            }
            // the entry in effect at the position when it has the checkpoint's number (an index change recorded
            // later under the same number is not yet in effect there), else the number's latest entry
            SchemaVersion v =
                    b != null && !b.dropped() && b.version() == e.getValue().version()
                            ? b
                            : history.version(e.getKey(), e.getValue().version());
            if (v != null) {
                current.put(e.getKey(), v.model());
                currentVersion.put(e.getKey(), v.version());
            } else {
                current.remove(e.getKey());
                currentVersion.put(e.getKey(), e.getValue().version());
            }
        }
        for (Map.Entry<String, Integer> e : currentVersion.entrySet()) {
            SchemaPolicy.Rule rule = policy.ruleFor(e.getKey());
            if (rule.action() != SchemaPolicy.Action.QUARANTINE) {
                continue;
            }
            for (SchemaVersion v : history.versions(e.getKey())) {
                if (v.version() <= e.getValue()
                        && !v.breaking().isEmpty()
                        && !approvals.approved(e.getKey(), v.version())) {
                    quarantined
                            .computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>())
                            .add(v.version());
                }
            }
        }
        numbers.start(atStart, versions);
    }

    /**
     * A checkpoint that names table versions needs the history that describes them: without it the columns of
     * those versions are unknown, so the next schema change could not be checked against the policy, and a version
     * number could come to stand for another column set. Refused, with the three ways on.
     */
    private SluiceException lostHistory(Map<String, TableVersion> versions) {
        List<String> tables =
                new java.util.TreeSet<>(versions.keySet()).stream().limit(5).toList();
        return SluiceException.fatal("the schema history " + history.file() + " is missing, but"
                + " the checkpoint records versions of " + versions.size() + " table(s) (" + String.join(", ", tables)
                + (versions.size() > tables.size() ? ", ..." : "") + "): without the history the columns of those"
                + " versions are unknown, so schema changes could not be checked and version numbers could come to"
                + " mean other columns. Restore the file from a backup; or, with the pipeline stopped, rebuild it from"
                + " information_schema with `sluice schema rebuild --config <the pipeline's file>`; or, to go on"
                + " without it (each table is then described from the binlog when next seen), create it empty: touch "
                + history.file());
    }

    /** The version numbers now, as a checkpoint records them (an immutable map). */
    public Map<String, TableVersion> versions() {
        return numbers.all();
    }

    /** The version number of a table's current version (1 for a name never numbered), e.g. for its {@code t} event. */
    public int version(String qualifiedName) {
        TableVersion v = numbers.get(qualifiedName);
        return v == null ? 1 : v.version();
    }

    /**
     * The reader is at {@code file:pos}: where a version the snapshot asks for ({@link #snapshotVersion}) between
     * statements and table maps is recorded.
     */
    public void at(String file, long pos) {
        atFile = file;
        atPos = pos;
    }

    /** True while the table's events go to the quarantine file (a breaking version is not approved yet). */
    public boolean quarantined(String db, String table) {
        return !quarantined.isEmpty() && quarantined.containsKey(db + "." + table);
    }

    /** Releases quarantined tables whose breaking versions have all been approved since. */
    public void refreshApprovals() {
        if (quarantined.isEmpty()) {
            return;
        }
        quarantined.entrySet().removeIf(e -> {
            e.getValue().removeIf(v -> approvals.approved(e.getKey(), v));
            if (e.getValue().isEmpty()) {
                LOG.info("[{}] schema: {} approved; its events go to the sink again", pipeline, e.getKey());
                return true;
            }
            return false;
        });
    }

    /**
     * The schema version number of a table ({@code db.table}) for its snapshot rows, read at the reader's position
     * ({@link #at}): its current one; a table not seen yet starts at 1 (or continues its name's sequence, when a
     * table of that name was dropped or renamed away), its next TABLE_MAP adopting the number.
     */
    public int snapshotVersion(String qualifiedName) {
        TableVersion before = numbers.get(qualifiedName);
        int version = numbers.currentOrNext(qualifiedName);
        if (before == null || before.gone()) {
            numbers.unannounced(qualifiedName, true); // numbered here: announced before its first row
        }
        int dot = qualifiedName.indexOf('.');
        snapshotted(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1), version, atFile, atPos);
        return version;
    }

    /**
     * The schema of a table's snapshot rows read at the reader's position ({@link #at}), of the version
     * {@link #snapshotVersion} gives: the history's model of that version, or where the history has none or its
     * columns are not the ones read (names, in order), the {@code described} columns the snapshot read, under that
     * version.
     *
     * @param described the table as the snapshot described it when reading it (any version number)
     */
    public TableSchema snapshotSchema(String qualifiedName, TableSchema described) {
        int version = snapshotVersion(qualifiedName);
        TableModel m =
                Integer.valueOf(version).equals(currentVersion.get(qualifiedName)) ? current.get(qualifiedName) : null;
        if (m == null) {
            SchemaVersion v = history.version(qualifiedName, version);
            m = v == null ? null : v.model();
        }
        if (m != null && m.columns().size() == described.columns().size()) {
            TableSchema s = CoreSchemas.of(m, version);
            boolean same = true;
            for (int i = 0; i < s.names().length && same; i++) {
                same = s.names()[i].equalsIgnoreCase(described.names()[i]);
            }
            if (same) {
                return s;
            }
        }
        return described.withVersion(version);
    }

    /** The schema of a table's current version where its model is known (for its {@code t} event), else null. */
    public TableSchema currentSchema(String qualifiedName) {
        TableModel m = current.get(qualifiedName);
        Integer v = currentVersion.get(qualifiedName);
        return m == null || v == null ? null : CoreSchemas.of(m, v);
    }

    /**
     * A snapshot emits rows of a table under {@code version} at {@code file:pos}: where the history has no model of
     * that version (the table was read before any table map of it, as an idle table is), records the table as
     * information_schema shows it, so the version's schemas are published with its first rows. The table's next
     * table map completes or corrects it as for any version.
     */
    private void snapshotted(String db, String table, int version, String file, long pos) {
        String qn = db + "." + table;
        if (current.containsKey(qn) && Integer.valueOf(version).equals(currentVersion.get(qn))
                || history.version(qn, version) != null) {
            return;
        }
        TableModel m = describer.describe(db, table);
        if (m != null) {
            record(new SchemaVersion(qn, version, file, pos, null, SchemaVersion.SNAPSHOT, m, List.of()));
            current.put(qn, m);
            currentVersion.put(qn, version);
        }
    }

    /** The model of a table's current version, else null. */
    public TableModel current(String qualifiedName) {
        return current.get(qualifiedName);
    }

    /**
     * What decoding should assume about a table when the binlog does not say (column names under MINIMAL
     * metadata, unique keys, special types): the current version's model, or null to ask information_schema.
     */
    public InfoSchema.Table known(String qualifiedName) {
        TableModel m = current.get(qualifiedName);
        if (m == null) {
            return null;
        }
        List<InfoSchema.Column> cols = new ArrayList<>();
        for (ColumnModel c : m.columns()) {
            if (c.character() && c.charset() == null) {
                return null; // not knowing a character set would decode text as bytes: ask information_schema
            }
            cols.add(new InfoSchema.Column(
                    c.name(), c.dataType(), c.type(), c.nullable(), c.character() ? c.charset() : null));
        }
        return new InfoSchema.Table(cols, m.eventKey(), !m.primaryKey().isEmpty());
    }

    /**
     * A statement (other than DML) was read at {@code file:pos}: derives the models of the tables it changes,
     * numbers their versions and returns the {@code s} events to emit, in order, each version recorded in the
     * history and checked against the policy first. A change of a captured table's columns or primary key, or its
     * creation, announces the next number, which the table's next TABLE_MAP adopts for its layout; a rename
     * continues the table's sequence under the new name; a drop gives the last number. A statement the parser could
     * not read that names a captured table halts (unless approved at its position, or the table's policy is
     * {@code warn} or {@code none}); its change, if any, is numbered at the table's next TABLE_MAP.
     */
    public List<SchemaEvent> statement(DdlStatement st, String sql, String file, long pos) {
        models(st, sql, file, pos);
        return numbered(st, sql);
    }

    /** Derives the models of the tables a statement changes, for the {@code s} events that follow. */
    private void models(DdlStatement st, String sql, String file, long pos) {
        atFile = file;
        atPos = pos;
        pending.clear();
        pendingOld.clear();
        if (st instanceof DdlStatement.Unparseable u) {
            unparseable(u, sql, file, pos);
            return;
        }
        if (!st.isTableDdl() && !(st instanceof DdlStatement.DropDatabase)) {
            return;
        }
        Map<String, DdlModels.Result> results;
        if (st instanceof DdlStatement.DropDatabase d) {
            results = new HashMap<>();
            for (String qn : List.copyOf(current.keySet())) {
                if (qn.startsWith(d.name() + ".")) {
                    results.put(qn, new DdlModels.Gone());
                }
            }
        } else {
            results = DdlModels.apply(st, current::get);
        }
        Map<String, TableModel> renamedFrom = new HashMap<>();
        if (st instanceof DdlStatement.AlterTable a && a.renamedTo() != null) {
            renamedFrom.put(qn(a.renamedTo()), current.get(qn(a.table())));
        } else if (st instanceof DdlStatement.RenameTable r) {
            Map<String, TableModel> now = new HashMap<>(current);
            for (DdlStatement.RenameTable.Rename rename : r.renames()) {
                renamedFrom.put(qn(rename.to()), now.remove(qn(rename.from())));
            }
        }
        for (Map.Entry<String, DdlModels.Result> e : results.entrySet()) {
            String qn = e.getKey();
            pendingOld.put(qn, renamedFrom.containsKey(qn) ? renamedFrom.get(qn) : current.get(qn));
            if (e.getValue() instanceof DdlModels.Known k && captured(k.model())) {
                e.setValue(new DdlModels.Known(describer.withCharsets(k.model())));
            }
            pending.put(qn, e.getValue());
        }
        for (Map.Entry<String, DdlModels.Result> e : results.entrySet()) {
            keysOnly(e.getKey(), e.getValue(), sql, file, pos);
            renamedAway(st, e.getKey(), e.getValue(), sql, file, pos);
        }
        for (Map.Entry<String, DdlModels.Result> e : results.entrySet()) {
            if (e.getValue() instanceof DdlModels.Gone) {
                current.remove(e.getKey());
            } else if (e.getValue() instanceof DdlModels.Known k) {
                current.put(e.getKey(), k.model());
            } else {
                current.remove(e.getKey());
            }
        }
    }

    /** Numbers the versions a statement makes and announces them (see {@link #statement}). */
    private List<SchemaEvent> numbered(DdlStatement st, String ddl) {
        List<SchemaEvent> out = new ArrayList<>();
        if (st instanceof DdlStatement.CreateTable c) {
            if (!c.temporary() && captured(c.table())) {
                out.add(announce(c.table(), numbers.next(qn(c.table())), ddl));
            }
        } else if (st instanceof DdlStatement.AlterTable a) {
            TableName target = a.renamedTo() != null ? a.renamedTo() : a.table();
            if (a.renamedTo() != null) {
                numbers.move(qn(a.table()), qn(target));
            }
            if (captured(target)) {
                if (a.actions().stream().anyMatch(SchemaTracker::changesColumnsOrKey)) {
                    out.add(announce(target, numbers.next(qn(target)), ddl));
                } else if (a.renamedTo() != null) {
                    out.add(announce(target, numbers.currentOrNext(qn(target)), ddl));
                }
            }
        } else if (st instanceof DdlStatement.RenameTable r) {
            for (DdlStatement.RenameTable.Rename rename : r.renames()) {
                numbers.move(qn(rename.from()), qn(rename.to()));
                if (captured(rename.to())) {
                    out.add(announce(rename.to(), numbers.currentOrNext(qn(rename.to())), ddl));
                }
            }
        } else if (st instanceof DdlStatement.DropTable d) {
            if (!d.temporary()) {
                for (TableName t : d.tables()) {
                    dropped(t, ddl, out);
                }
            }
        } else if (st instanceof DdlStatement.DropDatabase d) {
            for (String qn : numbers.all().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(d.name() + ".")
                            && !e.getValue().gone())
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList()) {
                dropped(new TableName(d.name(), qn.substring(d.name().length() + 1)), ddl, out);
            }
        }
        return out;
    }

    private static boolean changesColumnsOrKey(AlterAction a) {
        return a instanceof AlterAction.AddColumns
                || a instanceof AlterAction.DropColumn
                || a instanceof AlterAction.ModifyColumn
                || a instanceof AlterAction.ChangeColumn
                || a instanceof AlterAction.RenameColumn
                || a instanceof AlterAction.ConvertCharset
                || a instanceof AlterAction.DropPrimaryKey
                || a instanceof AlterAction.AddKey k && k.key().kind() == KeySpec.Kind.PRIMARY;
    }

    /** A dropped table: its last version's {@code s} event; the name keeps its number for a table created later. */
    private void dropped(TableName t, String ddl, List<SchemaEvent> out) {
        TableVersion v = numbers.get(qn(t));
        if (v == null || v.gone()) {
            return;
        }
        if (captured(t)) {
            out.add(announce(t, v.version(), ddl));
        }
        numbers.gone(qn(t), v.version());
    }

    private boolean captured(TableName t) {
        return t.db() != null && captured.test(t.db(), t.table());
    }

    /**
     * A statement that changes only a captured table's unique keys keeps its version number (no {@code s} event),
     * but the history records the new keys under that number at the statement's position, before the statement's
     * checkpoint: the event key of a table without primary key comes from them.
     */
    private void keysOnly(String qn, DdlModels.Result r, String sql, String file, long pos) {
        TableModel old = current.get(qn);
        Integer version = currentVersion.get(qn);
        if (r instanceof DdlModels.Known k
                && old != null
                && version != null
                && captured(k.model())
                && k.model().columns().equals(old.columns())
                && k.model().primaryKey().equals(old.primaryKey())
                && !k.model().uniqueKeys().equals(old.uniqueKeys())) {
            record(new SchemaVersion(qn, version, file, pos, sql, SchemaVersion.DDL, k.model(), List.of()));
        }
    }

    /**
     * A captured table renamed away gets no {@code s} event under its old name (the new name's tells the rename),
     * but the history records that the name's table is gone there, with its last number: a replay from a later
     * position then knows the name continues after that number, and its model is no longer in effect.
     */
    private void renamedAway(DdlStatement st, String qn, DdlModels.Result r, String sql, String file, long pos) {
        boolean rename = st instanceof DdlStatement.RenameTable
                || st instanceof DdlStatement.AlterTable a && a.renamedTo() != null;
        Integer version = currentVersion.get(qn);
        int dot = qn.indexOf('.');
        if (!rename
                || !(r instanceof DdlModels.Gone)
                || version == null
                || renameTargets(st).contains(qn)
                || !captured.test(qn.substring(0, dot), qn.substring(dot + 1))) {
            return;
        }
        record(new SchemaVersion(qn, version, file, pos, sql, SchemaVersion.DDL, null, List.of()));
    }

    /** The names a rename statement gives an {@code s} event (its targets). */
    private static java.util.Set<String> renameTargets(DdlStatement st) {
        if (st instanceof DdlStatement.AlterTable a) {
            return java.util.Set.of(qn(a.renamedTo()));
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (DdlStatement.RenameTable.Rename rename : ((DdlStatement.RenameTable) st).renames()) {
            out.add(qn(rename.to()));
        }
        return out;
    }

    private boolean captured(TableModel m) {
        return captured.test(m.db(), m.table());
    }

    private void unparseable(DdlStatement.Unparseable u, String sql, String file, long pos) {
        List<String> touched = u.tables().stream()
                .filter(t -> t.db() != null && captured.test(t.db(), t.table()))
                .map(SchemaTracker::qn)
                .toList();
        if (touched.isEmpty()) {
            LOG.warn(
                    "[{}] a statement at {}:{} could not be parsed ({} at offset {}) and names no captured table;"
                            + " ignored: {}",
                    pipeline,
                    file,
                    pos,
                    u.reason(),
                    u.position(),
                    sql);
            return;
        }
        boolean halt = touched.stream()
                .map(policy::ruleFor)
                .anyMatch(r -> r.action() == SchemaPolicy.Action.HALT && r.mode() != Compatibility.Mode.NONE);
        if (!halt || approvals.approvedAt(file, pos)) {
            LOG.warn(
                    "[{}] a statement at {}:{} touching {} could not be parsed ({} at offset {}){}; the table's"
                            + " new layout, if any, is taken from the binlog's next TABLE_MAP: {}",
                    pipeline,
                    file,
                    pos,
                    touched,
                    u.reason(),
                    u.position(),
                    halt ? " and was approved" : "",
                    sql);
            return;
        }
        throw SluiceException.fatal("schema: the statement at " + file + ":" + pos + " touches the captured table "
                + String.join(", ", touched) + " but could not be parsed (" + u.reason() + " at offset "
                + u.position() + "):\n    " + sql + "\nSluice stopped before it; nothing after it was emitted. To"
                + " proceed, check what the statement does to the table; then `sluice schema approve "
                + configOption + " --at " + file + ":" + pos + "` and restart: Sluice then takes the table's layout"
                + " from the binlog (TABLE_MAP) and information_schema. Please also report the statement, so the"
                + " parser learns it.");
    }

    /**
     * A captured table's {@code s} event is to be emitted with {@code version}: records the version in the history
     * (durably, before the event), checks it against the policy and returns the event with its column lists.
     */
    private SchemaEvent announce(TableName t, int version, String ddl) {
        SchemaEvent e = new SchemaEvent(t, version, ddl, announce(t.db(), t.table(), version, ddl));
        numbers.unannounced(qn(t), false);
        return e;
    }

    /**
     * A row of a captured table under {@code version} is about to be emitted: where no {@code s} event has announced
     * that version to this sink yet (it was first seen in a table map or by a snapshot, e.g. with {@code start:
     * latest} or {@code snapshot}), returns the {@code s} event to emit before it, with {@code ddl} null, the
     * version's columns, the previous version's (where the history has them) and what it broke; else null.
     * The version is marked announced in the numbers the next checkpoint carries, so the mark commits with the
     * event: a restart from an earlier checkpoint announces it again, one from a later one does not.
     */
    public SchemaEvent firstRow(String db, String table, int version) {
        String qn = db + "." + table;
        TableVersion v = numbers.get(qn);
        if (!announceFirstSeen || v == null || !v.unannounced() || v.version() != version) {
            return null;
        }
        SchemaVersion entry = history.version(qn, version);
        TableModel model = Integer.valueOf(version).equals(currentVersion.get(qn)) ? current.get(qn) : null;
        if (model == null && entry != null) {
            model = entry.model();
        }
        SchemaVersion previous = version > 1 ? history.version(qn, version - 1) : null;
        TableModel old = previous == null ? null : previous.model();
        numbers.unannounced(qn, false);
        return new SchemaEvent(
                new TableName(db, table),
                version,
                null,
                new SchemaChange(
                        columns(model),
                        columns(old),
                        entry == null ? List.of() : entry.breaking(),
                        model == null ? null : CoreSchemas.of(model, version)));
    }

    private SchemaChange announce(String db, String table, int version, String ddl) {
        String qn = db + "." + table;
        DdlModels.Result r = pending.getOrDefault(qn, DdlModels.Result.UNKNOWN);
        TableModel old = pendingOld.get(qn);
        Integer previous = currentVersion.get(qn);
        if (r instanceof DdlModels.Gone) {
            record(new SchemaVersion(qn, version, atFile, atPos, ddl, SchemaVersion.DDL, null, List.of()));
            currentVersion.put(qn, version);
            return new SchemaChange(null, columns(old), List.of());
        }
        TableModel model = r instanceof DdlModels.Known k ? k.model() : describer.describe(db, table);
        String origin = r instanceof DdlModels.Known ? SchemaVersion.DDL : SchemaVersion.TABLE_MAP;
        boolean changed = previous == null || previous != version;
        List<String> breaking = changed && old != null && model != null
                ? Compatibility.breaking(old, model, policy.ruleFor(qn).mode())
                : List.of();
        if (model != null) {
            record(new SchemaVersion(qn, version, atFile, atPos, ddl, origin, model, breaking));
            current.put(qn, model);
        }
        currentVersion.put(qn, version);
        checkedFingerprint.remove(qn);
        decide(qn, version, ddl, breaking);
        return new SchemaChange(
                columns(model), columns(old), breaking, model == null ? null : CoreSchemas.of(model, version));
    }

    /** Halts on a breaking change when the table's policy says so and the version is not approved. */
    private void decide(String qn, int version, String ddl, List<String> breaking) {
        if (breaking.isEmpty()) {
            return;
        }
        SchemaPolicy.Rule rule = policy.ruleFor(qn);
        if (rule.action() == SchemaPolicy.Action.QUARANTINE && !approvals.approved(qn, version)) {
            quarantined.computeIfAbsent(qn, k -> new java.util.TreeSet<>()).add(version);
            LOG.warn(
                    "[{}] schema: version {} of {} breaks the {} compatibility policy: {}; the table's events go to"
                            + " the quarantine file until `sluice schema approve {} --table {} --version {}`",
                    pipeline,
                    version,
                    qn,
                    rule.mode().name().toLowerCase(),
                    String.join("; ", breaking),
                    configOption,
                    qn,
                    version);
            return;
        }
        if (rule.action() == SchemaPolicy.Action.HALT && !approvals.approved(qn, version)) {
            throw SluiceException.fatal("schema: version " + version + " of " + qn + " breaks the "
                    + rule.mode().name().toLowerCase() + " compatibility policy: " + String.join("; ", breaking)
                    + "\n    statement: "
                    + (ddl == null
                            ? "(none: the change was seen in the binlog's table map at " + atFile + ":" + atPos + ")"
                            : ddl)
                    + "\nSluice stopped before the new version's first event; nothing of it was emitted. To proceed,"
                    + " update the consumers of " + qn + " if needed, then `sluice schema approve " + configOption
                    + " --table " + qn + " --version " + version + "` and restart; or set schema.on-breaking"
                    + " (or schema.tables." + qn + ".on-breaking) to warn.");
        }
        LOG.warn(
                "[{}] schema: version {} of {} breaks the {} compatibility policy{}: {}",
                pipeline,
                version,
                qn,
                rule.mode().name().toLowerCase(),
                rule.action() != SchemaPolicy.Action.WARN ? " (approved)" : "",
                String.join("; ", breaking));
    }

    /**
     * A TABLE_MAP of a captured table was read at {@code file:pos}, with a layout its decoding has not seen before:
     * returns the layout's version number (the current one, the one a DDL statement announced, or the next one),
     * completes or corrects the model from the binlog, records versions first seen here, and checks changes no DDL
     * announced. With {@code replay} (a transaction read again before the checkpoint's position, counted when first
     * read) the numbering does not advance and nothing is recorded.
     */
    public int tableMap(TableDef def, String file, long pos, boolean replay) {
        VersionNumbers.Adopted a = numbers.adopt(def.qualifiedName(), def.fingerprint(), replay);
        if (!replay) {
            mapped(def, a.version(), a.mapping(), file, pos);
        }
        if (a.mapping() == VersionNumbers.Mapping.NEW && a.version() > 1) {
            LOG.info("[{}] table {} now at schema version {}", pipeline, def.qualifiedName(), a.version());
        }
        return a.version();
    }

    /**
     * The model of a TABLE_MAP's layout under {@code version}: completes or corrects the model from the binlog,
     * records versions first seen here, and checks changes no DDL announced.
     */
    private void mapped(TableDef def, int version, VersionNumbers.Mapping mapping, String file, long pos) {
        String qn = def.qualifiedName();
        String fp = def.fingerprint();
        if (fp.equals(checkedFingerprint.get(qn)) && Integer.valueOf(version).equals(currentVersion.get(qn))) {
            return;
        }
        checkedFingerprint.put(qn, fp);
        atFile = file;
        atPos = pos;
        TableModel model = current.get(qn);
        boolean known = model != null && Integer.valueOf(version).equals(currentVersion.get(qn));
        if (known) {
            // also for a NEW number: numbering that started afresh (no checkpoint) at a position the history knows
            TableModel merged = describer.reconcile(model, def, version, atFile, atPos);
            if (!merged.equals(model)) {
                current.put(qn, merged);
                SchemaVersion prev = history.version(qn, version);
                record(new SchemaVersion(
                        qn,
                        version,
                        file,
                        pos,
                        prev == null ? null : prev.ddl(),
                        SchemaVersion.TABLE_MAP,
                        merged,
                        prev == null ? List.of() : prev.breaking()));
            }
            return;
        }
        TableModel built = describer.fromBinlog(def, file, pos);
        TableModel old = mapping == VersionNumbers.Mapping.NEW ? current.get(qn) : null;
        List<String> breaking = old == null
                ? List.of()
                : Compatibility.breaking(old, built, policy.ruleFor(qn).mode());
        SchemaVersion prev = history.version(qn, version);
        record(new SchemaVersion(
                qn, version, file, pos, prev == null ? null : prev.ddl(), SchemaVersion.TABLE_MAP, built, breaking));
        current.put(qn, built);
        currentVersion.put(qn, version);
        if (mapping == VersionNumbers.Mapping.NEW && old != null) {
            decide(qn, version, null, breaking);
        }
    }

    private static String qn(TableName t) {
        return t.db() + "." + t.table();
    }

    /** The column list of an {@code s} event: a JSON array of column objects (docs/change-event.md). */
    public static JsonText columns(TableModel m) {
        if (m == null) {
            return null;
        }
        ArrayNode arr = SchemaHistory.JSON.createArrayNode();
        List<String> key = m.eventKey();
        for (ColumnModel c : m.columns()) {
            ObjectNode o = arr.addObject();
            o.put("name", c.name());
            o.put("type", c.type());
            o.put("nullable", c.nullable());
            if (c.hasDefault()) {
                o.put("default", c.defaultValue());
            }
            if (c.charset() != null) {
                o.put("charset", c.charset());
            }
            if (c.collation() != null) {
                o.put("collation", c.collation());
            }
            if (key.stream().anyMatch(k -> k.equalsIgnoreCase(c.name()))) {
                o.put("key", true);
            }
        }
        try {
            return new JsonText(SchemaHistory.JSON.writeValueAsString(arr));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
