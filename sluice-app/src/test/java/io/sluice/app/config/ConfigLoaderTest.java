package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.app.TestSinks;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.kafka.KafkaSinkConfig;
import io.sluice.mysql.schema.Compatibility;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.source.TlsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    static final String EXAMPLE = """
            name: shop
            source:
              host: 127.0.0.1
              port: 3306
              user: cdc
              password: ${SHOP_DB_PASSWORD}
              server-id: 5401
              include: ["sales.*"]        # db.table globs; exclude: [...] too
              start: earliest             # or latest, {file: mysql-bin.000003, pos: 4}, {gtid: "0-1-100"}
            sink:
              type: file                  # or stdout
              path: out/
            state: state/                 # checkpoints live here
            """;

    static final String MINIMAL = """
            name: shop
            source: {host: db, user: cdc, server-id: 7}
            sink: {type: stdout}
            """;

    @TempDir
    Path dir;

    final ConfigLoader loader = new ConfigLoader(Map.of("SHOP_DB_PASSWORD", "s3cret"));

    Path write(String fileName, String yaml) throws IOException {
        Path file = dir.resolve(fileName);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    PipelineConfig load(String yaml) throws IOException {
        return loader.load(write("shop.yaml", yaml));
    }

    /** The message of loading {@code yaml} from shop.yaml in the temp dir, with the dir prefix removed. */
    String error(String yaml) throws IOException {
        Path file = write("shop.yaml", yaml);
        try {
            loader.load(file);
        } catch (ConfigException e) {
            return e.getMessage().replace(dir.toString() + "/", "");
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void exampleLoadsToExpectedRecords() throws IOException {
        PipelineConfig config = load(EXAMPLE);
        // the source knows its file, to name it in the commands its messages give
        assertThat(config.source().configFile()).isEqualTo(dir.resolve("shop.yaml"));
        assertThat(config)
                .usingRecursiveComparison()
                .ignoringFields("source.configFile")
                .isEqualTo(PipelineConfig.builder()
                        .name("shop")
                        .source(MySqlSourceConfig.builder()
                                .name("shop")
                                .host("127.0.0.1")
                                .port(3306)
                                .user("cdc")
                                .password("s3cret")
                                .serverId(5401)
                                .include(List.of("sales.*"))
                                .start(new StartPosition.Earliest())
                                .tls(TlsMode.PREFERRED)
                                .connectTimeout(Duration.ofSeconds(10))
                                .build())
                        .sink(TestSinks.file(dir.resolve("out"), 128L << 20, true))
                        .state(dir.resolve("state"))
                        .batch(new BatchPolicy(100_000, 64L << 20, 200))
                        .queueEvents(16_384)
                        .file(dir.resolve("shop.yaml"))
                        .build());
    }

    @Test
    void defaultsApplyToOmittedKeys() throws IOException {
        PipelineConfig config = load(MINIMAL);
        MySqlSourceConfig source = config.source();
        assertThat(source.port()).isEqualTo(3306);
        assertThat(source.password()).isEmpty();
        assertThat(source.include()).isEmpty();
        assertThat(source.exclude()).isEmpty();
        assertThat(source.start()).isEqualTo(new StartPosition.Earliest());
        assertThat(source.tls()).isEqualTo(TlsMode.PREFERRED);
        assertThat(source.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.sink()).isEqualTo(TestSinks.stdout());
        assertThat(config.state()).isEqualTo(dir.resolve("state/shop"));
        assertThat(config.batch()).isEqualTo(BatchPolicy.DEFAULT);
        assertThat(config.queueEvents()).isEqualTo(16_384);
    }

    @Test
    void fileSinkDefaultsToSegmentsOf128MiBWithFsync() throws IOException {
        PipelineConfig config = load(MINIMAL.replace("{type: stdout}", "{type: file, path: /var/sluice}"));
        assertThat(config.sink()).isEqualTo(TestSinks.file(Path.of("/var/sluice"), 128L << 20, true));
    }

    @Test
    void kafkaSinkTakesTheClusterAndDefaultsTheRestWithPropertiesPassedThroughButNeverShown() throws IOException {
        PipelineConfig config = load(
                MINIMAL.replace(
                        "{type: stdout}",
                        "{type: kafka, bootstrap-servers: 'k1:9092,k2:9092',"
                                + " retention: 2h, properties: {security.protocol: SASL_SSL, sasl.jaas.config: \"secret stuff\"}}"));
        assertThat(config.sink().type()).isEqualTo("kafka");
        assertThat(config.sink().settings())
                .isEqualTo(new KafkaSinkConfig(
                        "shop",
                        "k1:9092,k2:9092",
                        "shop",
                        KafkaSinkConfig.DEFAULT_TOPIC_TEMPLATE,
                        1,
                        (short) 0,
                        Duration.ofHours(2),
                        32L << 20,
                        KafkaSinkConfig.DEFAULT_HOLD_BACK_BYTES,
                        KafkaSinkConfig.DEFAULT_OUTAGE_TIMEOUT,
                        java.util.Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "secret stuff"),
                        KafkaSinkConfig.DEFAULT_MAX_TRANSACTION_EVENTS));
        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("secret stuff");
    }

    @Test
    void aKafkaSinkBatchesIntoLargeTransactionsByDefaultAndTakesGivenBounds() throws IOException {
        String kafka = MINIMAL.replace("{type: stdout}", "{type: kafka, bootstrap-servers: 'k1:9092'}");
        assertThat(load(kafka).batch()).isEqualTo(new BatchPolicy(100_000, 64L << 20, 200));
        assertThat(load(kafka + "batch: {max-ms: 50}\n").batch()).isEqualTo(new BatchPolicy(100_000, 64L << 20, 50));
        // a duration with its unit, and the bare number of milliseconds earlier versions took
        assertThat(load(kafka + "batch: {max-ms: 50ms}\n").batch().maxMillis()).isEqualTo(50);
        assertThat(load(kafka + "batch: {max-ms: 2s}\n").batch().maxMillis()).isEqualTo(2000);
        assertThat(load(kafka + "batch: {max-ms: \"75\"}\n").batch().maxMillis())
                .isEqualTo(75);
        assertThat(load(kafka + "batch: {max-events: 5000}\n").batch())
                .isEqualTo(new BatchPolicy(5000, BatchPolicy.DEFAULT.maxBytes(), 200));
        assertThat(load(kafka + "batch: {max-bytes: 1MiB}\n").batch())
                .isEqualTo(new BatchPolicy(BatchPolicy.DEFAULT.maxEvents(), 1L << 20, 200));
    }

    @Test
    void everyKeyCanBeSet() throws IOException {
        PipelineConfig config = load("""
                name: a.b_c-1
                source:
                  host: db.example
                  port: 3307
                  user: cdc
                  password: pw
                  server-id: 4294967295
                  include: sales.*
                  exclude: ["sales.tmp_?", "*.audit"]
                  tls: verify-identity
                  connect-timeout: 500ms
                sink:
                  type: file
                  path: ../out
                  segment-bytes: 64MB
                  fsync: false
                  direct-io: false
                state: /tmp/st
                batch: {max-events: 5, max-bytes: 1KiB, max-ms: 0}
                queue: {max-events: 10}
                """);
        assertThat(config.source())
                .usingRecursiveComparison()
                .ignoringFields("configFile")
                .isEqualTo(MySqlSourceConfig.builder()
                        .name("a.b_c-1")
                        .host("db.example")
                        .port(3307)
                        .user("cdc")
                        .password("pw")
                        .serverId(4_294_967_295L)
                        .include(List.of("sales.*"))
                        .exclude(List.of("sales.tmp_?", "*.audit"))
                        .start(new StartPosition.Earliest())
                        .tls(TlsMode.VERIFY_IDENTITY)
                        .connectTimeout(Duration.ofMillis(500))
                        .build());
        assertThat(config.sink()).isEqualTo(TestSinks.file(dir.getParent().resolve("out"), 64_000_000, false, false));
        assertThat(config.state()).isEqualTo(Path.of("/tmp/st"));
        assertThat(config.batch()).isEqualTo(new BatchPolicy(5, 1024, 0));
        assertThat(config.queueEvents()).isEqualTo(10);
    }

    @Test
    void fileSinkRetentionAndBigintEncodingLoad() throws IOException {
        PipelineConfig config = load("""
                name: r
                source: {host: db, user: cdc, server-id: 7}
                sink:
                  type: file
                  path: out
                  retention: {max-age: 7d, max-bytes: 10GiB}
                encoding: {bigint: unsafe-as-string, transaction-markers: true}
                """);
        io.sluice.core.sink.FileSinkConfig sink =
                (io.sluice.core.sink.FileSinkConfig) config.sink().settings();
        assertThat(sink.retention())
                .isEqualTo(new io.sluice.core.sink.FileSinkConfig.Retention(Duration.ofDays(7), 10L << 30));
        assertThat(config.encoding())
                .isEqualTo(new io.sluice.core.encode.JsonOptions(
                        io.sluice.core.encode.BigintEncoding.UNSAFE_AS_STRING, true));
        PipelineConfig plain = load(MINIMAL);
        assertThat(plain.encoding()).isEqualTo(io.sluice.core.encode.JsonOptions.DEFAULT);
        assertThatThrownBy(() -> load(MINIMAL + "encoding: {bigint: text}\n"))
                .hasMessageContaining("encoding.bigint")
                .hasMessageContaining("number, unsafe-as-string, string");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "earliest                               | earliest",
                "latest                                 | latest",
                "snapshot                               | snapshot",
                "{file: mysql-bin.000003, pos: 4}       | at",
                "{gtid: \"0-1-100\"}                    | gtid",
            })
    void everyStartFormLoads(String yaml, String form) throws IOException {
        StartPosition start = load(MINIMAL.replace("server-id: 7}", "server-id: 7, start: " + yaml + "}"))
                .source()
                .start();
        StartPosition expected = switch (form) {
            case "earliest" -> new StartPosition.Earliest();
            case "latest" -> new StartPosition.Latest();
            case "snapshot" -> new StartPosition.Snapshot();
            case "at" -> new StartPosition.At("mysql-bin.000003", 4);
            default -> new StartPosition.Gtid("0-1-100");
        };
        assertThat(start).isEqualTo(expected);
    }

    @Test
    void snapshotSettingsLoad() throws IOException {
        var snapshot = load(MINIMAL + "snapshot: {signal-table: ops.sig, chunk-size: 500, chunk-bytes: 2MiB,"
                        + " tables: [\"sales.orders\", \"crm.customer_?\"]}\n")
                .source()
                .snapshot();
        assertThat(snapshot)
                .isEqualTo(new io.sluice.mysql.snapshot.SnapshotConfig(
                        "ops.sig", 500, 2L << 20, List.of("sales.orders", "crm.customer_?")));
        assertThat(load(MINIMAL).source().snapshot().tables()).isEmpty();
        assertThatThrownBy(() -> load(MINIMAL + "snapshot: {tables: [orders]}\n"))
                .hasMessageContaining("snapshot.tables");
    }

    @Test
    void statementChangesPolicyLoadsAndHaltsByDefault() throws IOException {
        assertThat(load(MINIMAL).source().onStatementChanges()).isEqualTo(io.sluice.mysql.source.StatementPolicy.HALT);
        assertThat(load(MINIMAL.replace("server-id: 7}", "server-id: 7, on-statement-changes: snapshot}"))
                        .source()
                        .onStatementChanges())
                .isEqualTo(io.sluice.mysql.source.StatementPolicy.SNAPSHOT);
        assertThatThrownBy(() -> load(MINIMAL.replace("server-id: 7}", "server-id: 7, on-statement-changes: skip}")))
                .hasMessageContaining("source.on-statement-changes: expected one of halt, warn, snapshot");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2m   | 120000",
                "10s  | 10000",
                "1h   | 3600000",
            })
    void durationsTakeAUnit(String text, long millis) throws IOException {
        assertThat(load(MINIMAL.replace("server-id: 7}", "server-id: 7, connect-timeout: " + text + "}"))
                        .source()
                        .connectTimeout())
                .isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "128MiB  | 134217728",
                "64MB    | 64000000",
                "4096    | 4096",
                "2 GiB   | 2147483648",
            })
    void sizesTakeBinaryDecimalOrNoUnit(String text, long bytes) throws IOException {
        assertThat(load(MINIMAL + "batch: {max-bytes: " + text + "}\n").batch().maxBytes())
                .isEqualTo(bytes);
    }

    @Test
    void environmentReferencesAreReplacedAnywhereInStrings() throws IOException {
        ConfigLoader withEnv = new ConfigLoader(Map.of("DB_HOST", "db1", "PORT", "3310"));
        PipelineConfig config = withEnv.load(write("env.yaml", """
                name: shop
                source: {host: "${DB_HOST}.internal", port: "${PORT}", user: "${DB_USER:-cdc}", server-id: 7}
                sink: {type: stdout}
                """));
        assertThat(config.source().host()).isEqualTo("db1.internal");
        assertThat(config.source().port()).isEqualTo(3310);
        assertThat(config.source().user()).isEqualTo("cdc");
    }

    @Test
    void missingEnvironmentVariableNamesVariableAndKey() throws IOException {
        assertThat(new ConfigLoader(Map.of()).load(write("a.yaml", MINIMAL)).name())
                .isEqualTo("shop");
        ConfigLoader empty = new ConfigLoader(Map.of());
        assertThatThrownBy(() -> empty.load(write("shop.yaml", EXAMPLE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("shop.yaml: source.password: environment variable SHOP_DB_PASSWORD is not set"
                        + " (write ${SHOP_DB_PASSWORD:-default} to give a default)");
    }

    @Test
    void invalidValueNamesFileKeyExpectationAndFinding() throws IOException {
        assertThat(error(MINIMAL.replace("server-id: 7}", "server-id: 7, port: abc}")))
                .isEqualTo("shop.yaml: source.port: expected an integer from 1 to 65535, found \"abc\"");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "port: 70000            | source.port: expected an integer from 1 to 65535, found 70000",
                "server-id: 0           | source.server-id: expected an integer from 1 to 4294967295, found 0",
                "tls: optional          | source.tls: expected one of disabled, preferred, required, verify-ca, verify-identity, found \"optional\"",
                "connect-timeout: 10    | source.connect-timeout: expected a duration like 500ms, 10s or 2m (at least 1ms), found 10",
                "include: [sales]       | source.include: expected a list of db.table globs like [\"sales.*\", \"crm.customer_?\"], found \"sales\" (a glob needs a database part and a table part, like sales.*)",
                "start: oldest          | source.start: expected earliest, latest, snapshot, {file: <binlog file>, pos: <position>} or {gtid: <gtid set>}, found \"oldest\"",
                "start: {file: b.1, pos: x} | source.start: pos: expected a binlog position (an integer of at least 4), found \"x\"",
                "start: {file: b.1}     | source.start: expected earliest, latest, snapshot, {file: <binlog file>, pos: <position>} or {gtid: <gtid set>}, found a mapping with keys [file]",
                "password: [a]          | source.password: expected a string, found a value that is not shown",
            })
    void invalidSourceValuesAreReported(String setting, String message) throws IOException {
        String source = setting.startsWith("server-id") ? setting : "server-id: 7, " + setting;
        assertThat(error("name: shop\nsource: {host: db, user: cdc, " + source + "}\nsink: {type: stdout}\n"))
                .isEqualTo("shop.yaml: " + message);
    }

    @Test
    void invalidNameIsReported() throws IOException {
        assertThat(error(MINIMAL.replace("name: shop", "name: my shop")))
                .isEqualTo("shop.yaml: name: expected a name of letters, digits, '_', '.' and '-', found \"my shop\"");
    }

    @Test
    void invalidSizesAndBooleansAreReported() throws IOException {
        assertThat(error(MINIMAL.replace(
                        "{type: stdout}", "{type: file, path: o, segment-bytes: 12 parsecs, fsync: maybe}")))
                .isEqualTo("""
                        shop.yaml: sink.segment-bytes: expected a size like 128MiB, 64MB or 1048576 (bytes; at least 1), found "12 parsecs"
                        shop.yaml: sink.fsync: expected true or false, found "maybe\"""");
    }

    @Test
    void aBatchTimeThatIsNeitherADurationNorMillisecondsIsReported() throws IOException {
        assertThat(error(MINIMAL + "batch: {max-ms: 3 fortnights}\n"))
                .isEqualTo("shop.yaml: batch.max-ms: expected a duration like 20ms or 1s (a bare number is"
                        + " milliseconds), found \"3 fortnights\"");
        assertThat(error(MINIMAL + "batch: {max-ms: -5}\n")).contains("batch.max-ms: expected a duration like 20ms");
    }

    @Test
    void requiredKeysAreReportedWhenMissing() throws IOException {
        assertThat(error("name: shop\nsource: {host: db}\nsink: {type: file}\n"))
                .isEqualTo("""
                shop.yaml: source.user: missing; expected a user name
                shop.yaml: source.server-id: missing; expected an integer from 1 to 4294967295
                shop.yaml: sink.path: missing; expected a path (required when sink.type is file)""");
    }

    @Test
    void keyThatDoesNotApplyToTheSinkTypeIsAnError() throws IOException {
        assertThat(error(MINIMAL.replace("{type: stdout}", "{type: stdout, path: out}")))
                .isEqualTo(
                        "shop.yaml: sink.path: only applies when sink.type is file, but sink.type is stdout; remove it");
    }

    @Test
    void unknownKeysAreErrorsWithSuggestionForNearMisses() throws IOException {
        assertThat(error(MINIMAL.replace("server-id: 7}", "server_id: 7, hots: x}") + "colour: blue\nfsync: true\n"))
                .isEqualTo("""
                        shop.yaml: source.server_id: unknown key; did you mean source.server-id?
                        shop.yaml: source.hots: unknown key; did you mean source.host?
                        shop.yaml: colour: unknown key; expected one of name, state, rules, source, snapshot, sink, batch, queue, encoding, schema
                        shop.yaml: fsync: unknown key; did you mean sink.fsync?
                        shop.yaml: source.server-id: missing; expected an integer from 1 to 4294967295""");
    }

    @Test
    void schemaPolicyWithPerTableOverrides() throws IOException {
        PipelineConfig c = load(MINIMAL + "schema:\n  compatibility: full\n  tables:\n"
                + "    shop.orders: {on-breaking: warn}\n    shop.audit: {compatibility: none}\n");
        assertThat(c.schema().mode()).isEqualTo(Compatibility.Mode.FULL);
        assertThat(c.schema().action()).isEqualTo(SchemaPolicy.Action.HALT);
        assertThat(c.schema().ruleFor("shop.orders"))
                .isEqualTo(new SchemaPolicy.Rule(Compatibility.Mode.FULL, SchemaPolicy.Action.WARN));
        assertThat(c.schema().ruleFor("shop.audit"))
                .isEqualTo(new SchemaPolicy.Rule(Compatibility.Mode.NONE, SchemaPolicy.Action.HALT));
        assertThat(load(MINIMAL).schema()).isEqualTo(SchemaPolicy.DEFAULT);
    }

    @Test
    void badSchemaSettingsAreExplained() throws IOException {
        assertThat(error(MINIMAL + "schema: {on-breaking: ignore}\n"))
                .isEqualTo("shop.yaml: schema.on-breaking: expected one of halt, warn, quarantine, found \"ignore\"");
        assertThat(error(MINIMAL + "schema: {tables: {orders: {compatibility: full}}}\n"))
                .contains("schema.tables")
                .contains("\"orders\" is not a db.table name");
        assertThat(error(MINIMAL + "schema: {tables: {shop.orders: {compatibility: sideways}}}\n"))
                .contains("shop.orders.compatibility: expected one of backward, forward, full, none, found");
    }

    @Test
    void sectionThatIsNotAMappingIsReported() throws IOException {
        assertThat(error("name: shop\nsource: db\nsink: {type: stdout}\n"))
                .startsWith(
                        "shop.yaml: source: expected a mapping of source keys (host, port, user, password, server-id,");
    }

    @Test
    void malformedYamlIsReportedWithLineAndColumn() throws IOException {
        assertThat(error("name: shop\nsource:\n  host: [db\n  user: x\n"))
                .matches(
                        "shop\\.yaml:4:7: malformed YAML: while parsing a flow sequence; expected ',' or ']', but got .+")
                .doesNotContain("\n");
        assertThat(error("name: shop\nsource:\n  host: a\n  host: b\n"))
                .startsWith("shop.yaml:4:")
                .contains("malformed YAML: Duplicate field 'host'");
    }

    @Test
    void emptyAndNonMappingFilesAreReported() throws IOException {
        assertThat(error(""))
                .isEqualTo(
                        "shop.yaml: the file is empty; expected a mapping with at least name, source.host, source.user,"
                                + " source.server-id, sink.type");
        assertThat(error("- a\n"))
                .startsWith("shop.yaml: expected a mapping with at least name,")
                .endsWith("found a list");
    }

    @Test
    void missingFileIsReported() {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("nope.yaml: no such file");
    }

    @Test
    void toStringMasksThePassword() throws IOException {
        PipelineConfig config = load(EXAMPLE);
        assertThat(config.toString())
                .doesNotContain("s3cret")
                .contains("password=****")
                .contains("host=127.0.0.1");
        assertThat(PipelineConfig.masked(config.source())).doesNotContain("s3cret");
    }

    @Test
    void invalidPasswordIsNeverEchoed() throws IOException {
        assertThat(error(MINIMAL.replace("server-id: 7}", "server-id: 7, password: {secret: hunter2}}")))
                .doesNotContain("hunter2");
    }

    @Test
    void directoryLoadsEveryYamlAndYmlFileInNameOrder() throws IOException {
        write("conf/b.yml", MINIMAL.replace("shop", "b").replace("server-id: 7", "server-id: 8"));
        write("conf/a.yaml", MINIMAL.replace("shop", "a"));
        write("conf/notes.txt", "not a config");
        Path extra = write("c.yaml", MINIMAL.replace("shop", "c").replace("server-id: 7", "server-id: 9"));
        List<PipelineConfig> all = loader.loadAll(List.of(dir.resolve("conf"), extra));
        assertThat(all).extracting(PipelineConfig::name).containsExactly("a", "b", "c");
    }

    @Test
    void sameFileGivenTwiceLoadsOnce() throws IOException {
        Path file = write("a.yaml", MINIMAL);
        assertThat(loader.loadAll(List.of(file, dir))).hasSize(1);
    }

    @Test
    void duplicatePipelineNamesAcrossFilesAreAnError() throws IOException {
        write("conf/a.yaml", MINIMAL);
        write("conf/b.yaml", MINIMAL.replace("server-id: 7", "server-id: 8") + "state: other\n");
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("conf"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("b.yaml: pipeline name \"shop\" is already used by pipeline shop in ")
                .hasMessageEndingWith("a.yaml");
    }

    @Test
    void sharedStateDirectoryOrServerIdAcrossPipelinesIsAnError() throws IOException {
        write("conf/a.yaml", MINIMAL.replace("shop", "a") + "state: st\n");
        write("conf/b.yaml", MINIMAL.replace("shop", "b") + "state: st\n");
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("conf"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("state directory"))
                        .anySatisfy(p -> assertThat(p)
                                .contains("b.yaml: source.server-id: 7 is already used by" + " pipeline a (")
                                .contains("on the same server db:3306")
                                .endsWith("give each pipeline its own source.server-id")));
    }

    @Test
    void oneServerIdOnOneServerNamedTwoWaysIsAnError() throws IOException {
        write("conf/a.yaml", MINIMAL.replace("shop", "a").replace("host: db", "host: localhost"));
        write("conf/b.yaml", MINIMAL.replace("shop", "b").replace("host: db", "host: 127.0.0.1"));
        write("conf/c.yaml", MINIMAL.replace("shop", "c").replace("host: db", "host: DB"));
        write("conf/d.yaml", MINIMAL.replace("shop", "d"));
        write("conf/e.yaml", MINIMAL.replace("shop", "e").replace("server-id: 7", "server-id: 8"));
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("conf"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p)
                                .contains("b.yaml: source.server-id: 7 is already used by" + " pipeline a")
                                .contains("same server 127.0.0.1:3306"))
                        .anySatisfy(p -> assertThat(p)
                                .contains("d.yaml: source.server-id: 7 is already used by" + " pipeline c")));
    }

    @Test
    void aSinkPathSharedAcrossPipelinesOrUsedAsAnotherPipelinesStateIsAnError() throws IOException {
        String fileSink = "sink: {type: file, path: out}\n";
        write(
                "conf/b.yaml",
                MINIMAL.replace("shop", "b")
                        .replace("server-id: 7", "server-id: 8")
                        .replace("sink: {type: stdout}\n", fileSink));
        write(
                "conf/c.yaml",
                MINIMAL.replace("shop", "c")
                        .replace("server-id: 7", "server-id: 9")
                        .replace("sink: {type: stdout}\n", "sink: {type: file, path: st-a}\n"));
        write("conf/d.yaml", MINIMAL.replace("shop", "d").replace("server-id: 7", "server-id: 10") + "state: out2\n");
        write(
                "conf/e.yaml",
                MINIMAL.replace("shop", "e")
                        .replace("server-id: 7", "server-id: 11")
                        .replace("sink: {type: stdout}\n", "sink: {type: file, path: out2}\n"));
        String a = write(
                        "conf/a.yaml",
                        MINIMAL.replace("shop", "a").replace("sink: {type: stdout}\n", fileSink) + "state: st-a\n")
                .toString();
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("conf"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactlyInAnyOrder(
                                dir.resolve("conf/b.yaml") + ": sink.path \"" + dir.resolve("conf/out")
                                        + "\" is already used by pipeline a in " + a,
                                dir.resolve("conf/c.yaml") + ": sink.path \"" + dir.resolve("conf/st-a")
                                        + "\" is already used by pipeline a in " + a + " as its state directory",
                                dir.resolve("conf/e.yaml") + ": sink.path \"" + dir.resolve("conf/out2")
                                        + "\" is already used by pipeline d in " + dir.resolve("conf/d.yaml")
                                        + " as its state directory"));
    }

    @Test
    void onePipelineMayKeepItsStateInItsOwnSinkPath() throws IOException {
        write(
                "conf/a.yaml",
                MINIMAL.replace("shop", "a").replace("sink: {type: stdout}\n", "sink: {type: file, path: out}\n")
                        + "state: out\n");
        assertThat(loader.loadAll(List.of(dir.resolve("conf")))).hasSize(1);
    }

    @Test
    void problemsInSeveralFilesAreAllReported() throws IOException {
        write("conf/a.yaml", "name: a\n");
        write("conf/b.yaml", "name: [b]\n");
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("conf"), dir.resolve("missing"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).endsWith("missing: no such file or directory"))
                        .anySatisfy(p -> assertThat(p).contains("a.yaml: source.host: missing"))
                        .anySatisfy(p -> assertThat(p).contains("b.yaml: name: expected a name")));
    }

    @Test
    void emptyDirectoryIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> loader.loadAll(List.of(dir.resolve("empty"))))
                .hasMessageEndingWith("empty: no *.yaml or *.yml files in this directory");
    }

    @Test
    void aKeyBelowASectionTakesTheNestedAndTheDottedFormAndRefusesUnknownOnesInEither() throws IOException {
        // source.heartbeat.table was refused nested (source.heartbeat unknown) and ignored dotted (never read)
        for (String heartbeat : List.of(
                "  heartbeat:\n    table: sluice.heartbeat\n    interval: 2s\n",
                "  heartbeat.table: sluice.heartbeat\n  heartbeat.interval: 2s\n")) {
            PipelineConfig c = load("name: shop\nsource:\n  host: db\n  user: cdc\n  server-id: 7\n" + heartbeat
                    + "sink: {type: stdout}\n");
            assertThat(c.source().heartbeat().on()).as(heartbeat).isTrue();
            assertThat(c.source().heartbeat().table()).as(heartbeat).isEqualTo("sluice.heartbeat");
            assertThat(c.source().heartbeat().interval()).as(heartbeat).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(error("name: shop\nsource:\n  host: db\n  user: cdc\n  server-id: 7\n  heartbeat:\n"
                        + "    tabel: sluice.heartbeat\nsink: {type: stdout}\n"))
                .contains("source.heartbeat.tabel: unknown key");
    }
}
