package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code start: latest} survives a SIGKILL before the first transaction: the position it resolved to is durable
 * before the pipeline reads anything, so the next {@code sluice run} begins there and emits the rows committed while
 * no Sluice ran, instead of resolving "latest" again past them.
 */
class StartLatestIT {
    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void aKillBeforeTheFirstCommitLosesNothingCommittedUntilTheRestart() throws Exception {
        Path dir = Harness.workDir("start-latest");
        String db = server.createDatabase("latest");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "latest", server.host(), server.port(), "", 9481, db, start, null);
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("start: {file: " + start[0] + ", pos: " + start[1] + "}", "start: latest"));
        Path out = dir.resolve("latest-out");
        Path log = dir.resolve("sluice.log");

        try (SluiceProcess first = SluiceProcess.start(log, "run", "--config", config.toString())) {
            Harness.awaitLog(first, "connecting to", Duration.ofSeconds(60));
            first.kill(); // idle server: nothing committed, nothing emitted yet
        }
        server.execute("INSERT INTO " + db + ".t VALUES (1)", "INSERT INTO " + db + ".t VALUES (2)");
        try (SluiceProcess second = SluiceProcess.start(log, "run", "--config", config.toString())) {
            server.execute("INSERT INTO " + db + ".t VALUES (3)");
            Harness.awaitLines(out, 3, second);
            second.terminate(60);
        }
        assertThat(Harness.events(out))
                .extracting(e -> e.path("after").path("id").asInt())
                .containsExactly(1, 2, 3);
    }
}
