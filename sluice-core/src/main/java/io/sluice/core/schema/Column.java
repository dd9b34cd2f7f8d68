package io.sluice.core.schema;

import java.util.List;

/**
 * One column of a {@link TableSchema}: what a rule or a sink needs to know to work on its values
 * ({@link io.sluice.core.value.Values} says which value type each SQL type gives).
 *
 * @param name         column name
 * @param dataType     lower-case SQL type name ({@code int}, {@code varchar}, {@code decimal}, {@code enum},
 *                     {@code datetime}, {@code inet6}, ...)
 * @param length       character or byte length (CHAR, VARCHAR, BINARY, BIT), precision (DECIMAL) or fractional
 *                     digits (TIME, DATETIME, TIMESTAMP) where known, else null
 * @param scale        digits after the point (DECIMAL), else null
 * @param unsigned     a numeric column declared UNSIGNED
 * @param charset      character set of a character column where known, else null ({@code binary} for byte strings)
 * @param nullable     the column accepts NULL
 * @param hasDefault   a default is known
 * @param defaultValue the default's text where known ({@code null} with {@code hasDefault}: DEFAULT NULL)
 * @param labels       ENUM or SET labels in definition order, else empty
 */
public record Column(
        String name,
        String dataType,
        Long length,
        Integer scale,
        boolean unsigned,
        String charset,
        boolean nullable,
        boolean hasDefault,
        String defaultValue,
        List<String> labels) {
    public Column {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** DECIMAL's precision (all its digits), else null. */
    public Integer precision() {
        return ("decimal".equals(dataType) || "numeric".equals(dataType)) && length != null
                ? (Integer) length.intValue()
                : null;
    }
}
