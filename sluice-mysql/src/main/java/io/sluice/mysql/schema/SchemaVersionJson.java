package io.sluice.mysql.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Writes a {@link SchemaVersion} as one schema-history record with a streaming generator, the same bytes Jackson's
 * reflective mapper writes for the annotated records (components in order, the record's {@code NON_EMPTY} and the
 * models' {@code NON_NULL} inclusion), without its bean introspection at a run's first schema change.
 */
final class SchemaVersionJson {
    private SchemaVersionJson() {}

    static byte[] write(JsonFactory factory, SchemaVersion v) throws IOException {
        return write(factory, v, false);
    }

    /**
     * The record, with {@code pretty} indented as the mapper's default pretty printer writes it (the {@code v<N>.json}
     * file {@link SchemaFiles} writes for consumers).
     */
    static byte[] write(JsonFactory factory, SchemaVersion v, boolean pretty) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            text(g, "table", v.table(), true);
            g.writeNumberField("version", v.version());
            text(g, "file", v.file(), true);
            g.writeNumberField("pos", v.pos());
            text(g, "ddl", v.ddl(), true);
            text(g, "origin", v.origin(), true);
            if (v.model() != null) {
                g.writeFieldName("model");
                model(g, v.model());
            }
            if (!v.breaking().isEmpty()) {
                strings(g, "breaking", v.breaking());
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void model(JsonGenerator g, TableModel m) throws IOException {
        g.writeStartObject();
        text(g, "db", m.db(), false);
        text(g, "table", m.table(), false);
        g.writeArrayFieldStart("columns");
        for (ColumnModel c : m.columns()) {
            column(g, c);
        }
        g.writeEndArray();
        strings(g, "primary_key", m.primaryKey());
        g.writeArrayFieldStart("unique_keys");
        for (TableModel.UniqueKey u : m.uniqueKeys()) {
            g.writeStartObject();
            // UniqueKey carries no inclusion of its own: a null name is written as null
            g.writeStringField("name", u.name());
            strings(g, "columns", u.columns());
            g.writeEndObject();
        }
        g.writeEndArray();
        text(g, "charset", m.charset(), false);
        g.writeEndObject();
    }

    private static void column(JsonGenerator g, ColumnModel c) throws IOException {
        g.writeStartObject();
        text(g, "name", c.name(), false);
        text(g, "data_type", c.dataType(), false);
        if (c.length() != null) {
            g.writeNumberField("length", c.length().longValue());
        }
        if (c.scale() != null) {
            g.writeNumberField("scale", c.scale().intValue());
        }
        g.writeBooleanField("unsigned", c.unsigned());
        text(g, "charset", c.charset(), false);
        text(g, "collation", c.collation(), false);
        g.writeBooleanField("nullable", c.nullable());
        g.writeBooleanField("has_default", c.hasDefault());
        text(g, "default", c.defaultValue(), false);
        strings(g, "labels", c.labels());
        g.writeEndObject();
    }

    /** A text field left out when null, and also when empty if {@code nonEmpty}. */
    private static void text(JsonGenerator g, String name, String value, boolean nonEmpty) throws IOException {
        if (value != null && !(nonEmpty && value.isEmpty())) {
            g.writeStringField(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
