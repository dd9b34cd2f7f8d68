package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed history record is byte for byte what the reflective mapper wrote before, and reads back equal. */
class SchemaVersionJsonTest {

    @Test
    void streamedRecordIsTheMappersRecord() throws Exception {
        for (SchemaVersion v : variedVersions()) {
            byte[] streamed = SchemaVersionJson.write(SchemaHistory.JSON.getFactory(), v);
            byte[] reflective = SchemaHistory.JSON.writeValueAsBytes(v);
            assertThat(new String(streamed, StandardCharsets.UTF_8))
                    .isEqualTo(new String(reflective, StandardCharsets.UTF_8));
            SchemaVersion back = SchemaHistory.JSON.readValue(streamed, SchemaVersion.class);
            assertThat(back).isEqualTo(SchemaHistory.JSON.readValue(reflective, SchemaVersion.class));
            if (v.ddl() == null || !v.ddl().isEmpty()) {
                // an empty ddl was always left out (NON_EMPTY) and reads back null
                assertThat(back).isEqualTo(v);
            }
        }
    }

    @Test
    void prettyRecordIsTheConsumersFileAsTheMapperWroteIt() throws Exception {
        for (SchemaVersion v : variedVersions()) {
            byte[] streamed = SchemaVersionJson.write(SchemaHistory.JSON.getFactory(), v, true);
            // what SchemaFiles wrote to v<N>.json before: the mapper's tree of the version, pretty printed
            byte[] before = SchemaHistory.JSON
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(ConsumerSchemas.render(v, ConsumerSchemas.Format.JSON));
            assertThat(new String(streamed, StandardCharsets.UTF_8))
                    .isEqualTo(new String(before, StandardCharsets.UTF_8));
        }
    }

    private static List<SchemaVersion> variedVersions() {
        ColumnModel id = new ColumnModel("id", "BIGINT", 20L, 0, true, null, null, false, false, null, null);
        ColumnModel name = new ColumnModel(
                "na\"me\u00e9", "varchar", 255L, null, false, "utf8mb4", "utf8mb4_bin", true, true, "a'b\n", null);
        ColumnModel state = new ColumnModel(
                "state",
                "enum",
                null,
                null,
                false,
                "latin1",
                "latin1_swedish_ci",
                false,
                true,
                "",
                List.of("a", "b,c"));
        ColumnModel amount = new ColumnModel("amount", "decimal", 65L, 30, false, null, null, true, false, null, null);
        TableModel keyed = new TableModel(
                "shop",
                "orders",
                List.of(id, name, state, amount),
                List.of("id"),
                List.of(new TableModel.UniqueKey("u_name", List.of("na\"me\u00e9", "state"))),
                "utf8mb4");
        TableModel bare = new TableModel("shop", "log", List.of(amount), null, null, null);
        TableModel unnamedKey = new TableModel(
                "s", "t", List.of(id), null, List.of(new TableModel.UniqueKey(null, List.of("id"))), "latin1");
        List<SchemaVersion> out = new ArrayList<>();
        out.add(new SchemaVersion("shop.orders", 1, "mysql-bin.000001", 4, null, SchemaVersion.SNAPSHOT, keyed, null));
        out.add(new SchemaVersion(
                "shop.orders",
                2,
                "mysql-bin.000002",
                88231,
                "ALTER TABLE orders DROP COLUMN amount, ADD note TEXT",
                SchemaVersion.DDL,
                keyed,
                List.of("column amount dropped", "key \"x\"")));
        out.add(new SchemaVersion("shop.log", 0, "f.000009", 0, "", SchemaVersion.TABLE_MAP, bare, List.of()));
        out.add(new SchemaVersion("shop.log", 3, "f.000009", 120, "DROP TABLE log", SchemaVersion.DDL, null, null));
        out.add(new SchemaVersion("s.t", Integer.MAX_VALUE, "f.1", Long.MAX_VALUE, null, null, unnamedKey, null));
        out.add(new SchemaVersion("s.t", 5, "f.1", 9, null, SchemaVersion.REBUILD, unnamedKey, List.of("")));
        return out;
    }
}
