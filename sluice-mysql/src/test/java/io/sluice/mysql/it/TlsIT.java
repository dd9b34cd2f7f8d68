package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.mysql.source.TlsMode;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS to the server: a user that must use TLS streams with {@code tls: required} and is refused without. */
class TlsIT {
    private static MariaDbServer db;

    @BeforeAll
    static void startServerWithTls() throws Exception {
        Path certs = Files.createTempDirectory("sluice-tls-");
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-keyout",
                        certs.resolve("key.pem").toString(),
                        "-out",
                        certs.resolve("cert.pem").toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "openssl is needed to make a test certificate");
        db = MariaDbServer.builder()
                .option("ssl_cert", certs.resolve("cert.pem").toString())
                .option("ssl_key", certs.resolve("key.pem").toString())
                .start();
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void requiredTlsStreamsForAUserThatMustUseTls() throws Exception {
        String s = db.createDatabase("tls");
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY)",
                "CREATE USER 'secure'@'%' IDENTIFIED BY 's3cret' REQUIRE SSL",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR, SELECT ON *.* TO 'secure'@'%'");
        try (Capture cap = Capture.create(
                        db, List.of(s + ".*"), Capture.current(db), "secure", "s3cret", TlsMode.REQUIRED)
                .run()) {
            db.execute("INSERT INTO " + s + ".t VALUES (1)");
            List<JsonNode> ev = cap.await(1);
            assertThat(ev.get(0).get("after").get("id").asInt()).isEqualTo(1);
        }
        try (Capture plain = Capture.create(
                        db, List.of(s + ".*"), Capture.current(db), "secure", "s3cret", TlsMode.DISABLED)
                .run()) {
            assertThat(plain.pipeline().await(Duration.ofSeconds(30))).isTrue();
            assertThat(plain.pipeline().state()).isEqualTo(PipelineState.FAILED);
            assertThat(plain.pipeline().failure().orElseThrow().getMessage())
                    .containsIgnoringCase("access denied")
                    .doesNotContain("s3cret");
        }
    }
}
