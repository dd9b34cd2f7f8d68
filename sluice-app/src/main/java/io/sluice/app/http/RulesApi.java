package io.sluice.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.app.run.RuleChecks;
import io.sluice.app.run.RulePreviews;
import io.sluice.core.SluiceException;
import io.sluice.core.time.Scheduler;
import io.sluice.rules.LineDiff;
import io.sluice.rules.RuleStats;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/pipelines/{name}/rules[...]}: a running pipeline's rule versions, read from the versions its rules
 * stage takes up (the state store's log), and deploy and rollback with the checks of {@code sluice rules deploy}:
 *
 * <ul>
 *   <li>{@code GET .../rules}: the version in effect, the newest, every version (no text) and each rule's counters;
 *   <li>{@code GET .../rules/versions/{n}}: one version with its text;
 *   <li>{@code GET .../rules/diff?from=&to=}: a line diff of two versions (default: the newest and the one before);
 *   <li>{@code POST .../rules/deploy}: body {@code {"rules": "<yaml>", "message": "why"}}, or the YAML itself with
 *       {@code ?message=}; compiled against every table's current schema first, a refusal is 422 naming the rule,
 *       the column and the table; 409 when the newest version has these rules already;
 *   <li>{@code POST .../rules/preview}: body {@code {"rules": "<yaml>", "last": n}} or with {@code "from"/"to"}: the
 *       candidate run beside the deployed version over re-read binlog events, as {@code sluice rules preview -o json};
 *   <li>{@code POST .../rules/rollback}: body {@code {"to": n, "message": "why"}}: version n's rules as a new version.
 * </ul>
 */
final class RulesApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1024 * 1024;

    private RulesApi() {}

    /** The rules stage of {@code p}, or 404 when the pipeline runs no rules. */
    private static RulesStage stage(ManagedPipeline p) {
        if (p.pipeline().transform() instanceof RulesStage s && s.versions() != null) {
            return s;
        }
        throw HttpProblem.notFound("pipeline " + p.name() + " runs no transformation rules: add 'rules: <file>' to "
                + p.config().file() + " (docs/rules.md)");
    }

    /** {@code GET .../rules}. */
    static ObjectNode overview(ManagedPipeline p) {
        RulesStage s = stage(p);
        List<RuleVersions.Version> all = s.versions().list();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", p.name());
        o.put("inEffect", s.rules().version());
        o.put("latest", all.isEmpty() ? 0 : all.get(all.size() - 1).number());
        o.put("deadLetter", s.rules().deadLetter());
        ArrayNode versions = o.putArray("versions");
        for (RuleVersions.Version v : all) {
            versions.add(version(v, false));
        }
        ArrayNode rules = o.putArray("rules");
        for (RuleStats st : s.stats()) {
            ObjectNode r = rules.addObject();
            r.put("rule", st.rule());
            r.put("matched", st.matched());
            r.put("dropped", st.dropped());
            r.put("changed", st.changed());
            r.put("errors", st.errors());
            r.put("deadLettered", st.deadLettered());
            r.put("seconds", st.seconds());
        }
        return o;
    }

    /** {@code GET .../rules/versions/{n}}. */
    static ObjectNode version(ManagedPipeline p, String n) {
        return version(get(stage(p).versions(), number("version", n)), true);
    }

    /** {@code GET .../rules/diff?from=&to=}. */
    static ObjectNode diff(ManagedPipeline p, Map<String, String> query) {
        RuleVersions versions = stage(p).versions();
        int to = query.containsKey("to")
                ? number("to", query.get("to"))
                : versions.latest().map(RuleVersions.Version::number).orElse(0);
        int from = query.containsKey("from") ? number("from", query.get("from")) : to - 1;
        RuleVersions.Version a = get(versions, from);
        RuleVersions.Version b = get(versions, to);
        ObjectNode o = JSON.createObjectNode();
        o.put("from", a.number());
        o.put("to", b.number());
        ArrayNode lines = o.putArray("lines");
        LineDiff.diff(a.text().lines().toList(), b.text().lines().toList()).forEach(lines::add);
        return o;
    }

    /** {@code POST .../rules/deploy}; {@code body} as sent, {@code json} when its content type says JSON. */
    static ObjectNode deploy(ManagedPipeline p, byte[] body, boolean json, Map<String, String> query, Instant now) {
        RulesStage s = stage(p);
        String text;
        String message = query.getOrDefault("message", "");
        if (json) {
            JsonNode n = readJson(body);
            if (!n.path("rules").isTextual()) {
                throw HttpProblem.badRequest(
                        "the body must be {\"rules\": \"<the rule file's YAML>\", \"message\": \"why\"}");
            }
            text = n.get("rules").asText();
            message = n.path("message").asText(message);
        } else {
            text = new String(body, StandardCharsets.UTF_8);
        }
        if (text.isBlank()) {
            throw HttpProblem.badRequest("no rules sent: send the rule file's YAML as the body, or"
                    + " {\"rules\": \"...\", \"message\": \"...\"} as JSON");
        }
        String origin = "HTTP deploy to " + p.name();
        Optional<RuleVersions.Version> v;
        int checked;
        try {
            checked = RuleChecks.againstSchemas(p.schemas().history(), text, origin);
            v = s.versions().deploy(text, origin, message, now);
        } catch (SluiceException e) {
            throw new HttpProblem(422, e.getMessage());
        }
        if (v.isEmpty()) {
            throw new HttpProblem(
                    409,
                    "rule version " + s.versions().latest().orElseThrow().number() + " has these rules already;"
                            + " nothing deployed");
        }
        ObjectNode o = version(v.get(), false);
        o.put("checkedTables", checked);
        o.put("message", v.get().message());
        o.put("note", "pipeline " + p.name() + " switches to it at its next source transaction boundary");
        return o;
    }

    /**
     * {@code POST .../rules/preview}: body {@code {"rules": "<yaml>", "last": n}} or {@code {"rules": "<yaml>",
     * "from": "file:pos", "to": "file:pos"}} (optionally {@code "limit": n}), or the YAML itself with {@code ?last=},
     * {@code ?from=&to=}, {@code ?limit=}; runs {@code sluice rules preview} ({@link RulePreviews#preview}) and answers
     * what its {@code -o json} prints. Nothing is deployed, written to a sink or moved in a checkpoint. One preview
     * runs at a time per pipeline ({@code gate}: 429 otherwise), within {@code limits}: more events than their bound
     * is 422, past their time 503, each saying how to stay within them.
     */
    static ObjectNode preview(
            ManagedPipeline p,
            byte[] body,
            boolean json,
            Map<String, String> query,
            Function<String, String> env,
            Scheduler scheduler,
            PreviewGate gate,
            RulePreviews.Limits limits) {
        stage(p);
        Map<String, String> args = new java.util.HashMap<>(query);
        String text;
        if (json) {
            JsonNode n = readJson(body);
            if (!n.path("rules").isTextual()) {
                throw HttpProblem.badRequest("the body must be {\"rules\": \"<the candidate rule file's YAML>\","
                        + " \"last\": n} or {\"rules\": ..., \"from\": \"file:pos\", \"to\": \"file:pos\"}");
            }
            text = n.get("rules").asText();
            for (String k : List.of("last", "from", "to", "limit")) {
                if (n.hasNonNull(k)) {
                    args.put(k, n.get(k).asText());
                }
            }
        } else {
            text = new String(body, StandardCharsets.UTF_8);
        }
        if (text.isBlank()) {
            throw HttpProblem.badRequest("no candidate rules sent: send the rule file's YAML as the body, or"
                    + " {\"rules\": \"...\", \"last\": n} as JSON");
        }
        if (args.containsKey("last") && args.containsKey("from")) {
            throw HttpProblem.badRequest("give either last or from [and to], not both");
        }
        if (args.containsKey("to") && !args.containsKey("from")) {
            throw HttpProblem.badRequest("to needs from");
        }
        Integer last = args.containsKey("last") ? count("last", args.get("last")) : null;
        if (last == null && !args.containsKey("from")) {
            last = 100;
        }
        int limit = args.containsKey("limit") ? count("limit", args.get("limit")) : 1000;
        RulePreviews.Preview pv;
        try (PreviewGate.Pass pass = gate.enter(p.name())) {
            pv = RulePreviews.preview(
                    p.config(),
                    new RulePreviews.Request(
                            text, "HTTP preview on " + p.name(), last, args.get("from"), args.get("to"), limit, 0),
                    limits,
                    env,
                    scheduler);
        } catch (RulePreviews.LimitExceeded e) {
            throw new HttpProblem(e.timedOut() ? 503 : 422, e.getMessage());
        } catch (SluiceException e) {
            throw new HttpProblem(422, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "the preview was interrupted: the server is stopping");
        }
        ObjectNode doc = pv.result().toJson();
        doc.put("range", pv.range().toString());
        return doc;
    }

    private static int count(String what, String s) {
        try {
            int n = Integer.parseInt(s.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw HttpProblem.badRequest(what + ": expected a positive whole number, found \"" + s + "\"");
    }

    /** {@code POST .../rules/rollback} with {@code {"to": n, "message": "why"}}. */
    static ObjectNode rollback(ManagedPipeline p, byte[] body, Instant now) {
        RulesStage s = stage(p);
        JsonNode n = readJson(body);
        if (!n.path("to").canConvertToInt() || !n.path("to").isIntegralNumber()) {
            throw HttpProblem.badRequest("the body must be {\"to\": <version>, \"message\": \"why\"}");
        }
        int to = n.get("to").asInt();
        get(s.versions(), to);
        RuleVersions.Version v;
        try {
            v = s.versions().rollback(to, n.path("message").asText(null), now);
        } catch (SluiceException e) {
            throw new HttpProblem(409, e.getMessage());
        }
        ObjectNode o = version(v, false);
        o.put("rolledBackTo", to);
        o.put("note", "pipeline " + p.name() + " switches to it at its next source transaction boundary");
        return o;
    }

    private static RuleVersions.Version get(RuleVersions versions, int n) {
        try {
            return versions.get(n);
        } catch (SluiceException e) {
            throw HttpProblem.notFound(e.getMessage());
        }
    }

    private static int number(String what, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest(what + ": expected a version number, found \"" + s + "\"");
        }
    }

    private static JsonNode readJson(byte[] body) {
        if (body.length >= MAX_BODY) {
            throw new HttpProblem(413, "the body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (!n.isObject()) {
                throw HttpProblem.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body is not JSON: " + e.getMessage());
        }
    }

    private static ObjectNode version(RuleVersions.Version v, boolean text) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", v.number());
        o.put("hash", v.hash());
        o.put("message", v.message());
        o.put("time", v.time().toString());
        o.put("origin", v.origin());
        if (text) {
            o.put("text", v.text());
        }
        return o;
    }

    /** Reads a request body of at most the API's limit. */
    static byte[] body(java.io.InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(MAX_BODY);
        }
    }
}
