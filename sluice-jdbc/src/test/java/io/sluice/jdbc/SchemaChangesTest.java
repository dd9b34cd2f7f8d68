package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.schema.Column;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the sink does to an existing target when its source table changed: widen, or halt naming the DDL. */
class SchemaChangesTest {
    private static final Dialect PG = Dialect.of(Dialect.Kind.POSTGRESQL);
    private static final Dialect MY = Dialect.of(Dialect.Kind.MYSQL);

    private static Column col(String name, String type, Long length, Integer scale) {
        return new Column(name, type, length, scale, false, null, true, false, null, null);
    }

    private static SourceTable source(Column... columns) {
        return new SourceTable("src", "t", List.of(columns), List.of("id"));
    }

    /** A PostgreSQL target with an INTEGER key, a VARCHAR(10) and a NUMERIC(5,2). */
    private static Tables.Existing pgTarget() {
        return new Tables.Existing(
                Map.of("id", "int4", "v", "varchar", "d", "numeric"),
                Map.of(
                        "id", TypeShape.ofCatalog("int4", 10, 0),
                        "v", TypeShape.ofCatalog("varchar", 10, 0),
                        "d", TypeShape.ofCatalog("numeric", 5, 2)),
                List.of("id"),
                List.<Set<String>>of());
    }

    private static final SourceTable BEFORE =
            source(col("id", "int", null, null), col("v", "varchar", 10L, null), col("d", "decimal", 5L, 2));

    private static Tables tables(Dialect d) {
        return new Tables(
                JdbcSinkConfig.of("p", d == PG ? "jdbc:postgresql://h/db" : "jdbc:mariadb://h/db", "u", ""), d);
    }

    @Test
    void widenedColumnsAreAlteredKeysKeepingNotNullInTheMySqlFamily() {
        SourceTable after =
                source(col("id", "bigint", null, null), col("v", "varchar", 50L, null), col("d", "decimal", 10L, 2));
        assertThat(tables(PG).evolve("s", "t", after, pgTarget(), BEFORE))
                .containsExactly(
                        "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" TYPE BIGINT",
                        "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"v\" TYPE VARCHAR(50)",
                        "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"d\" TYPE NUMERIC(10,2)");
        // after a restart the sink has no previous schema: the target's catalog alone says what to widen
        assertThat(tables(PG).evolve("s", "t", after, pgTarget(), null)).hasSize(3);
        assertThat(tables(MY).alterType("`s`.`t`", col("id", "bigint", null, null), "BIGINT", true))
                .isEqualTo("ALTER TABLE `s`.`t` MODIFY COLUMN `id` BIGINT NOT NULL");
    }

    @Test
    void aNarrowedNumberHaltsNamingTheDdlButAShorterStringIsKeptWide() {
        SourceTable narrower =
                source(col("id", "int", null, null), col("v", "varchar", 10L, null), col("d", "decimal", 4L, 2));
        assertThatThrownBy(() -> tables(MY).evolve("s", "t", narrower, pgTarget(), BEFORE))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("column d changed from decimal(5,2) to decimal(4,2), which is not a widening")
                .hasMessageContaining(
                        "ALTER TABLE `s`.`t` MODIFY COLUMN `d` DECIMAL(4,2), then clear the halt and restart");
        SourceTable shorter =
                source(col("id", "int", null, null), col("v", "varchar", 5L, null), col("d", "decimal", 5L, 2));
        assertThat(tables(PG).evolve("s", "t", shorter, pgTarget(), BEFORE)).isEmpty();
    }

    @Test
    void aDroppedOrRenamedColumnHaltsNamingTheDdl() {
        assertThatThrownBy(() -> tables(PG)
                        .evolve(
                                "s",
                                "t",
                                source(col("id", "int", null, null), col("v", "varchar", 10L, null)),
                                pgTarget(),
                                BEFORE))
                .hasMessageContaining("column d was dropped")
                .hasMessageContaining("ALTER TABLE \"s\".\"t\" DROP COLUMN \"d\"");
        assertThatThrownBy(() -> tables(PG)
                        .evolve(
                                "s",
                                "t",
                                source(
                                        col("id", "int", null, null),
                                        col("w", "varchar", 10L, null),
                                        col("d", "decimal", 5L, 2)),
                                pgTarget(),
                                BEFORE))
                .hasMessageContaining("column v was renamed to w")
                .hasMessageContaining("ALTER TABLE \"s\".\"t\" RENAME COLUMN \"v\" TO \"w\"");
    }
}
