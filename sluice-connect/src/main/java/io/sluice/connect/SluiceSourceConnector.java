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
        Map<String, String> converters = formatProblems(c.get(ConnectorConfig.VALUE_FORMAT), props);
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

    /**
     * Connect's validation of the declared keys, plus an error for each unknown key, each unusable converter and rules
     * the value format does not take.
     */
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
        formatProblems(format, connectorConfigs).forEach((key, problem) -> error(config, key, problem));
        return config;
    }

    /**
     * Adds {@code problem} to the key's entry in {@code config}: to the one there (a key the connector declares), else
     * as a new entry without a value. The worker renders a value by the type its own definition of the key has (a
     * converter's is a class), so a converter's text as the value fails its REST validation with a
     * ClassCastException (HTTP 500) instead of naming the problem.
     */
    private static void error(Config config, String key, String problem) {
        for (ConfigValue v : config.configValues()) {
            if (v.name().equals(key)) {
                v.addErrorMessage(problem);
                return;
            }
        }
        config.configValues().add(new ConfigValue(key, null, List.of(), List.of(problem)));
    }

    /**
     * What does not fit the value format: the converters ({@link RecordFormat}), the temporal keys ({@link ConnectorConfig#structProblems}).
     */
    private static Map<String, String> formatProblems(String format, Map<String, String> props) {
        Map<String, String> problems = new java.util.TreeMap<>(RecordFormat.converterProblems(format, props));
        problems.putAll(ConnectorConfig.structProblems(format, props));
        return problems;
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
