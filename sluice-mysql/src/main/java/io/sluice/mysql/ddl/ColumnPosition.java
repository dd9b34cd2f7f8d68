package io.sluice.mysql.ddl;

/**
 * Where ALTER TABLE places an added, modified or changed column.
 *
 * @param first the column goes first ({@code FIRST})
 * @param after the column goes after this one ({@code AFTER x}), else null
 */
public record ColumnPosition(boolean first, String after) {

    /** No position given: an added column goes last, a modified one stays where it is. */
    public static final ColumnPosition UNSPECIFIED = new ColumnPosition(false, null);

    public static final ColumnPosition FIRST = new ColumnPosition(true, null);

    public static ColumnPosition after(String column) {
        return new ColumnPosition(false, column);
    }

    public boolean specified() {
        return first || after != null;
    }
}
