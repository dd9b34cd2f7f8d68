package io.sluice.mysql.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * A table version as schemas consumers know: JSON Schema (draft 2020-12) and Avro, both describing the row objects
 * ({@code before}/{@code after}) of that version's events, with values as the change-event contract encodes them.
 */
public final class ConsumerSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The formats {@code sluice schema show} and the HTTP API offer. */
    public enum Format {
        /** The history's own model. */
        JSON,
        JSON_SCHEMA,
        AVRO;

        public static Format parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private ConsumerSchemas() {}

    public static ObjectNode render(SchemaVersion v, Format format) {
        return switch (format) {
            case JSON -> SchemaHistory.JSON.valueToTree(v);
            case JSON_SCHEMA -> jsonSchema(v);
            case AVRO -> avro(v);
        };
    }

    /** The row object of version {@code v} as a JSON Schema (draft 2020-12). */
    public static ObjectNode jsonSchema(SchemaVersion v) {
        TableModel m = v.model();
        ObjectNode s = F.objectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.put("$id", "sluice:" + m.qualifiedName() + ":" + v.version());
        s.put("title", m.qualifiedName() + " version " + v.version());
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        for (ColumnModel c : m.columns()) {
            ObjectNode p = valueSchema(c);
            p.put("description", c.type() + (c.nullable() ? "" : " not null"));
            if (c.nullable()) {
                ArrayNode types = F.arrayNode();
                if (p.has("type")) {
                    types.add(p.get("type").asText());
                    types.add("null");
                    p.set("type", types);
                } else if (p.has("enum")) {
                    ((ArrayNode) p.get("enum")).addNull();
                }
            }
            props.set(c.name(), p);
            required.add(c.name());
        }
        s.put("additionalProperties", false);
        ArrayNode key = s.putArray("x-sluice-key");
        m.eventKey().forEach(key::add);
        return s;
    }

    private static ObjectNode valueSchema(ColumnModel c) {
        ObjectNode p = F.objectNode();
        switch (Types.family(c.dataType())) {
            case INTEGER, YEAR, BIT -> p.put("type", "integer");
            case FLOAT -> p.put("type", "number");
            case DECIMAL -> {
                p.put("type", "string");
                int scale = c.scale() == null ? 0 : c.scale();
                p.put("pattern", "^-?[0-9]+" + (scale > 0 ? "\\.[0-9]{" + scale + "}" : "") + "$");
            }
            case BINARY, GEOMETRY -> {
                p.put("type", "string");
                p.put("contentEncoding", "base64");
            }
            case ENUM -> {
                ArrayNode labels = p.putArray("enum");
                labels.add("");
                c.labels().forEach(labels::add);
            }
            case JSON -> {
                // MySQL's JSON embeds any JSON value; MariaDB's JSON is text: any value fits
            }
            case DATE -> {
                p.put("type", "string");
                p.put("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
            }
            case DATETIME, TIMESTAMP -> {
                p.put("type", "string");
                p.put(
                        "pattern",
                        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                + (c.length() != null && c.length() > 0 ? "\\.[0-9]{" + c.length() + "}" : "")
                                + (Types.family(c.dataType()) == Types.Family.TIMESTAMP ? "Z" : "") + "$");
            }
            default -> p.put("type", "string");
        }
        return p;
    }

    /** The row object of version {@code v} as an Avro record schema. */
    public static ObjectNode avro(SchemaVersion v) {
        TableModel m = v.model();
        ObjectNode r = F.objectNode();
        r.put("type", "record");
        r.put("name", avroName(m.table()));
        r.put("namespace", "sluice." + avroName(m.db()));
        r.put("doc", m.qualifiedName() + " version " + v.version());
        r.put("sluice.version", v.version());
        ArrayNode fields = r.putArray("fields");
        List<String> names =
                avroFieldNames(m.columns().stream().map(ColumnModel::name).toList());
        for (int i = 0; i < names.size(); i++) {
            ColumnModel c = m.columns().get(i);
            ObjectNode f = fields.addObject();
            f.put("name", names.get(i));
            if (!names.get(i).equals(c.name())) {
                f.put("sluice.column", c.name());
            }
            f.put("doc", c.type());
            Object t = avroType(c);
            if (c.nullable()) {
                ArrayNode union = F.arrayNode();
                union.add("null");
                addType(union, t);
                f.set("type", union);
                f.putNull("default");
            } else if (t instanceof ObjectNode o) {
                f.set("type", o);
            } else {
                f.put("type", (String) t);
            }
        }
        ArrayNode key = r.putArray("sluice.key");
        m.eventKey().forEach(key::add);
        return r;
    }

    private static void addType(ArrayNode union, Object t) {
        if (t instanceof ObjectNode o) {
            union.add(o);
        } else {
            union.add((String) t);
        }
    }

    private static Object avroType(ColumnModel c) {
        switch (Types.family(c.dataType())) {
            case INTEGER -> {
                if (c.dataType().equals("bigint") && c.unsigned()) {
                    return decimal(20, 0);
                }
                return c.dataType().equals("bigint") || c.dataType().equals("int") && c.unsigned() ? "long" : "int";
            }
            case YEAR -> {
                return "int";
            }
            case BIT -> {
                // BIT(64) holds values up to 2^64 - 1, past a long
                return c.length() != null && c.length() > 63 ? decimal(20, 0) : "long";
            }
            case FLOAT -> {
                return c.dataType().equals("float") ? "float" : "double";
            }
            case DECIMAL -> {
                return decimal(c.length() == null ? 10 : c.length(), c.scale() == null ? 0 : c.scale());
            }
            case BINARY, GEOMETRY -> {
                return "bytes";
            }
            default -> {
                return "string";
            }
        }
    }

    private static ObjectNode decimal(long precision, int scale) {
        ObjectNode d = F.objectNode();
        d.put("type", "bytes");
        d.put("logicalType", "decimal");
        d.put("precision", precision);
        d.put("scale", scale);
        return d;
    }

    /**
     * The columns' Avro field names: a valid name is kept; another is rewritten ({@link #avroName}) and, where that
     * names a field already, numbered ({@code a_b_2}), as Avro refuses a record with two fields of one name.
     */
    public static List<String> avroFieldNames(List<String> columns) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (String c : columns) {
            if (avroName(c).equals(c)) {
                taken.add(c);
            }
        }
        List<String> out = new java.util.ArrayList<>();
        for (String c : columns) {
            String n = avroName(c);
            if (!n.equals(c)) {
                String base = n;
                for (int i = 2; taken.contains(n); i++) {
                    n = base + "_" + i;
                }
                taken.add(n);
            }
            out.add(n);
        }
        return out;
    }

    /** A valid Avro name: letters, digits and '_', not starting with a digit. */
    public static String avroName(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_') ? ch : '_');
        }
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /** The two versions' differences, one line each ({@code +}, {@code -}, {@code ~}), for {@code sluice schema diff}. */
    public static List<String> diff(TableModel a, TableModel b) {
        List<String> out = new java.util.ArrayList<>();
        for (ColumnModel c : a.columns()) {
            if (b.column(c.name()) == null) {
                out.add("- column " + c.name() + " " + c.type());
            }
        }
        for (int i = 0; i < b.columns().size(); i++) {
            ColumnModel c = b.columns().get(i);
            ColumnModel o = a.column(c.name());
            if (o == null) {
                out.add("+ column " + c.name() + " " + c.type() + (c.nullable() ? "" : " not null")
                        + (c.hasDefault() ? " default " + c.defaultValue() : ""));
            } else {
                if (!o.type().equals(c.type())) {
                    out.add("~ column " + c.name() + " type " + o.type() + " -> " + c.type());
                }
                if (o.nullable() != c.nullable()) {
                    out.add("~ column " + c.name() + (c.nullable() ? " now nullable" : " now not null"));
                }
                if (!java.util.Objects.equals(o.charset(), c.charset())
                        || !java.util.Objects.equals(o.collation(), c.collation())) {
                    out.add("~ column " + c.name() + " charset " + o.charset() + "/" + o.collation() + " -> "
                            + c.charset() + "/" + c.collation());
                }
                if (a.indexOf(c.name()) != i) {
                    out.add("~ column " + c.name() + " moved to position " + (i + 1));
                }
            }
        }
        if (!a.primaryKey().equals(b.primaryKey())) {
            out.add("~ primary key " + a.primaryKey() + " -> " + b.primaryKey());
        }
        if (!a.uniqueKeys().equals(b.uniqueKeys())) {
            out.add("~ unique keys "
                    + a.uniqueKeys().stream().map(TableModel.UniqueKey::name).toList() + " -> "
                    + b.uniqueKeys().stream().map(TableModel.UniqueKey::name).toList());
        }
        return out;
    }
}
