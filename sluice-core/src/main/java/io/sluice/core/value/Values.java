package io.sluice.core.value;

/**
 * The value model of a row's columns. A column value is one of these, and nothing else:
 *
 * <table>
 * <caption>values by column type</caption>
 * <tr><th>columns</th><th>value</th></tr>
 * <tr><td>any, SQL NULL</td><td>{@code null}</td></tr>
 * <tr><td>TINYINT … BIGINT (signed), UNSIGNED up to {@code Long.MAX_VALUE}, BIT, YEAR</td>
 *     <td>{@link Long}, or {@link Integer} where the column holds 32 bits or fewer (the width it was decoded at:
 *     no second box); both are the same kind, an exact signed integer</td></tr>
 * <tr><td>BIGINT UNSIGNED and BIT(64) beyond {@code Long.MAX_VALUE}</td><td>{@link java.math.BigInteger}</td></tr>
 * <tr><td>DECIMAL(p,s)</td><td>{@link java.math.BigDecimal} whose scale is the column's {@code s}</td></tr>
 * <tr><td>FLOAT / DOUBLE</td><td>{@link Float} / {@link Double}</td></tr>
 * <tr><td>CHAR, VARCHAR, TEXT (decoded from their charset), ENUM and SET labels, INET4/INET6/UUID as SELECT shows
 *     them, MariaDB's JSON alias</td><td>{@link String}, or {@link io.sluice.core.event.AsciiText} for text that is
 *     printable ASCII (the same text kept as its bytes, so the encoder copies it)</td></tr>
 * <tr><td>BINARY, VARBINARY, BLOB, GEOMETRY (SRID + WKB)</td><td>{@link Bytes}</td></tr>
 * <tr><td>DATE, TIME, DATETIME, TIMESTAMP</td><td>{@link DateValue}, {@link TimeValue}, {@link DateTimeValue},
 *     {@link TimestampValue}: fields, zero dates and fractional digits kept</td></tr>
 * <tr><td>MySQL's native JSON</td><td>{@link io.sluice.core.event.JsonText} (the JSON text, embedded)</td></tr>
 * </table>
 *
 * <p>Which SQL type a value came from is the column's business ({@code io.sluice.core.schema.Column}), not the
 * value's: an ENUM label and a VARCHAR are both text. Values are immutable; the encoder turns them into the
 * contract's JSON ({@code docs/change-event.md}), and nothing else holds encoded bytes.
 */
public final class Values {
    private Values() {}
}
