package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.encode.EventCodec;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.Row;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * {@code value.format=struct} through Avro: {@link AvroTestConverter} (Avro binary with an in-memory schema registry,
 * Avro's strict name rules) round-trips the key and value of every contract type exactly, with temporal columns as
 * text and as Connect's logical types; column names Avro refuses fail without {@code value.field-names=avro} and are
 * valid Avro names with it.
 */
class AvroConverterTest {
    private static final long TS = 1_764_000_000_123L;

    private static SchemaAndValue roundTrip(RecordFormat.Data d) {
        AvroTestConverter c = new AvroTestConverter();
        c.configure(Map.of(), false);
        return c.toConnectData("t", c.fromConnectData("t", d.schema(), d.value()));
    }

    private static void assertRoundTrips(RecordFormat f, ChangeEvent e) {
        RecordFormat.Data value = f.value(e, EventCodec.toJson(e, TS));
        SchemaAndValue back = roundTrip(value);
        assertThat(back.schema()).isEqualTo(value.schema());
        assertThat(back.value()).isEqualTo(value.value());
        RecordFormat.Data key = f.key(e, EventCodec.renderRow(e.key()));
        SchemaAndValue keyBack = roundTrip(key);
        assertThat(keyBack.schema()).isEqualTo(key.schema());
        assertThat(keyBack.value()).isEqualTo(key.value());
    }

    @Test
    void everyContractTypeRoundTripsThroughAvroBinaryExactlyWithTemporalsAsTextAndAsConnectTypes() {
        ChangeEvent e = RecordFormatTest.everyType();
        assertRoundTrips(new RecordFormat("struct"), e);
        assertRoundTrips(new RecordFormat("struct", new StructEvents.Temporals(true, true)), e);

        RecordFormat.Data value = new RecordFormat("struct").value(e, EventCodec.toJson(e, TS));
        org.apache.avro.Schema avro = AvroTestConverter.avroSchema(value.schema(), new java.util.HashMap<>());
        org.apache.avro.Schema after =
                avro.getField("after").schema().getTypes().get(1);
        assertThat(after.getFullName()).isEqualTo("sluice.sales.orders.Value");
        assertThat(after.getField("dec").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(org.apache.avro.LogicalTypes.decimal(10, 4));
        assertThat(after.getField("bi_u").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(org.apache.avro.LogicalTypes.decimal(64, 0));
        Struct a = ((Struct) roundTrip(value).value()).getStruct("after");
        assertThat(a.get("bi_u")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(a.get("dec")).isEqualTo(new BigDecimal("-12.3400"));
    }

    /** A row event of {@code my-db.1st-table}, whose column names Avro refuses but for {@code first_name}. */
    private static ChangeEvent oddNames() {
        List<Column> columns = List.of(
                new Column("order-id", "int", null, null, false, null, false, false, null, List.of()),
                new Column("first-name", "varchar", 20L, null, false, null, true, false, null, List.of()),
                new Column("first_name", "varchar", 20L, null, false, null, true, false, null, List.of()),
                new Column("1st", "int", null, null, false, null, true, false, null, List.of()),
                new Column("naïve", "varchar", 20L, null, false, null, true, false, null, List.of()),
                new Column("a.b", "decimal", 6L, 2, false, null, true, false, null, List.of()));
        TableSchema t = new TableSchema("my-db", "1st-table", 2, columns, new int[] {0});
        Row key = new Row(t.keyNames(), t.keyColumns(), new Object[] {7});
        Row after =
                new Row(t.names(), t.columns(), new Object[] {7, "Ada", "Lovelace", 1, "yes", new BigDecimal("1.50")});
        SourceInfo s = new SourceInfo("shop", 1, "0-1-6", "bin.000001", 500, 0, TS, "my-db", "1st-table", false);
        return ChangeEvent.row(Op.CREATE, t, key, null, after).withSource("shop:0-1-6:0", s);
    }

    @Test
    void columnNamesAvroRefusesFailWithoutValueFieldNamesAvroAndAreRewrittenWithIt() {
        ChangeEvent e = oddNames();
        RecordFormat kept = new RecordFormat("struct");
        RecordFormat.Data asColumns = kept.value(e, EventCodec.toJson(e, TS));
        assertThatThrownBy(() -> roundTrip(asColumns))
                .isInstanceOf(SchemaParseException.class)
                .hasMessageContaining("order-id");

        RecordFormat avroNames = new RecordFormat("struct", StructEvents.Temporals.TEXT, true);
        assertRoundTrips(avroNames, e);
        RecordFormat.Data value = avroNames.value(e, EventCodec.toJson(e, TS));
        Struct after = ((Struct) roundTrip(value).value()).getStruct("after");
        assertThat(after.schema().name()).isEqualTo("sluice.my_db._1st_table.Value");
        assertThat(after.schema().fields())
                .extracting(org.apache.kafka.connect.data.Field::name)
                .containsExactly("order_id", "first_name_2", "first_name", "_1st", "na_ve", "a_b");
        assertThat(after.get("first_name_2")).isEqualTo("Ada");
        assertThat(after.get("first_name")).isEqualTo("Lovelace");
        assertThat(after.get("a_b")).isEqualTo(new BigDecimal("1.50"));
        Schema keySchema = avroNames.key(e, EventCodec.renderRow(e.key())).schema();
        assertThat(keySchema.fields())
                .extracting(org.apache.kafka.connect.data.Field::name)
                .containsExactly("order_id");
        // the source's names stay in the envelope's source block and in the contract's JSON
        assertThat(((Struct) value.value()).getStruct("source").getString("table"))
                .isEqualTo("1st-table");
    }
}
