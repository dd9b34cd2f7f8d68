package io.sluice.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.run.ManagedPipeline;
import io.sluice.app.run.SchemaApproval;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.ConsumerSchemas;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaTracker;
import io.sluice.mysql.schema.SchemaVersion;
import java.util.List;

/**
 * {@code GET /api/pipelines/{name}/schemas[/{db.table}[/{version}]]}: the pipeline's schema history, the live one
 * its source records into (not a copy read again from the state store per request): the tables and their versions; one table's versions; one version as the history's model, JSON
 * Schema or Avro ({@code ?format=json|json-schema|avro}).
 */
final class SchemaApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SchemaApi() {}

    /** The response for the path parts after {@code schemas} (none, table, or table and version). */
    static JsonNode get(ManagedPipeline p, List<String> rest, String format) {
        SchemaHistory h = p.schemas().history();
        Approvals approvals = p.schemas().approvals();
        if (rest.isEmpty()) {
            ArrayNode out = F.arrayNode();
            for (String t : h.tables()) {
                ObjectNode o = out.addObject();
                o.put("table", t);
                ArrayNode versions = o.putArray("versions");
                h.versions(t).forEach(v -> versions.add(summary(v, approvals)));
            }
            return out;
        }
        String table = rest.get(0);
        List<SchemaVersion> versions = h.versions(table);
        if (versions.isEmpty()) {
            throw HttpProblem.notFound(
                    "pipeline " + p.name() + " has no schema history for " + table + "; known: " + h.tables());
        }
        if (rest.size() == 1) {
            ArrayNode out = F.arrayNode();
            versions.forEach(v -> out.add(summary(v, approvals)));
            return out;
        }
        int n;
        try {
            n = Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("version: expected a number, found \"" + rest.get(1) + "\"");
        }
        SchemaVersion v = versions.stream()
                .filter(x -> x.version() == n)
                .findFirst()
                .orElseThrow(() -> HttpProblem.notFound(table + " has no version " + n + "; it has "
                        + versions.stream().map(SchemaVersion::version).toList()));
        ConsumerSchemas.Format f;
        try {
            f = format == null ? ConsumerSchemas.Format.JSON : ConsumerSchemas.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("format: expected json, json-schema or avro, found \"" + format + "\"");
        }
        return ConsumerSchemas.render(v, f);
    }

    /**
     * {@code POST .../schemas/{db.table}/{version}/approve}: approves a breaking version with the checks of
     * {@code sluice schema approve}; 409 when there is nothing to approve (approved already, not breaking).
     */
    static ObjectNode approve(ManagedPipeline p, String table, String version) {
        int n;
        try {
            n = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("version: expected a number, found \"" + version + "\"");
        }
        SchemaApproval.Result r = SchemaApproval.approve(
                p.config(),
                p.schemas().history(),
                p.schemas().approvals(),
                table,
                n,
                "approved over HTTP (the console)");
        if (r.outcome() != SchemaApproval.Outcome.APPROVED) {
            throw new HttpProblem(409, r.message());
        }
        ObjectNode o = F.objectNode();
        o.put("name", p.name());
        o.put("table", table);
        o.put("version", n);
        o.put("approved", true);
        o.put("message", r.message());
        return o;
    }

    private static ObjectNode summary(SchemaVersion v, Approvals approvals) {
        ObjectNode o = F.objectNode();
        o.put("version", v.version());
        o.put("file", v.file());
        o.put("pos", v.pos());
        o.put("origin", v.origin());
        if (v.ddl() != null) {
            o.put("ddl", v.ddl());
        }
        try {
            o.set(
                    "columns",
                    CheckpointCodec.mapper()
                            .readTree(SchemaTracker.columns(v.model()).json()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        if (!v.breaking().isEmpty()) {
            ArrayNode b = o.putArray("breaking");
            v.breaking().forEach(b::add);
            o.put("approved", approvals.approved(v.table(), v.version()));
        }
        return o;
    }
}
