package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.schema.Column;
import io.sluice.core.schema.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreSchemasTest {

    @Test
    void aBinlogDefinitionGivesTypesLengthsScalesCharsetsLabelsAndTheKey() {
        TableDef def = new TableDef(
                "shop",
                "orders",
                List.of(
                        new ColumnDef("id", ColumnDef.LONGLONG, 0, 0, true, null, null, null, false),
                        new ColumnDef("total", ColumnDef.NEWDECIMAL, 4 << 8 | 10, 0, false, null, null, null, true),
                        new ColumnDef(
                                "status",
                                ColumnDef.ENUM,
                                0,
                                1,
                                false,
                                "utf8mb4",
                                new String[] {"new", "paid"},
                                null,
                                true),
                        new ColumnDef("note", ColumnDef.VARCHAR, 80, 0, false, "utf8mb4", null, null, true),
                        new ColumnDef("at", ColumnDef.DATETIME_V2, 3, 0, false, null, null, null, true),
                        new ColumnDef("ip", ColumnDef.STRING, 0, 16, false, "binary", null, "inet6", true)),
                new int[] {0});
        TableSchema s = CoreSchemas.of(def, 3);
        assertThat(s.version()).isEqualTo(3);
        assertThat(s.qualifiedName()).isEqualTo("shop.orders");
        assertThat(s.names()).containsExactly("id", "total", "status", "note", "at", "ip");
        assertThat(s.keyNames()).containsExactly("id");
        assertThat(s.column("ID"))
                .isEqualTo(new Column("id", "bigint", null, null, true, null, false, false, null, null));
        Column total = s.column("total");
        assertThat(total.dataType()).isEqualTo("decimal");
        assertThat(total.precision()).isEqualTo(10);
        assertThat(total.scale()).isEqualTo(4);
        assertThat(s.column("status").labels()).containsExactly("new", "paid");
        assertThat(s.column("note").dataType()).isEqualTo("varchar");
        assertThat(s.column("note").charset()).isEqualTo("utf8mb4");
        assertThat(s.column("at").length()).isEqualTo(3L);
        assertThat(s.column("ip").dataType()).isEqualTo("inet6");
    }

    @Test
    void characterLengthsFromTheTableMapAreInCharactersAsTheDdlSaysThem() {
        // the table map's lengths are bytes: VARCHAR(20) utf8mb4 is 80, CHAR(120) utf8mb4 480, CHAR(10) latin1 10
        TableDef def = new TableDef(
                "shop",
                "t",
                List.of(
                        new ColumnDef("v4", ColumnDef.VARCHAR, 80, 0, false, "utf8mb4", null, null, true),
                        new ColumnDef("v3", ColumnDef.VARCHAR, 60, 0, false, "utf8mb3", null, null, true),
                        new ColumnDef("v1", ColumnDef.VARCHAR, 20, 0, false, "latin1", null, null, true),
                        new ColumnDef("vb", ColumnDef.VARCHAR, 20, 0, false, "binary", null, null, true),
                        new ColumnDef("c4", ColumnDef.STRING, 0xfe00 | 0xe0, 480, false, "utf8mb4", null, null, true),
                        new ColumnDef("c1", ColumnDef.STRING, 0xfe00 | 10, 10, false, "latin1", null, null, true),
                        new ColumnDef("cb", ColumnDef.STRING, 0xfe00 | 16, 16, false, "binary", null, null, true),
                        new ColumnDef("c2", ColumnDef.STRING, 0xfe00 | 20, 20, false, "sjis", null, null, true)),
                new int[0]);
        TableSchema s = CoreSchemas.of(def, 1);
        assertThat(s.column("v4").length()).isEqualTo(20L);
        assertThat(s.column("v3").length()).isEqualTo(20L);
        assertThat(s.column("v1").length()).isEqualTo(20L);
        assertThat(s.column("vb").length()).as("binary: bytes").isEqualTo(20L);
        assertThat(s.column("vb").dataType()).isEqualTo("varbinary");
        assertThat(s.column("c4").length()).isEqualTo(120L);
        assertThat(s.column("c1").length()).isEqualTo(10L);
        assertThat(s.column("cb").length()).isEqualTo(16L);
        assertThat(s.column("cb").dataType()).isEqualTo("binary");
        assertThat(s.column("c2").length()).isEqualTo(10L);
    }

    @Test
    void aHistoryVersionGivesDefaultsAndTheUniqueKeyWhenThereIsNoPrimaryKey() {
        TableModel m = new TableModel(
                "shop",
                "t",
                List.of(
                        new ColumnModel("a", "int", null, null, false, null, null, true, true, "5", null),
                        new ColumnModel(
                                "b",
                                "varchar",
                                20L,
                                null,
                                false,
                                "latin1",
                                "latin1_swedish_ci",
                                false,
                                false,
                                null,
                                null)),
                List.of(),
                List.of(new TableModel.UniqueKey("u", List.of("b"))),
                null);
        TableSchema s = CoreSchemas.of(m, 2);
        assertThat(s.keyColumns()).extracting(Column::name).containsExactly("b");
        assertThat(s.keyIndex(0)).isEqualTo(1);
        assertThat(s.column("a").hasDefault()).isTrue();
        assertThat(s.column("a").defaultValue()).isEqualTo("5");
        assertThat(s.column("b").length()).isEqualTo(20L);
    }
}
