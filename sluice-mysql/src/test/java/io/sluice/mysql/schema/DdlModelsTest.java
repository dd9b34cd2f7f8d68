package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.mysql.ddl.DdlParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DDL applied to table models: each statement kind gives the next version's columns and keys. */
class DdlModelsTest {
    private final Map<String, TableModel> tables = new HashMap<>();

    /** Applies the statement and returns the model of {@code table} after it (null when gone or unknown). */
    private TableModel apply(String sql, String table) {
        Map<String, DdlModels.Result> r = DdlModels.apply(DdlParser.parse(sql, "shop"), tables::get);
        r.forEach((qn, result) -> {
            if (result instanceof DdlModels.Known k) {
                tables.put(qn, k.model());
            } else {
                tables.remove(qn);
            }
        });
        return tables.get(table);
    }

    private static List<String> cols(TableModel m) {
        return m.columns().stream()
                .map(c -> c.name() + " " + c.type() + (c.nullable() ? "" : " not null"))
                .toList();
    }

    @Test
    void createThenEveryColumnChange() {
        TableModel m = apply(
                "CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(20) CHARACTER SET"
                        + " latin1 COLLATE latin1_bin DEFAULT 'x', amount DECIMAL(10,2), kind ENUM('a','b''c'),"
                        + " PRIMARY KEY (id), UNIQUE KEY u_name (name)) DEFAULT CHARSET=utf8mb4",
                "shop.t");
        assertThat(cols(m))
                .containsExactly(
                        "id int unsigned not null",
                        "name varchar(20)",
                        "amount decimal(10,2)",
                        "kind enum('a','b''c')");
        assertThat(m.primaryKey()).containsExactly("id");
        assertThat(m.uniqueKeys()).containsExactly(new TableModel.UniqueKey("u_name", List.of("name")));
        assertThat(m.column("name").charset()).isEqualTo("latin1");
        assertThat(m.column("name").collation()).isEqualTo("latin1_bin");
        assertThat(m.column("name").defaultValue()).isEqualTo("x");
        assertThat(m.column("kind").labels()).containsExactly("a", "b'c");
        assertThat(m.column("kind").charset()).isEqualTo("utf8mb4");

        m = apply("ALTER TABLE t ADD COLUMN note TEXT FIRST, ADD (x INT, y INT) ", "shop.t");
        assertThat(m.columnNames()).containsExactly("note", "id", "name", "amount", "kind", "x", "y");
        m = apply("ALTER TABLE t ADD COLUMN z BIT(3) NOT NULL DEFAULT b'1' AFTER id", "shop.t");
        assertThat(m.columnNames()).containsExactly("note", "id", "z", "name", "amount", "kind", "x", "y");
        m = apply("ALTER TABLE t MODIFY amount DECIMAL(12,4) NOT NULL AFTER note, DROP COLUMN x", "shop.t");
        assertThat(cols(m))
                .containsExactly(
                        "note text",
                        "amount decimal(12,4) not null",
                        "id int unsigned not null",
                        "z bit(3) not null",
                        "name varchar(20)",
                        "kind enum('a','b''c')",
                        "y int");
        m = apply("ALTER TABLE t CHANGE COLUMN name title VARCHAR(40), RENAME COLUMN y TO why", "shop.t");
        assertThat(m.columnNames()).containsExactly("note", "amount", "id", "z", "title", "kind", "why");
        assertThat(m.uniqueKeys()).containsExactly(new TableModel.UniqueKey("u_name", List.of("title")));
        assertThat(m.column("title").charset())
                .as("a column redefined without charset takes the table's default")
                .isEqualTo("utf8mb4");
        m = apply("ALTER TABLE t ALTER COLUMN why SET DEFAULT 3", "shop.t");
        assertThat(m.column("why").hasDefault()).isTrue();
        assertThat(m.column("why").defaultValue()).isEqualTo("3");
        m = apply("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, why)", "shop.t");
        assertThat(m.primaryKey()).containsExactly("id", "why");
        assertThat(m.column("why").nullable()).isFalse();
        m = apply("ALTER TABLE t DROP INDEX u_name, ADD UNIQUE (z), ADD UNIQUE (z, id)", "shop.t");
        assertThat(m.uniqueKeys()).extracting(TableModel.UniqueKey::name).containsExactly("z", "z_2");
        m = apply("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "shop.t");
        assertThat(m.column("title").charset()).isEqualTo("utf8mb4");
        assertThat(m.column("kind").collation()).isEqualTo("utf8mb4_bin");
        assertThat(m.column("id").charset()).isNull();
        m = apply("ALTER TABLE t DROP COLUMN why", "shop.t");
        assertThat(m.primaryKey()).as("a dropped column leaves its keys").containsExactly("id");
    }

    @Test
    void aKeyColumnRedefinedWithoutNotNullStaysNotNull() {
        apply("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)", "shop.t");
        assertThat(cols(apply("ALTER TABLE t MODIFY id BIGINT", "shop.t")))
                .containsExactly("id bigint not null", "a int", "b int");
        assertThat(cols(apply("ALTER TABLE t CHANGE id ident BIGINT UNSIGNED", "shop.t")))
                .containsExactly("ident bigint unsigned not null", "a int", "b int");
        apply("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (ident, a)", "shop.t");
        assertThat(cols(apply("ALTER TABLE t MODIFY a SMALLINT AFTER b", "shop.t")))
                .containsExactly("ident bigint unsigned not null", "b int", "a smallint not null");
        assertThat(cols(apply("ALTER TABLE t MODIFY b BIGINT", "shop.t")))
                .as("not a key column")
                .contains("b bigint");
    }

    @Test
    void renamesLikeAndDrops() {
        apply("CREATE TABLE `shop`.`a` (`id` INT PRIMARY KEY, v VARCHAR(3))", "shop.a");
        assertThat(apply("RENAME TABLE a TO b, b TO c", "shop.c").columnNames()).containsExactly("id", "v");
        assertThat(tables).containsOnlyKeys("shop.c");
        assertThat(apply("ALTER TABLE c RENAME TO other.d, ADD w INT", "other.d")
                        .columnNames())
                .containsExactly("id", "v", "w");
        assertThat(apply("CREATE TABLE e LIKE other.d", "shop.e").table()).isEqualTo("e");
        assertThat(tables.get("shop.e").columnNames()).containsExactly("id", "v", "w");
        assertThat(apply("CREATE TABLE f AS SELECT 1 AS x", "shop.f"))
                .as("columns only the server knows")
                .isNull();
        assertThat(DdlModels.apply(DdlParser.parse("CREATE TABLE f AS SELECT 1 AS x", "shop"), tables::get))
                .containsEntry("shop.f", DdlModels.Result.UNKNOWN);
        assertThat(apply("ALTER TABLE unknown ADD x INT", "shop.unknown")).isNull();
        apply("DROP TABLE IF EXISTS other.d, shop.e", "other.d");
        assertThat(tables).isEmpty();
        assertThat(apply("CREATE TEMPORARY TABLE tmp (id INT)", "shop.tmp")).isNull();
    }

    @Test
    void indexStatements() {
        apply("CREATE TABLE t (id INT NOT NULL, code CHAR(3) NOT NULL)", "shop.t");
        TableModel m = apply("CREATE UNIQUE INDEX uc ON t (code)", "shop.t");
        assertThat(m.eventKey()).containsExactly("code");
        m = apply("ALTER TABLE t ADD PRIMARY KEY (id)", "shop.t");
        assertThat(m.eventKey()).containsExactly("id");
        m = apply("DROP INDEX `PRIMARY` ON t", "shop.t");
        assertThat(m.primaryKey()).isEmpty();
        assertThat(apply("DROP INDEX uc ON t", "shop.t").uniqueKeys()).isEmpty();
    }
}
