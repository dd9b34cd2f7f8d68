package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.schema.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements and types each dialect makes, without a server. */
class StatementsTest {
    private static final Dialect PG = Dialect.of(Dialect.Kind.POSTGRESQL);
    private static final Dialect MY = Dialect.of(Dialect.Kind.MYSQL);

    private static TargetTable table(Dialect d, int... key) {
        return new TargetTable(
                "s",
                "t",
                d.qualified("s", "t"),
                List.of("id", "code", "we\"ird`"),
                List.of("int4", "uuid", "jsonb"),
                3,
                key,
                false);
    }

    @Test
    void postgresUpsertsByItsKeyAndCastsTheTypesItBindsAsText() {
        assertThat(table(PG, 0).upsert(PG, 2))
                .isEqualTo("INSERT INTO \"s\".\"t\" (\"id\", \"code\", \"we\"\"ird`\") VALUES (?, ?::uuid, ?::jsonb),"
                        + " (?, ?::uuid, ?::jsonb) ON CONFLICT (\"id\") DO UPDATE SET \"code\" = EXCLUDED.\"code\","
                        + " \"we\"\"ird`\" = EXCLUDED.\"we\"\"ird`\"");
    }

    @Test
    void theMySqlFamilyUpsertsOnDuplicateKeyAndQuotesWithBackticks() {
        assertThat(table(MY, 0).upsert(MY, 1))
                .isEqualTo("INSERT INTO `s`.`t` (`id`, `code`, `we\"ird```) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " `code` = VALUES(`code`), `we\"ird``` = VALUES(`we\"ird```)");
    }

    @Test
    void aTableWhoseColumnsAreAllKeyIsUpsertedWithoutChangingIt() {
        TargetTable t = new TargetTable(
                "s", "t", PG.qualified("s", "t"), List.of("a"), List.of("int4"), 1, new int[] {0}, false);
        assertThat(t.upsert(PG, 1)).endsWith("ON CONFLICT (\"a\") DO NOTHING");
        assertThat(t.upsert(MY, 1)).endsWith("ON DUPLICATE KEY UPDATE \"a\" = \"a\"".replace('"', '`'));
    }

    @Test
    void deletesByACompositeKeyUseRowValues() {
        assertThat(table(PG, 0, 1).deleteByKey(PG, 2))
                .isEqualTo("DELETE FROM \"s\".\"t\" WHERE (\"id\", \"code\") IN ((?, ?::uuid), (?, ?::uuid))");
        assertThat(table(MY, 0).deleteByKey(MY, 3)).isEqualTo("DELETE FROM `s`.`t` WHERE `id` IN (?, ?, ?)");
    }

    @Test
    void truncationStaysInsideTheTransaction() {
        assertThat(PG.truncate(table(PG, 0))).isEqualTo("TRUNCATE TABLE \"s\".\"t\"");
        assertThat(MY.truncate(table(MY, 0))).isEqualTo("DELETE FROM `s`.`t`");
    }

    @Test
    void onlyTheMySqlFamilyNeedsDeleteThenInsertForASecondUniqueKey() {
        assertThat(MY.upsertMatchesAnyUniqueKey()).isTrue();
        assertThat(PG.upsertMatchesAnyUniqueKey()).isFalse();
    }

    private static Column col(String type, Long length, Integer scale, boolean unsigned) {
        return new Column("c", type, length, scale, unsigned, null, true, false, null, List.of("a", "b'c"));
    }

    @Test
    void typesAreExact() {
        assertThat(PG.columnType(col("bigint", null, null, true), false)).isEqualTo("NUMERIC(20)");
        assertThat(MY.columnType(col("bigint", null, null, true), false)).isEqualTo("BIGINT UNSIGNED");
        assertThat(PG.columnType(col("decimal", 65L, 30, false), false)).isEqualTo("NUMERIC(65,30)");
        assertThat(PG.columnType(col("time", 6L, null, false), false)).isEqualTo("INTERVAL");
        assertThat(PG.columnType(col("datetime", 3L, null, false), false)).isEqualTo("TIMESTAMP(3)");
        assertThat(PG.columnType(col("timestamp", 6L, null, false), false)).isEqualTo("TIMESTAMPTZ(6)");
        assertThat(MY.columnType(col("timestamp", 0L, null, false), false)).isEqualTo("TIMESTAMP(0) NULL DEFAULT NULL");
        assertThat(MY.columnType(col("enum", null, null, false), false)).isEqualTo("ENUM('a','b''c')");
        assertThat(PG.columnType(col("point", null, null, false), false)).isEqualTo("BYTEA");
        assertThat(PG.columnType(col("inet6", null, null, false), false)).isEqualTo("INET");
        assertThatThrownBy(() -> PG.columnType(col("vector", null, null, false), false))
                .hasMessageContaining("column c is of type vector");
    }

    @Test
    void aCharLengthIsTakenAsCharacters() {
        // the source gives CHAR and VARCHAR lengths in characters (CoreSchemasTest): the sink takes them as they are
        assertThat(MY.columnType(charCol(120L, "utf8mb4"), false)).isEqualTo("CHAR(120) CHARACTER SET utf8mb4");
        assertThat(MY.columnType(charCol(3L, "latin1"), false)).isEqualTo("CHAR(3) CHARACTER SET latin1");
        assertThat(PG.columnType(charCol(120L, "utf8mb4"), false)).isEqualTo("VARCHAR(120)");
    }

    private static Column charCol(long length, String charset) {
        return new Column("c", "char", length, null, false, charset, true, false, null, List.of());
    }

    @Test
    void theDialectComesFromTheUrl() {
        assertThat(Dialect.Kind.of("jdbc:postgresql://h/db")).isEqualTo(Dialect.Kind.POSTGRESQL);
        assertThat(Dialect.Kind.of("jdbc:mysql://h/db")).isEqualTo(Dialect.Kind.MYSQL);
        assertThat(MY.driverUrl("jdbc:mysql://h:4000/db")).isEqualTo("jdbc:mariadb://h:4000/db");
        assertThatThrownBy(() -> Dialect.Kind.of("jdbc:oracle:thin:@h"))
                .hasMessageContaining("is not a URL the jdbc sink knows");
    }

    @Test
    void theTableTemplateNamesSchemaAndTable() {
        JdbcSinkConfig c = JdbcSinkConfig.of("p", "jdbc:postgresql://h/db", "u", "secret");
        assertThat(c.target("sales", "orders")).containsExactly("sales", "orders");
        assertThat(JdbcSinkConfig.target("analytics.{db}_{table}", "sales", "orders"))
                .containsExactly("analytics", "sales_orders");
        assertThat(JdbcSinkConfig.target("{table}", "sales", "orders")).containsExactly(null, "orders");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void theGuardedUpsertSetsEveryColumnOnlyOverAnEarlierPositionAndThePositionLast() {
        TargetTable t = guarded(MY);
        String g = "(`_sluice_pos` IS NULL OR `_sluice_pos` < VALUES(`_sluice_pos`))";
        assertThat(MY.upsertClause(t))
                .isEqualTo(" ON DUPLICATE KEY UPDATE `v` = IF(" + g + ", VALUES(`v`), `v`), `_sluice_op` = IF(" + g
                        + ", VALUES(`_sluice_op`), `_sluice_op`), `_sluice_ts` = IF(" + g
                        + ", VALUES(`_sluice_ts`), `_sluice_ts`), `_sluice_pos` = IF(" + g
                        + ", VALUES(`_sluice_pos`), `_sluice_pos`)");
        assertThat(PG.upsertClause(guarded(PG)))
                .endsWith(" WHERE (\"s\".\"t\".\"_sluice_pos\" IS NULL OR \"s\".\"t\".\"_sluice_pos\" <"
                        + " EXCLUDED.\"_sluice_pos\")");
        assertThat(guarded(PG).deleteByKeyGuarded(PG))
                .isEqualTo("DELETE FROM \"s\".\"t\" WHERE \"id\" = ? AND (\"_sluice_pos\" IS NULL OR"
                        + " \"_sluice_pos\" < ?)");
    }

    private static TargetTable guarded(Dialect d) {
        return new TargetTable(
                "s",
                "t",
                d.qualified("s", "t"),
                List.of("id", "v", "_sluice_op", "_sluice_ts", "_sluice_pos"),
                List.of("int", "varchar", "varchar", "bigint", "varchar"),
                2,
                new int[] {0},
                false,
                4);
    }
}
