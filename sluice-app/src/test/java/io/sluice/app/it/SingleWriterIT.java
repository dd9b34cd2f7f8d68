package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One writer per pipeline directory, across processes: while a {@code sluice run} runs, a second {@code sluice run}
 * of the same pipeline, another pipeline writing into its {@code sink.path}, and {@code sluice schema rebuild} all
 * refuse to start, naming the holder's pid and the directory; {@code sluice schema approve} still works (a running
 * pipeline reads approvals as it goes). The first run goes on undisturbed, and after it is killed (SIGKILL) the lock
 * it left behind is no obstacle to the next run.
 */
class SingleWriterIT {
    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void aSecondWriterOfARunningPipelinesDirectoriesRefusesNamingTheHolder() throws Exception {
        Path dir = Harness.workDir("single-writer");
        String db = server.createDatabase("single");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "one", server.host(), server.port(), "", 9471, db, start, null);
        Path out = dir.resolve("one-out");
        Path state = dir.resolve("one-state");
        // another pipeline (own name, state and server id) that writes into the first one's output directory
        Path intruder = Harness.config(dir, "two", server.host(), server.port(), "", 9472, db, start, null);
        Files.writeString(
                intruder, Files.readString(intruder).replace("path: " + dir.resolve("two-out"), "path: " + out));

        try (SluiceProcess first =
                SluiceProcess.start(dir.resolve("first.log"), "run", "--config", config.toString())) {
            server.execute("INSERT INTO " + db + ".t VALUES (1)");
            Harness.awaitLines(out, 1, first);
            String holder = "another Sluice process (pid " + first.process().pid() + ": sluice run, pipelines one";

            String[] again = cli(dir, "again", "run", "--config", config.toString());
            assertThat(again[0]).as(again[1]).isEqualTo("1");
            assertThat(again[1])
                    .contains("error: the state directory of pipeline one " + state + " is in use by " + holder);
            String[] two = cli(dir, "two", "run", "--config", intruder.toString());
            assertThat(two[0]).as(two[1]).isEqualTo("1");
            assertThat(two[1])
                    .contains("error: the file sink directory (sink.path) of pipeline two " + out + " is in use by "
                            + holder);
            String[] rebuild = cli(dir, "rebuild", "schema", "rebuild", "--config", config.toString(), "--force");
            assertThat(rebuild[0]).as(rebuild[1]).isEqualTo("1");
            assertThat(rebuild[1])
                    .contains("error: the state directory of pipeline one " + state + " is in use by " + holder);
            String[] approve = cli(
                    dir, "approve", "schema", "approve", "--config", config.toString(), "--at", "mysql-bin.000001:4");
            assertThat(approve[0]).as(approve[1]).isEqualTo("0");

            server.execute("INSERT INTO " + db + ".t VALUES (2)");
            Harness.awaitLines(out, 2, first);
            assertThat(first.isAlive()).isTrue();
            first.kill();
        }
        server.execute("INSERT INTO " + db + ".t VALUES (3)");
        try (SluiceProcess next = SluiceProcess.start(dir.resolve("next.log"), "run", "--config", config.toString())) {
            Harness.awaitLines(out, 3, next);
            next.terminate(60);
        }
        List<JsonNode> events = Harness.events(out);
        assertThat(events).extracting(e -> e.path("after").path("id").asInt()).containsExactly(1, 2, 3);
        assertThat(Files.readString(state.resolve(".sluice.lock"), StandardCharsets.UTF_8))
                .contains("pipelines one");
    }

    /** Runs {@code sluice <args>} to its end with its own log; returns {exit code, output}. */
    private static String[] cli(Path dir, String name, String... args) throws Exception {
        Path log = dir.resolve(name + ".log");
        int code = SluiceProcess.runToEnd(log, 60, args);
        return new String[] {Integer.toString(code), Files.readString(log, StandardCharsets.UTF_8)};
    }
}
