package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable history file: appends survive reopening, repeats append nothing, torn lines are dropped. */
class SchemaHistoryTest {
    @TempDir
    Path dir;

    private static TableModel model(String... columns) {
        return new TableModel(
                "s",
                "t",
                java.util.Arrays.stream(columns)
                        .map(c -> new ColumnModel(c, "int", null, null, false, null, null, true, false, null, null))
                        .toList(),
                List.of(columns[0]),
                List.of(),
                null);
    }

    private static SchemaVersion v(int n, long pos, TableModel m) {
        return new SchemaVersion(
                "s.t",
                n,
                "bin.000001",
                pos,
                m == null ? "DROP TABLE t" : "ALTER TABLE t ...",
                SchemaVersion.DDL,
                m,
                List.of());
    }

    @Test
    void appendsAreDurableAndIdempotent() {
        SchemaHistory h = SchemaHistory.open(dir);
        assertThat(h.append(v(1, 100, model("id")))).isTrue();
        assertThat(h.append(v(2, 200, model("id", "a")))).isTrue();
        assertThat(h.append(v(2, 200, model("id", "a"))))
                .as("the same change read again")
                .isFalse();
        assertThat(h.append(v(2, 200, model("id", "b"))))
                .as("a correction of the same version")
                .isTrue();
        assertThat(h.append(v(2, 300, null))).isTrue();
        SchemaHistory again = SchemaHistory.open(dir);
        assertThat(again.all()).hasSize(4);
        assertThat(again.version("s.t", 2).model().columnNames()).containsExactly("id", "b");
        assertThat(again.versions("s.t")).extracting(SchemaVersion::version).containsExactly(1, 2);
        assertThat(again.validAt(new BinlogPosition("bin.000001", 200, null))
                        .get("s.t")
                        .version())
                .isEqualTo(1);
        assertThat(again.validAt(new BinlogPosition("bin.000001", 250, null))
                        .get("s.t")
                        .model()
                        .columnNames())
                .containsExactly("id", "b");
        assertThat(again.validAt(new BinlogPosition("bin.000002", 4, null))
                        .get("s.t")
                        .dropped())
                .isTrue();
        assertThat(again.validAt(new BinlogPosition("bin.000001", 4, null))).isEmpty();
    }

    @Test
    void aTornLastLineIsIgnoredAndOverwritten() throws Exception {
        SchemaHistory h = SchemaHistory.open(dir);
        h.append(v(1, 100, model("id")));
        Files.writeString(dir.resolve(SchemaHistory.FILE_NAME), "{\"table\":\"s.t\",\"vers", StandardOpenOption.APPEND);
        SchemaHistory reopened = SchemaHistory.open(dir);
        assertThat(reopened.all()).hasSize(1);
        reopened.append(v(2, 200, model("id", "a")));
        List<String> lines = Files.readAllLines(dir.resolve(SchemaHistory.FILE_NAME), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("{\"table\":\"s.t\",\"version\":"));
        assertThat(SchemaHistory.open(dir).all()).hasSize(2);
    }

    @Test
    void aDamagedLineInTheMiddleIsAClearError() throws Exception {
        Files.writeString(dir.resolve(SchemaHistory.FILE_NAME), "not json\n{}\n");
        assertThatThrownBy(() -> SchemaHistory.open(dir))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("damaged at line 1")
                .hasMessageContaining("sluice schema rebuild");
    }

    @Test
    void consumerSchemasDescribeTheRowObject() {
        TableModel m = new TableModel(
                "s",
                "t",
                List.of(
                        new ColumnModel("id", "bigint", null, null, true, null, null, false, false, null, null),
                        new ColumnModel("price", "decimal", 10L, 2, false, null, null, true, false, null, null),
                        new ColumnModel(
                                "kind",
                                "enum",
                                null,
                                null,
                                false,
                                "utf8mb4",
                                null,
                                false,
                                true,
                                "a",
                                List.of("a", "b")),
                        new ColumnModel("at", "datetime", 3L, null, false, null, null, true, false, null, null),
                        new ColumnModel("bad name", "blob", null, null, false, null, null, true, false, null, null)),
                List.of("id"),
                List.of(),
                null);
        SchemaVersion v = new SchemaVersion("s.t", 4, "bin.000001", 4, null, SchemaVersion.DDL, m, List.of());
        String js = ConsumerSchemas.jsonSchema(v).toString();
        assertThat(js)
                .contains("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"")
                .contains("\"id\":{\"type\":\"integer\"")
                .contains("\"price\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^-?[0-9]+\\\\.[0-9]{2}$\"")
                .contains("\"kind\":{\"enum\":[\"\",\"a\",\"b\"]")
                .contains("\"x-sluice-key\":[\"id\"]");
        String avro = ConsumerSchemas.avro(v).toString();
        assertThat(avro)
                .contains("\"type\":\"record\",\"name\":\"t\",\"namespace\":\"sluice.s\"")
                .contains("{\"name\":\"id\",\"doc\":\"bigint unsigned\",\"type\":{\"type\":\"bytes\","
                        + "\"logicalType\":\"decimal\",\"precision\":20,\"scale\":0}}")
                .contains("{\"name\":\"bad_name\",\"sluice.column\":\"bad name\",\"doc\":\"blob\","
                        + "\"type\":[\"null\",\"bytes\"],\"default\":null}");
    }

    @Test
    void avroFieldNamesStayDistinctWhereColumnNamesAreRewritten() {
        List<ColumnModel> cols = new java.util.ArrayList<>();
        for (String n : List.of("a b", "a_b", "a-b", "1x", "_1x")) {
            cols.add(new ColumnModel(n, "int", null, null, false, null, null, false, false, null, null));
        }
        SchemaVersion v = new SchemaVersion(
                "s.t",
                1,
                "bin.000001",
                4,
                null,
                SchemaVersion.DDL,
                new TableModel("s", "t", cols, List.of(), List.of(), null),
                List.of());
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser()
                .parse(ConsumerSchemas.avro(v).toString());
        assertThat(avro.getFields())
                .extracting(f -> f.name() + "=" + f.getProp("sluice.column"))
                .containsExactly("a_b_2=a b", "a_b=null", "a_b_3=a-b", "_1x_2=1x", "_1x=null");
    }

    @Test
    void aHistoryDeletedWhileRunningIsWrittenAgainWholeFromMemory() throws Exception {
        SchemaHistory h = SchemaHistory.open(dir);
        h.append(v(1, 100, model("id")));
        h.append(v(2, 200, model("id", "a")));
        Files.delete(dir.resolve(SchemaHistory.FILE_NAME));
        h.append(v(3, 300, model("id", "a", "b")));
        SchemaHistory reopened = SchemaHistory.open(dir);
        assertThat(reopened.all())
                .as("every entry, not only the one appended after the deletion")
                .extracting(SchemaVersion::version)
                .containsExactly(1, 2, 3);
        assertThat(Files.readAllLines(dir.resolve(SchemaHistory.FILE_NAME))).hasSize(3);
    }

    @Test
    void aHistoryWhoseFileIsAbsentIsMissingUntilItRecordsSomething() throws Exception {
        assertThat(SchemaHistory.inMemory().missing()).isFalse();
        SchemaHistory fresh = SchemaHistory.open(dir);
        assertThat(fresh.missing()).isTrue();
        fresh.append(v(1, 100, model("id")));
        assertThat(fresh.missing()).isFalse();
        assertThat(SchemaHistory.open(dir).missing()).isFalse();
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve(SchemaHistory.FILE_NAME), "");
        assertThat(SchemaHistory.open(other).missing())
                .as("an empty file, created on purpose")
                .isFalse();
    }
}
