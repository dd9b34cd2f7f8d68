package io.sluice.mysql.schema;

import java.util.HashMap;
import java.util.Map;

/** Collation ids common to MySQL and MariaDB, for when the server's own list cannot be read. */
final class Collations {
    static final Map<Integer, String> WELL_KNOWN;

    static {
        Map<Integer, String> m = new HashMap<>();
        for (int id : new int[] {5, 8, 15, 31, 47, 48, 49, 94}) {
            m.put(id, "latin1");
        }
        for (int id : new int[] {33, 83, 76}) {
            m.put(id, "utf8mb3");
        }
        for (int id = 192; id <= 215; id++) {
            m.put(id, "utf8mb3");
        }
        for (int id : new int[] {45, 46, 255}) {
            m.put(id, "utf8mb4");
        }
        for (int id = 224; id <= 247; id++) {
            m.put(id, "utf8mb4");
        }
        for (int id = 255; id <= 323; id++) {
            m.put(id, "utf8mb4");
        }
        m.put(63, "binary");
        m.put(11, "ascii");
        m.put(65, "ascii");
        WELL_KNOWN = Map.copyOf(m);
    }

    private Collations() {}
}
