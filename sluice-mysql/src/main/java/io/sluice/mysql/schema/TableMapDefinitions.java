package io.sluice.mysql.schema;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.sluice.core.SluiceException;
import io.sluice.mysql.server.ErrorClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table definitions from TABLE_MAP events: column names, signedness, character sets, ENUM/SET labels and the
 * primary key come from the event's full metadata ({@code binlog_row_metadata=FULL}); information_schema fills
 * in what the event lacks (everything, under MINIMAL metadata; unique keys; MariaDB's INET4/INET6/UUID types).
 *
 * <p>Not thread-safe: used by the binlog reader thread only.
 */
public final class TableMapDefinitions implements TableDefinitions {
    private static final Logger LOG = LoggerFactory.getLogger(TableMapDefinitions.class);
    private static final Set<String> SPECIAL_TYPES = Set.of("inet4", "inet6", "uuid");

    /** How definitions reach the server's catalog; null-safe for tests that have none. */
    public interface Catalog {
        /** A connection of its own, which the caller closes. */
        Connection connection() throws SQLException;

        /** Asks {@code query} on a catalog connection: by default a new one, closed after ({@link SharedCatalog}). */
        default <T> T ask(Query<T> query) throws SQLException {
            try (Connection conn = connection()) {
                return query.ask(conn);
            }
        }

        /** A question to the catalog. */
        interface Query<T> {
            T ask(Connection conn) throws SQLException;
        }
    }

    private final Catalog catalog;
    private final Map<Long, Cached> byTableId = new HashMap<>();
    private final Map<String, InfoSchema.Table> info = new HashMap<>();
    /** Per table, the declared row-end column of a system-versioned table (null: none), as far as asked. */
    private final Map<String, String> rowEnds = new HashMap<>();

    private final Set<String> warned = new HashSet<>();
    private Map<Integer, String> collations;
    private Function<String, InfoSchema.Table> known = qn -> null;

    private record Cached(TableMapEventData map, TableDef def) {}

    public TableMapDefinitions(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Where definitions come from before information_schema: the schema history's model of the table's version
     * at the current binlog position (see {@link SchemaTracker#known}), or null to ask the catalog.
     */
    public void knownTables(Function<String, InfoSchema.Table> source) {
        this.known = source;
    }

    @Override
    public TableDef resolve(TableMapEventData tm) {
        Cached c = byTableId.get(tm.getTableId());
        if (c != null && sameLayout(c.map, tm)) {
            return c.def;
        }
        TableDef def = build(tm);
        byTableId.put(tm.getTableId(), new Cached(tm, def));
        return def;
    }

    @Override
    public void invalidate(String db, String table) {
        if (db == null) {
            info.clear();
            rowEnds.clear();
            byTableId.clear();
            return;
        }
        info.remove(db + "." + table);
        rowEnds.remove(db + "." + table);
        byTableId.values().removeIf(c -> c.def.db().equals(db) && c.def.table().equals(table));
    }

    private static boolean sameLayout(TableMapEventData a, TableMapEventData b) {
        return a == b // the same bytes as the last TABLE_MAP of the table id (decode.TableMaps)
                || a.getDatabase().equals(b.getDatabase())
                        && a.getTable().equals(b.getTable())
                        && Arrays.equals(a.getColumnTypes(), b.getColumnTypes())
                        && Arrays.equals(a.getColumnMetadata(), b.getColumnMetadata())
                        && a.getColumnNullability().equals(b.getColumnNullability())
                        && sameMetadata(a.getEventMetadata(), b.getEventMetadata());
    }

    /**
     * Whether two table maps carry the same optional metadata, field by field: every TABLE_MAP event is checked
     * (one per table per transaction), so without making strings of them, and exactly (labels compared as labels:
     * ENUM('a,b','c') is not ENUM('a','b,c')).
     */
    static boolean sameMetadata(TableMapEventMetadata a, TableMapEventMetadata b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getColumnNames(), b.getColumnNames())
                && Objects.equals(a.getSignedness(), b.getSignedness())
                && Objects.equals(a.getColumnCharsets(), b.getColumnCharsets())
                && sameCharset(a.getDefaultCharset(), b.getDefaultCharset())
                && sameLabels(a.getEnumStrValues(), b.getEnumStrValues())
                && sameLabels(a.getSetStrValues(), b.getSetStrValues())
                && Objects.equals(a.getGeometryTypes(), b.getGeometryTypes())
                && Objects.equals(a.getSimplePrimaryKeys(), b.getSimplePrimaryKeys())
                && Objects.equals(a.getPrimaryKeysWithPrefix(), b.getPrimaryKeysWithPrefix())
                && sameCharset(a.getEnumAndSetDefaultCharset(), b.getEnumAndSetDefaultCharset())
                && Objects.equals(a.getEnumAndSetColumnCharsets(), b.getEnumAndSetColumnCharsets())
                && Objects.equals(a.getVisibility(), b.getVisibility());
    }

    private static boolean sameCharset(TableMapEventMetadata.DefaultCharset a, TableMapEventMetadata.DefaultCharset b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.getDefaultCharsetCollation() == b.getDefaultCharsetCollation()
                && Objects.equals(a.getCharsetCollations(), b.getCharsetCollations());
    }

    private static boolean sameLabels(List<String[]> a, List<String[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private TableDef build(TableMapEventData tm) {
        String db = tm.getDatabase();
        String table = tm.getTable();
        byte[] types = tm.getColumnTypes();
        int[] metas = tm.getColumnMetadata();
        TableMapEventMetadata md = tm.getEventMetadata();
        boolean full = md != null && md.getColumnNames() != null;
        InfoSchema.Table described = describe(db, table);
        boolean hiddenPeriod = full && hiddenPeriod(md.getColumnNames(), types, described);
        if (!full) {
            warnOnce(
                    db + "." + table,
                    "table " + db + "." + table + ": the server sends MINIMAL table metadata,"
                            + " so Sluice reads column names and types from its schema history, or where that does not know"
                            + " the table from information_schema (today's definition, which may differ from the one the"
                            + " binlog was written with); set binlog_row_metadata=FULL");
            if (described == null || described.columns().size() != types.length) {
                throw SluiceException.fatal("table " + db + "." + table + " cannot be decoded: the binlog carries no"
                        + " column names (binlog_row_metadata=MINIMAL) and information_schema "
                        + (described == null
                                ? "does not have the table"
                                : "lists " + described.columns().size() + " columns where the binlog has "
                                        + types.length)
                        + "; set binlog_row_metadata=FULL on the server");
            }
        }
        List<ColumnDef> columns = new ArrayList<>(types.length);
        int charIndex = 0;
        int enumIndex = 0;
        int setIndex = 0;
        BitSet nullability = tm.getColumnNullability();
        for (int i = 0; i < types.length; i++) {
            int meta = metas[i];
            int type = ColumnDef.realType(types[i] & 0xFF, meta);
            int length = ColumnDef.realLength(types[i] & 0xFF, meta);
            InfoSchema.Column ic = described != null
                            && (described.columns().size() == types.length
                                    || hiddenPeriod && i < described.columns().size())
                    ? described.columns().get(i)
                    : null;
            String name = full ? md.getColumnNames().get(i) : ic.name();
            if (ic != null && !ic.name().equalsIgnoreCase(name)) {
                ic = null; // information_schema describes another version of the table
            }
            boolean unsigned = md != null && md.getSignedness() != null
                    ? md.getSignedness().get(i)
                    : ic != null && ic.unsigned();
            String charset = null;
            String[] labels = null;
            boolean character = type == ColumnDef.STRING
                    || type == ColumnDef.VARCHAR
                    || type == ColumnDef.VAR_STRING
                    || type == ColumnDef.BLOB;
            if (character) {
                charset = charsetOf(md, charIndex++, ic);
            } else if (type == ColumnDef.ENUM) {
                labels = full && md.getEnumStrValues() != null
                        ? md.getEnumStrValues().get(enumIndex)
                        : labelsOf(ic);
                enumIndex++;
            } else if (type == ColumnDef.SET) {
                labels = full && md.getSetStrValues() != null
                        ? md.getSetStrValues().get(setIndex)
                        : labelsOf(ic);
                setIndex++;
            }
            String sqlType = ic != null && SPECIAL_TYPES.contains(ic.dataType()) ? ic.dataType() : null;
            columns.add(
                    new ColumnDef(name, type, meta, length, unsigned, charset, labels, sqlType, nullability.get(i)));
        }
        return versioned(db, table, columns, keyOf(md, described, columns), hiddenPeriod);
    }

    /**
     * The binlog's last two columns are MariaDB's implicit {@code row_start} and {@code row_end} of a table created
     * or altered {@code WITH SYSTEM VERSIONING} without declaring its period columns: the table (as SELECT and
     * information_schema show it) has no such columns.
     */
    private static boolean hiddenPeriod(List<String> names, byte[] types, InfoSchema.Table described) {
        int n = types.length;
        return n >= 3
                && names.get(n - 2).equalsIgnoreCase("row_start")
                && names.get(n - 1).equalsIgnoreCase("row_end")
                && periodType(types[n - 2])
                && periodType(types[n - 1])
                && (described == null
                        || described.columns().stream().noneMatch(c -> c.name().equalsIgnoreCase("row_end")));
    }

    private static boolean periodType(byte type) {
        return (type & 0xFF) == ColumnDef.TIMESTAMP_V2 || (type & 0xFF) == ColumnDef.LONGLONG;
    }

    /**
     * The definition, as a system-versioned table's where it is one (see {@link TableDef.Versioning}): with the
     * implicit period columns left out, and the row-end column out of the key. A table that declares its period
     * columns is known by its key ending in its row-end column (the server adds it), which information_schema names.
     */
    private TableDef versioned(String db, String table, List<ColumnDef> columns, int[] key, boolean hiddenPeriod) {
        int n = columns.size();
        int rowEnd = hiddenPeriod ? n - 1 : declaredRowEnd(db, table, columns, key);
        if (rowEnd < 0) {
            return new TableDef(db, table, columns, key);
        }
        int shown = hiddenPeriod ? n - 2 : n;
        int[] declaredKey =
                Arrays.stream(key).filter(k -> k < shown && k != rowEnd).toArray();
        return new TableDef(db, table, columns.subList(0, shown), declaredKey, new TableDef.Versioning(n, rowEnd));
    }

    /** The declared row-end column ending the key, or -1 when the key does not end in one. */
    private int declaredRowEnd(String db, String table, List<ColumnDef> columns, int[] key) {
        if (key.length < 2) {
            return -1;
        }
        ColumnDef last = columns.get(key[key.length - 1]);
        if (last.nullable()
                || !(last.type() == ColumnDef.TIMESTAMP_V2 && last.meta() == 6
                        || last.type() == ColumnDef.LONGLONG && last.unsigned())) {
            return -1;
        }
        String qn = db + "." + table;
        if (!rowEnds.containsKey(qn)) {
            rowEnds.put(qn, catalogRowEnd(db, table));
        }
        return last.name().equalsIgnoreCase(rowEnds.get(qn)) ? key[key.length - 1] : -1;
    }

    @Override
    public ForeignKeyCascades cascades(java.util.function.Predicate<String> childSchemas) {
        ForeignKeyCascades keys = fromCatalog(
                "the server's foreign keys",
                conn -> ForeignKeyCascades.load(conn, childSchemas),
                "the rows a foreign key's ON DELETE or ON UPDATE action changes are not in the binlog, and Sluice"
                        + " cannot tell when that happens to a captured table");
        return keys == null ? ForeignKeyCascades.NONE : keys;
    }

    @Override
    public String currentPartition(String db, String table) {
        return fromCatalog(
                db + "." + table,
                conn -> InfoSchema.currentPartition(conn, db, table),
                "were it partitioned by SYSTEM_TIME, dropping its history partitions would be taken for a loss");
    }

    /** The column information_schema calls the table's ROW END, or null. */
    private String catalogRowEnd(String db, String table) {
        return fromCatalog(
                db + "." + table,
                conn -> InfoSchema.rowEnd(conn, db, table),
                "were it system-versioned, its history rows would be emitted too");
    }

    /**
     * Asks the catalog about a table: null without a catalog, or when it fails for good (warned once, with what that
     * costs); a passing connection problem fails the read instead, so the pipeline retries from its checkpoint rather
     * than decode the rest of the session with less than the catalog knows.
     */
    private <T> T fromCatalog(String qn, Catalog.Query<T> query, String without) {
        if (catalog == null) {
            return null;
        }
        try {
            return catalog.ask(query);
        } catch (SQLException e) {
            SluiceException classified = ErrorClassifier.classify(e);
            if (classified.retriable()) {
                throw SluiceException.retriable(
                        "could not read information_schema for " + qn + ": " + classified.getMessage(), e);
            }
            warnOnce(
                    without + qn,
                    "could not read information_schema for " + qn + ": " + e.getMessage() + "; " + without);
            return null;
        }
    }

    private static String[] labelsOf(InfoSchema.Column ic) {
        return ic == null ? null : ic.labels();
    }

    private String charsetOf(TableMapEventMetadata md, int charIndex, InfoSchema.Column ic) {
        Integer collation = null;
        if (md != null
                && md.getColumnCharsets() != null
                && charIndex < md.getColumnCharsets().size()) {
            collation = md.getColumnCharsets().get(charIndex);
        } else if (md != null && md.getDefaultCharset() != null) {
            var dc = md.getDefaultCharset();
            Map<Integer, Integer> per = dc.getCharsetCollations();
            collation =
                    per != null && per.containsKey(charIndex) ? per.get(charIndex) : dc.getDefaultCharsetCollation();
        }
        if (collation != null) {
            return charsetName(collation);
        }
        if (ic != null) {
            return ic.charset() == null ? "binary" : ic.charset();
        }
        return null;
    }

    private String charsetName(int collation) {
        if (collations == null) {
            collations = loadCollations();
        }
        String name = collations.get(collation);
        if (name == null) {
            name = Collations.WELL_KNOWN.get(collation);
        }
        if (name == null) {
            throw SluiceException.fatal("collation id " + collation + " is unknown to Sluice and the server's"
                    + " information_schema; grant SELECT on information_schema or report the collation");
        }
        return name;
    }

    private Map<Integer, String> loadCollations() {
        if (catalog == null) {
            return Map.of();
        }
        try {
            return catalog.ask(InfoSchema::collations);
        } catch (SQLException e) {
            if (ErrorClassifier.classify(e).retriable()) {
                throw SluiceException.retriable("could not read the server's collations: " + e.getMessage(), e);
            }
            LOG.warn("could not read the server's collations ({}); using Sluice's built-in list", e.getMessage());
            return Map.of();
        }
    }

    private InfoSchema.Table describe(String db, String table) {
        String qn = db + "." + table;
        InfoSchema.Table fromHistory = known.apply(qn);
        if (fromHistory != null) {
            return fromHistory;
        }
        if (info.containsKey(qn)) {
            return info.get(qn);
        }
        InfoSchema.Table t = fromCatalog(
                qn,
                conn -> InfoSchema.describe(conn, db, table),
                "unique keys of tables without a primary key and MariaDB INET/UUID types need it");
        info.put(qn, t);
        return t;
    }

    private static int[] keyOf(TableMapEventMetadata md, InfoSchema.Table described, List<ColumnDef> columns) {
        if (md != null
                && md.getSimplePrimaryKeys() != null
                && !md.getSimplePrimaryKeys().isEmpty()) {
            return md.getSimplePrimaryKeys().stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        if (md != null
                && md.getPrimaryKeysWithPrefix() != null
                && !md.getPrimaryKeysWithPrefix().isEmpty()) {
            return md.getPrimaryKeysWithPrefix().keySet().stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        if (described == null || described.keyColumns().isEmpty()) {
            return new int[0];
        }
        int[] key = new int[described.keyColumns().size()];
        for (int k = 0; k < key.length; k++) {
            String name = described.keyColumns().get(k);
            key[k] = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    key[k] = i;
                }
            }
            if (key[k] < 0) {
                return new int[0]; // information_schema describes another version of the table
            }
        }
        return key;
    }

    private void warnOnce(String what, String message) {
        if (warned.add(what)) {
            LOG.warn(message);
        }
    }
}
