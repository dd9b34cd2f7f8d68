package io.sluice.mysql.config;

import static io.sluice.core.config.ValueType.describe;
import static io.sluice.core.config.ValueType.enumeration;
import static io.sluice.core.config.ValueType.integral;
import static io.sluice.core.config.ValueType.quote;
import static io.sluice.core.config.ValueType.scalarText;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.config.ValueType;
import io.sluice.core.config.ValueType.InvalidValue;
import io.sluice.core.config.ValueType.Simple;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.StartPosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The value types of the source's and the schema policy's keys; the general ones are {@link ValueType}'s. */
public final class SourceValueTypes {
    private SourceValueTypes() {}

    /** A list of {@code db.table} globs ({@code *} and {@code ?}); a single string is a list of one. */
    public static ValueType<List<String>> tableGlobs() {
        Pattern glob = Pattern.compile("[^.\\s]+\\.[^.\\s]+");
        String expected = "a list of db.table globs like [\"sales.*\", \"crm.customer_?\"]";
        return new Simple<>(
                expected,
                (node, base) -> {
                    List<String> out = new ArrayList<>();
                    if (node.isTextual()) {
                        out.add(node.textValue());
                    } else if (node.isArray()) {
                        for (JsonNode item : node) {
                            if (!item.isTextual()) {
                                throw new InvalidValue(
                                        "expected " + expected + ", found " + describe(item) + " in the list");
                            }
                            out.add(item.textValue());
                        }
                    } else {
                        throw new InvalidValue();
                    }
                    for (String g : out) {
                        if (!glob.matcher(g).matches()) {
                            throw new InvalidValue("expected " + expected + ", found " + quote(g)
                                    + " (a glob needs a database part and a table part, like sales.*)");
                        }
                    }
                    return List.copyOf(out);
                },
                list -> list.isEmpty() ? "[]" : list.toString());
    }

    /** {@code earliest}, {@code latest}, {@code {file: ..., pos: ...}} or {@code {gtid: ...}}. */
    public static ValueType<StartPosition> startPosition() {
        String expected = "earliest, latest, snapshot, {file: <binlog file>, pos: <position>} or {gtid: <gtid set>}";
        return new Simple<>(
                expected,
                (node, base) -> {
                    if (node.isTextual()) {
                        switch (node.textValue()) {
                            case "earliest":
                                return new StartPosition.Earliest();
                            case "latest":
                                return new StartPosition.Latest();
                            case "snapshot":
                                return new StartPosition.Snapshot();
                            default:
                                throw new InvalidValue();
                        }
                    }
                    if (!node.isObject()) {
                        throw new InvalidValue();
                    }
                    List<String> fields = new ArrayList<>();
                    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                        fields.add(it.next());
                    }
                    if (fields.equals(List.of("gtid"))) {
                        String gtid = scalarText(node.get("gtid")).trim();
                        if (gtid.isEmpty()) {
                            throw new InvalidValue(
                                    "gtid: expected a GTID set like \"0-1-100\" or \"<uuid>:1-100\", found \"\"");
                        }
                        return new StartPosition.Gtid(gtid);
                    }
                    if (fields.size() == 2 && fields.containsAll(List.of("file", "pos"))) {
                        String file = scalarText(node.get("file")).trim();
                        if (file.isEmpty()) {
                            throw new InvalidValue(
                                    "file: expected a binlog file name like mysql-bin.000003, found \"\"");
                        }
                        long pos;
                        try {
                            pos = integral(node.get("pos"), 4, Long.MAX_VALUE);
                        } catch (InvalidValue e) {
                            throw new InvalidValue("pos: expected a binlog position (an integer of at least 4), found "
                                    + describe(node.get("pos")));
                        }
                        return new StartPosition.At(file, pos);
                    }
                    throw new InvalidValue("expected " + expected + ", found a mapping with keys " + fields);
                },
                SourceValueTypes::formatStart);
    }

    // ---- helpers ----

    /**
     * Per-table schema policy overrides: {@code db.table: {compatibility: ..., on-breaking: ...}}, either setting
     * optional.
     */
    public static ValueType<Map<String, SchemaPolicy.Rule>> schemaTables() {
        ValueType<Compatibility.Mode> modes = enumeration(Compatibility.Mode.class);
        ValueType<SchemaPolicy.Action> actions = enumeration(SchemaPolicy.Action.class);
        return new Simple<>(
                "a mapping of db.table names to {compatibility: "
                        + modes.expected().substring(7) + ", on-breaking: "
                        + actions.expected().substring(7) + "}",
                (node, base) -> {
                    if (!node.isObject()) {
                        throw new InvalidValue();
                    }
                    Map<String, SchemaPolicy.Rule> out = new java.util.LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!e.getKey().matches("[^.]+\\.[^.]+")) {
                            throw new InvalidValue("table " + quote(e.getKey()) + " is not a db.table name");
                        }
                        JsonNode rule = e.getValue();
                        if (!rule.isObject()) {
                            throw new InvalidValue("the settings of " + e.getKey()
                                    + " must be a mapping with compatibility" + " and/or on-breaking");
                        }
                        Compatibility.Mode mode = null;
                        SchemaPolicy.Action action = null;
                        for (Iterator<Map.Entry<String, JsonNode>> f = rule.fields(); f.hasNext(); ) {
                            Map.Entry<String, JsonNode> setting = f.next();
                            try {
                                switch (setting.getKey()) {
                                    case "compatibility" -> mode = modes.parse(setting.getValue(), base);
                                    case "on-breaking" -> action = actions.parse(setting.getValue(), base);
                                    default ->
                                        throw new InvalidValue("unknown setting " + e.getKey() + "." + setting.getKey()
                                                + "; expected compatibility or on-breaking");
                                }
                            } catch (InvalidValue bad) {
                                if (bad.detail() != null) {
                                    throw bad;
                                }
                                throw new InvalidValue(e.getKey() + "." + setting.getKey() + ": expected "
                                        + (setting.getKey().equals("compatibility") ? modes : actions).expected()
                                        + ", found " + describe(setting.getValue()));
                            }
                        }
                        out.put(e.getKey(), new SchemaPolicy.Rule(mode, action));
                    }
                    return Map.copyOf(out);
                },
                m -> m.isEmpty() ? "{}" : "{" + String.join(", ", m.keySet()) + "}");
    }

    public static String formatStart(StartPosition start) {
        if (start instanceof StartPosition.Snapshot) {
            return "snapshot";
        }
        if (start instanceof StartPosition.Earliest) {
            return "earliest";
        } else if (start instanceof StartPosition.Latest) {
            return "latest";
        } else if (start instanceof StartPosition.At at) {
            return "{file: " + at.file() + ", pos: " + at.pos() + "}";
        } else {
            return "{gtid: " + quote(((StartPosition.Gtid) start).gtidSet()) + "}";
        }
    }
}
