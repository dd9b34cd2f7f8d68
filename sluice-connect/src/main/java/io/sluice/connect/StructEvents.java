package io.sluice.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TemporalValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import io.sluice.mysql.schema.ConsumerSchemas;
import io.sluice.mysql.schema.Types;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The contract's envelope as Connect {@link Struct}s ({@code value.format=struct}), with Connect {@link Schema}s built
 * from the table schema, so schema-aware converters (Avro, JSON Schema, Protobuf, {@code JsonConverter} with schemas)
 * can write them. The fields and their meaning are the JSON envelope's ({@code docs/change-event.md}); the values are
 * exact:
 *
 * <ul>
 *   <li>integers as INT32 (up to INT and MEDIUMINT UNSIGNED, YEAR) or INT64 (INT UNSIGNED, BIGINT, BIT up to 63
 *       bits); BIGINT UNSIGNED and BIT(64) as Connect's {@link Decimal} with scale 0 (their full range);
 *   <li>DECIMAL(p,s) as {@link Decimal} with scale s (parameter {@code connect.decimal.precision} = p);
 *   <li>FLOAT / DOUBLE as FLOAT32 / FLOAT64; text, ENUM, SET, INET/UUID and JSON as STRING (JSON as its text);
 *   <li>binary strings, BLOBs and GEOMETRY as BYTES;
 *   <li>DATE, TIME, DATETIME, TIMESTAMP as STRING in the contract's shapes (zero dates, TIME beyond 24 h and
 *       microseconds kept, which Connect's temporal logical types cannot hold); with {@code value.temporal=connect}
 *       ({@link Temporals}) as Connect's {@link Date}, {@link Time} and {@link Timestamp} where the column's
 *       fraction digits fit in milliseconds (0-3), a value such a type cannot hold (a zero or partial date, a TIME
 *       below zero or of 24 h and more) stopping the task or, when asked, written as null.
 * </ul>
 *
 * <p>Row fields are optional (a NULL is a null). {@code rules} and {@code route} are there when a rule shaped the
 * event, as in the JSON. The {@code s} event's {@code columns} and {@code old_columns} are
 * STRING fields holding the contract's JSON arrays. Schemas are cached per table version. An event a rule shaped
 * has its schemas built from the table schema after the rules (renamed, dropped, masked and set columns, the rules'
 * key); a computed DECIMAL (of no fixed scale) is a STRING of its plain digits. Thread-safe.
 */
final class StructEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.sluice.Source")
            .field("name", Schema.STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("snapshot", Schema.BOOLEAN_SCHEMA)
            .build();

    private static final Schema BREAKING =
            SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build();

    /**
     * A table version's schemas; {@code keyFields} and {@code rowFields} map a column to its field where
     * {@code value.field-names=avro} renamed any (null: fields are named as the columns).
     */
    record Schemas(
            Schema key, Schema row, Schema envelope, Map<String, String> keyFields, Map<String, String> rowFields) {}

    /**
     * How temporal columns are typed: {@code connect} maps DATE to Connect's {@link Date}, DATETIME and TIMESTAMP of
     * 0-3 fraction digits to {@link Timestamp} (a DATETIME's wall-clock value read as UTC) and TIME of 0-3 fraction
     * digits to {@link Time}; columns of 4-6 fraction digits stay the contract's text (milliseconds would lose
     * digits). A value the Connect type cannot hold stops the task naming it, or, with {@code unfitAsNull}, is null.
     */
    record Temporals(boolean connect, boolean unfitAsNull) {
        /** Every temporal as the contract's text. */
        static final Temporals TEXT = new Temporals(false, false);
    }

    private final Map<String, Schemas> cache = new ConcurrentHashMap<>();
    /** Schemas of shaped events, by the shaped table schema object (one per compiled rule set). */
    private final Map<TableSchema, Schemas> shaped = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    private static final int MAX_SHAPED = 1_000;
    private final Temporals temporals;
    private final boolean avroNames;

    StructEvents(Temporals temporals) {
        this(temporals, false);
    }

    /**
     * {@code avroNames}: a column whose name is not a valid Avro name ({@code [A-Za-z_][A-Za-z0-9_]*}) is a field of
     * the rewritten name ({@link ConsumerSchemas#avroFieldNames}: other characters become {@code _}, a leading digit
     * gets a {@code _} before it, a clash is numbered), as {@code sluice schema show --format avro} names it.
     */
    StructEvents(Temporals temporals, boolean avroNames) {
        this.temporals = temporals;
        this.avroNames = avroNames;
    }

    /** The key of a row event as a Struct of the key columns, or null (no key, {@code t}/{@code s}). */
    Struct key(ChangeEvent e) {
        if (e.key() == null) {
            return null;
        }
        Schemas s = schemas(e);
        return row(s.key(), s.keyFields(), e.key(), e);
    }

    /** The key's schema for {@link #key}, null when the event has no key. */
    Schema keySchema(ChangeEvent e) {
        return e.key() == null ? null : schemas(e).key();
    }

    /** The envelope as a Struct; {@code json} is the event's contract JSON (for ts_ms and the s event's fields). */
    Struct value(ChangeEvent e, byte[] json) {
        Schemas s = schemas(e);
        SourceInfo src = e.source();
        Struct source = new Struct(SOURCE)
                .put("name", src.name())
                .put("server_id", src.serverId())
                .put("gtid", src.gtid())
                .put("file", src.file())
                .put("pos", src.pos())
                .put("row", src.row())
                .put("ts_ms", src.tsMs())
                .put("db", src.db())
                .put("table", src.table())
                .put("snapshot", src.snapshot());
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException ex) {
            throw new DataException("event " + e.id() + ": its JSON does not parse: " + ex.getMessage(), ex);
        }
        Struct v = new Struct(s.envelope())
                .put("v", tree.path("v").asInt(1))
                .put("id", e.id())
                .put("op", e.op().code())
                .put("source", source)
                .put("key", e.key() == null ? null : row(s.key(), s.keyFields(), e.key(), e))
                .put("before", e.before() == null ? null : row(s.row(), s.rowFields(), e.before(), e))
                .put("after", e.after() == null ? null : row(s.row(), s.rowFields(), e.after(), e))
                .put("schema", e.schema())
                .put("ddl", e.ddl())
                .put("ts_ms", tree.path("ts_ms").asLong());
        if (tree.has("columns")) {
            v.put("columns", tree.get("columns").toString());
        }
        if (tree.has("old_columns")) {
            v.put("old_columns", tree.get("old_columns").toString());
        }
        if (tree.has("rules")) {
            v.put("rules", tree.get("rules").asInt());
        }
        if (tree.hasNonNull("route")) {
            v.put("route", tree.get("route").asText());
        }
        if (tree.has("breaking")) {
            List<String> rules = new ArrayList<>();
            tree.get("breaking").forEach(n -> rules.add(n.asText()));
            v.put("breaking", rules);
        }
        return v;
    }

    /** The envelope's schema for {@link #value}. */
    Schema valueSchema(ChangeEvent e) {
        return schemas(e).envelope();
    }

    private Schemas schemas(ChangeEvent e) {
        TableSchema t = e.table();
        SourceInfo src = e.source();
        if (e.shaping() != null && t != null) {
            // shaped by rules: the table schema after them (renamed, dropped, masked and set columns), one object per
            // compiled rule set, table version and op
            Schemas s = shaped.get(t);
            if (s == null) {
                s = buildShaped(src.db(), src.table(), t, e.key());
                if (shaped.size() >= MAX_SHAPED) {
                    shaped.clear(); // schemas of rule sets no longer in effect
                }
                shaped.put(t, s);
            }
            return s;
        }
        if (t == null && (e.key() != null || e.before() != null || e.after() != null)) {
            throw new DataException("event " + e.id() + " of " + src.db() + "." + src.table()
                    + " carries no table schema, so value.format=struct cannot type its columns");
        }
        String cacheKey = t == null ? src.db() + "\u0000" + src.table() + "\u0000-" : null;
        if (t != null) {
            cacheKey = t.db() + "\u0000" + t.table() + "\u0000" + t.version();
        }
        return cache.computeIfAbsent(cacheKey, k -> build(src.db(), src.table(), t));
    }

    private Schemas build(String db, String table, TableSchema t) {
        String base = "sluice." + avroName(db) + "." + avroName(table);
        SchemaBuilder key = SchemaBuilder.struct().name(base + ".Key").optional();
        SchemaBuilder row = SchemaBuilder.struct().name(base + ".Value").optional();
        Map<String, String> keyFields = null;
        Map<String, String> rowFields = null;
        if (t != null) {
            key.version(t.version());
            row.version(t.version());
            keyFields = fields(t, java.util.Arrays.asList(t.keyNames()), t.keyColumns(), key, false);
            rowFields = fields(t, java.util.Arrays.asList(t.names()), t.columns(), row, true);
        }
        return envelope(base, t, key.build(), row.build(), keyFields, rowFields);
    }

    /**
     * Adds a field per column to {@code struct}; the columns' field names when {@code value.field-names=avro}
     * renamed one of them, else null.
     */
    private Map<String, String> fields(
            TableSchema t, List<String> names, List<Column> columns, SchemaBuilder struct, boolean optional) {
        List<String> fields = avroNames ? ConsumerSchemas.avroFieldNames(names) : names;
        for (int i = 0; i < columns.size(); i++) {
            struct.field(fields.get(i), fieldSchema(t, columns.get(i), optional, temporals));
        }
        if (fields.equals(names)) {
            return null;
        }
        Map<String, String> byColumn = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byColumn.put(names.get(i), fields.get(i));
        }
        return byColumn;
    }

    /**
     * The schemas of events a rule shaped: the row from the shaped table schema {@code t} (its columns with their
     * types after the rules: a masked column is text, a set column has its expression's type), the key from the
     * rules' key when they declare one, else from the event's key columns ({@code key}, the source's).
     */
    private Schemas buildShaped(String db, String table, TableSchema t, Row key) {
        String base = "sluice." + avroName(db) + "." + avroName(table);
        SchemaBuilder k = SchemaBuilder.struct().name(base + ".Key").optional().version(t.version());
        SchemaBuilder row =
                SchemaBuilder.struct().name(base + ".Value").optional().version(t.version());
        Map<String, String> keyFields = null;
        if (!t.keyColumns().isEmpty()) {
            keyFields = fields(t, java.util.Arrays.asList(t.keyNames()), t.keyColumns(), k, false);
        } else if (key != null) {
            List<String> names = new ArrayList<>();
            List<Column> columns = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                Column c = key.column(i);
                if (c == null) {
                    throw new DataException("the key of " + t.qualifiedName() + " carries no column types, so"
                            + " value.format=struct cannot type it: use value.format=json for this table");
                }
                names.add(key.name(i));
                columns.add(c);
            }
            keyFields = fields(t, names, columns, k, false);
        }
        Map<String, String> rowFields = fields(t, java.util.Arrays.asList(t.names()), t.columns(), row, true);
        return envelope(base, t, k.build(), row.build(), keyFields, rowFields);
    }

    private static Schemas envelope(
            String base,
            TableSchema t,
            Schema k,
            Schema r,
            Map<String, String> keyFields,
            Map<String, String> rowFields) {
        SchemaBuilder env = SchemaBuilder.struct()
                .name(base + ".Envelope")
                .field("v", Schema.INT32_SCHEMA)
                .field("id", Schema.STRING_SCHEMA)
                .field("op", Schema.STRING_SCHEMA)
                .field("source", SOURCE)
                .field("key", k)
                .field("before", r)
                .field("after", r)
                .field("schema", Schema.INT32_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .field("columns", Schema.OPTIONAL_STRING_SCHEMA)
                .field("old_columns", Schema.OPTIONAL_STRING_SCHEMA)
                .field("breaking", BREAKING)
                .field("rules", Schema.OPTIONAL_INT32_SCHEMA)
                .field("route", Schema.OPTIONAL_STRING_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA);
        if (t != null) {
            env.version(t.version());
        }
        return new Schemas(k, r, env.build(), keyFields, rowFields);
    }

    /** A name part Avro accepts: letters, digits and '_', not starting with a digit. */
    static String avroName(String s) {
        return ConsumerSchemas.avroName(s);
    }

    /** The Connect type of a column's values (by the type families of {@link Types}). */
    static Schema fieldSchema(TableSchema t, Column c, boolean optional, Temporals temporals) {
        String type = c.dataType().toLowerCase(Locale.ROOT);
        SchemaBuilder b = switch (Types.family(type)) {
            case INTEGER ->
                switch (type) {
                    case "int" -> c.unsigned() ? SchemaBuilder.int64() : SchemaBuilder.int32();
                    case "bigint" -> c.unsigned() ? Decimal.builder(0) : SchemaBuilder.int64();
                    default -> SchemaBuilder.int32();
                };
            case YEAR -> SchemaBuilder.int32();
            case BIT -> c.length() != null && c.length() < 64 ? SchemaBuilder.int64() : Decimal.builder(0);
            case DECIMAL -> {
                if (c.precision() == null && c.scale() == null) {
                    // a rule's computed decimal: its scale varies from value to value, Connect's Decimal has one
                    yield SchemaBuilder.string();
                }
                SchemaBuilder d = Decimal.builder(c.scale() == null ? 0 : c.scale());
                if (c.precision() != null) {
                    d.parameter("connect.decimal.precision", c.precision().toString());
                }
                yield d;
            }
            case FLOAT -> "float".equals(type) ? SchemaBuilder.float32() : SchemaBuilder.float64();
            case STRING, ENUM, SET, JSON -> SchemaBuilder.string();
            case DATE -> temporals.connect() ? Date.builder() : SchemaBuilder.string();
            case DATETIME, TIMESTAMP ->
                temporals.connect() && inMillis(c) ? Timestamp.builder() : SchemaBuilder.string();
            case TIME -> temporals.connect() && inMillis(c) ? Time.builder() : SchemaBuilder.string();
            case BINARY, GEOMETRY -> SchemaBuilder.bytes();
            case OTHER ->
                switch (type) {
                    case "inet4", "inet6", "uuid" -> SchemaBuilder.string();
                    case "geomcollection" -> SchemaBuilder.bytes();
                    default ->
                        throw new DataException("column " + c.name() + " of " + t.qualifiedName()
                                + " has type " + c.dataType() + ", which value.format=struct does not map yet; use"
                                + " value.format=json (the contract's JSON) for this table");
                };
        };
        return optional ? b.optional().build() : b.build();
    }

    /** A TIME, DATETIME or TIMESTAMP column of at most 3 fraction digits (its length, null for 0). */
    private static boolean inMillis(Column c) {
        return c.length() == null || c.length() <= 3;
    }

    private Struct row(Schema schema, Map<String, String> fields, Row row, ChangeEvent e) {
        Struct s = new Struct(schema);
        for (int i = 0; i < row.size(); i++) {
            org.apache.kafka.connect.data.Field f =
                    schema.field(fields == null ? row.name(i) : fields.getOrDefault(row.name(i), row.name(i)));
            if (f == null) {
                throw new DataException(
                        "event " + e.id() + ": column " + row.name(i) + " is not in version " + e.schema() + " of "
                                + e.source().db() + "." + e.source().table());
            }
            Object v = row.value(i);
            s.put(f, isTemporal(f.schema()) ? temporal(f, v, e) : value(f.schema(), v));
        }
        return s;
    }

    private static boolean isTemporal(Schema schema) {
        String n = schema.name();
        return Date.LOGICAL_NAME.equals(n) || Time.LOGICAL_NAME.equals(n) || Timestamp.LOGICAL_NAME.equals(n);
    }

    /**
     * A DATE, TIME, DATETIME or TIMESTAMP value as the {@link java.util.Date} of Connect's logical type; a value the
     * type cannot hold is null with {@link Temporals#unfitAsNull} (in a row, not a key), else a {@link DataException}
     * naming the event, the column, the value and the ways out.
     */
    private Object temporal(org.apache.kafka.connect.data.Field f, Object v, ChangeEvent e) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof TemporalValue tv)) {
            throw new DataException("event " + e.id() + ": column " + f.name() + " holds a "
                    + v.getClass().getSimpleName() + ", not a temporal value");
        }
        String unfit = unfit(tv);
        if (unfit == null) {
            return new java.util.Date(millis(tv));
        }
        if (temporals.unfitAsNull() && f.schema().isOptional()) {
            return null;
        }
        String type = f.schema().name().substring(f.schema().name().lastIndexOf('.') + 1);
        throw new DataException("event " + e.id() + ": column " + f.name() + " of "
                + e.source().db() + "."
                + e.source().table() + " holds " + tv + " (" + unfit + "), which Connect's " + type + " cannot hold"
                + (f.schema().isOptional()
                        ? "; set value.temporal.out-of-range=null to write such values as null (like SQL NULL),"
                                + " or value.temporal=string to keep every temporal value as the contract's text"
                        : "; it is a key column, which cannot be null: set value.temporal=string to keep every"
                                + " temporal value as the contract's text"));
    }

    /** Why a value does not fit its Connect type, or null when it does. */
    private static String unfit(TemporalValue v) {
        try {
            if (v instanceof DateValue d) {
                LocalDate.of(d.year(), d.month(), d.day());
            } else if (v instanceof DateTimeValue d) {
                LocalDate.of(d.year(), d.month(), d.day());
                if (d.micros() % 1000 != 0) {
                    return "finer than milliseconds";
                }
            } else if (v instanceof TimestampValue t) {
                if (t.epochSecond() == 0) {
                    return "a zero date";
                }
                if (t.micros() % 1000 != 0) {
                    return "finer than milliseconds";
                }
            } else if (v instanceof TimeValue t) {
                if (t.hours() >= 24) {
                    return "24 hours or more";
                }
                if (t.negative() && (t.hours() | t.minutes() | t.seconds() | t.micros()) != 0) {
                    return "below zero";
                }
                if (t.micros() % 1000 != 0) {
                    return "finer than milliseconds";
                }
            }
            return null;
        } catch (DateTimeException ex) {
            return "a zero, partial or invalid date";
        }
    }

    /** Milliseconds since the epoch (UTC) of a value that fits ({@link #unfit} is null); a TIME's since midnight. */
    private static long millis(TemporalValue v) {
        if (v instanceof DateValue d) {
            return LocalDate.of(d.year(), d.month(), d.day()).toEpochDay() * 86_400_000L;
        }
        if (v instanceof DateTimeValue d) {
            return LocalDateTime.of(d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second())
                                    .toEpochSecond(ZoneOffset.UTC)
                            * 1000L
                    + d.micros() / 1000;
        }
        if (v instanceof TimestampValue t) {
            return t.epochSecond() * 1000L + t.micros() / 1000;
        }
        TimeValue t = (TimeValue) v;
        return ((t.hours() * 60L + t.minutes()) * 60L + t.seconds()) * 1000L + t.micros() / 1000;
    }

    /** A value of the value model as the field's Connect type wants it. */
    static Object value(Schema schema, Object v) {
        if (v == null) {
            return null;
        }
        return switch (schema.type()) {
            case INT32 -> ((Number) v).intValue();
            case INT64 -> ((Number) v).longValue();
            case FLOAT32 -> ((Number) v).floatValue();
            case FLOAT64 -> ((Number) v).doubleValue();
            case STRING ->
                v instanceof JsonText j
                        ? j.json()
                        : v instanceof TemporalValue tv
                                ? tv.toString()
                                : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            case BYTES -> {
                if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                    yield v instanceof BigDecimal d
                            ? d
                            : new BigDecimal(
                                    v instanceof BigInteger i ? i : BigInteger.valueOf(((Number) v).longValue()));
                }
                yield v instanceof Bytes b ? b.toArray() : v;
            }
            default -> v;
        };
    }
}
