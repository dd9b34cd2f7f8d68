package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.app.cli.ExitCodes;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.StoredState;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.sink.SinkProvider;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice position set} for a pipeline with the JDBC sink, whose checkpoint is the pipeline's row of {@code
 * sluice_checkpoint} in PostgreSQL: refused while the pipeline runs; once stopped, the row is updated (the old
 * checkpoint backed up in the state directory, the generation bumped) and the next run applies the changes after the
 * set position and none before it; a restart keeps it. A write expecting a checkpoint the row no longer holds is
 * refused and changes nothing.
 */
class JdbcPositionSetIT {
    private final MariaDbServer server = MariaDbServer.shared();

    private static String[] cli(String... args) {
        return Harness.cliInProcess(args);
    }

    @Test
    void aPositionSetInTheCheckpointTableIsWhereTheNextRunResumesAndARestartKeepsIt() throws Exception {
        Path dir = Harness.workDir("jdbc-position-set");
        String db = server.createDatabase("jposset");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        try (PostgresServer pg = PostgresServer.start()) {
            String tdb = pg.createDatabase("jposset");
            String source = Harness.sourceAt(server, 9613, db, Harness.masterStatus(server));
            String sink = Harness.jdbcSink(pg.jdbcUrl(tdb), null);
            Path config = Harness.writeConfig(dir, "jposset", source, sink, Harness.SMALL_BATCHES);
            String c = config.toString();
            String target = "SELECT id FROM \"" + db + "\".t ORDER BY id";
            try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run1.log"), "run", "-c", c)) {
                server.execute("INSERT INTO " + db + ".t VALUES (1, 'one')");
                Harness.waiting("row 1 in the target", Duration.ofSeconds(120), sluice)
                        .until(() -> rows(pg, tdb, target), List.of("1")::equals);
                String[] refused = cli("position", "set", "-c", c, "--snapshot", "--yes");
                assertThat(refused[0]).as(refused[2]).isEqualTo("" + ExitCodes.RUNNING);
                assertThat(refused[2]).contains("pipeline jposset is running");
                assertThat(sluice.terminate(60)).isIn(0, 143);
            }
            long generation = generation(pg, tdb);
            server.execute("INSERT INTO " + db + ".t VALUES (2, 'skipped')");
            String[] at = Harness.masterStatus(server);
            server.execute("INSERT INTO " + db + ".t VALUES (3, 'three')");
            PipelineConfig pc = new ConfigLoader().load(config);
            Checkpoint before = StoredState.committed(pc, "").orElseThrow();

            // not confirmed: the row stays
            String[] no = withStdin("n\n", () -> cli("position", "set", "-c", c, "--file", at[0], "--pos", at[1]));
            assertThat(no[0]).as(no[2]).isEqualTo("" + ExitCodes.NOTHING_TO_DO);
            assertThat(generation(pg, tdb)).isEqualTo(generation);

            String[] set = cli("position", "set", "-c", c, "--file", at[0], "--pos", at[1], "--yes");
            assertThat(set[0]).as(set[2]).isEqualTo("0");
            assertThat(set[1]).contains("set in the target's table sluice_checkpoint (row jposset)");
            assertThat(generation(pg, tdb))
                    .as("the generation is bumped: an instance still running is fenced")
                    .isEqualTo(generation + 1);
            JsonNode shown = Harness.JSON
                    .readTree(cli("position", "show", "-c", c, "-o", "json")[1])
                    .get(0);
            assertThat(shown.path("file").asText() + ":" + shown.path("pos").asText())
                    .isEqualTo(at[0] + ":" + at[1]);
            Path state = dir.resolve("jposset-state");
            try (Stream<Path> files = Files.list(state)) {
                Path backup = files.filter(f -> f.getFileName().toString().startsWith("checkpoint-jdbc.bak-"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no backup in " + state));
                assertThat(CheckpointCodec.fromJson(Harness.JSON.readTree(backup.toFile())))
                        .as("the backup holds the old checkpoint")
                        .isEqualTo(before);
            }

            // a write that expects what the row held before the set finds it moved: nothing is written
            Checkpoint now = StoredState.committed(pc, "").orElseThrow();
            assertThatThrownBy(() -> pc.sink().writeCheckpoint(before, before))
                    .isInstanceOf(SinkProvider.CheckpointMoved.class)
                    .hasMessageContaining("changed since it was read");
            assertThat(StoredState.committed(pc, "").orElseThrow()).isEqualTo(now);

            try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run2.log"), "run", "-c", c)) {
                Harness.waiting("row 3 in the target", Duration.ofSeconds(120), sluice)
                        .until(() -> rows(pg, tdb, target), List.of("1", "3")::equals);
                assertThat(sluice.terminate(60)).isIn(0, 143);
            }
            server.execute("INSERT INTO " + db + ".t VALUES (4, 'four')");
            try (SluiceProcess sluice = SluiceProcess.start(dir.resolve("run3.log"), "run", "-c", c)) {
                Harness.waiting("row 4 in the target", Duration.ofSeconds(120), sluice)
                        .until(() -> rows(pg, tdb, target), List.of("1", "3", "4")::equals);
                assertThat(sluice.terminate(60)).isIn(0, 143);
            }
            assertThat(rows(pg, tdb, target))
                    .as("2 lies before the set position")
                    .containsExactly("1", "3", "4");
        }
    }

    private static List<String> rows(PostgresServer pg, String tdb, String sql) throws Exception {
        try (Connection c = pg.connection(tdb)) {
            return Harness.rows(c, sql);
        } catch (java.sql.SQLException e) {
            return List.of(); // the table is not created yet
        }
    }

    private static long generation(PostgresServer pg, String tdb) throws Exception {
        try (Connection c = pg.connection(tdb);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT generation FROM sluice_checkpoint WHERE pipeline = 'jposset'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String[] withStdin(String text, java.util.concurrent.Callable<String[]> run) throws Exception {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.call();
        } finally {
            System.setIn(saved);
        }
    }
}
