package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The console's lag history outlives the process: {@code sluice run} stopped with SIGTERM writes it into the
 * pipeline's state directory, and the next process's {@code /history} starts with those points.
 */
class ConsoleHistoryRestartIT extends WithOwnMariaDb {
    private static final Pattern CONSOLE = Pattern.compile("Sluice console: (http://\\S+/)");
    private final HttpClient http = HttpClient.newHttpClient();

    /** The console URL the process logged, once it did. */
    private static String consoleUrl(SluiceProcess sluice) throws Exception {
        String[] url = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            Matcher m = CONSOLE.matcher(Files.exists(sluice.log()) ? Files.readString(sluice.log()) : "");
            if (m.find()) {
                url[0] = m.group(1);
            }
            return url[0] != null || !sluice.isAlive();
        });
        assertThat(url[0]).as("console URL in " + sluice.log()).isNotNull();
        return url[0];
    }

    private JsonNode history(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "api/pipelines/hist/history"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Harness.JSON.readTree(r.body());
    }

    @Test
    void theChartsHistoryIsThereAfterTheProcessRestarts() throws Exception {
        Path dir = Harness.workDir("console-history");
        String db = server.createDatabase("hist");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(10))");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "hist", server.host(), server.port(), "", 9421, db, start, null);
        server.execute("INSERT INTO " + db + ".t VALUES (1, 'a'), (2, 'b')");
        JsonNode before;
        try (SluiceProcess sluice = SluiceProcess.start(
                dir.resolve("run1.log"), "run", "--config", config.toString(), "--http-port", "0")) {
            String url = consoleUrl(sluice);
            // a sample at the start and one 5 s later
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> history(url).size() >= 2);
            before = history(url);
            assertThat(sluice.terminate(60)).isIn(0, 143);
        }
        Path kept = dir.resolve("hist-state").resolve("console-history.json");
        assertThat(kept).as("written at the stop").exists();
        assertThat(Files.readString(kept)).contains("\"bytesBehind\"");

        long restartedAt = System.currentTimeMillis();
        try (SluiceProcess again = SluiceProcess.start(
                dir.resolve("run2.log"), "run", "--config", config.toString(), "--http-port", "0")) {
            JsonNode after = history(consoleUrl(again));
            assertThat(after.size()).isGreaterThanOrEqualTo(2);
            long first = after.get(0).path("t").asLong();
            assertThat(first)
                    .as("the first point is the earlier run's (a minute's last sample)")
                    .isBetween(before.get(0).path("t").asLong(), restartedAt);
            again.terminate(60);
        }
    }
}
