package io.sluice.mysql.schema;

import io.sluice.mysql.ddl.AlterAction;
import io.sluice.mysql.ddl.ColumnPosition;
import io.sluice.mysql.ddl.ColumnSpec;
import io.sluice.mysql.ddl.DdlStatement;
import io.sluice.mysql.ddl.KeySpec;
import io.sluice.mysql.ddl.TableName;
import io.sluice.mysql.ddl.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies a parsed DDL statement to the table models it touches: the next version of each table is the previous
 * one with the statement's changes. Where the statement alone cannot tell (CREATE TABLE ... AS SELECT, LIKE of an
 * unknown table, ALTER of a table never seen), the result is {@link Result#UNKNOWN}: the table's next TABLE_MAP
 * (and information_schema) complete it.
 */
public final class DdlModels {

    /** The outcome for one table name. */
    public sealed interface Result {
        Unknown UNKNOWN = new Unknown();
    }

    /** The table's new model. */
    public record Known(TableModel model) implements Result {}

    /** The table was dropped (or renamed away). */
    public record Gone() implements Result {}

    /** The table exists but its model cannot be derived from the statement. */
    public record Unknown() implements Result {}

    private DdlModels() {}

    /**
     * The models after the statement, per {@code db.table} the statement touches, in statement order.
     *
     * @param current the model of a table before the statement, or null when unknown
     */
    public static Map<String, Result> apply(DdlStatement st, Function<String, TableModel> current) {
        Map<String, Result> out = new LinkedHashMap<>();
        Function<String, TableModel> now = qn -> {
            Result r = out.get(qn);
            if (r != null) {
                return r instanceof Known k ? k.model : null;
            }
            return current.apply(qn);
        };
        if (st instanceof DdlStatement.CreateTable c) {
            TableName t = c.table();
            if (c.temporary()) {
                return out;
            }
            TableModel existing = current.apply(qn(t));
            if (c.ifNotExists() && existing != null) {
                out.put(qn(t), new Known(existing)); // nothing created: the table stays as it is
                return out;
            }
            if (c.columnsKnown()) {
                out.put(qn(t), new Known(create(c.spec(), t)));
            } else if (c.like() != null && now.apply(qn(c.like())) != null) {
                out.put(qn(t), new Known(now.apply(qn(c.like())).renamed(t.db(), t.table())));
            } else {
                out.put(qn(t), Result.UNKNOWN);
            }
        } else if (st instanceof DdlStatement.AlterTable a) {
            TableModel old = now.apply(qn(a.table()));
            TableName target = a.renamedTo() != null ? a.renamedTo() : a.table();
            if (a.renamedTo() != null) {
                out.put(qn(a.table()), new Gone());
            }
            out.put(
                    qn(target),
                    old == null
                            ? Result.UNKNOWN
                            : new Known(alter(old, a.actions()).renamed(target.db(), target.table())));
        } else if (st instanceof DdlStatement.RenameTable r) {
            for (DdlStatement.RenameTable.Rename rename : r.renames()) {
                TableModel old = now.apply(qn(rename.from()));
                out.put(qn(rename.from()), new Gone());
                out.put(
                        qn(rename.to()),
                        old == null
                                ? Result.UNKNOWN
                                : new Known(old.renamed(
                                        rename.to().db(), rename.to().table())));
            }
        } else if (st instanceof DdlStatement.DropTable d) {
            if (!d.temporary()) {
                for (TableName t : d.tables()) {
                    out.put(qn(t), new Gone());
                }
            }
        } else if (st instanceof DdlStatement.CreateIndex ci) {
            TableModel old = now.apply(qn(ci.table()));
            out.put(
                    qn(ci.table()),
                    old == null
                            ? Result.UNKNOWN
                            : new Known(alter(old, List.of(new AlterAction.AddKey(ci.key(), ci.ifNotExists())))));
        } else if (st instanceof DdlStatement.DropIndex di) {
            TableModel old = now.apply(qn(di.table()));
            AlterAction drop = di.name().equalsIgnoreCase("PRIMARY")
                    ? new AlterAction.DropPrimaryKey()
                    : new AlterAction.DropKey(di.name(), di.ifExists());
            out.put(qn(di.table()), old == null ? Result.UNKNOWN : new Known(alter(old, List.of(drop))));
        }
        return out;
    }

    private static String qn(TableName t) {
        return t.db() + "." + t.table();
    }

    static TableModel create(TableSpec spec, TableName name) {
        List<ColumnModel> cols = new ArrayList<>();
        for (ColumnSpec c : spec.columns()) {
            cols.add(column(c, spec.charset(), spec.collation()));
        }
        TableModel m = new TableModel(name.db(), name.table(), cols, List.of(), List.of(), spec.charset());
        for (KeySpec k : spec.keys()) {
            m = addKey(m, k);
        }
        return m;
    }

    /** A column as the DDL declares it; a character column without charset takes the table's default. */
    static ColumnModel column(ColumnSpec c, String tableCharset, String tableCollation) {
        Long length = c.length();
        String type = c.typeName();
        boolean character = Types.family(type) == Types.Family.STRING || type.equals("enum") || type.equals("set");
        String charset = null;
        String collation = null;
        if (character) {
            charset = c.charset() != null ? c.charset() : tableCharset;
            collation = c.collation();
            if (collation == null && c.charset() == null) {
                collation = tableCollation;
            }
            if ("_bin".equals(collation)) {
                collation = charset == null ? null : charset + "_bin";
            }
            if (charset == null && collation != null && collation.contains("_")) {
                charset = collation.substring(0, collation.indexOf('_'));
            }
        }
        boolean hasDefault = c.hasDefault();
        String dflt =
                hasDefault && !c.defaultValue().isNull() ? c.defaultValue().text() : null;
        return new ColumnModel(
                c.name(),
                type,
                length,
                c.scale(),
                c.unsigned(),
                charset,
                collation,
                c.nullable(),
                hasDefault,
                dflt,
                c.labels());
    }

    static TableModel alter(TableModel old, List<AlterAction> actions) {
        TableModel m = old;
        for (AlterAction a : actions) {
            m = alter(m, a);
        }
        return m;
    }

    private static TableModel alter(TableModel m, AlterAction a) {
        if (a instanceof AlterAction.AddColumns add) {
            List<ColumnModel> cols = m.columnsCopy();
            ColumnPosition pos = add.position();
            int at = pos.first() ? 0 : pos.after() != null ? m.indexOf(pos.after()) + 1 : cols.size();
            if (at <= 0 && !pos.first()) {
                at = cols.size();
            }
            for (ColumnSpec c : add.columns()) {
                if (m.column(c.name()) != null) {
                    continue; // ADD COLUMN IF NOT EXISTS of an existing column
                }
                cols.add(Math.min(at++, cols.size()), column(c, m.charset(), null));
            }
            TableModel next = m.withColumns(cols);
            for (ColumnSpec c : add.columns()) {
                next = inlineKeys(next, c);
            }
            return next;
        }
        if (a instanceof AlterAction.DropColumn d) {
            return dropColumn(m, d.name());
        }
        if (a instanceof AlterAction.ModifyColumn mod) {
            return replace(m, mod.column().name(), mod.column(), mod.position());
        }
        if (a instanceof AlterAction.ChangeColumn ch) {
            return replace(m, ch.oldName(), ch.column(), ch.position());
        }
        if (a instanceof AlterAction.RenameColumn rc) {
            int i = m.indexOf(rc.from());
            if (i < 0) {
                return m;
            }
            List<ColumnModel> cols = m.columnsCopy();
            cols.set(i, cols.get(i).withName(rc.to()));
            return renameInKeys(m.withColumns(cols), rc.from(), rc.to());
        }
        if (a instanceof AlterAction.AlterColumnDefault ad) {
            int i = m.indexOf(ad.column());
            if (i < 0) {
                return m;
            }
            List<ColumnModel> cols = m.columnsCopy();
            boolean has = ad.value() != null;
            cols.set(
                    i,
                    cols.get(i)
                            .withDefault(
                                    has,
                                    has && !ad.value().isNull() ? ad.value().text() : null));
            return m.withColumns(cols);
        }
        if (a instanceof AlterAction.AddKey k) {
            return addKey(m, k.key());
        }
        if (a instanceof AlterAction.DropPrimaryKey) {
            return m.withKeys(List.of(), m.uniqueKeys());
        }
        if (a instanceof AlterAction.DropKey dk) {
            return dropKey(m, dk.name());
        }
        if (a instanceof AlterAction.DropConstraint dc) {
            return dropKey(m, dc.name());
        }
        if (a instanceof AlterAction.RenameKey rk) {
            List<TableModel.UniqueKey> keys = new ArrayList<>();
            for (TableModel.UniqueKey u : m.uniqueKeys()) {
                keys.add(u.name().equalsIgnoreCase(rk.from()) ? new TableModel.UniqueKey(rk.to(), u.columns()) : u);
            }
            return m.withKeys(m.primaryKey(), keys);
        }
        if (a instanceof AlterAction.ConvertCharset cc) {
            String cs = "DEFAULT".equalsIgnoreCase(cc.charset()) ? null : cc.charset();
            List<ColumnModel> cols = new ArrayList<>();
            for (ColumnModel c : m.columns()) {
                // CONVERT TO turns TEXT columns into the smallest text type that keeps their byte capacity; the
                // TABLE_MAP that follows gives the exact types
                cols.add(c.character() ? c.withCharset(cs, cc.collation()) : c);
            }
            return m.withColumns(cols).withCharset(cs);
        }
        if (a instanceof AlterAction.TableCharset tc) {
            return m.withCharset(
                    "DEFAULT".equalsIgnoreCase(tc.charset())
                            ? null
                            : tc.charset() != null ? tc.charset() : m.charset());
        }
        return m;
    }

    private static TableModel replace(TableModel m, String oldName, ColumnSpec spec, ColumnPosition pos) {
        int i = m.indexOf(oldName);
        if (i < 0) {
            return m;
        }
        ColumnModel c = column(spec, m.charset(), null);
        if (!c.character() || spec.charset() == null && spec.collation() == null) {
            // MODIFY without a charset converts to the table's default; unknown here, keep the column's
            ColumnModel old = m.columns().get(i);
            if (c.character() && c.charset() == null) {
                c = c.withCharset(old.charset(), old.collation());
            }
        }
        List<ColumnModel> cols = m.columnsCopy();
        cols.remove(i);
        int at = pos.first() ? 0 : pos.after() != null ? indexIn(cols, pos.after()) + 1 : i;
        cols.add(Math.max(0, Math.min(at, cols.size())), c);
        TableModel next = renameInKeys(m.withColumns(cols), oldName, spec.name());
        return primaryKeyNotNull(inlineKeys(next, spec)); // MODIFY id BIGINT keeps a key column NOT NULL
    }

    private static int indexIn(List<ColumnModel> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return cols.size() - 1;
    }

    private static TableModel inlineKeys(TableModel m, ColumnSpec c) {
        if (c.primaryKey()) {
            m = addKey(
                    m,
                    new KeySpec(
                            KeySpec.Kind.PRIMARY,
                            "PRIMARY",
                            List.of(new KeySpec.KeyPart(c.name(), null, false, null)),
                            null,
                            null));
        }
        if (c.unique()) {
            m = addKey(
                    m,
                    new KeySpec(
                            KeySpec.Kind.UNIQUE,
                            null,
                            List.of(new KeySpec.KeyPart(c.name(), null, false, null)),
                            null,
                            null));
        }
        return m;
    }

    private static TableModel dropColumn(TableModel m, String name) {
        int i = m.indexOf(name);
        if (i < 0) {
            return m;
        }
        List<ColumnModel> cols = m.columnsCopy();
        cols.remove(i);
        // the server drops the column from every index, and an index left without columns
        List<String> pk =
                m.primaryKey().stream().filter(c -> !c.equalsIgnoreCase(name)).toList();
        List<TableModel.UniqueKey> keys = new ArrayList<>();
        for (TableModel.UniqueKey u : m.uniqueKeys()) {
            List<String> rest =
                    u.columns().stream().filter(c -> !c.equalsIgnoreCase(name)).toList();
            if (!rest.isEmpty()) {
                keys.add(new TableModel.UniqueKey(u.name(), rest));
            }
        }
        return m.withColumns(cols).withKeys(pk, keys);
    }

    private static TableModel renameInKeys(TableModel m, String from, String to) {
        if (from.equals(to)) {
            return m;
        }
        List<String> pk = m.primaryKey().stream()
                .map(c -> c.equalsIgnoreCase(from) ? to : c)
                .toList();
        List<TableModel.UniqueKey> keys = new ArrayList<>();
        for (TableModel.UniqueKey u : m.uniqueKeys()) {
            keys.add(new TableModel.UniqueKey(
                    u.name(),
                    u.columns().stream()
                            .map(c -> c.equalsIgnoreCase(from) ? to : c)
                            .toList()));
        }
        return m.withKeys(pk, keys);
    }

    private static TableModel addKey(TableModel m, KeySpec k) {
        List<String> cols = k.columns();
        if (cols.isEmpty()) {
            return m;
        }
        if (k.kind() == KeySpec.Kind.PRIMARY) {
            return primaryKeyNotNull(m.withKeys(cols, m.uniqueKeys()));
        }
        if (k.kind() != KeySpec.Kind.UNIQUE) {
            return m;
        }
        String name = k.name();
        if (name == null) {
            // the server names an unnamed key after its first column, with _2, _3, ... when that is taken
            name = cols.get(0);
            for (int n = 2; hasKey(m, name); n++) {
                name = cols.get(0) + "_" + n;
            }
        } else if (hasKey(m, name)) {
            return m; // ADD UNIQUE IF NOT EXISTS of an existing key
        }
        List<TableModel.UniqueKey> keys = new ArrayList<>(m.uniqueKeys());
        keys.add(new TableModel.UniqueKey(name, cols));
        return m.withKeys(m.primaryKey(), keys);
    }

    /** The primary key's columns as NOT NULL, which the server makes them whether the DDL says so or not. */
    private static TableModel primaryKeyNotNull(TableModel m) {
        List<ColumnModel> columns = m.columnsCopy();
        for (int i = 0; i < columns.size(); i++) {
            ColumnModel c = columns.get(i);
            if (c.nullable() && m.primaryKey().stream().anyMatch(n -> n.equalsIgnoreCase(c.name()))) {
                columns.set(i, c.withNullable(false));
            }
        }
        return m.withColumns(columns);
    }

    private static boolean hasKey(TableModel m, String name) {
        return m.uniqueKeys().stream().anyMatch(u -> u.name().equalsIgnoreCase(name));
    }

    private static TableModel dropKey(TableModel m, String name) {
        if (name.equalsIgnoreCase("PRIMARY")) {
            return m.withKeys(List.of(), m.uniqueKeys());
        }
        return m.withKeys(
                m.primaryKey(),
                m.uniqueKeys().stream()
                        .filter(u -> !u.name().equalsIgnoreCase(name))
                        .toList());
    }
}
