package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, run as it says ({@code QUICKSTART_HTTP_PORT=<port> demo/quickstart.sh}, from the
 * checkout's root): it starts its own MariaDB, runs the demo pipeline with the console on that port, prints the
 * workload's change events on stdout, and removes everything again. The test checks what the README promises: one
 * JSON event per line for each row change of the workload, in order, and the console answering on the port given.
 */
class QuickstartIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Thread drain(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("(reading failed: " + e + ")");
                    }
                },
                name);
        t.start();
        return t;
    }

    @Test
    void theReadmesQuickstartPrintsTheWorkloadsEventsAndServesTheConsoleOnTheGivenPort() throws Exception {
        assertThat(Files.readString(ROOT.resolve("README.md")))
                .as("the command the README gives")
                .contains("QUICKSTART_HTTP_PORT=8080 demo/quickstart.sh");
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("demo/quickstart.sh").directory(ROOT.toFile());
        pb.environment().put("QUICKSTART_HTTP_PORT", Integer.toString(port));
        Process p = pb.start();
        p.getOutputStream().close();
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread o = drain(p.getInputStream(), out, "quickstart-stdout");
        Thread e = drain(p.getErrorStream(), err, "quickstart-stderr");
        try {
            String console = "web console: http://127.0.0.1:" + port + "/";
            Awaitility.await()
                    .atMost(5, TimeUnit.MINUTES)
                    .until(() -> err.stream().anyMatch(l -> l.contains(console)) || !p.isAlive());
            assertThat(String.join("\n", err)).as("the console line").contains(console);
            // the console answers on the port given while the workload runs
            HttpResponse<String> pipelines = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(pipelines.statusCode()).isEqualTo(200);
            assertThat(pipelines.body()).contains("\"name\":\"shop\"");

            assertThat(p.waitFor(5, TimeUnit.MINUTES))
                    .as("the quickstart ends by itself")
                    .isTrue();
        } finally {
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: the script's clean-up stops Sluice and MariaDB
                p.waitFor(2, TimeUnit.MINUTES);
            }
            o.join(10_000);
            e.join(10_000);
        }
        String stderr = String.join("\n", err);
        assertThat(p.exitValue()).as("exit code; stderr:\n" + stderr).isZero();
        assertThat(stderr).contains("workload done").contains("removed .demo/run.");

        // one JSON object per line; the row changes of shop.orders in the workload's order
        List<String> changes = new ArrayList<>();
        for (String line : out) {
            JsonNode ev = Harness.JSON.readTree(line);
            assertThat(ev.isObject()).as(line).isTrue();
            String op = ev.path("op").asText();
            if (ev.path("source").path("table").asText().equals("orders") && "cud".contains(op) && op.length() == 1) {
                JsonNode row = op.equals("d") ? ev.path("before") : ev.path("after");
                changes.add(op + row.path("id").asText());
            }
        }
        assertThat(changes)
                .as("stdout:\n" + String.join("\n", out))
                .containsExactly("c1", "c2", "u1", "c3", "u1", "u2", "d3", "c30", "d2");
        assertThat(ROOT.resolve(".demo")).as("everything removed again").doesNotExist();
    }
}
