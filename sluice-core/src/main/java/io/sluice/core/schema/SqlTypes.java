package io.sluice.core.schema;

import java.util.Set;

/**
 * Families of the lower-case SQL type names a {@link Column} carries ({@link Column#dataType()}), named once for every
 * module that maps them (the snapshot's reader, rule expressions, database sinks).
 */
public final class SqlTypes {
    /** The spatial types: their values are the bytes SELECT returns (4-byte SRID, then WKB). */
    public static final Set<String> GEOMETRY = Set.of(
            "geometry",
            "point",
            "linestring",
            "polygon",
            "multipoint",
            "multilinestring",
            "multipolygon",
            "geometrycollection");

    /** The byte-string types: BINARY, VARBINARY and the BLOBs. */
    public static final Set<String> BYTE_STRINGS =
            Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");

    private SqlTypes() {}

    /** True for a type whose values are bytes: a byte string or a spatial type. */
    public static boolean isBytes(String dataType) {
        return BYTE_STRINGS.contains(dataType) || GEOMETRY.contains(dataType);
    }
}
