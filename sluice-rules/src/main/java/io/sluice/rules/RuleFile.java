package io.sluice.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.core.NearNames;
import io.sluice.core.SluiceException;
import io.sluice.core.event.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a rule file's YAML into {@link RuleSpec}s, refusing anything it does not know with what to write instead. */
final class RuleFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> RULE_KEYS =
            List.of("name", "match", "where", "drop", "rename", "keep", "set", "mask", "route", "key", "deletes");
    private static final List<String> MATCH_KEYS = List.of("tables", "ops");
    /** The default key of {@code hash} masks. */
    static final String DEFAULT_HASH_KEY_ENV = "SLUICE_RULES_HASH_KEY";

    private final String origin;

    private RuleFile(String origin) {
        this.origin = origin;
    }

    /** What happens to an event a rule fails on: the pipeline halts (the default), or the event is dead-lettered. */
    enum OnError {
        HALT,
        DEAD_LETTER
    }

    /** A rule file read: its rules and its {@code on-error} choice. */
    record Parsed(List<RuleSpec> rules, OnError onError) {}

    /** The rules of {@code text}, read from {@code origin} (a path, for messages). */
    static List<RuleSpec> parse(String text, String origin) {
        return read(text, origin).rules();
    }

    /** The rules and the top-level settings of {@code text}, read from {@code origin}. */
    static Parsed read(String text, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw SluiceException.fatal("the rule file " + origin + " is not valid YAML: " + e.getMessage());
        }
        RuleFile f = new RuleFile(origin);
        return new Parsed(f.rules(root), f.onError(root));
    }

    private OnError onError(JsonNode root) {
        JsonNode n = root.get("on-error");
        if (n == null || n.isNull()) {
            return OnError.HALT;
        }
        return switch (n.asText()) {
            case "halt" -> OnError.HALT;
            case "dead-letter" -> OnError.DEAD_LETTER;
            default ->
                throw error(
                        "on-error is '" + n.asText() + "': write halt (stop the pipeline at an event a rule"
                                + " fails on, the default) or dead-letter (write such events to the dead-letter file and go on)");
        };
    }

    private List<RuleSpec> rules(JsonNode root) {
        if (root == null || !root.isObject() || !root.has("rules")) {
            throw error("a rule file holds a list under 'rules:' (see docs/rules.md)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("rules") && !k.equals("on-error")) {
                throw error("unknown top-level key '" + k + "': a rule file holds 'rules:' and 'on-error:'");
            }
        }
        JsonNode list = root.get("rules");
        if (!list.isArray()) {
            throw error("'rules:' must be a list of rules");
        }
        List<RuleSpec> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode r : list) {
            RuleSpec spec = rule(r, i++);
            if (!names.add(spec.name())) {
                throw error("two rules are named '" + spec.name() + "': give each rule its own name");
            }
            rules.add(spec);
        }
        return List.copyOf(rules);
    }

    private RuleSpec rule(JsonNode r, int index) {
        if (!r.isObject()) {
            throw error("rule #" + (index + 1) + " is not a mapping of name, match, where, ...");
        }
        String name = text(r, "name", "rule #" + (index + 1));
        if (name == null || name.isBlank()) {
            throw error("rule #" + (index + 1) + " has no name: every rule needs 'name:'");
        }
        String where = "rule '" + name + "'";
        unknownKeys(r, RULE_KEYS, where);
        JsonNode match = r.get("match");
        if (match == null || !match.isObject() || !match.has("tables")) {
            throw error(where + " has no 'match: {tables: [\"db.table\", ...]}'");
        }
        unknownKeys(match, MATCH_KEYS, where + " match");
        List<String> tables = strings(match.get("tables"), where + " match.tables");
        if (tables.isEmpty()) {
            throw error(where + " matches no table: list db.table globs under match.tables");
        }
        for (String t : tables) {
            if (!t.contains(".")) {
                throw error(where + " match.tables entry '" + t + "' names no database: write db.table (globs allowed,"
                        + " e.g. sales.orders_*)");
            }
        }
        Set<Op> ops = EnumSet.of(Op.CREATE, Op.UPDATE, Op.DELETE, Op.READ);
        if (match.has("ops")) {
            ops = EnumSet.noneOf(Op.class);
            for (String code : strings(match.get("ops"), where + " match.ops")) {
                Op op = switch (code) {
                    case "c", "insert", "create" -> Op.CREATE;
                    case "u", "update" -> Op.UPDATE;
                    case "d", "delete" -> Op.DELETE;
                    case "r", "read", "snapshot" -> Op.READ;
                    default -> throw error(where + " match.ops has '" + code + "': ops are c, u, d, r");
                };
                ops.add(op);
            }
        }
        String whereExpr = text(r, "where", where);
        List<String> drop = r.has("drop") ? strings(r.get("drop"), where + " drop") : List.of();
        Map<String, String> rename = r.has("rename") ? stringMap(r.get("rename"), where + " rename") : Map.of();
        List<String> keep = r.has("keep") ? strings(r.get("keep"), where + " keep") : List.of();
        Map<String, String> set = r.has("set") ? stringMap(r.get("set"), where + " set") : Map.of();
        Map<String, RuleSpec.Mask> mask = r.has("mask") ? masks(r.get("mask"), where) : Map.of();
        RuleSpec.Route route = r.has("route") ? route(r.get("route"), where) : null;
        List<String> key = r.has("key") ? strings(r.get("key"), where + " key") : List.of();
        RuleSpec.Deletes deletes = r.has("deletes") ? deletes(r.get("deletes"), where) : RuleSpec.Deletes.KEEP;
        if (deletes.kind() != RuleSpec.Deletes.Kind.KEEP && !ops.contains(Op.DELETE)) {
            throw error(where + " says what becomes of deletes but its match.ops leave deletes out");
        }
        return new RuleSpec(name, tables, ops, whereExpr, drop, rename, keep, set, mask, route, key, deletes);
    }

    private Map<String, RuleSpec.Mask> masks(JsonNode node, String where) {
        if (!node.isObject()) {
            throw error(where + " mask: write {column: hash | redact | {keep-last: n}, ...}");
        }
        Map<String, RuleSpec.Mask> masks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            masks.put(e.getKey(), mask(e.getValue(), where + " mask." + e.getKey()));
        }
        return masks;
    }

    private RuleSpec.Mask mask(JsonNode m, String where) {
        if (m.isTextual()) {
            return switch (m.asText()) {
                case "hash" -> new RuleSpec.Mask.Hash(DEFAULT_HASH_KEY_ENV);
                case "redact" -> new RuleSpec.Mask.Redact();
                default -> throw error(where + " is '" + m.asText() + "': a mask is hash, redact or {keep-last: n}");
            };
        }
        if (m.isObject() && m.size() == 1 && m.has("keep-last")) {
            JsonNode n = m.get("keep-last");
            if (!n.canConvertToInt() || n.asInt() < 0 || !n.isIntegralNumber()) {
                throw error(where + " keep-last must be a whole number >= 0, not " + n);
            }
            return new RuleSpec.Mask.KeepLast(n.asInt());
        }
        if (m.isObject() && m.size() == 1 && m.has("hash")) {
            JsonNode h = m.get("hash");
            if (h.isObject()
                    && h.size() == 1
                    && h.has("key-env")
                    && h.get("key-env").isTextual()) {
                return new RuleSpec.Mask.Hash(h.get("key-env").asText());
            }
            throw error(where + " hash: write {hash: {key-env: VARIABLE}} to name the key's environment variable");
        }
        throw error(where + ": a mask is hash, redact, {keep-last: n} or {hash: {key-env: VARIABLE}}");
    }

    private RuleSpec.Route route(JsonNode node, String where) {
        if (node.isTextual() && !node.asText().isBlank()) {
            return new RuleSpec.Route(node.asText(), null);
        }
        if (node.isObject()
                && node.size() == 1
                && node.has("expr")
                && node.get("expr").isTextual()) {
            return new RuleSpec.Route(null, node.get("expr").asText());
        }
        throw error(where + " route: write a destination (sales.orders, {db}.all_{table}) or {expr: \"CEL\"}");
    }

    private RuleSpec.Deletes deletes(JsonNode node, String where) {
        if (node.isTextual() && node.asText().equals("skip")) {
            return new RuleSpec.Deletes(RuleSpec.Deletes.Kind.SKIP, null);
        }
        if (node.isTextual() && node.asText().equals("keep")) {
            return RuleSpec.Deletes.KEEP;
        }
        if (node.isObject()
                && node.size() == 1
                && node.has("soft")
                && node.get("soft").isTextual()) {
            return new RuleSpec.Deletes(
                    RuleSpec.Deletes.Kind.SOFT, node.get("soft").asText());
        }
        throw error(where + " deletes: write skip, keep or {soft: flag_column}");
    }

    private void unknownKeys(JsonNode node, List<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                List<String> near = NearNames.near(k, known, NearNames.allowance(k), 1);
                throw error(where + " has an unknown key '" + k + "'"
                        + (near.isEmpty()
                                ? "; known: " + String.join(", ", known)
                                : "; did you mean '" + near.get(0) + "'?"));
            }
        }
    }

    private String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw error(where + " " + field + " must be a string (quote a CEL expression)");
        }
        return v.asText();
    }

    private List<String> strings(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw error(where + " must be a list of names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isValueNode() || n.isNull()) {
                throw error(where + " holds " + n + ", not a name");
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    private Map<String, String> stringMap(JsonNode node, String where) {
        if (!node.isObject()) {
            throw error(where + " must be a mapping of names");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw error(where + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private SluiceException error(String what) {
        return SluiceException.fatal("rule file " + origin + ": " + what);
    }
}
