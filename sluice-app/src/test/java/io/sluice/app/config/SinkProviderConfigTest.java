package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.app.sinkspi.CollectingSinkProvider;
import io.sluice.core.sink.SinkProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink the application does not know, declared only in the tests' {@code META-INF/services}
 * ({@link CollectingSinkProvider}), is loaded, validated and explained from its provider's keys like a built-in one.
 */
class SinkProviderConfigTest {
    private static final String PIPELINE = """
            name: shop
            source: {host: db, user: cdc, server-id: 7}
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    private PipelineConfig load(String sink) throws IOException {
        return loader.load(Files.writeString(dir.resolve("shop.yaml"), PIPELINE + sink));
    }

    private String error(String sink) {
        return assertThatThrownBy(() -> load(sink))
                .isInstanceOf(ConfigException.class)
                .actual()
                .getMessage()
                .replace(dir + "/", "");
    }

    @Test
    void aSinkFoundThroughServiceLoaderIsConfiguredFromItsOwnKeysWithTheirDefaults() throws IOException {
        PipelineConfig config = load("sink: {type: collect, label: orders}\n");
        assertThat(config.sink().type()).isEqualTo("collect");
        assertThat(config.sink().provider())
                .isSameAs(SinkProviders.find("collect").orElseThrow());
        assertThat(config.sink().settings()).isEqualTo(new CollectingSinkProvider.Settings("orders", 10_000));
        assertThat(config.sink().outputDirectory()).isEmpty();
        assertThat(load("sink: {type: collect, label: orders, capacity: 5}\n")
                        .sink()
                        .settings())
                .isEqualTo(new CollectingSinkProvider.Settings("orders", 5));
    }

    @Test
    void anUnknownSinkTypeNamesTheTypesFound() {
        assertThat(error("sink: {type: s3}\n"))
                .isEqualTo("shop.yaml: sink.type: expected one of collect, file, jdbc, kafka, stdout, found \"s3\"");
    }

    @Test
    void aMisspeltKeyOfTheSinkGetsTheNearName() {
        assertThat(error("sink: {type: collect, lable: orders}\n")).isEqualTo("""
                shop.yaml: sink.lable: unknown key; did you mean sink.label?
                shop.yaml: sink.label: missing; expected a label of lower-case letters, digits and '-' (required when\
                 sink.type is collect)""");
    }

    @Test
    void aSinksKeysAreValidatedByTheirDeclarations() {
        assertThat(error("sink: {type: collect, label: Orders, capacity: 0}\n")).isEqualTo("""
                shop.yaml: sink.label: expected a label of lower-case letters, digits and '-', found "Orders"
                shop.yaml: sink.capacity: expected an integer from 1 to 1000000, found 0""");
    }

    @Test
    void anotherSinksKeyDoesNotApplyAndTheOthersKeysDoNotApplyToIt() {
        assertThat(error("sink: {type: collect, label: orders, path: out}\n"))
                .isEqualTo("shop.yaml: sink.path: only applies when sink.type is file, but sink.type is collect;"
                        + " remove it");
        assertThat(error("sink: {type: file, path: out, label: orders}\n"))
                .isEqualTo("shop.yaml: sink.label: only applies when sink.type is collect, but sink.type is file;"
                        + " remove it");
    }
}
