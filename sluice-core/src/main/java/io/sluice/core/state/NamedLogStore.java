package io.sluice.core.state;

/**
 * A {@link StateStore} that keeps each of its logs under a name: {@code schema-history}, {@code approvals},
 * {@code quarantine/<db.table>}, {@code rule-versions}. The names are part of what such a store keeps (a Kafka
 * Connect task's state topic keys its records by them), so they are given here once.
 */
public abstract class NamedLogStore implements StateStore {

    /** The one live log of that name, made when first asked for. */
    protected abstract RecordLog log(String name);

    @Override
    public final RecordLog schemaHistory() {
        return log("schema-history");
    }

    @Override
    public final RecordLog approvals() {
        return log("approvals");
    }

    @Override
    public final RecordLog quarantine(String table) {
        return log("quarantine/" + table);
    }

    @Override
    public final RecordLog ruleVersions() {
        return log("rule-versions");
    }
}
