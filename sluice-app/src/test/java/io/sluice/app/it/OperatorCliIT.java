package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.app.cli.DefaultCommands;
import io.sluice.app.cli.ExitCodes;
import io.sluice.app.cli.SluiceCli;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.MariaDbServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's commands, run in-process, against a real {@code sluice run} process and MariaDB: {@code status},
 * {@code pause}, {@code resume} and {@code restart} through the HTTP API (with its token), where {@code restart}
 * brings back the one pipeline that halted on a breaking change after {@code schema approve}, while the other ran on;
 * and {@code position set}, whose position a restarted pipeline resumes at, refused while the pipeline runs.
 */
class OperatorCliIT {
    private static final String TOKEN = "op-s3cret";
    private final MariaDbServer server = MariaDbServer.shared();

    /** {exit code, stdout, stderr} of an in-process {@code sluice <args>} with this environment. */
    private static String[] sluice(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        var cli = SluiceCli.create(new DefaultCommands(o, e), new ConfigLoader(env), env, args);
        cli.setOut(o);
        cli.setErr(e);
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String[] sluice(String... args) {
        return sluice(Map.of(), args);
    }

    /** Waits (at most 90 s) for {@code condition}; fails if the process ends. */
    private static void until(String what, SluiceProcess p, Callable<Boolean> condition) {
        Harness.waiting(what, Duration.ofSeconds(90), p).until(condition);
    }

    private static JsonNode byName(JsonNode pipelines, String name) {
        for (JsonNode p : pipelines) {
            if (p.path("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no pipeline " + name + " in " + pipelines);
    }

    @Test
    void statusPauseResumeAndRestartOfTheOnePipelineThatHaltedInARunningProcess() throws Exception {
        Path dir = Harness.workDir("opcli");
        String db = server.createDatabase("opcli");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a INT NOT NULL)");
        String[] start = Harness.masterStatus(server);
        Path halting = Harness.config(dir, "halting", server.host(), server.port(), "", 9601, db, start, null);
        Path healthy = Harness.config(
                dir, "healthy", server.host(), server.port(), "", 9602, db, start, "schema:\n  on-breaking: warn\n");
        Map<String, String> env = Map.of("SLUICE_HTTP_TOKEN", TOKEN);
        try (SluiceProcess sluice = SluiceProcess.start(
                dir.resolve("sluice.log"),
                "run",
                "-c",
                halting.toString(),
                "-c",
                healthy.toString(),
                "--http-token",
                TOKEN)) {
            String url = Harness.consoleUrl(sluice);
            server.execute(
                    "INSERT INTO " + db + ".t VALUES (1, 1)",
                    "ALTER TABLE " + db + ".t DROP COLUMN a",
                    "INSERT INTO " + db + ".t VALUES (2)");
            until(
                    "pipeline halting to fail",
                    sluice,
                    () -> sluice(env, "status", "--url", url, "--pipeline", "halting", "-o", "json")[1].contains(
                            "\"FAILED\""));
            Harness.awaitLines(dir.resolve("healthy-out"), 3, sluice);

            // status: both pipelines, one failed (exit 1), as JSON and as a table; the token is needed
            String[] status = sluice(env, "status", "--url", url, "-o", "json");
            assertThat(status[0]).as(status[2]).isEqualTo("" + ExitCodes.FAILURE);
            JsonNode all = Harness.JSON.readTree(status[1]);
            assertThat(all).hasSize(2);
            assertThat(byName(all, "halting").path("error").asText()).contains("breaks the backward compatibility");
            assertThat(byName(all, "healthy").path("state").asText()).isEqualTo("RUNNING");
            String[] table = sluice(env, "status", "--url", url);
            assertThat(table[1].lines().findFirst().orElseThrow())
                    .matches("PIPELINE +STATE +POSITION +LAG +EVENTS" + " +ERROR");
            assertThat(table[1]).containsPattern("halting +FAILED ");
            String[] noToken = sluice("status", "--url", url);
            assertThat(noToken[0]).isEqualTo("" + ExitCodes.CONFIG);
            assertThat(noToken[2]).contains("--http-token");

            // pause and resume one pipeline; the failed one cannot be resumed
            assertThat(sluice(env, "pause", "--url", url, "--pipeline", "healthy")[0])
                    .isEqualTo("0");
            assertThat(byName(Harness.JSON.readTree(sluice(env, "status", "--url", url, "-o", "json")[1]), "healthy")
                            .path("paused")
                            .asBoolean())
                    .isTrue();
            assertThat(sluice(env, "resume", "--url", url)[1]).contains("pipeline healthy: resumed");
            assertThat(byName(Harness.JSON.readTree(sluice(env, "status", "--url", url, "-o", "json")[1]), "healthy")
                            .path("paused")
                            .asBoolean())
                    .isFalse();
            String[] resumeFailed = sluice(env, "resume", "--url", url, "--pipeline", "halting");
            assertThat(resumeFailed[0]).isEqualTo("" + ExitCodes.FAILURE);
            assertThat(resumeFailed[2]).contains("sluice restart --pipeline halting");

            // approve the breaking version, then restart only that pipeline: it goes on, the other never stopped
            JsonNode versions = Harness.JSON.readTree(
                    sluice("schema", "list", "-c", halting.toString(), "--table", db + ".t", "-o", "json")[1]);
            JsonNode breaking = versions.get(versions.size() - 1);
            assertThat(breaking.path("breaking").toString()).contains("column a dropped");
            String[] approve = sluice(
                    Map.of("SLUICE_CONFIG", halting.toString()),
                    "schema",
                    "approve",
                    "--table",
                    db + ".t",
                    "--version",
                    breaking.path("version").asText());
            assertThat(approve[0]).as(approve[2]).isEqualTo("0");
            assertThat(approve[1]).contains("sluice restart --pipeline halting");
            String[] restart = sluice(env, "restart", "--url", url);
            assertThat(restart[0]).as(restart[2]).isEqualTo("0");
            assertThat(restart[1]).contains("pipeline halting: restarted");
            Harness.awaitLines(dir.resolve("halting-out"), 3, sluice);
            until("both pipelines running", sluice, () -> sluice(env, "status", "--url", url)[0].equals("0"));
            assertThat(Harness.events(dir.resolve("halting-out")))
                    .extracting(e -> e.path("op").asText())
                    .containsExactly("c", "s", "c");
            String[] again = sluice(env, "restart", "--url", url);
            assertThat(again[0]).isEqualTo("" + ExitCodes.NOTHING_TO_DO);
            assertThat(again[2]).contains("no pipeline").contains("FAILED");
            assertThat(sluice.terminate(60)).as("SIGTERM: a graceful stop").isIn(0, 143);
        }
        String[] gone = sluice(env, "status", "--url", "http://127.0.0.1:1");
        assertThat(gone[0]).isEqualTo("" + ExitCodes.NOT_RUNNING);
        assertThat(gone[2]).contains("no Sluice process answers at http://127.0.0.1:1");
    }

    @Test
    void aPositionSetWhileStoppedIsWhereTheRestartedPipelineResumes() throws Exception {
        Path dir = Harness.workDir("opcli-pos");
        String db = server.createDatabase("opcli_pos");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        Path config = Harness.config(
                dir, "pos", server.host(), server.port(), "", 9603, db, Harness.masterStatus(server), null);
        Path out = dir.resolve("pos-out");
        Path state = dir.resolve("pos-state");
        String[] second;
        String secondGtids;
        try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run1.log"), "run", "-c", config.toString())) {
            server.execute("INSERT INTO " + db + ".t VALUES (1)");
            Harness.awaitCaughtUp(server, out, state, 1, java.time.Duration.ofSeconds(90), sluice);
            second = Harness.masterStatus(server);
            secondGtids = gtidBinlogPos();
            server.execute("INSERT INTO " + db + ".t VALUES (2)");
            Harness.awaitCaughtUp(server, out, state, 2, java.time.Duration.ofSeconds(90), sluice);

            String[] refused = sluice(
                    "position", "set", "-c", config.toString(), "--file", second[0], "--pos", second[1], "--yes");
            assertThat(refused[0]).as(refused[2]).isEqualTo("" + ExitCodes.RUNNING);
            assertThat(refused[2]).contains("pipeline pos is running");
            assertThat(sluice.terminate(60)).isIn(0, 143);
        }
        String[] shown = sluice("position", "show", "-c", config.toString(), "-o", "json");
        JsonNode before = Harness.JSON.readTree(shown[1]).get(0);
        assertThat(before.path("pos").asText()).isEqualTo(Harness.checkpoint(state)[1]);
        assertThat(before.path("running").asBoolean()).isFalse();

        // not confirmed: nothing changes
        String[] no = withStdin(
                "n\n",
                () -> sluice("position", "set", "-c", config.toString(), "--file", second[0], "--pos", second[1]));
        assertThat(no[0]).as(no[2]).isEqualTo("" + ExitCodes.NOTHING_TO_DO);
        assertThat(Harness.checkpoint(state)[1]).isEqualTo(before.path("pos").asText());
        // a place that is not an event's start is refused
        String[] torn = sluice(
                "position",
                "set",
                "-c",
                config.toString(),
                "--file",
                second[0],
                "--pos",
                Long.toString(Long.parseLong(second[1]) + 1),
                "--yes");
        assertThat(torn[0]).as(torn[2]).isEqualTo("" + ExitCodes.CONFIG);
        assertThat(torn[2]).contains("is not the start of an event");

        String[] set =
                sluice("position", "set", "-c", config.toString(), "--file", second[0], "--pos", second[1], "--yes");
        assertThat(set[0]).as(set[2]).isEqualTo("0");
        assertThat(Harness.checkpoint(state)).containsExactly(second[0], second[1]);
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("checkpoint.json.bak-"));
        }
        JsonNode after = Harness.JSON
                .readTree(sluice("position", "show", "-c", config.toString(), "-o", "json")[1])
                .get(0);
        assertThat(after.path("file").asText()).isEqualTo(second[0]);
        assertThat(after.path("pos").asText()).isEqualTo(second[1]);

        try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run2.log"), "run", "-c", config.toString())) {
            Harness.awaitCaughtUp(server, out, state, 3, java.time.Duration.ofSeconds(90), sluice);
            assertThat(sluice.terminate(60)).isIn(0, 143);
        }
        List<JsonNode> events = Harness.events(out);
        assertThat(events).extracting(e -> e.path("after").path("id").asInt()).containsExactly(1, 2, 2);
        assertThat(events.get(2).path("id").asText())
                .isEqualTo(events.get(1).path("id").asText());

        // by GTID set: the place where the server's state is the set, i.e. the same place as --file/--pos above
        String[] future = sluice("position", "set", "-c", config.toString(), "--gtid", "0-1-999999", "--yes");
        assertThat(future[0]).as(future[2]).isEqualTo("" + ExitCodes.CONFIG);
        assertThat(future[2]).contains("no binlog the server at").contains("is at GTID set 0-1-999999");
        String[] byGtid = sluice("position", "set", "-c", config.toString(), "--gtid", secondGtids, "--yes");
        assertThat(byGtid[0]).as(byGtid[2]).isEqualTo("0");
        assertThat(Harness.checkpoint(state)).containsExactly(second[0], second[1]);
        JsonNode atGtid = Harness.JSON
                .readTree(sluice("position", "show", "-c", config.toString(), "-o", "json")[1])
                .get(0);
        assertThat(atGtid.path("gtids").asText()).isEqualTo(secondGtids);

        // and back to the start with a snapshot: every row again, as op r
        String[] snapshot = sluice("position", "set", "-c", config.toString(), "--snapshot", "--yes");
        assertThat(snapshot[0]).as(snapshot[2]).isEqualTo("0");
        try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run3.log"), "run", "-c", config.toString())) {
            Harness.awaitLines(out, 5, sluice);
            assertThat(sluice.terminate(60)).isIn(0, 143);
        }
        List<JsonNode> reread = Harness.events(out).subList(3, 5);
        assertThat(reread)
                .extracting(
                        e -> e.path("op").asText() + e.path("after").path("id").asInt())
                .containsExactlyInAnyOrder("r1", "r2");
    }

    private String gtidBinlogPos() throws java.sql.SQLException {
        try (java.sql.Connection c = server.rootConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String[] withStdin(String text, Callable<String[]> run) throws Exception {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.call();
        } finally {
            System.setIn(saved);
        }
    }
}
