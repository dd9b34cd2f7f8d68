package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.sinkspi.CollectingSinkProvider;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from {@link ConfigKeys} and the sink providers' keys; this test keeps it so.
 * Run with {@code -Dsluice.regenerateDocs=true} to rewrite the file instead of comparing. The tests' own sink
 * provider ({@link CollectingSinkProvider}) is left out: the reference documents the sinks Sluice ships.
 */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    /** The sinks Sluice ships: every installed provider but the tests' own. */
    static List<SinkProvider<?>> shipped() {
        return SinkProviders.installed().stream()
                .filter(p -> !(p instanceof CollectingSinkProvider))
                .toList();
    }

    @Test
    void configurationReferenceMatchesTheKeyTable() throws IOException {
        String generated = ConfigReference.markdown(shipped());
        if (Boolean.getBoolean("sluice.regenerateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(DOC)
                .as("docs/configuration.md is stale; regenerate it with -Dsluice.regenerateDocs=true")
                .exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).isEqualTo(generated);
    }

    @Test
    void referenceDocumentsEveryKeyOfEveryShippedSink() {
        String generated = ConfigReference.markdown(shipped());
        List<ConfigKey<?>> keys = ConfigKeys.all(ConfigKeys.sinkType(shipped()), shipped());
        assertThat(keys).extracting(ConfigKey::path).contains("sink.path", "sink.bootstrap-servers");
        for (ConfigKey<?> key : keys) {
            assertThat(generated).contains("| `" + key.path() + "` |");
        }
        assertThat(generated)
                .contains("Only when `sink.type: kafka`")
                .doesNotContain("sink.label")
                .doesNotContain("collect");
    }
}
