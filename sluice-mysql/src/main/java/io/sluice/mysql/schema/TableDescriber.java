package io.sluice.mysql.schema;

import io.sluice.core.SluiceException;
import io.sluice.mysql.server.ErrorClassifier;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes a table version for {@link SchemaTracker}: from a TABLE_MAP's layout, completed from information_schema
 * where that describes the same layout; a DDL-derived model corrected by the layout the binlog shows; character
 * sets a DDL statement leaves to the database's default.
 */
final class TableDescriber {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaTracker.class);

    private final String pipeline;
    private final TableMapDefinitions.Catalog catalog;

    TableDescriber(String pipeline, TableMapDefinitions.Catalog catalog) {
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    /** The model corrected by what the binlog shows: the binlog wins where they disagree (and it is logged). */
    TableModel reconcile(TableModel model, TableDef def, int version, String atFile, long atPos) {
        List<ColumnDef> cols = def.columns();
        String disagreement = null;
        if (cols.size() != model.columns().size()) {
            disagreement = "the binlog has " + cols.size() + " columns, the DDL-derived model "
                    + model.columns().size();
        } else {
            for (int i = 0; i < cols.size() && disagreement == null; i++) {
                ColumnModel fromBinlog = Types.fromBinlog(cols.get(i));
                ColumnModel m = model.columns().get(i);
                if (!fromBinlog.name().equalsIgnoreCase(m.name())) {
                    disagreement = "column " + (i + 1) + " is " + fromBinlog.name() + " in the binlog, " + m.name()
                            + " in the DDL-derived model";
                } else if (!sameFamily(fromBinlog, m)) {
                    disagreement = "column " + m.name() + " is " + fromBinlog.type() + " in the binlog, " + m.type()
                            + " in the DDL-derived model";
                }
            }
        }
        if (disagreement != null) {
            LOG.warn(
                    "[{}] schema: version {} of {}: {}; the binlog's layout is used",
                    pipeline,
                    version,
                    def.qualifiedName(),
                    disagreement);
            return fromBinlog(def, atFile, atPos);
        }
        List<ColumnModel> merged = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            ColumnModel m = model.columns().get(i);
            ColumnDef d = cols.get(i);
            if (m.character() && m.charset() == null && d.charset() != null && !d.binary()) {
                m = m.withCharset(d.charset(), m.collation());
            }
            if (m.nullable() != d.nullable()) {
                m = m.withNullable(d.nullable());
            }
            merged.add(m);
        }
        return model.withColumns(merged);
    }

    private static boolean sameFamily(ColumnModel binlog, ColumnModel model) {
        Types.Family b = Types.family(binlog.dataType());
        Types.Family m = Types.family(model.dataType());
        if (b == m) {
            return true;
        }
        // MariaDB's JSON is LONGTEXT; BOOL/BOOLEAN are TINYINT; INET/UUID types are sent as strings
        return model.dataType().equals("json") && b == Types.Family.STRING || m == Types.Family.OTHER;
    }

    /** The catalog's column has the type the binlog shows (as far as the binlog tells types apart). */
    private static boolean sameType(ColumnModel binlog, ColumnModel catalog) {
        if (!sameFamily(binlog, catalog)) {
            return false;
        }
        Types.Family f = Types.family(catalog.dataType());
        if (f == Types.Family.OTHER
                || f == Types.Family.ENUM
                || f == Types.Family.SET
                || catalog.dataType().equals("json")
                || binlog.labels().isEmpty() && !catalog.labels().isEmpty()) {
            return true;
        }
        return Types.compare(binlog, catalog) == Types.Change.SAME && binlog.unsigned() == catalog.unsigned();
    }

    /** A model from the binlog's layout, completed from information_schema where that describes the same layout. */
    TableModel fromBinlog(TableDef def, String file, long pos) {
        TableModel described = describe(def.db(), def.table());
        List<ColumnDef> cols = def.columns();
        boolean matches = described != null && described.columns().size() == cols.size();
        List<ColumnModel> out = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            ColumnModel b = Types.fromBinlog(cols.get(i));
            ColumnModel c = matches ? described.columns().get(i) : null;
            if (c != null && (!c.name().equalsIgnoreCase(b.name()) || !sameType(b, c))) {
                matches = false;
                c = null;
            }
            out.add(c != null ? c.withNullable(b.nullable()) : b);
        }
        if (matches) {
            return new TableModel(
                    def.db(), def.table(), out, described.primaryKey(), described.uniqueKeys(), described.charset());
        }
        if (described != null) {
            LOG.info(
                    "[{}] schema: information_schema describes another layout of {} than the binlog at {}:{} (the"
                            + " table changed since); column details come from the binlog alone",
                    pipeline,
                    def.qualifiedName(),
                    file,
                    pos);
        }
        List<String> key = new ArrayList<>();
        for (int k : def.key()) {
            key.add(cols.get(k).name());
        }
        return new TableModel(def.db(), def.table(), out, key, List.of(), null);
    }

    TableModel describe(String db, String table) {
        if (catalog == null) {
            return null;
        }
        try {
            return catalog.ask(conn -> CatalogModels.describe(conn, db, table));
        } catch (SQLException e) {
            SluiceException classified = ErrorClassifier.classify(e);
            if (classified.retriable()) {
                throw SluiceException.retriable(
                        "could not read information_schema for " + db + "." + table + ": " + classified.getMessage(),
                        e);
            }
            LOG.warn("[{}] could not read information_schema for {}.{}: {}", pipeline, db, table, e.getMessage());
            return null;
        }
    }

    /**
     * Character columns whose character set the DDL leaves to the table's default, where that default is not in
     * the model either: the database's default character set (what the server gave the table when it was
     * created), read once per database.
     */
    TableModel withCharsets(TableModel m) {
        if (m.columns().stream().noneMatch(c -> c.character() && c.charset() == null)) {
            return m;
        }
        String cs = m.charset() != null ? m.charset() : databaseCharset(m.db());
        if (cs == null) {
            return m;
        }
        List<ColumnModel> cols = new ArrayList<>();
        for (ColumnModel c : m.columns()) {
            cols.add(c.character() && c.charset() == null ? c.withCharset(cs, c.collation()) : c);
        }
        return m.withColumns(cols).withCharset(cs);
    }

    private final Map<String, String> databaseCharsets = new HashMap<>();

    private String databaseCharset(String db) {
        if (catalog == null || databaseCharsets.containsKey(db)) {
            return databaseCharsets.get(db);
        }
        String cs = null;
        try {
            cs = catalog.ask(conn -> {
                try (java.sql.PreparedStatement ps = conn.prepareStatement(
                        "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
                    ps.setString(1, db);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            SluiceException classified = ErrorClassifier.classify(e);
            if (classified.retriable()) {
                throw SluiceException.retriable(
                        "could not read the default character set of " + db + ": " + classified.getMessage(), e);
            }
            LOG.warn("[{}] could not read the default character set of {}: {}", pipeline, db, e.getMessage());
        }
        databaseCharsets.put(db, cs);
        return cs;
    }
}
