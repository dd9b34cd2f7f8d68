package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's UUID, INET6 and INET4 are fixed-size binary in the row image, where the server drops trailing zero
 * bytes; values ending in zero bytes must still come out as SELECT shows them (the decoders pad the cell back
 * to 4 or 16 bytes).
 */
class MariaDbPaddedTypesIT {

    @Test
    void valuesEndingInZeroBytes() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        Path dir = Harness.workDir("padded");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("padded");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, u UUID, ip6 INET6, ip4 INET4)");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "padded", server.host(), server.port(), "", 9401, db, start, null);
        Path out = dir.resolve("padded-out");
        try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", config.toString())) {
            server.execute(
                    "INSERT INTO " + db + ".t VALUES (1, '123e4567-e89b-12d3-a456-426614174000',"
                            + " '2001:db8::100', '10.1.0.0')",
                    "INSERT INTO " + db + ".t VALUES (2, '00000000-0000-0000-0000-000000000000', '::', '0.0.0.0')");
            await("2 events, or sluice ended; log " + log)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Harness.lineCount(out) >= 2 || !sluice.isAlive());
            if (sluice.isAlive()) {
                sluice.terminate(60);
            }
        }
        List<JsonNode> events = Harness.events(out);
        System.out.println("MariaDbPaddedTypesIT: "
                + events.stream().map(e -> e.get("after")).toList() + "; log " + log);
        assertThat(events)
                .extracting(e -> e.get("after").toString())
                .containsExactly(
                        "{\"id\":1,\"u\":\"123e4567-e89b-12d3-a456-426614174000\",\"ip6\":\"2001:db8::100\",\"ip4\":\"10.1.0.0\"}",
                        "{\"id\":2,\"u\":\"00000000-0000-0000-0000-000000000000\",\"ip6\":\"::\",\"ip4\":\"0.0.0.0\"}");
    }
}
