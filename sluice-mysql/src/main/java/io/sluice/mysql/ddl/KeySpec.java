package io.sluice.mysql.ddl;

import java.util.List;

/**
 * An index or key constraint.
 *
 * @param kind       what kind of key
 * @param name       the key's name: {@code PRIMARY} for primary keys; the index name, else the constraint name
 *                   (foreign keys: the constraint name, else the index name); null when the statement names
 *                   neither (the server then derives one)
 * @param parts      key parts in order
 * @param indexType  {@code BTREE}, {@code HASH}, {@code RTREE} when written with USING, else null
 * @param references the referenced table and columns of a foreign key, else null
 */
public record KeySpec(Kind kind, String name, List<KeyPart> parts, String indexType, Reference references) {

    public enum Kind {
        PRIMARY,
        UNIQUE,
        INDEX,
        FULLTEXT,
        SPATIAL,
        FOREIGN
    }

    public KeySpec {
        parts = List.copyOf(parts);
    }

    /**
     * One key part.
     *
     * @param column     the column, or null for a functional key part
     * @param length     prefix length, else null
     * @param descending declared DESC
     * @param expression the functional key part's expression text, else null
     */
    public record KeyPart(String column, Integer length, boolean descending, String expression) {}

    /**
     * The target of a foreign key.
     *
     * @param table    referenced table
     * @param columns  referenced columns
     * @param onDelete referential action text ({@code CASCADE}, {@code SET NULL}, ...), else null
     * @param onUpdate referential action text, else null
     */
    public record Reference(TableName table, List<String> columns, String onDelete, String onUpdate) {
        public Reference {
            columns = List.copyOf(columns);
        }
    }

    /** The key's column names in order (functional parts omitted). */
    public List<String> columns() {
        return parts.stream()
                .filter(p -> p.column() != null)
                .map(KeyPart::column)
                .toList();
    }

    /** A unique constraint: primary or unique key. */
    public boolean isUnique() {
        return kind == Kind.PRIMARY || kind == Kind.UNIQUE;
    }
}
