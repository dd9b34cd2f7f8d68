package io.sluice.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.NameValidator;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A test-only Avro converter standing in for a registry-backed one (Confluent's and Apicurio's need a registry
 * server): it maps a Connect schema to an Avro schema as those converters do (structs to named records, optional to a
 * union with null, Decimal/Date/Time/Timestamp to Avro's logical types, the Connect version and parameters as
 * {@code connect.*} properties), registers the schema's text in an in-memory registry and writes the registry's wire
 * format (a zero byte, the schema id, Avro binary). Reading parses the registered text again with Avro's strict name
 * rules ({@code [A-Za-z_][A-Za-z0-9_]*}, the specification's) and maps the Avro data back to Connect's.
 */
final class AvroTestConverter implements Converter {
    private static final Map<String, Integer> IDS = new ConcurrentHashMap<>();
    private static final Map<Integer, String> SCHEMAS = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        org.apache.avro.Schema avro = avroSchema(schema, new HashMap<>());
        String text = avro.toString();
        int id = IDS.computeIfAbsent(text, t -> {
            int n = IDS.size() + 1;
            SCHEMAS.put(n, t);
            return n;
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(avro).write(avroValue(schema, avro, value), encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        if (in.get() != 0) {
            throw new DataException("not the registry's wire format");
        }
        String text = SCHEMAS.get(in.getInt());
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser(NameValidator.STRICT_VALIDATOR).parse(text);
        try {
            Object data = new GenericDatumReader<>(avro)
                    .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
            Schema schema = connectSchema(avro);
            return new SchemaAndValue(schema, connectValue(schema, data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Avro schema of a Connect schema; {@code named} holds the records defined so far (a second use refers to them). */
    static org.apache.avro.Schema avroSchema(Schema s, Map<String, org.apache.avro.Schema> named) {
        org.apache.avro.Schema a = switch (s.type()) {
            case INT8, INT16 -> {
                org.apache.avro.Schema i = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                i.addProp("connect.type", s.type().getName());
                yield i;
            }
            case INT32 -> logical(s.name(), org.apache.avro.Schema.Type.INT);
            case INT64 -> logical(s.name(), org.apache.avro.Schema.Type.LONG);
            case FLOAT32 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64 -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING -> org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES -> {
                org.apache.avro.Schema b = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
                if (Decimal.LOGICAL_NAME.equals(s.name())) {
                    String p = s.parameters().getOrDefault("connect.decimal.precision", "64");
                    LogicalTypes.decimal(
                                    Integer.parseInt(p),
                                    Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD)))
                            .addToSchema(b);
                }
                yield b;
            }
            case ARRAY -> org.apache.avro.Schema.createArray(avroSchema(s.valueSchema(), named));
            case MAP -> org.apache.avro.Schema.createMap(avroSchema(s.valueSchema(), named));
            case STRUCT -> record(s, named);
        };
        // a record used twice is one object: the same properties again are no change
        if (s.version() != null) {
            a.addProp("connect.version", s.version());
        }
        if (s.parameters() != null && !s.parameters().isEmpty()) {
            a.addProp("connect.parameters", new LinkedHashMap<>(s.parameters()));
        }
        return s.isOptional()
                ? org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), a)
                : a;
    }

    private static org.apache.avro.Schema logical(String connectName, org.apache.avro.Schema.Type type) {
        org.apache.avro.Schema a = org.apache.avro.Schema.create(type);
        if (Date.LOGICAL_NAME.equals(connectName)) {
            LogicalTypes.date().addToSchema(a);
        } else if (Time.LOGICAL_NAME.equals(connectName)) {
            LogicalTypes.timeMillis().addToSchema(a);
        } else if (Timestamp.LOGICAL_NAME.equals(connectName)) {
            LogicalTypes.timestampMillis().addToSchema(a);
        }
        return a;
    }

    /** A struct as a named record: Avro's own name rules refuse a record or field name that is not valid. */
    private static org.apache.avro.Schema record(Schema s, Map<String, org.apache.avro.Schema> named) {
        String full = s.name() == null ? "ConnectDefault" + named.size() : s.name();
        org.apache.avro.Schema known = named.get(full);
        if (known != null) {
            return known;
        }
        int dot = full.lastIndexOf('.');
        org.apache.avro.Schema r = org.apache.avro.Schema.createRecord(
                full.substring(dot + 1), null, dot < 0 ? null : full.substring(0, dot), false);
        named.put(full, r);
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        for (Field f : s.fields()) {
            fields.add(new org.apache.avro.Schema.Field(
                    f.name(),
                    avroSchema(f.schema(), named),
                    null,
                    f.schema().isOptional() ? JsonProperties.NULL_VALUE : null));
        }
        r.setFields(fields);
        return r;
    }

    private static org.apache.avro.Schema nonNull(org.apache.avro.Schema a) {
        if (a.getType() != org.apache.avro.Schema.Type.UNION) {
            return a;
        }
        return a.getTypes().stream()
                .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
    }

    private static Object avroValue(Schema s, org.apache.avro.Schema declared, Object v) {
        if (v == null) {
            return null;
        }
        org.apache.avro.Schema a = nonNull(declared);
        switch (s.type()) {
            case STRUCT -> {
                Struct struct = (Struct) v;
                GenericData.Record r = new GenericData.Record(a);
                for (Field f : s.fields()) {
                    r.put(f.name(), avroValue(f.schema(), a.getField(f.name()).schema(), struct.get(f)));
                }
                return r;
            }
            case INT8, INT16 -> {
                return ((Number) v).intValue();
            }
            case INT32 -> {
                if (Date.LOGICAL_NAME.equals(s.name())) {
                    return Date.fromLogical(s, (java.util.Date) v);
                }
                return Time.LOGICAL_NAME.equals(s.name()) ? Time.fromLogical(s, (java.util.Date) v) : v;
            }
            case INT64 -> {
                return Timestamp.LOGICAL_NAME.equals(s.name()) ? Timestamp.fromLogical(s, (java.util.Date) v) : v;
            }
            case BYTES -> {
                if (Decimal.LOGICAL_NAME.equals(s.name())) {
                    return ByteBuffer.wrap(Decimal.fromLogical(s, (BigDecimal) v));
                }
                return v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    out.add(avroValue(s.valueSchema(), a.getElementType(), o));
                }
                return out;
            }
            case MAP -> {
                Map<String, Object> out = new HashMap<>();
                ((Map<?, ?>) v).forEach((k, o) -> out.put((String) k, avroValue(s.valueSchema(), a.getValueType(), o)));
                return out;
            }
            default -> {
                return v;
            }
        }
    }

    /** The Connect schema of an Avro schema written by {@link #avroSchema}. */
    static Schema connectSchema(org.apache.avro.Schema avro) {
        boolean optional = avro.getType() == org.apache.avro.Schema.Type.UNION;
        org.apache.avro.Schema a = nonNull(avro);
        LogicalType logical = a.getLogicalType();
        SchemaBuilder b = switch (a.getType()) {
            case RECORD -> {
                SchemaBuilder r = SchemaBuilder.struct().name(a.getFullName());
                for (org.apache.avro.Schema.Field f : a.getFields()) {
                    r.field(f.name(), connectSchema(f.schema()));
                }
                yield r;
            }
            case INT -> {
                if (logical instanceof LogicalTypes.Date) {
                    yield Date.builder();
                } else if (logical instanceof LogicalTypes.TimeMillis) {
                    yield Time.builder();
                }
                Object type = a.getObjectProp("connect.type");
                yield "int8".equals(type)
                        ? SchemaBuilder.int8()
                        : "int16".equals(type) ? SchemaBuilder.int16() : SchemaBuilder.int32();
            }
            case LONG -> logical instanceof LogicalTypes.TimestampMillis ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case STRING -> SchemaBuilder.string();
            case BYTES ->
                logical instanceof LogicalTypes.Decimal d ? Decimal.builder(d.getScale()) : SchemaBuilder.bytes();
            case ARRAY -> SchemaBuilder.array(connectSchema(a.getElementType()));
            case MAP -> SchemaBuilder.map(Schema.STRING_SCHEMA, connectSchema(a.getValueType()));
            default -> throw new DataException("no Connect type for Avro's " + a.getType());
        };
        if (a.getObjectProp("connect.version") instanceof Integer v && b.version() == null) {
            b.version(v);
        }
        if (a.getObjectProp("connect.parameters") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> b.parameter((String) k, (String) v));
        }
        return optional ? b.optional().build() : b.build();
    }

    private static Object connectValue(Schema s, Object v) {
        if (v == null) {
            return null;
        }
        switch (s.type()) {
            case STRUCT -> {
                GenericData.Record r = (GenericData.Record) v;
                Struct out = new Struct(s);
                for (Field f : s.fields()) {
                    out.put(f, connectValue(f.schema(), r.get(f.name())));
                }
                return out;
            }
            case INT8 -> {
                return ((Integer) v).byteValue();
            }
            case INT16 -> {
                return ((Integer) v).shortValue();
            }
            case INT32 -> {
                if (Date.LOGICAL_NAME.equals(s.name())) {
                    return Date.toLogical(s, (Integer) v);
                }
                return Time.LOGICAL_NAME.equals(s.name()) ? Time.toLogical(s, (Integer) v) : v;
            }
            case INT64 -> {
                return Timestamp.LOGICAL_NAME.equals(s.name()) ? Timestamp.toLogical(s, (Long) v) : v;
            }
            case STRING -> {
                return v.toString();
            }
            case BYTES -> {
                ByteBuffer buf = (ByteBuffer) v;
                byte[] bytes = new byte[buf.remaining()];
                buf.duplicate().get(bytes);
                return Decimal.LOGICAL_NAME.equals(s.name()) ? Decimal.toLogical(s, bytes) : bytes;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    out.add(connectValue(s.valueSchema(), o));
                }
                return out;
            }
            case MAP -> {
                Map<String, Object> out = new HashMap<>();
                ((Map<?, ?>) v).forEach((k, o) -> out.put(k.toString(), connectValue(s.valueSchema(), o)));
                return out;
            }
            default -> {
                return v;
            }
        }
    }
}
