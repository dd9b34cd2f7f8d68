package io.sluice.mysql.source;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.TableName;
import io.sluice.mysql.schema.ForeignKeyCascades;
import io.sluice.mysql.schema.TableDefinitions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables whose rows' deletes or updates change rows of captured tables through foreign keys' actions, which the
 * binlog does not log (InnoDB makes them): a rows event of such a table is a statement change of those captured
 * tables ({@link StatementHandling#changedWithoutEvents}), once per transaction.
 *
 * <p>Runs on the binlog reader thread only.
 */
final class ForeignKeyParents {
    /**
     * A table whose rows' deletes or updates change rows of captured tables through foreign keys' actions
     * ({@link ForeignKeyCascades}).
     *
     * @param qualifiedName the table
     * @param onDelete      the captured tables a delete of its rows may change
     * @param referenced    the columns keys with an ON UPDATE action reference, and their index in its rows
     *                      (-1 where the binlog does not name its columns: any update counts)
     */
    private record Parent(String qualifiedName, List<TableName> onDelete, Map<String, Integer> referenced) {}

    private final TableFilter filter;
    private final TableDefinitions definitions;
    private final StatementHandling statements;
    /** The server's cascading foreign keys, read at the first need after table DDL (null until then). */
    private ForeignKeyCascades cascades;
    /** By table id, the tables of the latest TABLE_MAPs whose changes reach captured tables through keys' actions. */
    private final Map<Long, Parent> parents = new HashMap<>();

    ForeignKeyParents(TableFilter filter, TableDefinitions definitions, StatementHandling statements) {
        this.filter = filter;
        this.definitions = definitions;
        this.statements = statements;
    }

    /** Table DDL may have changed keys: they are read again at the next TABLE_MAP. */
    void after(DdlStatement st) {
        if (st.isTableDdl() || st instanceof DdlStatement.DropDatabase) {
            cascades = null;
            parents.clear();
        }
    }

    /**
     * Notes a table whose deletes or updates change captured tables through foreign keys' actions, from its
     * TABLE_MAP (captured or not: the parent need not be).
     */
    void tableMap(TableMapEventData tm) {
        if (cascades == null) {
            cascades = definitions.cascades(filter::mayCapture);
        }
        String qn = tm.getDatabase() + "." + tm.getTable();
        if (cascades.none(qn)) {
            parents.remove(tm.getTableId());
            return;
        }
        List<TableName> onDelete = capturedOf(cascades.changedByDelete(qn));
        Map<String, Integer> referenced = new HashMap<>();
        List<String> names =
                tm.getEventMetadata() == null ? null : tm.getEventMetadata().getColumnNames();
        for (String column : cascades.referencedOnUpdate(qn)) {
            int at = -1;
            for (int i = 0; names != null && i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(column)) {
                    at = i;
                }
            }
            referenced.put(column, at);
        }
        parents.put(tm.getTableId(), new Parent(qn, onDelete, referenced));
    }

    private List<TableName> capturedOf(java.util.Collection<String> tables) {
        List<TableName> out = new ArrayList<>();
        for (String t : tables) {
            int dot = t.indexOf('.');
            TableName name = new TableName(t.substring(0, dot), t.substring(dot + 1));
            if (filter.captures(name.db(), name.table())) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * A rows event of the open transaction (not one read before): where its table's deletes or updates change
     * captured tables through foreign keys' actions, the policy for statement changes applies to those tables.
     */
    void rows(Object d, Transaction txn) throws InterruptedException {
        if (parents.isEmpty()) {
            return;
        }
        List<TableName> reached;
        String what;
        Parent p;
        if (d instanceof DeleteRowsEventData del && (p = parents.get(del.getTableId())) != null) {
            reached = p.onDelete();
            what = "a delete of rows of " + p.qualifiedName() + " cascades through a foreign key (ON DELETE)";
        } else if (d instanceof UpdateRowsEventData u
                && (p = parents.get(u.getTableId())) != null
                && !p.referenced().isEmpty()) {
            Set<String> changed = new HashSet<>();
            for (Map.Entry<Serializable[], Serializable[]> r : u.getRows()) {
                p.referenced().forEach((column, at) -> {
                    if (at < 0
                            || at >= r.getKey().length
                            || !java.util.Objects.deepEquals(r.getKey()[at], r.getValue()[at])) {
                        changed.add(column.toLowerCase());
                    }
                });
            }
            reached = changed.isEmpty()
                    ? List.of()
                    : capturedOf(cascades.changedByUpdate(p.qualifiedName(), c -> changed.contains(c.toLowerCase())));
            what = "an update of rows of " + p.qualifiedName() + " cascades through a foreign key (ON UPDATE)";
        } else {
            return;
        }
        if (txn.cascaded == null) {
            txn.cascaded = new HashSet<>();
        }
        List<TableName> fresh = reached.stream()
                .filter(t -> txn.cascaded.add(t.db() + "." + t.table()))
                .toList();
        if (!fresh.isEmpty()) {
            statements.changedWithoutEvents(
                    new StatementChanges.Found(what, fresh, false, false),
                    "(the rows event of " + p.qualifiedName() + ")");
        }
    }
}
