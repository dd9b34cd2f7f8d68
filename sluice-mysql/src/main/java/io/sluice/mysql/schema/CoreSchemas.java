package io.sluice.mysql.schema;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the core's {@link TableSchema} from this module's definitions, so that nothing outside the MySQL module
 * sees its types. A definition the binlog decodes with ({@link TableDef}) knows types, lengths, charsets, labels and
 * nullability but no defaults; a schema history version ({@link TableModel}) knows defaults too. Lengths of character
 * columns are in characters whatever the origin (the table map's byte lengths are divided by the character set's
 * widest character), so a table described by its DDL and by a table map alone has the same schema.
 */
public final class CoreSchemas {
    private CoreSchemas() {}

    /** The schema of a binlog definition at the given version number (defaults unknown). */
    public static TableSchema of(TableDef def, int version) {
        List<Column> cols = new ArrayList<>(def.columns().size());
        for (ColumnDef c : def.columns()) {
            cols.add(column(c));
        }
        return new TableSchema(def.db(), def.table(), version, cols, def.key());
    }

    /** The schema of a history version at the given version number. */
    public static TableSchema of(TableModel m, int version) {
        List<Column> cols = new ArrayList<>(m.columns().size());
        for (ColumnModel c : m.columns()) {
            Long length = c.length();
            cols.add(new Column(
                    c.name(),
                    c.dataType(),
                    length,
                    c.scale(),
                    c.unsigned(),
                    c.charset(),
                    c.nullable(),
                    c.hasDefault(),
                    c.defaultValue(),
                    c.labels()));
        }
        List<String> key = m.eventKey();
        int[] idx = new int[key.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = m.indexOf(key.get(k));
        }
        return new TableSchema(m.db(), m.table(), version, cols, idx);
    }

    /**
     * The schema of a table as information_schema shows it ({@link InfoSchema#describe}), with the given names (the
     * table's, in order) and key indexes: what a snapshot read knows of a table where the history has no version
     * of it. Lengths, precision and scale come from the column type's text; defaults are not known.
     */
    public static TableSchema of(String db, String table, List<InfoSchema.Column> columns, int[] key, int version) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (InfoSchema.Column c : columns) {
            String t = c.columnType();
            int open = t.indexOf('(');
            int close = open < 0 ? -1 : t.indexOf(')', open);
            Long length = null;
            Integer scale = null;
            String[] labels = c.labels();
            if (labels == null && open > 0 && close > open) {
                String[] parts = t.substring(open + 1, close).split(",");
                try {
                    length = Long.parseLong(parts[0].trim());
                    scale = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : null;
                } catch (NumberFormatException e) {
                    length = null;
                }
            }
            cols.add(new Column(
                    c.name(),
                    c.dataType(),
                    length,
                    scale,
                    c.unsigned(),
                    c.charset(),
                    c.nullable(),
                    false,
                    null,
                    labels == null ? List.of() : Arrays.asList(labels)));
        }
        return new TableSchema(db, table, version, cols, key);
    }

    private static Column column(ColumnDef c) {
        String type = c.sqlType() != null ? c.sqlType() : dataType(c);
        Long length = switch (c.type()) {
            case ColumnDef.NEWDECIMAL -> (long) c.decimalPrecision();
            case ColumnDef.TIME_V2, ColumnDef.DATETIME_V2, ColumnDef.TIMESTAMP_V2 -> (long) c.meta();
            case ColumnDef.TIME, ColumnDef.DATETIME, ColumnDef.TIMESTAMP -> 0L;
            case ColumnDef.BIT -> (long) ((c.meta() >> 8) * 8 + (c.meta() & 0xFF));
            // the table map gives CHAR and VARCHAR lengths in bytes; the schema, as the DDL does, in characters
            case ColumnDef.STRING -> c.length() > 0 ? characters(c, c.length()) : null;
            case ColumnDef.VARCHAR, ColumnDef.VAR_STRING -> characters(c, c.meta());
            default -> null;
        };
        Integer scale = c.type() == ColumnDef.NEWDECIMAL ? c.decimalScale() : null;
        return new Column(
                c.name(),
                type,
                length,
                scale,
                c.unsigned(),
                c.charset(),
                c.nullable(),
                false,
                null,
                c.labels() == null ? List.of() : Arrays.asList(c.labels()));
    }

    /** The length in characters of a character column {@code bytes} long in the table map (binary: bytes). */
    private static long characters(ColumnDef c, long bytes) {
        return c.binary() || c.charset() == null ? bytes : Charsets.chars(c.charset(), bytes);
    }

    /** The SQL type name a binlog type code stands for (the binlog does not tell TEXT from BLOB sizes apart). */
    private static String dataType(ColumnDef c) {
        boolean bytes = c.binary() || c.charset() == null;
        return switch (c.type()) {
            case ColumnDef.TINY -> "tinyint";
            case ColumnDef.SHORT -> "smallint";
            case ColumnDef.INT24 -> "mediumint";
            case ColumnDef.LONG -> "int";
            case ColumnDef.LONGLONG -> "bigint";
            case ColumnDef.FLOAT -> "float";
            case ColumnDef.DOUBLE -> "double";
            case ColumnDef.NEWDECIMAL -> "decimal";
            case ColumnDef.DATE -> "date";
            case ColumnDef.TIME, ColumnDef.TIME_V2 -> "time";
            case ColumnDef.DATETIME, ColumnDef.DATETIME_V2 -> "datetime";
            case ColumnDef.TIMESTAMP, ColumnDef.TIMESTAMP_V2 -> "timestamp";
            case ColumnDef.YEAR -> "year";
            case ColumnDef.BIT -> "bit";
            case ColumnDef.ENUM -> "enum";
            case ColumnDef.SET -> "set";
            case ColumnDef.STRING -> bytes ? "binary" : "char";
            case ColumnDef.VARCHAR, ColumnDef.VAR_STRING -> bytes ? "varbinary" : "varchar";
            case ColumnDef.BLOB -> bytes ? "blob" : "text";
            case ColumnDef.JSON -> "json";
            case ColumnDef.GEOMETRY -> "geometry";
            default -> "unknown(" + c.type() + ")";
        };
    }
}
