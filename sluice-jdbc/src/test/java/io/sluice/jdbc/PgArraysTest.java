package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.value.Bytes;
import io.sluice.core.value.DateTimeValue;
import io.sluice.core.value.DateValue;
import io.sluice.core.value.TimestampValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PostgreSQL's UNNEST batch form: the statement and the array literals, without a server (JdbcTypesIT has one). */
class PgArraysTest {
    private static final Dialect PG = Dialect.of(Dialect.Kind.POSTGRESQL, JdbcSinkConfig.BatchForm.UNNEST);

    private static TargetTable table(List<String> types) {
        return new TargetTable(
                "s", "t", PG.qualified("s", "t"), List.of("id", "v", "j"), types, 3, new int[] {0}, false);
    }

    @Test
    void anUpsertUnnestsOneArrayPerColumnCastToTheTargetsType() {
        assertThat(PgArrays.insert(table(List.of("int4", "varchar", "jsonb")), PG, true))
                .isEqualTo("INSERT INTO \"s\".\"t\" (\"id\", \"v\", \"j\") SELECT * FROM UNNEST(?::int4[],"
                        + " ?::varchar[], ?::jsonb[]) ON CONFLICT (\"id\") DO UPDATE SET \"v\" = EXCLUDED.\"v\","
                        + " \"j\" = EXCLUDED.\"j\"");
        assertThat(PG.unnest()).isTrue();
        assertThat(Dialect.of(Dialect.Kind.POSTGRESQL, JdbcSinkConfig.BatchForm.VALUES)
                        .unnest())
                .isFalse();
        assertThat(Dialect.of(Dialect.Kind.POSTGRESQL, JdbcSinkConfig.BatchForm.AUTO)
                        .unnest())
                .isTrue();
        assertThat(Dialect.of(Dialect.Kind.MYSQL, JdbcSinkConfig.BatchForm.AUTO).unnest())
                .isFalse();
    }

    @Test
    void theMySqlFamilyRefusesTheUnnestForm() {
        JdbcSinkConfig maria = JdbcSinkConfig.of("p", "jdbc:mariadb://h:3306/db", "u", "");
        assertThat(maria.batchForm()).isEqualTo(JdbcSinkConfig.BatchForm.AUTO);
        assertThatThrownBy(() -> maria.withBatchForm(JdbcSinkConfig.BatchForm.UNNEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sink.batch-form: unnest needs PostgreSQL arrays")
                .hasMessageContaining("use sink.batch-form: values");
    }

    @Test
    void aTableWithATypeNotNamedPlainlyKeepsTheValuesForm() {
        assertThat(PgArrays.fits(table(List.of("int4", "varchar", "jsonb")))).isTrue();
        assertThat(PgArrays.fits(table(List.of("int4", "\"My Type\"", "jsonb"))))
                .isFalse();
    }

    @Test
    void elementsAreQuotedWithQuotesAndBackslashesEscapedAndNullsBare() {
        StringBuilder sb = new StringBuilder();
        PgArrays.element(sb, "a \"quoted\" \\ back, {brace}");
        sb.append(',');
        PgArrays.element(sb, null);
        sb.append(',');
        PgArrays.element(sb, "NULL");
        assertThat(sb.toString()).isEqualTo("\"a \\\"quoted\\\" \\\\ back, {brace}\",NULL,\"NULL\"");
        sb.setLength(0);
        PgArrays.element(sb, -42L);
        sb.append(',');
        PgArrays.element(sb, new DateTimeValue(2024, 12, 7, 9, 5, 3, 120, 6));
        sb.append(',');
        PgArrays.element(sb, new DateTimeValue(0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(sb.toString()).isEqualTo("\"-42\",\"2024-12-07 09:05:03.000120\",NULL");
    }

    @Test
    void valuesAreWrittenExactly() {
        assertThat(PgArrays.text(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(PgArrays.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(PgArrays.text(new BigDecimal("0.000000000000000000000000000001")))
                .isEqualTo("0.000000000000000000000000000001");
        assertThat(Double.parseDouble(PgArrays.text(0.1 + 0.2))).isEqualTo(0.1 + 0.2);
        assertThat(Float.parseFloat(PgArrays.text(3.4028235e38f))).isEqualTo(3.4028235e38f);
        assertThat(PgArrays.text(Bytes.of(new byte[] {0, (byte) 0xff, 0x10}))).isEqualTo("\\x00ff10");
        assertThat(PgArrays.text(true)).isEqualTo("t");
        assertThat(PgArrays.text(new DateValue(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(PgArrays.text(new DateValue(0, 0, 0)))
                .as("a zero date, NULL as in the VALUES form")
                .isNull();
        assertThat(PgArrays.text(new DateTimeValue(1000, 1, 1, 0, 0, 0, 5, 6))).isEqualTo("1000-01-01 00:00:00.000005");
        assertThat(PgArrays.text(new TimestampValue(1_700_000_000L, 123_000, 3)))
                .isEqualTo("2023-11-14T22:13:20.123Z");
        assertThatThrownBy(() -> PgArrays.text(new Object())).hasMessageContaining("cannot be bound");
    }
}
