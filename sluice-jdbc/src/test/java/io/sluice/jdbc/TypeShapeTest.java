package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which type changes are widenings, as the sink writes types and as the targets' catalogs report them. */
class TypeShapeTest {
    private static boolean widens(String from, String to) {
        return TypeShape.ofDdl(from).widensTo(TypeShape.ofDdl(to));
    }

    @Test
    void integersWidenToIntegersThatHoldEveryValueAndToNumericsWithEnoughDigits() {
        assertThat(widens("INT", "BIGINT")).isTrue();
        assertThat(widens("INTEGER", "BIGINT")).isTrue();
        assertThat(widens("INT UNSIGNED", "BIGINT")).isTrue();
        assertThat(widens("INT", "INT UNSIGNED")).as("negative values").isFalse();
        assertThat(widens("INT UNSIGNED", "INT")).isFalse();
        assertThat(widens("BIGINT", "INT")).isFalse();
        assertThat(widens("BIGINT", "NUMERIC(20)")).isTrue();
        assertThat(widens("BIGINT", "NUMERIC(18,0)")).isFalse();
        assertThat(widens("BIGINT", "BIGINT")).isFalse();
    }

    @Test
    void decimalsWidenWhenNeitherTheIntegerPartNorTheScaleShrinks() {
        assertThat(widens("DECIMAL(5,2)", "DECIMAL(10,2)")).isTrue();
        assertThat(widens("NUMERIC(5,2)", "NUMERIC(7,4)")).isTrue();
        assertThat(widens("DECIMAL(5,2)", "DECIMAL(6,4)"))
                .as("the integer part shrinks")
                .isFalse();
        assertThat(widens("DECIMAL(10,2)", "DECIMAL(5,2)")).isFalse();
    }

    @Test
    void stringsWidenByLengthWithinTheirTypeAndLobsBySize() {
        assertThat(widens("VARCHAR(10) CHARACTER SET utf8mb4", "VARCHAR(50) CHARACTER SET utf8mb4"))
                .isTrue();
        assertThat(widens("VARCHAR(50)", "VARCHAR(10)")).isFalse();
        assertThat(widens("CHAR(10)", "VARCHAR(50)")).as("another type").isFalse();
        assertThat(widens("TEXT", "LONGTEXT")).isTrue();
        assertThat(widens("TEXT", "LONGBLOB")).isFalse();
        assertThat(widens("FLOAT", "DOUBLE")).isTrue();
        assertThat(widens("DATE", "DATETIME(0)")).isFalse();
    }

    @Test
    void theCatalogsNamesAreUnderstood() {
        TypeShape int4 = TypeShape.ofCatalog("int4", 10, 0);
        TypeShape varchar = TypeShape.ofCatalog("varchar", 10, 0);
        TypeShape numeric = TypeShape.ofCatalog("numeric", 5, 2);
        assertThat(int4.widensTo(TypeShape.ofDdl("BIGINT"))).isTrue();
        assertThat(int4.widensTo(TypeShape.ofDdl("INTEGER"))).isFalse();
        assertThat(varchar.widensTo(TypeShape.ofDdl("VARCHAR(50)"))).isTrue();
        assertThat(varchar.widensTo(TypeShape.ofDdl("VARCHAR(10)"))).isFalse();
        assertThat(numeric.widensTo(TypeShape.ofDdl("NUMERIC(10,2)"))).isTrue();
        assertThat(TypeShape.ofCatalog("INT UNSIGNED", 10, 0).widensTo(TypeShape.ofDdl("BIGINT UNSIGNED")))
                .isTrue();
        assertThat(TypeShape.ofCatalog("BIGINT UNSIGNED", 20, 0).widensTo(TypeShape.ofDdl("BIGINT")))
                .isFalse();
        assertThat(TypeShape.ofCatalog("timestamptz", 35, 6).widensTo(TypeShape.ofDdl("TIMESTAMPTZ(6)")))
                .isFalse();
    }
}
