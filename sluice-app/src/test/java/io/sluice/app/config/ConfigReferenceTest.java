package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from {@link ConfigKeys}; this test keeps it so. Run with
 * {@code -Dsluice.regenerateDocs=true} to rewrite the file instead of comparing.
 */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void configurationReferenceMatchesTheKeyTable() throws IOException {
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("sluice.regenerateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(DOC).as("docs/configuration.md is stale; regenerate it with -Dsluice.regenerateDocs=true")
                .exists();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).isEqualTo(generated);
    }

    @Test
    void referenceDocumentsEveryKey() {
        String generated = ConfigReference.markdown();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertThat(generated).contains("| `" + key.path() + "` |");
        }
    }
}
