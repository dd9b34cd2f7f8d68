package io.sluice.mysql.schema;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.sluice.core.SluiceException;
import io.sluice.mysql.check.ErrorClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        Connection connection() throws SQLException;
    }

    private final Catalog catalog;
    private final Map<Long, Cached> byTableId = new HashMap<>();
    private final Map<String, InfoSchema.Table> info = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private Map<Integer, String> collations;
    private Function<String, InfoSchema.Table> known = qn -> null;

    private record Cached(TableMapEventData map, TableDef def) {
    }

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
            byTableId.clear();
            return;
        }
        info.remove(db + "." + table);
        byTableId.values().removeIf(c -> c.def.db().equals(db) && c.def.table().equals(table));
    }

    private static boolean sameLayout(TableMapEventData a, TableMapEventData b) {
        return a.getDatabase().equals(b.getDatabase()) && a.getTable().equals(b.getTable())
                && Arrays.equals(a.getColumnTypes(), b.getColumnTypes())
                && Arrays.equals(a.getColumnMetadata(), b.getColumnMetadata())
                && a.getColumnNullability().equals(b.getColumnNullability())
                && String.valueOf(a.getEventMetadata()).equals(String.valueOf(b.getEventMetadata()));
    }

    private TableDef build(TableMapEventData tm) {
        String db = tm.getDatabase();
        String table = tm.getTable();
        byte[] types = tm.getColumnTypes();
        int[] metas = tm.getColumnMetadata();
        TableMapEventMetadata md = tm.getEventMetadata();
        boolean full = md != null && md.getColumnNames() != null;
        InfoSchema.Table described = describe(db, table);
        if (!full) {
            warnOnce(db + "." + table, "table " + db + "." + table + ": the server sends MINIMAL table metadata,"
                    + " so Sluice reads column names and types from its schema history, or where that does not know"
                    + " the table from information_schema (today's definition, which may differ from the one the"
                    + " binlog was written with); set binlog_row_metadata=FULL");
            if (described == null || described.columns().size() != types.length) {
                throw SluiceException.fatal("table " + db + "." + table + " cannot be decoded: the binlog carries no"
                        + " column names (binlog_row_metadata=MINIMAL) and information_schema "
                        + (described == null ? "does not have the table" : "lists " + described.columns().size()
                        + " columns where the binlog has " + types.length)
                        + "; set binlog_row_metadata=FULL on the server");
            }
        }
        List<ColumnDef> columns = new ArrayList<>(types.length);
        int charIndex = 0;
        int enumIndex = 0;
        int setIndex = 0;
        BitSet nullability = tm.getColumnNullability();
        for (int i = 0; i < types.length; i++) {
            int type = types[i] & 0xFF;
            int meta = metas[i];
            int length = 0;
            if (type == ColumnDef.STRING && meta >= 256) {
                int meta0 = meta >> 8;
                int meta1 = meta & 0xFF;
                if ((meta0 & 0x30) != 0x30) {
                    type = meta0 | 0x30;
                    length = meta1 | (((meta0 & 0x30) ^ 0x30) << 4);
                } else {
                    if (meta0 == ColumnDef.ENUM || meta0 == ColumnDef.SET) {
                        type = meta0;
                    }
                    length = meta1;
                }
            } else if (type == ColumnDef.STRING) {
                length = meta;
            }
            InfoSchema.Column ic = described != null && described.columns().size() == types.length
                    ? described.columns().get(i) : null;
            String name = full ? md.getColumnNames().get(i) : ic.name();
            if (ic != null && !ic.name().equalsIgnoreCase(name)) {
                ic = null; // information_schema describes another version of the table
            }
            boolean unsigned = md != null && md.getSignedness() != null
                    ? md.getSignedness().get(i) : ic != null && ic.unsigned();
            String charset = null;
            String[] labels = null;
            boolean character = type == ColumnDef.STRING || type == ColumnDef.VARCHAR
                    || type == ColumnDef.VAR_STRING || type == ColumnDef.BLOB;
            if (character) {
                charset = charsetOf(md, charIndex++, ic);
            } else if (type == ColumnDef.ENUM) {
                labels = full && md.getEnumStrValues() != null ? md.getEnumStrValues().get(enumIndex) : labelsOf(ic);
                enumIndex++;
            } else if (type == ColumnDef.SET) {
                labels = full && md.getSetStrValues() != null ? md.getSetStrValues().get(setIndex) : labelsOf(ic);
                setIndex++;
            }
            String sqlType = ic != null && SPECIAL_TYPES.contains(ic.dataType()) ? ic.dataType() : null;
            columns.add(new ColumnDef(name, type, meta, length, unsigned, charset, labels, sqlType,
                    nullability.get(i)));
        }
        return new TableDef(db, table, columns, keyOf(md, described, columns));
    }

    private static String[] labelsOf(InfoSchema.Column ic) {
        return ic == null ? null : ic.labels();
    }

    private String charsetOf(TableMapEventMetadata md, int charIndex, InfoSchema.Column ic) {
        Integer collation = null;
        if (md != null && md.getColumnCharsets() != null && charIndex < md.getColumnCharsets().size()) {
            collation = md.getColumnCharsets().get(charIndex);
        } else if (md != null && md.getDefaultCharset() != null) {
            var dc = md.getDefaultCharset();
            Map<Integer, Integer> per = dc.getCharsetCollations();
            collation = per != null && per.containsKey(charIndex) ? per.get(charIndex) : dc.getDefaultCharsetCollation();
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
        try (Connection conn = catalog.connection()) {
            return InfoSchema.collations(conn);
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
        InfoSchema.Table t = null;
        if (catalog != null) {
            try (Connection conn = catalog.connection()) {
                t = InfoSchema.describe(conn, db, table);
            } catch (SQLException e) {
                SluiceException classified = ErrorClassifier.classify(e);
                if (classified.retriable()) {
                    // a passing connection problem: fail the read, so the pipeline retries from its checkpoint
                    // instead of decoding the rest of the session with less than the catalog knows
                    throw SluiceException.retriable("could not read information_schema for " + qn + ": "
                            + classified.getMessage(), e);
                }
                warnOnce("describe:" + qn, "could not read information_schema for " + qn + ": " + e.getMessage()
                        + "; unique keys of tables without a primary key and MariaDB INET/UUID types need it");
            }
        }
        info.put(qn, t);
        return t;
    }

    private static int[] keyOf(TableMapEventMetadata md, InfoSchema.Table described, List<ColumnDef> columns) {
        if (md != null && md.getSimplePrimaryKeys() != null && !md.getSimplePrimaryKeys().isEmpty()) {
            return md.getSimplePrimaryKeys().stream().mapToInt(Integer::intValue).toArray();
        }
        if (md != null && md.getPrimaryKeysWithPrefix() != null && !md.getPrimaryKeysWithPrefix().isEmpty()) {
            return md.getPrimaryKeysWithPrefix().keySet().stream().mapToInt(Integer::intValue).toArray();
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
