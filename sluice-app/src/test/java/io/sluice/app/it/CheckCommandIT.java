package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice check} foresees what would stop {@code sluice run} on a pipeline's own state (a purged checkpoint
 * position, a lost schema history), and {@code run} then stops on it with the same way out; two processes with one
 * server id end with a sentence naming source.server-id, not the server's raw text.
 */
class CheckCommandIT extends WithOwnMariaDb {

    @Test
    void checkSaysWhatRunThenStopsOnAndHowToStartOver() throws Exception {
        Path dir = Harness.workDir("check-state");
        String db = server.createDatabase("state");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(10))");
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(dir, "st", server.host(), server.port(), "", 9401, db, start, null);
        Path state = dir.resolve("st-state");
        server.execute("INSERT INTO " + db + ".t VALUES (1, 'a'), (2, 'b')");
        try (SluiceProcess sluice =
                SluiceProcess.start(dir.resolve("run1.log"), "run", "--config", config.toString())) {
            Harness.awaitCaughtUp(server, dir.resolve("st-out"), state, 2, Duration.ofSeconds(90), sluice);
            assertThat(sluice.terminate(60)).isIn(0, 143);
        }
        String[] ready = Harness.cli(dir, "check1", "check", "--config", config.toString());
        assertThat(ready[0]).as(ready[1]).isEqualTo("0");
        assertThat(ready[1]).contains("st: 127.0.0.1:" + server.port() + " is ready for Sluice");

        // a lost schema history: check says so, and run refuses with the same ways out
        Path history = state.resolve("schema-history.jsonl");
        Path saved = dir.resolve("history.saved");
        Files.move(history, saved);
        String[] lost = Harness.cli(dir, "check2", "check", "--config", config.toString());
        assertThat(lost[0]).isEqualTo("1");
        assertThat(lost[1])
                .contains("st: The checkpoint records versions of 1 table(s), but the schema history " + history
                        + " is missing")
                .contains("sluice schema rebuild --config " + config);
        String[] refused = Harness.cli(dir, "run2", "run", "--config", config.toString());
        assertThat(refused[0]).isEqualTo("1");
        assertThat(refused[1])
                .contains("the schema history " + history + " is missing")
                .contains("sluice schema rebuild --config");
        Files.move(saved, history, StandardCopyOption.REPLACE_EXISTING);

        // the checkpoint's binlog purged: check says so, and run stops with error 1236 and the same way out
        String checkpointFile = Harness.checkpoint(state)[0];
        server.execute("INSERT INTO " + db + ".t VALUES (3, 'c')");
        Harness.purgeBinlog(server, checkpointFile);
        String startOver = "To start over: stop the pipeline and set its position with sluice position set: to the"
                + " tables' current rows (a snapshot), then the binlog from its end: sluice position set -c " + config
                + " --snapshot; or to a binlog position the server still has (what lies between is skipped): sluice"
                + " position set -c " + config + " --file <binlog> --pos <n>; then start it again";
        String[] purged = Harness.cli(dir, "check3", "check", "--config", config.toString());
        assertThat(purged[0]).isEqualTo("1");
        // MariaDB: the checkpoint has GTIDs, so run would resume after them, and the server has purged what follows
        assertThat(purged[1])
                .contains("st: The pipeline's checkpoint is after GTIDs ")
                .contains("(its file position " + checkpointFile + ":")
                .contains("and the server has purged transactions that follow it (domain 0: after ")
                .contains("`sluice run` would stop with error 1236.")
                .contains("Fix: source.start is ignored once a checkpoint exists. " + startOver);
        String[] stopped = Harness.cli(dir, "run3", "run", "--config", config.toString());
        assertThat(stopped[0]).isEqualTo("1");
        // MariaDB resumes by GTID where the checkpoint's file is gone; either way the error names the checkpoint
        assertThat(stopped[1])
                .containsPattern("cannot send its binlog (from|after GTID set [-0-9,]+ \\(the"
                        + " checkpoint's position) " + checkpointFile.replace(".", "\\."))
                .contains("has been purged")
                .contains("That position is the pipeline's checkpoint, and source.start is ignored once a checkpoint"
                        + " exists, so changing it does not help. " + startOver);
    }

    @Test
    void twoProcessesWithOneServerIdEndWithASentenceNamingTheSetting() throws Exception {
        Path dir = Harness.workDir("check-same-id");
        String db = server.createDatabase("sameid");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String[] start = Harness.masterStatus(server);
        Path a = Harness.config(dir, "a", server.host(), server.port(), "", 9402, db, start, null);
        Path b = Harness.config(dir, "b", server.host(), server.port(), "", 9402, db, start, null);
        try (SluiceProcess first = SluiceProcess.start(dir.resolve("a.log"), "run", "--config", a.toString())) {
            awaitReaders(1);
            try (SluiceProcess second = SluiceProcess.start(dir.resolve("b.log"), "run", "--config", b.toString())) {
                // the server drops the older connection when the newer one with the same id arrives
                assertThat(first.process().waitFor(90, TimeUnit.SECONDS))
                        .as("the first process ends")
                        .isTrue();
                assertThat(first.process().exitValue()).isEqualTo(1);
                String log = Files.readString(first.log(), StandardCharsets.UTF_8);
                assertThat(log)
                        .contains("Another replica connected to 127.0.0.1:" + server.port() + " with server"
                                + " id 9402, and the server dropped this connection for it (error ")
                        .contains("give this pipeline (or the other replica) a unique source.server-id")
                        .doesNotContain("purged");
                assertThat(second.isAlive())
                        .as("the newer connection keeps running")
                        .isTrue();
                assertThat(second.terminate(60)).isIn(0, 143);
            }
        }
    }

    /** Waits until this many binlog dump threads are connected to the server. */
    private static void awaitReaders(int n) {
        await(n + " binlog reader(s) connected")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            try (Connection c = server.rootConnection();
                                    Statement st = c.createStatement();
                                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                            + " WHERE COMMAND LIKE 'Binlog Dump%'")) {
                                rs.next();
                                return rs.getInt(1);
                            }
                        },
                        readers -> readers >= n);
    }
}
