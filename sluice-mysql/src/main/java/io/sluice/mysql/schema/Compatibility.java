package io.sluice.mysql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compatibility rules between two versions of a table, in schema-registry terms (docs/schemas.md):
 * <ul>
 * <li>{@code backward}: a consumer on the new version reads data of the old one. Adding a nullable column or one
 *     with a default and widening a type are fine; adding or dropping a required column (NOT NULL, no default),
 *     narrowing a type, changing its family, renaming a column, making a column NOT NULL and changing the key
 *     break it.</li>
 * <li>{@code forward}: a consumer on the old version reads data of the new one: the mirror image (narrowing is
 *     fine, widening and making a column nullable break it).</li>
 * <li>{@code full}: both; {@code none}: nothing is checked.</li>
 * </ul>
 */
public final class Compatibility {

    public enum Mode {
        BACKWARD,
        FORWARD,
        FULL,
        NONE;

        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        boolean backward() {
            return this == BACKWARD || this == FULL;
        }

        boolean forward() {
            return this == FORWARD || this == FULL;
        }
    }

    private Compatibility() {}

    /** The reasons the change from {@code old} to {@code now} breaks {@code mode}; empty when it breaks nothing. */
    public static List<String> breaking(TableModel old, TableModel now, Mode mode) {
        List<String> out = new ArrayList<>();
        if (mode == Mode.NONE || old == null || now == null) {
            return out;
        }
        String rule = mode.name().toLowerCase(Locale.ROOT);
        List<ColumnModel> added = new ArrayList<>();
        List<ColumnModel> dropped = new ArrayList<>();
        for (ColumnModel c : now.columns()) {
            if (old.column(c.name()) == null) {
                added.add(c);
            }
        }
        for (ColumnModel c : old.columns()) {
            if (now.column(c.name()) == null) {
                dropped.add(c);
            }
        }
        // a column dropped and one added with the same type in the same place: a rename
        for (ColumnModel d : List.copyOf(dropped)) {
            int i = old.indexOf(d.name());
            if (i < now.columns().size()) {
                ColumnModel a = now.columns().get(i);
                if (added.contains(a) && a.type().equals(d.type())) {
                    out.add(rule + ": column " + d.name() + " renamed to " + a.name());
                    added.remove(a);
                    dropped.remove(d);
                }
            }
        }
        for (ColumnModel a : added) {
            if (!a.optional()) {
                out.add(rule + ": column " + a.name() + " added as NOT NULL without a default");
            }
        }
        for (ColumnModel d : dropped) {
            if (!d.optional()) {
                out.add(rule + ": column " + d.name() + " dropped, and it had no default");
            }
        }
        for (ColumnModel n : now.columns()) {
            ColumnModel o = old.column(n.name());
            if (o == null) {
                continue;
            }
            switch (Types.compare(o, n)) {
                case OTHER_FAMILY ->
                    out.add(rule + ": column " + n.name() + " changed type family from " + o.type() + " to "
                            + n.type());
                case NARROWER -> {
                    if (mode.backward()) {
                        out.add(rule + ": column " + n.name() + " narrowed from " + o.type() + " to " + n.type());
                    }
                }
                case WIDER -> {
                    if (mode.forward()) {
                        out.add(rule + ": column " + n.name() + " widened from " + o.type() + " to " + n.type());
                    }
                }
                default -> {}
            }
            if (o.nullable() && !n.nullable() && mode.backward()) {
                out.add(rule + ": column " + n.name() + " made NOT NULL");
            }
            if (!o.nullable() && n.nullable() && mode.forward()) {
                out.add(rule + ": column " + n.name() + " made nullable");
            }
        }
        if (!lower(old.eventKey()).equals(lower(now.eventKey()))) {
            out.add(rule + ": key changed from " + old.eventKey() + " to " + now.eventKey());
        }
        return out;
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
