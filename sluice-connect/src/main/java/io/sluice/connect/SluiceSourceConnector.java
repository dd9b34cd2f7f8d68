package io.sluice.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Sluice's MySQL/MariaDB binlog source as a Kafka Connect source connector: one task per connector (a binlog is one
 * ordered stream), exactly once with {@code exactly.once.source.support=enabled} on the workers, and one Kafka
 * transaction per source transaction with {@code transaction.boundary=connector}. Its keys are Sluice's own,
 * flattened ({@link ConnectorConfig}); REST validation names a key Sluice does not know and a value that does not
 * fit, and refuses converters that would change the records' bytes.
 */
public final class SluiceSourceConnector extends SourceConnector {
    /** The connector's version, as Connect lists it. */
    static final String VERSION = implementationVersion();

    private Map<String, String> props;

    private static String implementationVersion() {
        String v = SluiceSourceConnector.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        ConnectorConfig c = ConnectorConfig.parse(props); // fails the connector at once with every problem named
        Map<String, String> converters = RecordFormat.converterProblems(c.get(ConnectorConfig.VALUE_FORMAT), props);
        if (!converters.isEmpty()) {
            throw new ConfigException(String.join("; ", converters.values()));
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SluiceSourceTask.class;
    }

    /** One task, whatever {@code tasks.max} says: a binlog is read in order by one reader. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return ConnectorConfig.configDef();
    }

    /** Connect's validation of the declared keys, plus an error for each unknown key and each unusable converter. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        for (String key : connectorConfigs.keySet()) {
            List<String> problems = ConnectorConfig.unknownKeys(List.of(key));
            if (!problems.isEmpty()) {
                config.configValues().add(new ConfigValue(key, connectorConfigs.get(key), List.of(), problems));
            }
        }
        String format = connectorConfigs.getOrDefault(ConnectorConfig.VALUE_FORMAT.path(), "json");
        RecordFormat.converterProblems(format, connectorConfigs)
                .forEach((converter, problem) -> config.configValues()
                        .add(new ConfigValue(converter, connectorConfigs.get(converter), List.of(), List.of(problem))));
        return config;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }
}
