package io.sluice.connect;

import io.sluice.core.SluiceException;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ValueType;
import io.sluice.core.config.ValueType.InvalidValue;
import io.sluice.core.state.StateStore;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's {@code rules} setting: transformation rules (docs/rules.md) as a rule file's path on the workers
 * or inline YAML, applied by the rules module's own stage ({@link RulesStage}) between the source and the task's
 * output, as {@code sluice run} applies them. The rule versions live in the state topic (log {@code rule-versions},
 * as the file state store keeps them): a task records the setting's rules as a new version when they differ from
 * the newest one, in the same Kafka transaction as the events they shape, and every offset names the version in
 * effect, so a task restarted anywhere resumes with the version that shaped the transaction it left off in.
 */
final class ConnectorRules {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRules.class);

    /** Rules as given: their YAML text and where it came from (for messages and the version's origin). */
    record Source(String text, String origin) {}

    static final ConfigKey<Source> RULES = ConfigKey.derived(
            "rules",
            new ValueType.Simple<>(
                    "the path of a rule file on every worker, or the rules inline as YAML (docs/rules.md)",
                    (node, base) -> read(node.asText()),
                    Source::origin),
            "none",
            (name, base) -> null,
            "Transformation rules applied to every event before it is handed to Connect (filters, masks,"
                    + " renames, computed columns, routes: docs/rules.md), as a rule file's path (the same file on"
                    + " every worker) or inline YAML (text with a line break, or a JSON/YAML flow mapping). A changed"
                    + " value is recorded as a new rule version in the state topic when the task starts.");

    private ConnectorRules() {}

    /** The rules the setting gives, checked to parse; a path that cannot be read or rules that do not parse fail. */
    static Source read(String value) throws InvalidValue {
        String v = value.strip();
        Source source;
        if (v.contains("\n") || v.startsWith("{")) {
            source = new Source(value, "the connector's rules setting");
        } else {
            Path file = Path.of(v);
            try {
                source = new Source(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IOException e) {
                throw new InvalidValue("cannot read the rule file " + file + " (" + e.getMessage() + "): give the path"
                        + " of a rule file that every worker has, or the rules inline as YAML");
            }
        }
        try {
            RuleSet.parse(source.text(), source.origin(), 1, k -> "-"); // hash keys are checked when the task starts
        } catch (SluiceException e) {
            throw new InvalidValue(e.getMessage());
        }
        return source;
    }

    /**
     * Problems of the rules with the value format, by key (empty when they fit): shaped events (renamed, computed,
     * masked columns) have no Connect schema built from the table schema yet, so {@code value.format=struct} takes no
     * rules.
     */
    static Map<String, String> formatProblems(String format, Map<String, String> props) {
        if ("struct".equals(format) && props.get(RULES.path()) != null) {
            return Map.of(
                    RULES.path(),
                    "rules are not applied with value.format=struct yet (a shaped event's columns differ from the"
                            + " table schema its Connect schema is built from): use value.format=json or json-string"
                            + " with rules");
        }
        return Map.of();
    }

    /**
     * The rules stage over the rule versions in {@code state}: the setting's rules are recorded as the next version
     * when they are not the newest version's already; the stage then runs the newest (after the version an offset
     * names, up to the next source transaction). Hash masks take their keys from the worker's environment.
     */
    static RulesStage stage(String pipeline, Source rules, StateStore state, Instant now, LongSupplier nanoTime) {
        RuleVersions versions = new RuleVersions(state.ruleVersions());
        versions.deploy(rules.text(), rules.origin(), "from the connector's rules setting", now)
                .ifPresent(v -> LOG.info(
                        "[{}] rules: recorded the rules of {} as version {}", pipeline, rules.origin(), v.number()));
        return RulesStage.versioned(versions, System::getenv, nanoTime);
    }
}
