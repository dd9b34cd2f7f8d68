package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.AsciiText;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.JsonText;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimeValue;
import io.sluice.core.value.TimestampValue;
import io.sluice.kafka.StateTopic;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TS = 1_764_000_000_123L;

    private static Column col(String name, String type, Long length, Integer scale, boolean unsigned) {
        return new Column(name, type, length, scale, unsigned, null, true, false, null, List.of());
    }

    /** A column of every contract type, and a value of each (the value model's types). */
    private static final List<Object[]> EVERY_TYPE = List.of(
            new Object[] {col("id", "int", null, null, false), 7},
            new Object[] {col("ti", "tinyint", null, null, false), -5},
            new Object[] {col("mi_u", "mediumint", null, null, true), 16_777_215},
            new Object[] {col("i_u", "int", null, null, true), 4_294_967_295L},
            new Object[] {col("bi", "bigint", null, null, false), Long.MIN_VALUE},
            new Object[] {col("bi_u", "bigint", null, null, true), new BigInteger("18446744073709551615")},
            new Object[] {col("bi_u_small", "bigint", null, null, true), 42L},
            new Object[] {col("b3", "bit", 3L, null, false), 5L},
            new Object[] {col("b64", "bit", 64L, null, false), new BigInteger("18446744073709551615")},
            new Object[] {col("dec", "decimal", 10L, 4, false), new BigDecimal("-12.3400")},
            new Object[] {col("dec0", "decimal", 20L, 0, false), new BigDecimal("42")},
            new Object[] {col("f", "float", null, null, false), 1.1f},
            new Object[] {col("d", "double", null, null, false), 0.30000000000000004},
            new Object[] {col("vc", "varchar", 20L, null, false), "naïve 🚀"},
            new Object[] {col("ascii", "char", 5L, null, false), AsciiText.ofSafe("abc")},
            new Object[] {col("e", "enum", null, null, false), "paid"},
            new Object[] {col("s", "set", null, null, false), "a,c"},
            new Object[] {col("bin", "binary", 3L, null, false), Bytes.of((byte) 0, (byte) 1, (byte) 2)},
            new Object[] {col("blob", "blob", null, null, false), Bytes.of((byte) -1)},
            new Object[] {col("geo", "point", null, null, false), Bytes.of(new byte[25])},
            new Object[] {col("dt", "date", null, null, false), new DateValue(2024, 2, 29)},
            new Object[] {col("dt0", "date", null, null, false), new DateValue(0, 0, 0)},
            new Object[] {col("tm", "time", 0L, null, false), new TimeValue(true, 100, 0, 0, 0, 0)},
            new Object[] {col("dtm", "datetime", 6L, null, false), new DateTimeValue(2024, 2, 29, 13, 45, 1, 250_000, 6)
            },
            new Object[] {col("ts", "timestamp", 3L, null, false), new TimestampValue(1_709_210_701L, 250_000, 3)},
            new Object[] {col("y", "year", null, null, false), 2024},
            new Object[] {col("js", "json", null, null, false), new JsonText("{\"a\":[1,2]}")},
            new Object[] {col("mjs", "longtext", null, null, false), "{\"a\": 1}"},
            new Object[] {col("ip", "inet6", null, null, false), "::1"},
            new Object[] {col("nothing", "varchar", 10L, null, false), null});

    static ChangeEvent everyType() {
        List<Column> columns = new ArrayList<>();
        Object[] values = new Object[EVERY_TYPE.size()];
        for (int i = 0; i < values.length; i++) {
            columns.add((Column) EVERY_TYPE.get(i)[0]);
            values[i] = EVERY_TYPE.get(i)[1];
        }
        TableSchema t = new TableSchema("sales", "orders", 3, columns, new int[] {0});
        Row key = new Row(t.keyNames(), t.keyColumns(), new Object[] {7});
        Row after = new Row(t.names(), t.columns(), values);
        SourceInfo s =
                new SourceInfo("shop", 1, "0-1-5", "bin.000001", 400, 0, 1_764_000_000_000L, "sales", "orders", false);
        return ChangeEvent.row(Op.CREATE, t, key, null, after).withSource("shop:0-1-5:0", s);
    }

    private static SchemaAndValue roundTrip(JsonConverter c, String topic, RecordFormat.Data d) {
        byte[] bytes = c.fromConnectData(topic, d.schema(), d.value());
        return c.toConnectData(topic, bytes);
    }

    private static JsonConverter jsonConverter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), isKey);
        return c;
    }

    @Test
    void structValuesOfEveryContractTypeRoundTripThroughJsonConverterWithSchemasExactly() throws Exception {
        ChangeEvent e = everyType();
        byte[] json = EventCodec.toJson(e, TS);
        RecordFormat f = new RecordFormat("struct");

        RecordFormat.Data value = f.value(e, json);
        SchemaAndValue back = roundTrip(jsonConverter(false), "shop.sales.orders", value);
        assertThat(back.schema()).isEqualTo(value.schema());
        assertThat(back.value()).isEqualTo(value.value());
        RecordFormat.Data key = f.key(e, EventCodec.renderRow(e.key()));
        SchemaAndValue keyBack = roundTrip(jsonConverter(true), "shop.sales.orders", key);
        assertThat(keyBack.value()).isEqualTo(key.value());
        assertThat(((Struct) keyBack.value()).get("id")).isEqualTo(7);

        Struct v = (Struct) back.value();
        JsonNode contract = JSON.readTree(json);
        assertThat(v.getString("id")).isEqualTo(contract.get("id").asText());
        assertThat(v.getString("op")).isEqualTo("c");
        assertThat(v.getInt32("schema")).isEqualTo(3);
        assertThat(v.getInt64("ts_ms")).isEqualTo(TS);
        assertThat(v.getStruct("source").getString("gtid")).isEqualTo("0-1-5");
        assertThat(v.getStruct("source").getInt64("pos")).isEqualTo(400L);
        assertThat(v.get("before")).isNull();
        Struct after = v.getStruct("after");
        JsonNode a = contract.get("after");
        assertThat(after.schema().fields()).hasSize(EVERY_TYPE.size());
        // exact numbers, with their types
        assertThat(after.get("mi_u")).isEqualTo(16_777_215);
        assertThat(after.get("i_u")).isEqualTo(4_294_967_295L);
        assertThat(after.get("bi")).isEqualTo(Long.MIN_VALUE);
        assertThat(after.get("bi_u")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(after.get("bi_u_small")).isEqualTo(new BigDecimal("42"));
        assertThat(after.get("b64")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(after.get("b3")).isEqualTo(5L);
        assertThat(after.get("dec")).isEqualTo(new BigDecimal("-12.3400"));
        assertThat(after.schema().field("dec").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(after.schema().field("dec").schema().parameters())
                .containsEntry("scale", "4")
                .containsEntry("connect.decimal.precision", "10");
        assertThat(after.get("f")).isEqualTo(1.1f);
        assertThat(after.get("d")).isEqualTo(0.30000000000000004);
        assertThat(after.get("y")).isEqualTo(2024);
        // text, temporals and JSON as the contract writes them
        for (String c : List.of("vc", "ascii", "e", "s", "dt", "dt0", "tm", "dtm", "ts", "mjs", "ip")) {
            assertThat(after.get(c)).as(c).isEqualTo(a.get(c).asText());
        }
        assertThat(after.get("dtm")).isEqualTo("2024-02-29T13:45:01.250000");
        assertThat(after.get("tm")).isEqualTo("-100:00:00");
        assertThat(JSON.readTree((String) after.get("js"))).isEqualTo(a.get("js"));
        // bytes as bytes, the same the contract's base64 holds
        for (String c : List.of("bin", "blob", "geo")) {
            assertThat((byte[]) after.get(c))
                    .as(c)
                    .isEqualTo(Base64.getDecoder().decode(a.get(c).asText()));
        }
        assertThat(after.get("nothing")).isNull();
    }

    @Test
    void aTruncateOrSchemaEventWithoutATableSchemaIsAnEnvelopeWithoutRows() {
        SourceInfo s =
                new SourceInfo("shop", 1, null, "bin.000001", 400, 0, 1_764_000_000_000L, "sales", "gone", false);
        ChangeEvent drop = new ChangeEvent("shop:x:0", Op.SCHEMA, s, null, null, null, 2, "DROP TABLE gone");
        RecordFormat.Data d = new RecordFormat("struct").value(drop, EventCodec.toJson(drop, TS));
        SchemaAndValue back = roundTrip(jsonConverter(false), "shop.sales.gone", d);
        assertThat(((Struct) back.value()).getString("ddl")).isEqualTo("DROP TABLE gone");
        assertThat(((Struct) back.value()).getString("op")).isEqualTo("s");
    }

    @Test
    void anEventARuleShapedCarriesItsRuleVersionAndRoute() {
        ChangeEvent e = everyType();
        ChangeEvent shaped = e.withShaping(new io.sluice.core.event.Shaping(2, "sales.orders_eu"));
        Struct v = (Struct) roundTrip(
                        jsonConverter(false),
                        "t",
                        new RecordFormat("struct").value(shaped, EventCodec.toJson(shaped, TS)))
                .value();
        assertThat(v.get("rules")).isEqualTo(2);
        assertThat(v.get("route")).isEqualTo("sales.orders_eu");
        Struct plain = (Struct)
                new RecordFormat("struct").value(e, EventCodec.toJson(e, TS)).value();
        assertThat(plain.get("rules")).isNull();
    }

    @Test
    void aShapedEventsSchemaIsTheShapedTableSchemasWithAComputedDecimalAsTextAndTheSourceKeyWithoutARulesKey() {
        // as TableRules shapes it: email masked (text), a computed decimal (no precision, no scale), no rules key
        Column id = col("id", "int", null, null, false);
        Column total = new Column("total", "decimal", null, null, false, null, true, false, null, List.of());
        TableSchema shaped = new TableSchema(
                "sales", "orders", 3, List.of(id, col("email", "varchar", null, null, false), total), new int[0]);
        SourceInfo s = new SourceInfo("shop", 1, null, "bin.000001", 400, 0, 1L, "sales", "orders", false);
        Row key = new Row(new String[] {"id"}, List.of(id), new Object[] {7});
        Row after =
                new Row(shaped.names(), shaped.columns(), new Object[] {7, "***", new java.math.BigDecimal("1.50E+1")});
        ChangeEvent e = ChangeEvent.row(Op.CREATE, shaped, key, null, after)
                .withSource("shop:x:0", s)
                .withShaping(new io.sluice.core.event.Shaping(4, null));
        RecordFormat f = new RecordFormat("struct");
        Struct v = (Struct) roundTrip(jsonConverter(false), "t", f.value(e, EventCodec.toJson(e, TS)))
                .value();
        assertThat(v.getStruct("after").schema().fields())
                .extracting(x -> x.name() + ":" + x.schema().type())
                .containsExactly("id:INT32", "email:STRING", "total:STRING");
        assertThat(v.getStruct("after").get("total")).isEqualTo("15.0"); // plain digits, not 1.50E+1
        assertThat(v.get("rules")).isEqualTo(4);
        Struct k = (Struct) roundTrip(jsonConverter(true), "t", f.key(e, EventCodec.renderRow(e.key())))
                .value();
        assertThat(k.get("id")).isEqualTo(7);
    }

    @Test
    void aColumnTypeWithoutAMappingIsAClearErrorNamingIt() {
        TableSchema t =
                new TableSchema("sales", "odd", 1, List.of(col("v", "vector", null, null, false)), new int[] {});
        SourceInfo s = new SourceInfo("shop", 1, null, "bin.000001", 400, 0, 1L, "sales", "odd", false);
        ChangeEvent e = ChangeEvent.row(Op.CREATE, t, null, null, new Row(t.names(), t.columns(), new Object[] {"x"}))
                .withSource("shop:x:0", s);
        assertThatThrownBy(() -> new RecordFormat("struct").value(e, EventCodec.toJson(e, TS)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("column v of sales.odd has type vector")
                .hasMessageContaining("value.format=json");
    }

    @Test
    void jsonStringValuesAreTheContractsJsonThroughStringConverter() {
        ChangeEvent e = everyType();
        byte[] json = EventCodec.toJson(e, TS);
        RecordFormat f = new RecordFormat("json-string");
        StringConverter c = new StringConverter();
        c.configure(Map.of(), false);
        RecordFormat.Data v = f.value(e, json);
        assertThat(c.fromConnectData("t", v.schema(), v.value())).isEqualTo(json);
        RecordFormat.Data k = f.key(e, EventCodec.renderRow(e.key()));
        assertThat(c.fromConnectData("t", k.schema(), k.value())).isEqualTo(EventCodec.renderRow(e.key()));
        RecordFormat.Data state = f.stateValue("{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(c.fromConnectData("t", state.schema(), state.value()))
                .isEqualTo("{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void underStructTheStateTopicIsReadBackThroughTheConnectorsConverters() {
        Map<String, String> props = new HashMap<>();
        props.put("key.converter", JsonConverter.class.getName());
        props.put("value.converter", JsonConverter.class.getName());
        props.put("value.converter.schemas.enable", "true");
        RecordFormat f = new RecordFormat("struct");
        List<StateTopic.Decoder> d = f.stateDecoder(props);
        byte[] stored = "{\"table\":\"sales.orders\"}".getBytes(StandardCharsets.UTF_8);
        RecordFormat.Data k = f.stateKey("shop/schema/0");
        RecordFormat.Data v = f.stateValue(stored);
        byte[] writtenKey = jsonConverter(true).fromConnectData("s", k.schema(), k.value());
        byte[] writtenValue = jsonConverter(false).fromConnectData("s", v.schema(), v.value());
        assertThat(writtenValue).isNotEqualTo(stored);
        assertThat(new String(d.get(0).decode("s", writtenKey), StandardCharsets.UTF_8))
                .isEqualTo("shop/schema/0");
        assertThat(d.get(1).decode("s", writtenValue)).isEqualTo(stored);
    }

    @Test
    void validationNamesAConverterThatDoesNotFitTheFormat() {
        Map<String, String> p = new HashMap<>();
        assertThat(RecordFormat.converterProblems("json", p)).isEmpty();
        assertThat(RecordFormat.converterProblems("struct", p)).containsOnlyKeys("key.converter", "value.converter");
        p.put("key.converter", RecordFormat.STRING_CONVERTER);
        p.put("value.converter", RecordFormat.STRING_CONVERTER);
        assertThat(RecordFormat.converterProblems("json-string", p)).isEmpty();
        assertThat(RecordFormat.converterProblems("json", p).get("value.converter"))
                .contains("must be " + RecordFormat.BYTES_CONVERTER)
                .contains("value.format=json-string for StringConverter");
        p.put("key.converter", JsonConverter.class.getName());
        p.put("value.converter", JsonConverter.class.getName());
        assertThat(RecordFormat.converterProblems("struct", p)).isEmpty();
    }

    /** A row of {@code sales.times} (key {@code day}, a DATE) with these columns and values after the key. */
    private static ChangeEvent times(List<Column> columns, Object... values) {
        List<Column> all = new ArrayList<>();
        all.add(col("day", "date", null, null, false));
        all.addAll(columns);
        Object[] row = new Object[all.size()];
        row[0] = new DateValue(2024, 2, 29);
        System.arraycopy(values, 0, row, 1, values.length);
        TableSchema t = new TableSchema("sales", "times", 1, all, new int[] {0});
        Row key = new Row(t.keyNames(), t.keyColumns(), new Object[] {row[0]});
        SourceInfo s =
                new SourceInfo("shop", 1, "0-1-9", "bin.000001", 900, 0, 1_764_000_000_000L, "sales", "times", false);
        return ChangeEvent.row(Op.CREATE, t, key, null, new Row(t.names(), t.columns(), row))
                .withSource("shop:0-1-9:0", s);
    }

    private static Struct structAfter(StructEvents.Temporals temporals, ChangeEvent e) {
        RecordFormat.Data value = new RecordFormat("struct", temporals).value(e, EventCodec.toJson(e, TS));
        SchemaAndValue back = roundTrip(jsonConverter(false), "shop.sales.times", value);
        assertThat(back.schema()).isEqualTo(value.schema());
        assertThat(back.value()).isEqualTo(value.value());
        return ((Struct) back.value()).getStruct("after");
    }

    @Test
    void connectTemporalsAreConnectsLogicalTypesExactlyAndFinerColumnsStayTheContractsText() {
        ChangeEvent e = times(
                List.of(
                        col("old", "date", null, null, false),
                        col("dt0", "datetime", null, null, false),
                        col("dt3", "datetime", 3L, null, false),
                        col("ts3", "timestamp", 3L, null, false),
                        col("tm0", "time", null, null, false),
                        col("tm3", "time", 3L, null, false),
                        col("dt6", "datetime", 6L, null, false),
                        col("ts6", "timestamp", 6L, null, false),
                        col("tm6", "time", 6L, null, false),
                        col("none", "datetime", 3L, null, false)),
                new DateValue(1969, 12, 31),
                new DateTimeValue(1000, 1, 1, 0, 0, 0, 0, 0),
                new DateTimeValue(2024, 2, 29, 13, 45, 1, 250_000, 3),
                new TimestampValue(1_709_210_701L, 250_000, 3),
                new TimeValue(false, 23, 59, 59, 0, 0),
                new TimeValue(false, 13, 45, 1, 250_000, 3),
                new DateTimeValue(2024, 2, 29, 13, 45, 1, 250_001, 6),
                new TimestampValue(1_709_210_701L, 250_001, 6),
                new TimeValue(false, 13, 45, 1, 250_001, 6),
                null);
        Struct after = structAfter(new StructEvents.Temporals(true, false), e);
        Map<String, String> logical = new HashMap<>();
        after.schema()
                .fields()
                .forEach(f -> logical.put(f.name(), String.valueOf(f.schema().name())));
        assertThat(logical)
                .containsEntry("day", org.apache.kafka.connect.data.Date.LOGICAL_NAME)
                .containsEntry("old", org.apache.kafka.connect.data.Date.LOGICAL_NAME)
                .containsEntry("dt0", org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME)
                .containsEntry("dt3", org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME)
                .containsEntry("ts3", org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME)
                .containsEntry("tm0", org.apache.kafka.connect.data.Time.LOGICAL_NAME)
                .containsEntry("tm3", org.apache.kafka.connect.data.Time.LOGICAL_NAME)
                .containsEntry("dt6", "null")
                .containsEntry("ts6", "null")
                .containsEntry("tm6", "null");
        // milliseconds since the epoch (UTC; a DATETIME's wall clock read as UTC), a TIME's since midnight
        assertThat(millis(after, "day")).isEqualTo(1_709_164_800_000L);
        assertThat(millis(after, "old")).isEqualTo(-86_400_000L);
        assertThat(millis(after, "dt0")).isEqualTo(-30_610_224_000_000L);
        assertThat(millis(after, "dt3")).isEqualTo(1_709_214_301_250L);
        assertThat(millis(after, "ts3")).isEqualTo(1_709_210_701_250L);
        assertThat(millis(after, "tm0")).isEqualTo(86_399_000L);
        assertThat(millis(after, "tm3")).isEqualTo(49_501_250L);
        // 4-6 fraction digits: the contract's text, every digit kept
        assertThat(after.get("dt6")).isEqualTo("2024-02-29T13:45:01.250001");
        assertThat(after.get("ts6")).isEqualTo("2024-02-29T12:45:01.250001Z");
        assertThat(after.get("tm6")).isEqualTo("13:45:01.250001");
        assertThat(after.get("none")).isNull();
        // the key too
        RecordFormat.Data key = new RecordFormat("struct", new StructEvents.Temporals(true, false))
                .key(e, EventCodec.renderRow(e.key()));
        Struct keyBack = (Struct) roundTrip(jsonConverter(true), "t", key).value();
        assertThat(millis(keyBack, "day")).isEqualTo(1_709_164_800_000L);
        // by default they are all the contract's text
        Struct text = structAfter(StructEvents.Temporals.TEXT, e);
        assertThat(text.get("dt3")).isEqualTo("2024-02-29T13:45:01.250");
        assertThat(text.get("tm0")).isEqualTo("23:59:59");
    }

    private static long millis(Struct s, String field) {
        return ((java.util.Date) s.get(field)).getTime();
    }

    @Test
    void aValueConnectsTemporalTypesCannotHoldStopsTheTaskNamingItOrIsNullWhenAsked() {
        List<Object[]> unfit = List.of(
                new Object[] {col("d", "date", null, null, false), new DateValue(0, 0, 0), "0000-00-00"},
                new Object[] {col("d", "date", null, null, false), new DateValue(2024, 0, 0), "2024-00-00"},
                new Object[] {col("d", "date", null, null, false), new DateValue(2024, 2, 30), "2024-02-30"},
                new Object[] {
                    col("d", "datetime", null, null, false),
                    new DateTimeValue(0, 0, 0, 0, 0, 0, 0, 0),
                    "0000-00-00T00:00:00"
                },
                new Object[] {col("d", "timestamp", 3L, null, false), new TimestampValue(0, 0, 3), "0000-00-00"},
                new Object[] {col("d", "time", null, null, false), new TimeValue(true, 100, 0, 0, 0, 0), "-100:00:00"},
                new Object[] {col("d", "time", null, null, false), new TimeValue(false, 24, 0, 0, 0, 0), "24:00:00"},
                new Object[] {col("d", "time", 3L, null, false), new TimeValue(true, 0, 0, 0, 500_000, 3), "-00:00:00.5"
                });
        for (Object[] u : unfit) {
            ChangeEvent e = times(List.of((Column) u[0]), u[1]);
            assertThatThrownBy(() -> new RecordFormat("struct", new StructEvents.Temporals(true, false))
                            .value(e, EventCodec.toJson(e, TS)))
                    .as(u[2].toString())
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("event shop:0-1-9:0: column d of sales.times holds " + u[2])
                    .hasMessageContaining("value.temporal.out-of-range=null")
                    .hasMessageContaining("value.temporal=string");
            Struct after = structAfter(new StructEvents.Temporals(true, true), e);
            assertThat(after.get("d")).as(u[2].toString()).isNull();
            assertThat(after.get("day")).isNotNull();
        }
        // midnight and a negative zero fit
        ChangeEvent midnight = times(List.of(col("d", "time", null, null, false)), new TimeValue(true, 0, 0, 0, 0, 0));
        assertThat(millis(structAfter(new StructEvents.Temporals(true, false), midnight), "d"))
                .isZero();
        // a key column cannot be null: it fails even when null is asked for
        TableSchema t =
                new TableSchema("sales", "days", 1, List.of(col("day", "date", null, null, false)), new int[] {0});
        Row zero = new Row(t.names(), t.columns(), new Object[] {new DateValue(0, 0, 0)});
        SourceInfo s = new SourceInfo("shop", 1, null, "bin.000001", 400, 0, 1L, "sales", "days", false);
        ChangeEvent keyed = ChangeEvent.row(Op.CREATE, t, zero, null, zero).withSource("shop:k:0", s);
        assertThatThrownBy(() -> new RecordFormat("struct", new StructEvents.Temporals(true, true))
                        .value(keyed, EventCodec.toJson(keyed, TS)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("column day of sales.days holds 0000-00-00")
                .hasMessageContaining("key column");
    }
}
