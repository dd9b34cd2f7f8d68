package io.sluice.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.sink.SinkProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/pipelines/{name}/config}: the pipeline's effective configuration (defaults filled in) as JSON,
 * walked from the config records so a new setting shows without code here. Secrets are hidden: a component or map
 * key whose name says password, secret, token, credential or JAAS shows as {@code "****"} (or {@code ""} when empty).
 */
final class ConfigView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|jaas).*");
    private static final int MAX_DEPTH = 8;

    private ConfigView() {}

    static JsonNode of(PipelineConfig config) {
        return node(config, 0);
    }

    private static JsonNode node(Object v, int depth) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (v instanceof Optional<?> o) {
            return o.isPresent() ? node(o.get(), depth) : NODES.nullNode();
        }
        if (v instanceof SinkProvider<?> p) {
            return NODES.textNode(p.type()); // the sink's type name, as sink.type gives it
        }
        if (depth < MAX_DEPTH && v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(node(x, depth + 1)));
            return a;
        }
        if (depth < MAX_DEPTH && v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), secret(String.valueOf(k), x, depth)));
            return o;
        }
        if (depth < MAX_DEPTH && v.getClass().isRecord()) {
            ObjectNode o = NODES.objectNode();
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                Object x;
                try {
                    x = rc.getAccessor().invoke(v);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    x = "(unreadable)";
                }
                o.set(rc.getName(), secret(rc.getName(), x, depth));
            }
            return o;
        }
        return NODES.textNode(v.toString());
    }

    private static JsonNode secret(String name, Object v, int depth) {
        if (SECRET.matcher(name).matches() && !(v instanceof Boolean)) {
            return NODES.textNode(v == null || v.toString().isEmpty() ? "" : "****");
        }
        return node(v, depth + 1);
    }
}
