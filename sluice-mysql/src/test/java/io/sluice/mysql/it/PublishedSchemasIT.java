package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sluice.mysql.schema.ConsumerSchemas;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/**
 * Every published schema against the rows Sluice emits, for each type of {@link ColumnTypesIT}'s corpus (and a few
 * more spellings) and both places a table's definition comes from: the parsed DDL (reading from before the
 * {@code CREATE TABLE}) and the binlog's table map completed from information_schema (reading from after it, as
 * {@code start: latest} and {@code snapshot} do). Each row's {@code after} must be valid under its version's JSON
 * Schema (networknt's validator, draft 2020-12) and fit its Avro schema (parsed by Apache Avro, every value
 * converted to the type the schema names, decimals checked against their logical type, the record validated): the
 * files written next to the output and every history entry of the version (a DDL-derived entry that the table map
 * corrected afterwards included). Rows a snapshot read from an idle table (no table map) have their schemas too.
 */
class PublishedSchemasIT extends ColumnTypesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry JSON_SCHEMAS =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final MariaDbServer db = MariaDbServer.shared();

    /** The expected JSON texts are {@link ColumnTypesIT}'s to check; here each row is checked against its schemas. */
    @Override
    void check(String type, Map<String, String> sqlToJson, String... setup) throws Exception {
        String s = db.createDatabase("pub");
        StartPosition beforeCreate = Capture.current(db);
        db.execute(createTable(s, type));
        StartPosition afterCreate = Capture.current(db);
        db.execute(inserts(s, sqlToJson.keySet(), setup));
        int rows = sqlToJson.size() + 1;
        checkPublished(type + " (DDL)", s, beforeCreate, rows, SchemaVersion.DDL);
        checkPublished(type + " (table map)", s, afterCreate, rows, SchemaVersion.TABLE_MAP);
    }

    @Test
    void otherSpellingsAndGeometriesFitTheirSchemas() throws Exception {
        check("DECIMAL(12,2)", sql("19.99", "-1234567890.12", "0"));
        check("NUMERIC(8,3) UNSIGNED", sql("12345.678"));
        check("INTEGER UNSIGNED", sql("4294967295"));
        check("MEDIUMINT UNSIGNED", sql("16777215"));
        check("BOOLEAN DEFAULT 0", sql("TRUE"));
        check("REAL", sql("1.5e300"));
        check("DOUBLE PRECISION", sql("-2.5"));
        check("FLOAT(7,3)", sql("1234.567"));
        check("BIT(63)", sql("b'" + "1".repeat(63) + "'"));
        check("TINYTEXT", sql("'x'"));
        check("MEDIUMBLOB", sql("x'00ff'"));
        check("CHAR(3) BINARY", sql("'abc'"));
        check("GEOMETRY", sql("ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)', 4326)"));
        check("POINT", sql("ST_GeomFromText('POINT(1 2)')"));
    }

    private static Map<String, String> sql(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) {
            m.put(v, null);
        }
        return m;
    }

    /** Reads the table's events from {@code from} with the schemas published, and checks every row against them. */
    private void checkPublished(String what, String s, StartPosition from, int rows, String origin) throws Exception {
        String table = s + ".t";
        try (Capture cap = Capture.create(db, List.of(table), from)) {
            cap.runPublishingSchemas();
            List<JsonNode> rowEvents = cap.await(rows + (origin.equals(SchemaVersion.DDL) ? 1 : 0)).stream()
                    .filter(e -> !e.get("after").isNull())
                    .toList();
            assertThat(rowEvents).as(what + ": rows").hasSize(rows);
            checkRows(what, cap, table, rowEvents, origin);
        }
    }

    @Test
    void rowsSnapshottedFromAnIdleTableHaveTheirVersionsSchemas() throws Exception {
        String s = db.createDatabase("pubsnap");
        db.execute(createTable(s, "DECIMAL(12,2)"));
        db.execute(inserts(s, List.of("19.99", "-1234567890.12")));
        try (Capture cap = Capture.create(db, List.of(s + ".t"), new StartPosition.Snapshot())) {
            cap.runPublishingSchemas();
            List<JsonNode> read = cap.await(3);
            assertThat(read).extracting(e -> e.get("op").asText()).containsOnly("r");
            checkRows("DECIMAL(12,2) (snapshot)", cap, s + ".t", read, SchemaVersion.SNAPSHOT);
        }
    }

    /**
     * Checks each row event against the schemas of its version: the files published next to the output and every
     * history entry of the version; the history's first entry of the table has {@code origin}.
     */
    private static void checkRows(String what, Capture cap, String table, List<JsonNode> rowEvents, String origin)
            throws Exception {
        List<SchemaVersion> entries = SchemaHistory.open(cap.stateDir()).all().stream()
                .filter(v -> v.table().equals(table) && !v.dropped())
                .toList();
        assertThat(entries)
                .as(what + ": the history's first entry")
                .first()
                .extracting(SchemaVersion::origin)
                .isEqualTo(origin);
        Path files = cap.schemasDir().resolve(table);
        for (JsonNode e : rowEvents) {
            int version = e.get("schema").asInt();
            JsonNode row = e.get("after");
            checkRow(
                    what + ", v" + version + " as published",
                    row,
                    JSON.readTree(files.resolve("v" + version + ".schema.json").toFile()),
                    JSON.readTree(files.resolve("v" + version + ".avsc").toFile()));
            List<SchemaVersion> ofVersion =
                    entries.stream().filter(v -> v.version() == version).toList();
            assertThat(ofVersion).as(what + ": history entries of v" + version).isNotEmpty();
            for (SchemaVersion v : ofVersion) {
                checkRow(
                        what + ", v" + version + " of the history entry from " + v.origin() + " at " + v.pos(),
                        row,
                        ConsumerSchemas.jsonSchema(v),
                        ConsumerSchemas.avro(v));
            }
        }
    }

    private static void checkRow(String what, JsonNode row, JsonNode jsonSchema, JsonNode avsc) {
        List<Error> errors = JSON_SCHEMAS.getSchema(jsonSchema.toString()).validate(row);
        assertThat(errors)
                .as("%s: JSON Schema %s rejects %s", what, jsonSchema, row)
                .isEmpty();
        Schema avro = new Schema.Parser().parse(avsc.toString());
        GenericData.Record record = new GenericData.Record(avro);
        assertThat(avro.getFields()).as(what + ": Avro fields for " + row).hasSize(row.size());
        for (Schema.Field f : avro.getFields()) {
            String column = f.getProp("sluice.column") != null ? f.getProp("sluice.column") : f.name();
            record.put(f.name(), avroValue(f.schema(), row.get(column), what + ", column " + column + " in " + avro));
        }
        assertThat(GenericData.get().validate(avro, record))
                .as("%s: Avro validates %s", what, record)
                .isTrue();
    }

    /** The row's value as the Avro type the schema names; fails where it does not fit. */
    private static Object avroValue(Schema s, JsonNode v, String where) {
        assertThat(v).as(where + ": in the row").isNotNull();
        switch (s.getType()) {
            case UNION -> {
                for (Schema branch : s.getTypes()) {
                    if (v.isNull() == (branch.getType() == Schema.Type.NULL)) {
                        return avroValue(branch, v, where);
                    }
                }
                throw new AssertionError(where + ": " + v + " fits no branch");
            }
            case NULL -> {
                assertThat(v.isNull()).as(where + ": null").isTrue();
                return null;
            }
            case INT -> {
                assertThat(v.isIntegralNumber() && v.canConvertToInt())
                        .as(where + ": " + v + " as int")
                        .isTrue();
                return v.intValue();
            }
            case LONG -> {
                assertThat(v.isIntegralNumber() && v.canConvertToLong())
                        .as(where + ": " + v + " as long")
                        .isTrue();
                return v.longValue();
            }
            case FLOAT, DOUBLE -> {
                assertThat(v.isNumber()).as(where + ": " + v + " as a number").isTrue();
                return s.getType() == Schema.Type.FLOAT ? (Object) v.floatValue() : (Object) v.doubleValue();
            }
            case STRING -> {
                assertThat(v.isTextual()).as(where + ": " + v + " as string").isTrue();
                return v.textValue();
            }
            case BYTES -> {
                if (s.getProp("logicalType") == null) {
                    assertThat(v.isTextual())
                            .as(where + ": " + v + " as base64")
                            .isTrue();
                    return ByteBuffer.wrap(Base64.getDecoder().decode(v.textValue()));
                }
                // fromSchema, unlike the parser, refuses an invalid decimal (scale > precision, say)
                LogicalTypes.Decimal d = (LogicalTypes.Decimal) LogicalTypes.fromSchema(s);
                BigDecimal n = v.isTextual() ? new BigDecimal(v.textValue()) : v.decimalValue();
                assertThat(n.scale()).as(where + ": scale of " + v).isEqualTo(d.getScale());
                assertThat(n.precision()).as(where + ": digits of " + v).isLessThanOrEqualTo(d.getPrecision());
                return new Conversions.DecimalConversion().toBytes(n, s, d);
            }
            default -> throw new AssertionError(where + ": unexpected Avro type " + s);
        }
    }
}
