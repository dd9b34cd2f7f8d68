package io.sluice.mysql.ddl;

import java.util.List;

/**
 * One column as a DDL statement declares it.
 *
 * @param name          column name (quotes removed)
 * @param typeName      the canonical lower-case type: synonyms resolved ({@code integer}, {@code int4} →
 *                      {@code int}; {@code bool} → {@code tinyint}; {@code numeric}, {@code dec}, {@code fixed} →
 *                      {@code decimal}; {@code real}, {@code double precision}, {@code float8} → {@code double};
 *                      {@code nvarchar} → {@code varchar}; {@code long varchar} → {@code mediumtext};
 *                      {@code serial} → {@code bigint}); unknown (plugin) type names are kept as written
 * @param length        display width, length, precision or fractional-seconds precision as declared, else null
 *                      (DECIMAL is normalised to its effective precision: 10 when omitted; BIT, CHAR, BINARY to 1
 *                      when omitted; BOOL to 1)
 * @param scale         decimal places (DECIMAL: 0 when omitted; FLOAT/DOUBLE(m,d)), else null
 * @param unsigned      numeric column declared UNSIGNED (ZEROFILL implies it)
 * @param zerofill      numeric column declared ZEROFILL
 * @param charset       the character set named on the column ({@code NATIONAL}/{@code NCHAR} types give
 *                      {@code utf8mb3}, {@code ASCII} gives {@code latin1}, {@code UNICODE} gives {@code ucs2}),
 *                      else null (the table's default applies)
 * @param collation     the collation named on the column, {@code _bin} for the {@code BINARY} attribute of a
 *                      character type (the binary collation of the charset), else null
 * @param nullable      false when declared NOT NULL, inline PRIMARY KEY, part of the table's PRIMARY KEY
 *                      (CREATE TABLE only) or SERIAL; else true
 * @param defaultValue  the DEFAULT clause, else null (no DEFAULT written)
 * @param onUpdate      the ON UPDATE expression's text, else null
 * @param autoIncrement declared AUTO_INCREMENT (or SERIAL)
 * @param labels        ENUM/SET labels in order (unescaped); empty for other types
 * @param comment       COMMENT text, else null
 * @param generated     generated column expression, else null
 * @param invisible     declared INVISIBLE
 * @param primaryKey    declared PRIMARY KEY inline
 * @param unique        declared UNIQUE inline (or SERIAL)
 * @param compressed    MariaDB COMPRESSED column
 * @param declaredType  the type as written in the statement, for messages
 */
public record ColumnSpec(
        String name,
        String typeName,
        Long length,
        Integer scale,
        boolean unsigned,
        boolean zerofill,
        String charset,
        String collation,
        boolean nullable,
        DefaultValue defaultValue,
        String onUpdate,
        boolean autoIncrement,
        List<String> labels,
        String comment,
        Generated generated,
        boolean invisible,
        boolean primaryKey,
        boolean unique,
        boolean compressed,
        String declaredType) {

    public ColumnSpec {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /**
     * A generated column.
     *
     * @param expression the expression's text inside its parentheses, or {@code ROW START}/{@code ROW END} for
     *                   MariaDB system-versioning columns
     * @param stored     STORED/PERSISTENT (else VIRTUAL)
     */
    public record Generated(String expression, boolean stored) {}

    public boolean hasDefault() {
        return defaultValue != null;
    }

    /** A compact type text such as {@code decimal(10,2) unsigned} or {@code varchar(20)}. */
    public String typeText() {
        return typeText(typeName, labels, length, scale, unsigned, zerofill);
    }

    /** The compact type text of a type from its parts (shared with the schema history's column model). */
    public static String typeText(
            String typeName, List<String> labels, Long length, Integer scale, boolean unsigned, boolean zerofill) {
        StringBuilder sb = new StringBuilder(typeName);
        if (!labels.isEmpty()) {
            sb.append('(');
            for (int i = 0; i < labels.size(); i++) {
                sb.append(i == 0 ? "" : ",")
                        .append('\'')
                        .append(labels.get(i).replace("'", "''"))
                        .append('\'');
            }
            sb.append(')');
        } else if (length != null) {
            sb.append('(').append(length);
            if (scale != null) {
                sb.append(',').append(scale);
            }
            sb.append(')');
        }
        if (unsigned) {
            sb.append(" unsigned");
        }
        if (zerofill) {
            sb.append(" zerofill");
        }
        return sb.toString();
    }

    /** This column with another name (for CHANGE and RENAME COLUMN). */
    public ColumnSpec withName(String newName) {
        return new ColumnSpec(
                newName,
                typeName,
                length,
                scale,
                unsigned,
                zerofill,
                charset,
                collation,
                nullable,
                defaultValue,
                onUpdate,
                autoIncrement,
                labels,
                comment,
                generated,
                invisible,
                primaryKey,
                unique,
                compressed,
                declaredType);
    }

    /** This column with another default (for ALTER COLUMN SET/DROP DEFAULT; null drops it). */
    public ColumnSpec withDefault(DefaultValue value) {
        return new ColumnSpec(
                name,
                typeName,
                length,
                scale,
                unsigned,
                zerofill,
                charset,
                collation,
                nullable,
                value,
                onUpdate,
                autoIncrement,
                labels,
                comment,
                generated,
                invisible,
                primaryKey,
                unique,
                compressed,
                declaredType);
    }
}
