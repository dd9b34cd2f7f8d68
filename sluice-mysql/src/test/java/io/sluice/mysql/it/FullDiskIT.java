package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A full disk under the file sink: the pipeline stops with an error naming the file, its checkpoint still matches
 * whole transactions, and once there is room again it resumes with nothing lost and nothing doubled. Needs root to
 * mount a small tmpfs (skipped elsewhere).
 */
class FullDiskIT {

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void aFullDiskStopsThePipelineConsistentlyAndItResumesWhenThereIsRoom() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("full");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, pad VARCHAR(2000))");
        Capture cap = Capture.create(db, List.of(s + ".*"), Capture.current(db));
        Path out = cap.dir.resolve("out");
        Files.createDirectories(out);
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", out.toString()),
                "cannot mount a tmpfs here (needs root)");
        try {
            cap.run();
            String pad = "x".repeat(1500);
            for (int txn = 0; txn < 40; txn++) {
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < 10; i++) {
                    values.append(i == 0 ? "" : ",")
                            .append("(")
                            .append(txn * 10 + i)
                            .append(",'")
                            .append(pad)
                            .append("')");
                }
                db.execute("INSERT INTO " + s + ".t VALUES " + values);
            }
            assertThat(cap.pipeline().await(Duration.ofSeconds(30))).isTrue();
            assertThat(cap.pipeline().state()).isEqualTo(PipelineState.FAILED);
            assertThat(cap.pipeline().failure().orElseThrow().getMessage()).contains(out.toString());

            assertThat(run("mount", "-o", "remount,size=16m", out.toString())).isTrue();
            cap.run();
            List<JsonNode> ev = cap.settled(400);
            assertThat(ev).hasSize(400);
            Set<String> ids = ev.stream().map(e -> e.get("id").asText()).collect(Collectors.toSet());
            assertThat(ids).hasSize(400);
            assertThat(ev)
                    .extracting(e -> e.get("after").get("id").asInt())
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 400).boxed().toList());
        } finally {
            cap.stop();
            run("umount", "-l", out.toString());
        }
    }
}
