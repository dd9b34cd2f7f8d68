package io.sluice.jdbc;

import java.util.Locale;

/**
 * What a column type holds, as far as widening goes: its family (integers, fixed-point numbers, floating-point
 * numbers, strings of a length, TEXT or BLOB sizes) and its size in that family. Read from a type the sink would
 * write ({@code VARCHAR(50) CHARACTER SET utf8mb4}, {@code NUMERIC(10,2)}, {@code INT UNSIGNED}) or from what the
 * target's catalog reports ({@code int4}, {@code varchar} of size 20).
 *
 * @param family   the family; {@link Family#OTHER} for a type the sink never widens
 * @param name     the type's name, lower case (compared for {@link Family#OTHER} and the string families)
 * @param size     integers: bits; strings: length; TEXT and BLOB: rank; decimals: precision; floats: bits
 * @param scale    decimals: the digits after the point
 * @param unsigned integers: unsigned
 */
record TypeShape(Family family, String name, long size, long scale, boolean unsigned) {

    /** The families a type can be widened within. */
    enum Family {
        INTEGER,
        DECIMAL,
        FLOAT,
        /** VARCHAR, CHAR, VARBINARY, BINARY: widened by length within one name. */
        LENGTH,
        /** The MySQL family's TEXT and BLOB sizes: widened by rank within one name's kind. */
        LOB,
        OTHER
    }

    /** The shape of a type as the sink writes it in DDL. */
    static TypeShape ofDdl(String type) {
        String t = type.toLowerCase(Locale.ROOT).trim();
        boolean unsigned = t.contains(" unsigned");
        int paren = t.indexOf('(');
        int space = t.indexOf(' ');
        int end = paren >= 0 ? paren : space >= 0 ? space : t.length();
        if (t.startsWith("double precision")) {
            end = "double precision".length();
        }
        String name = t.substring(0, end);
        long size = -1;
        long scale = 0;
        if (paren >= 0) {
            String[] args = t.substring(paren + 1, t.indexOf(')', paren)).split(",");
            try {
                size = Long.parseLong(args[0].trim());
                scale = args.length > 1 ? Long.parseLong(args[1].trim()) : 0;
            } catch (NumberFormatException e) {
                size = -1; // ENUM and SET labels
            }
        }
        return of(name, size, scale, unsigned);
    }

    /** The shape of a column as the target's catalog reports it (JDBC's TYPE_NAME, COLUMN_SIZE, DECIMAL_DIGITS). */
    static TypeShape ofCatalog(String typeName, long columnSize, long decimalDigits) {
        String t = typeName.toLowerCase(Locale.ROOT).trim();
        boolean unsigned = t.contains(" unsigned");
        String name = unsigned ? t.substring(0, t.indexOf(" unsigned")).trim() : t;
        return of(name, columnSize, decimalDigits, unsigned);
    }

    private static TypeShape of(String name, long size, long scale, boolean unsigned) {
        return switch (name) {
            case "tinyint" -> new TypeShape(Family.INTEGER, name, 8, 0, unsigned);
            case "smallint", "int2" -> new TypeShape(Family.INTEGER, name, 16, 0, unsigned);
            case "mediumint" -> new TypeShape(Family.INTEGER, name, 24, 0, unsigned);
            case "int", "integer", "int4" -> new TypeShape(Family.INTEGER, name, 32, 0, unsigned);
            case "bigint", "int8" -> new TypeShape(Family.INTEGER, name, 64, 0, unsigned);
            case "decimal", "numeric", "fixed" -> new TypeShape(Family.DECIMAL, "decimal", size, scale, false);
            case "float", "real", "float4" -> new TypeShape(Family.FLOAT, name, 32, 0, false);
            case "double", "double precision", "float8" -> new TypeShape(Family.FLOAT, name, 64, 0, false);
            case "varchar", "character varying" -> new TypeShape(Family.LENGTH, "varchar", size, 0, false);
            case "char", "bpchar", "character" -> new TypeShape(Family.LENGTH, "char", size, 0, false);
            case "varbinary", "binary" -> new TypeShape(Family.LENGTH, name, size, 0, false);
            case "tinytext", "tinyblob" -> new TypeShape(Family.LOB, lob(name), 1, 0, false);
            case "text", "blob" -> new TypeShape(Family.LOB, lob(name), 2, 0, false);
            case "mediumtext", "mediumblob" -> new TypeShape(Family.LOB, lob(name), 3, 0, false);
            case "longtext", "longblob" -> new TypeShape(Family.LOB, lob(name), 4, 0, false);
            default -> new TypeShape(Family.OTHER, name, size, scale, unsigned);
        };
    }

    private static String lob(String name) {
        return name.endsWith("text") ? "text" : "blob";
    }

    /** Whether every value of {@code this} type fits {@code wider} unchanged, and {@code wider} holds more. */
    boolean widensTo(TypeShape wider) {
        return !holdsAllOf(wider) && wider.holdsAllOf(this);
    }

    /** Whether every value of {@code narrower} fits this type unchanged. */
    boolean holdsAllOf(TypeShape narrower) {
        if (family == Family.DECIMAL && narrower.family == Family.INTEGER) {
            // an integer in a NUMERIC(p,s): BIGINT needs 19 digits, BIGINT UNSIGNED 20
            long bits = narrower.unsigned ? narrower.size : narrower.size - 1;
            long digits = (long) Math.ceil(bits * Math.log10(2));
            return size - scale >= digits;
        }
        if (family != narrower.family) {
            return false;
        }
        return switch (family) {
            case INTEGER -> unsigned == narrower.unsigned ? size >= narrower.size : !unsigned && size > narrower.size;
            case DECIMAL -> scale >= narrower.scale && size - scale >= narrower.size - narrower.scale;
            case FLOAT -> size >= narrower.size;
            case LENGTH, LOB -> name.equals(narrower.name) && size >= narrower.size;
            case OTHER -> name.equals(narrower.name) && size == narrower.size && scale == narrower.scale;
        };
    }
}
