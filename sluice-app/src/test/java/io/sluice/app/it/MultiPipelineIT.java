package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pipelines of one {@code sluice run} process are isolated: one that cannot connect (closed port) or is refused
 * (wrong password) does not hold back a healthy one. A start position the server no longer has ends the process
 * non-zero with a message naming it; a wrong password gives a clear message that never shows the password;
 * {@code sluice check} flags a server logging STATEMENT binlogs.
 */
class MultiPipelineIT extends WithOwnMariaDb {
    private static final String WRONG_PASSWORD = "Wr0ng-Pa55-xyzzy";

    @Test
    void healthyPipelineStreamsWhileOthersFailOrRetry() throws Exception {
        Path dir = Harness.workDir("multi");
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("multi");
        server.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))");
        String[] start = Harness.masterStatus(server);
        int closedPort = closedPort();
        Harness.config(confDir, "good", server.host(), server.port(), "", 9301, db, start, null);
        Harness.config(confDir, "closed", "127.0.0.1", closedPort, "", 9302, db, start, null);
        Harness.config(confDir, "badpw", server.host(), server.port(), WRONG_PASSWORD, 9303, db, start, null);

        try (SluiceProcess sluice = SluiceProcess.start(log, "run", "--config", confDir.toString())) {
            insert(db, 0, 30);
            Harness.awaitLines(confDir.resolve("good-out"), 30, sluice);
            // the closed-port pipeline retries more than once (back-off 1 s, 2 s, ...) meanwhile
            Harness.waiting(
                            "the closed-port pipeline's second retry and the bad password's refusal",
                            Duration.ofSeconds(60),
                            sluice)
                    .until(
                            () -> Files.readString(log),
                            text -> text.split("\\[closed\\][^\\n]*retrying", -1).length - 1 >= 2
                                    && text.contains("[badpw]")
                                    && text.toLowerCase().contains("access denied"));
            insert(db, 30, 40);
            Harness.awaitLines(confDir.resolve("good-out"), 40, sluice);
            assertThat(sluice.isAlive()).as("sluice still running").isTrue();
            String text = Files.readString(log);
            System.out.println("MultiPipelineIT: closed/badpw lines:\n" + grep(text, "[closed]", "[badpw]"));
            assertThat(text)
                    .contains("[closed]")
                    .contains("127.0.0.1:" + closedPort)
                    .contains("retrying");
            assertThat(text.split("\\[closed\\][^\\n]*retrying", -1).length - 1)
                    .as("retries of the closed-port pipeline")
                    .isGreaterThanOrEqualTo(2);
            assertThat(text).contains("[badpw]").containsIgnoringCase("access denied");
            assertThat(text).doesNotContain(WRONG_PASSWORD);
            int code = sluice.terminate(60);
            System.out.println("MultiPipelineIT: SIGTERM exit code " + code);
            assertThat(Files.readString(log)).doesNotContain(WRONG_PASSWORD);
        }
        List<JsonNode> events = Harness.events(confDir.resolve("good-out"));
        assertThat(events).hasSize(40);
        assertThat(events)
                .extracting(e -> e.path("after").path("id").asInt())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 40).boxed().toList());
        assertThat(Harness.lineCount(confDir.resolve("closed-out"))).isZero();
        assertThat(Harness.lineCount(confDir.resolve("badpw-out"))).isZero();
    }

    @Test
    void wrongPasswordAloneFailsWithAClearMessageWithoutThePassword() throws Exception {
        Path dir = Harness.workDir("badpw");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("badpw");
        Path config = Harness.config(
                dir,
                "badpw",
                server.host(),
                server.port(),
                WRONG_PASSWORD,
                9311,
                db,
                Harness.masterStatus(server),
                null);
        int code = SluiceProcess.runToEnd(log, 90, "run", "--config", config.toString());
        String text = Files.readString(log);
        System.out.println("MultiPipelineIT wrong password: exit " + code + "\n" + grep(text, "error", "ERROR"));
        assertThat(code).isNotZero();
        assertThat(text).containsIgnoringCase("access denied").contains("root").doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void startPositionInAMissingBinlogFileEndsTheRunNonZero() throws Exception {
        Path dir = Harness.workDir("missing");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("missing");
        Path config = Harness.config(
                dir,
                "missing",
                server.host(),
                server.port(),
                "",
                9321,
                db,
                new String[] {"mysql-bin.999999", "4"},
                null);
        int code = SluiceProcess.runToEnd(log, 90, "run", "--config", config.toString());
        String text = Files.readString(log);
        System.out.println("MultiPipelineIT missing file: exit " + code + "\n" + grep(text, "mysql-bin.999999"));
        assertThat(code).isNotZero();
        assertThat(grep(text, "error")).contains("mysql-bin.999999");
    }

    @Test
    void purgedStartPositionEndsTheRunNonZero() throws Exception {
        Path dir = Harness.workDir("purged");
        Path log = dir.resolve("sluice.log");
        String db = server.createDatabase("purged");
        server.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))");
        String[] start = Harness.masterStatus(server);
        insert(db, 0, 5);
        Harness.purgeBinlog(server, start[0]);
        Path config = Harness.config(dir, "purged", server.host(), server.port(), "", 9331, db, start, null);
        int code = SluiceProcess.runToEnd(log, 90, "run", "--config", config.toString());
        String text = Files.readString(log);
        System.out.println(
                "MultiPipelineIT purged " + start[0] + ":" + start[1] + ": exit " + code + "\n" + grep(text, start[0]));
        assertThat(code).isNotZero();
        assertThat(grep(text, "error")).contains(start[0]);
    }

    @Test
    void checkFlagsAStatementFormatServer() throws Exception {
        try (MariaDbServer statement =
                MariaDbServer.builder().option("binlog-format", "STATEMENT").start()) {
            Path dir = Harness.workDir("check");
            Path log = dir.resolve("sluice.log");
            Path config = Harness.config(
                    dir,
                    "stmt",
                    statement.host(),
                    statement.port(),
                    "",
                    9341,
                    "any",
                    new String[] {"mysql-bin.000001", "4"},
                    null);
            int code = SluiceProcess.runToEnd(log, 90, "check", "--config", config.toString());
            String text = Files.readString(log);
            System.out.println("MultiPipelineIT check: exit " + code + "\n" + grep(text, "stmt"));
            assertThat(code).isNotZero();
            assertThat(grep(text, "stmt:")).contains("binlog_format").contains("STATEMENT");
        }
    }

    private static void insert(String db, int from, int to) {
        for (int i = from; i < to; i += 10) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".items VALUES ");
            for (int k = i; k < Math.min(to, i + 10); k++) {
                sql.append(k == i ? "" : ", ")
                        .append("(")
                        .append(k)
                        .append(", 'v")
                        .append(k)
                        .append("')");
            }
            server.execute(sql.toString());
        }
    }

    /** A port of 127.0.0.1 that nothing listens on (bound, then released). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String grep(String text, String... needles) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            for (String n : needles) {
                if (line.contains(n)) {
                    b.append("  | ").append(line).append('\n');
                    break;
                }
            }
        }
        return b.toString();
    }
}
