package io.sluice.mysql.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.mysql.ddl.ColumnSpec;
import java.util.List;
import java.util.Locale;

/**
 * One column of a table version in the schema history: what a consumer needs to know about it.
 *
 * @param name       column name
 * @param dataType   lower-case SQL type name ({@code int}, {@code varchar}, {@code decimal}, {@code enum}, ...)
 * @param length     length, precision, display width or fractional-seconds precision, else null
 * @param scale      decimal places (DECIMAL, FLOAT(m,d)), else null
 * @param unsigned   numeric column declared UNSIGNED
 * @param charset    character set of a character column, else null (also when not known)
 * @param collation  collation of a character column, else null (also when not known)
 * @param nullable   the column accepts NULL
 * @param hasDefault a default is known: DEFAULT written in the DDL, or a non-null default in information_schema
 * @param defaultValue the default's text ({@code null} with {@code hasDefault}: DEFAULT NULL)
 * @param labels     ENUM/SET labels in order, else empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnModel(
        String name,
        @JsonProperty("data_type") String dataType,
        Long length,
        Integer scale,
        boolean unsigned,
        String charset,
        String collation,
        boolean nullable,
        @JsonProperty("has_default") boolean hasDefault,
        @JsonProperty("default") String defaultValue,
        List<String> labels) {

    public ColumnModel {
        dataType = dataType.toLowerCase(Locale.ROOT);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** The SQL type as text: {@code decimal(10,2) unsigned}, {@code varchar(20)}, {@code enum('a','b')}. */
    public String type() {
        return ColumnSpec.typeText(dataType, labels, length, scale, unsigned, false);
    }

    /** True for types whose values are character strings (charset applies). */
    public boolean character() {
        return Types.family(dataType) == Types.Family.STRING || dataType.equals("enum") || dataType.equals("set");
    }

    /** Null when values can be missing: nullable, or a default is known. */
    public boolean optional() {
        return nullable || hasDefault;
    }

    public ColumnModel withName(String newName) {
        return new ColumnModel(
                newName,
                dataType,
                length,
                scale,
                unsigned,
                charset,
                collation,
                nullable,
                hasDefault,
                defaultValue,
                labels);
    }

    public ColumnModel withNullable(boolean n) {
        return new ColumnModel(
                name, dataType, length, scale, unsigned, charset, collation, n, hasDefault, defaultValue, labels);
    }

    public ColumnModel withDefault(boolean has, String value) {
        return new ColumnModel(
                name, dataType, length, scale, unsigned, charset, collation, nullable, has, value, labels);
    }

    public ColumnModel withCharset(String cs, String coll) {
        return new ColumnModel(
                name, dataType, length, scale, unsigned, cs, coll, nullable, hasDefault, defaultValue, labels);
    }
}
