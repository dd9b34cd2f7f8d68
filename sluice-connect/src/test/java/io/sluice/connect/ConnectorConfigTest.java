package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.mysql.config.SourceKeys;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorConfigTest {

    /** The keys a connector must have, for pipeline {@code shop}. */
    static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "shop");
        p.put("source.host", "db1");
        p.put("source.user", "cdc");
        p.put("source.server-id", "5401");
        p.put("kafka.bootstrap-servers", "k1:9092");
        return p;
    }

    @Test
    void sluicesKeysKeepTheirYamlNamesAndDefaultsAndListsAreWrittenAsJson() {
        Map<String, String> p = minimal();
        p.put("source.include", "[\"sales.*\", \"crm.customer_?\"]");
        p.put("source.start", "{\"file\": \"mysql-bin.000003\", \"pos\": 4}");
        ConnectorConfig c = ConnectorConfig.parse(p);
        MySqlSourceConfig s = c.source();
        assertThat(s.name()).isEqualTo("shop");
        assertThat(s.port()).isEqualTo(3306);
        assertThat(s.serverId()).isEqualTo(5401L);
        assertThat(s.include()).containsExactly("sales.*", "crm.customer_?");
        assertThat(s.start()).isInstanceOf(StartPosition.At.class);
        assertThat(c.topicPrefix()).isEqualTo("shop");
        assertThat(c.stateTopic()).isEqualTo("shop.sluice-state");
        assertThat(c.get(ConnectorConfig.MAX_TRANSACTION_EVENTS)).isEqualTo(100_000);

        p.put("source.include", "sales.orders");
        p.put("topic.prefix", "cdc");
        assertThat(ConnectorConfig.parse(p).source().include()).containsExactly("sales.orders");
        assertThat(ConnectorConfig.parse(p).stateTopic()).isEqualTo("cdc.sluice-state");
    }

    @Test
    void everyProblemIsNamedByItsKeyAtOnce() {
        Map<String, String> p = minimal();
        p.remove("source.host");
        p.put("source.port", "70000");
        p.put("source.hots", "db1");
        p.put("source.password", "[not json");
        assertThatThrownBy(() -> ConnectorConfig.parse(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("source.host is missing")
                .hasMessageContaining("source.port")
                .hasMessageContaining("65535")
                .hasMessageContaining("unknown key source.hots")
                .hasMessageContaining("source.password")
                .hasMessageNotContaining("[not json");
    }

    @Test
    void connectsOwnKeysUnderSluicesPrefixesAreNotUnknown() {
        assertThat(ConnectorConfig.unknownKeys(
                        List.of("topic.creation.default.partitions", "transaction.boundary", "name", "source.host")))
                .isEmpty();
        assertThat(ConnectorConfig.unknownKeys(List.of("snapshot.chunksize")))
                .singleElement()
                .asString()
                .contains("snapshot.chunk-size");
    }

    @Test
    void theConfigDefDeclaresEveryKeyAndValidatesValuesByTheirDeclaration() {
        ConfigDef def = ConnectorConfig.configDef();
        assertThat(def.names())
                .containsAll(SourceKeys.SOURCE.stream().map(k -> k.path()).toList());
        assertThat(def.configKeys().get("source.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("source.host").hasDefault()).isFalse();
        ConfigDef.Validator port = def.configKeys().get("source.port").validator;
        port.ensureValid("source.port", "3307");
        assertThatThrownBy(() -> port.ensureValid("source.port", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.port");
    }

    @Test
    void aConnectorNameThatCannotNameAPipelineIsRefused() {
        Map<String, String> p = minimal();
        p.put("name", "shop orders");
        assertThatThrownBy(() -> ConnectorConfig.parse(p)).hasMessageContaining("'shop orders' is not usable");
    }

    @Test
    void rulesAreInlineYamlOrARuleFilesPathAndAreCheckedWhenTheConfigurationIsRead(@TempDir Path dir) throws Exception {
        String yaml = "rules:\n  - name: no-test\n    match: {tables: [\"sales.orders\"]}\n    where: \"true\"\n";
        Map<String, String> p = minimal();
        p.put("rules", yaml);
        ConnectorRules.Source inline = ConnectorConfig.parse(p).get(ConnectorRules.RULES);
        assertThat(inline.text()).isEqualTo(yaml);
        assertThat(inline.origin()).isEqualTo("the connector's rules setting");

        p.put("rules", "{rules: [{name: a, match: {tables: [sales.orders]}, where: \"true\"}]}");
        assertThat(ConnectorConfig.parse(p).get(ConnectorRules.RULES).text()).startsWith("{rules:");

        Path file = Files.writeString(dir.resolve("shop-rules.yaml"), yaml);
        p.put("rules", file.toString());
        ConnectorRules.Source fromFile = ConnectorConfig.parse(p).get(ConnectorRules.RULES);
        assertThat(fromFile.text()).isEqualTo(yaml);
        assertThat(fromFile.origin()).isEqualTo(file.toString());

        p.remove("rules");
        assertThat(ConnectorConfig.parse(p).get(ConnectorRules.RULES)).isNull();

        p.put("rules", dir.resolve("missing.yaml").toString());
        assertThatThrownBy(() -> ConnectorConfig.parse(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules")
                .hasMessageContaining("missing.yaml");
        p.put("rules", yaml.replace("where:", "wher:"));
        assertThatThrownBy(() -> ConnectorConfig.parse(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules")
                .hasMessageContaining("wher");
        p.put("rules.file", "x");
        assertThatThrownBy(() -> ConnectorConfig.parse(p)).hasMessageContaining("unknown key rules.file");
    }

    @Test
    void temporalKeysAreValidatedByConnectAndNamedWhenTheFormatIgnoresThem() {
        Map<String, String> p = minimal();
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.format", "struct");
        assertThat(ConnectorConfig.parse(p).temporals()).isEqualTo(StructEvents.Temporals.TEXT);
        p.put("value.temporal", "connect");
        p.put("value.temporal.out-of-range", "null");
        assertThat(ConnectorConfig.parse(p).temporals()).isEqualTo(new StructEvents.Temporals(true, true));
        assertThat(errors(p)).isEmpty();

        p.put("value.temporal", "epoch");
        p.put("value.temporal.out-of-range", "zero");
        assertThat(errors(p).get("value.temporal")).singleElement().asString().contains("string or connect");
        assertThat(errors(p).get("value.temporal.out-of-range"))
                .anySatisfy(m -> assertThat(m).contains("fail or null"));
        p.put("value.temporal.outofrange", "null");
        assertThatThrownBy(() -> ConnectorConfig.parse(p))
                .hasMessageContaining("unknown key value.temporal.outofrange")
                .hasMessageContaining("value.temporal.out-of-range");
        p.remove("value.temporal.outofrange");

        p.put("value.format", "json");
        p.put("value.temporal", "connect");
        p.put("value.temporal.out-of-range", "fail");
        p.remove("key.converter");
        p.remove("value.converter");
        assertThat(errors(p).get("value.temporal")).singleElement().asString().contains("needs value.format=struct");
        p.remove("value.temporal");
        assertThat(errors(p).get("value.temporal.out-of-range"))
                .singleElement()
                .asString()
                .contains("with value.temporal=connect only");
        assertThat(errors(p)).containsOnlyKeys("value.temporal.out-of-range");
    }

    @Test
    void valueFieldNamesIsKeepOrAvroAndIsNamedWithoutStruct() {
        Map<String, String> p = minimal();
        assertThat(ConnectorConfig.parse(p).avroFieldNames()).isFalse();
        p.put("value.field-names", "avro");
        assertThat(errors(p).get("value.field-names"))
                .singleElement()
                .asString()
                .contains("needs value.format=struct");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.format", "struct");
        assertThat(errors(p)).isEmpty();
        assertThat(ConnectorConfig.parse(p).avroFieldNames()).isTrue();
        p.put("value.field-names", "unicode");
        assertThat(errors(p).get("value.field-names"))
                .singleElement()
                .asString()
                .contains("keep or avro");
    }

    /** Connect's REST validation of {@code p}: the error messages by key, keys without errors left out. */
    private static Map<String, List<String>> errors(Map<String, String> p) {
        Map<String, List<String>> out = new HashMap<>();
        new SluiceSourceConnector()
                .validate(p).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .forEach(v -> out.put(v.name(), v.errorMessages()));
        return out;
    }
}
