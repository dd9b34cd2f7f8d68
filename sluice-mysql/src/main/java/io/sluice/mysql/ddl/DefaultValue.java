package io.sluice.mysql.ddl;

/**
 * A column's DEFAULT clause.
 *
 * @param kind what the default is
 * @param text NULL: null; STRING: the unescaped string (adjacent strings joined, introducer dropped);
 *             NUMBER: the number as written with its sign ({@code TRUE}/{@code FALSE} give 1/0);
 *             BITS: the hex or bit literal as written ({@code x'0F'}, {@code 0x0F}, {@code b'101'});
 *             EXPRESSION: the expression's source text ({@code CURRENT_TIMESTAMP(6)}, {@code (uuid())})
 */
public record DefaultValue(Kind kind, String text) {

    public enum Kind {
        NULL,
        STRING,
        NUMBER,
        BITS,
        EXPRESSION
    }

    public static final DefaultValue NULL = new DefaultValue(Kind.NULL, null);

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    /** The default is computed by the server (an expression or function), not a constant. */
    public boolean isExpression() {
        return kind == Kind.EXPRESSION;
    }
}
