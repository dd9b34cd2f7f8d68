package io.sluice.connect;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ValueType;
import io.sluice.core.config.ValueType.InvalidValue;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.pipeline.Transform;
import io.sluice.core.state.StateStore;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    /** The message of a version recorded from the connector's {@code rules} setting. */
    static final String FROM_SETTING = "from the connector's rules setting";

    /**
     * The rules stage over the rule versions in {@code state}. The setting's rules
     * ({@code rules}, null when not set) are recorded as the next version when they differ from the last version the
     * setting gave: a changed setting is a deployment, an unchanged one leaves a version that {@code sluice rules
     * deploy|rollback} recorded since in effect. Without a setting, a version deployed by the command runs; one the
     * setting gave does not (the setting was removed): then events pass unchanged ({@link UntilDeployed}) until the
     * command records a newer version, taken up at a source transaction boundary. The stage runs the newest version (after the one an offset
     * names, up to the next source transaction) and, as the log follows the state topic, takes up a version the command
     * records while the task runs at the next source transaction boundary. Hash masks take their keys from the
     * worker's environment.
     */
    static Transform stage(String pipeline, Source rules, StateStore state, Instant now, LongSupplier nanoTime) {
        RuleVersions versions = new RuleVersions(state.ruleVersions());
        List<RuleVersions.Version> all = versions.list();
        Optional<RuleVersions.Version> lastFromSetting =
                all.stream().filter(v -> FROM_SETTING.equals(v.message())).reduce((a, b) -> b);
        if (rules != null) {
            String hash =
                    RuleSet.parse(rules.text(), rules.origin(), 1, k -> "-").hash();
            if (lastFromSetting.isEmpty() || !lastFromSetting.get().hash().equals(hash)) {
                versions.deploy(rules.text(), rules.origin(), FROM_SETTING, now)
                        .ifPresent(v -> LOG.info(
                                "[{}] rules: recorded the rules of {} as version {}",
                                pipeline,
                                rules.origin(),
                                v.number()));
            } else if (!all.get(all.size() - 1).hash().equals(hash)) {
                LOG.info(
                        "[{}] rules: version {} (deployed by sluice rules) stays in effect; the rules setting is"
                                + " still version {}'s",
                        pipeline,
                        all.get(all.size() - 1).number(),
                        lastFromSetting.get().number());
            }
        } else if (all.isEmpty() || FROM_SETTING.equals(all.get(all.size() - 1).message())) {
            return new UntilDeployed(
                    versions, all.isEmpty() ? 0 : all.get(all.size() - 1).number(), nanoTime);
        }
        return RulesStage.versioned(versions, System::getenv, nanoTime);
    }

    /**
     * A task with no rule version to run (no rules setting, and none deployed since the last one the setting gave):
     * events pass unchanged until {@code sluice rules deploy|rollback} records a version after {@code floor}; at the
     * next source transaction boundary (the log looked at once a second at most) the versioned rules stage takes
     * over, and the checkpoint of that boundary names the new version, so a restarted task resumes with it too.
     */
    record UntilDeployed(RuleVersions versions, int floor, LongSupplier nanoTime) implements Transform {
        private static final long POLL_NANOS = 1_000_000_000L;

        @Override
        public Emitter around(Emitter next) {
            return new Emitter() {
                private Emitter current = next;
                private boolean switched;
                private long polled = nanoTime.getAsLong();

                @Override
                public void event(ChangeEvent event) throws InterruptedException {
                    current.event(event);
                }

                @Override
                public void events(EventRun run) throws InterruptedException {
                    current.events(run);
                }

                @Override
                public void sourceTime(long sourceTsMs) throws InterruptedException {
                    current.sourceTime(sourceTsMs);
                }

                @Override
                public void commit(Checkpoint checkpoint) throws InterruptedException {
                    long now = nanoTime.getAsLong();
                    if (!switched && checkpoint.partial() == null && now - polled >= POLL_NANOS) {
                        polled = now;
                        Optional<RuleVersions.Version> v = versions.latest();
                        if (v.isPresent() && v.get().number() > floor) {
                            LOG.info(
                                    "rules: version {} ({}) in effect from {} on, after none",
                                    v.get().number(),
                                    v.get().message(),
                                    checkpoint.position());
                            current = RulesStage.versioned(versions, System::getenv, nanoTime)
                                    .around(next, null);
                            switched = true;
                        }
                    }
                    current.commit(checkpoint);
                }
            };
        }
    }
}
