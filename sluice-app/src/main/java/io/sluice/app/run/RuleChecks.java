package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.core.SluiceException;
import io.sluice.core.schema.TableSchema;
import io.sluice.mysql.schema.CoreSchemas;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RulesStage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The check a candidate rule file passes before it is deployed, the same for {@code sluice rules deploy} and
 * {@code POST /api/pipelines/{name}/rules/deploy}: it is compiled against each table's current version in the
 * pipeline's schema history.
 */
public final class RuleChecks {
    private RuleChecks() {}

    /**
     * Compiles the candidate {@code text} (from {@code origin}) against the current version of each table in {@code
     * history}; a rule that names a column a table lacks (or does not type-check on it) is refused with a {@link
     * ConfigException} naming the rule, the column and the table. Returns how many tables were checked (none before
     * the pipeline's first run, when there is no history yet).
     */
    public static int againstSchemas(SchemaHistory history, String text, String origin) {
        RuleSet candidate = RuleSet.parse(text, origin, 0, k -> "-");
        Map<String, SchemaVersion> current = new LinkedHashMap<>();
        for (SchemaVersion v : history.all()) {
            current.put(v.table(), v); // the last entry of each table: its current version, or its drop
        }
        int checked = 0;
        for (SchemaVersion v : current.values()) {
            if (v.dropped()) {
                continue;
            }
            TableSchema schema = CoreSchemas.of(v.model(), v.version());
            if (!candidate.touches(schema.db(), schema.table())) {
                continue;
            }
            try {
                RulesStage.check(candidate, schema);
            } catch (SluiceException e) {
                throw new ConfigException(origin + " does not fit the current schema of " + schema.qualifiedName()
                        + " (version " + v.version() + "): " + e.getMessage()
                        + ". Nothing deployed: fix the rule, or deploy it after the schema change it waits for");
            }
            checked++;
        }
        return checked;
    }
}
