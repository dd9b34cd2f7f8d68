package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A table without a usable key is read whole, in one consistent snapshot at its binlog position, and its rows
 * stream out in parts while the binlog reader waits at that position: a table several times larger than the heap
 * goes through {@code sluice run -Xmx128m} (the whole table held in memory needed about twice its rendered size,
 * some 330 MB here; the queue is kept to 2,000 events of ~1 KB),
 * every row once, numbered {@code #0..#n-1} with {@code source.row} counting on across the parts, all at the
 * snapshot's position, and the change committed meanwhile comes after them.
 */
class SnapshotWholeTableIT {
    private static final int ROWS = 150_000;
    private static final int WIDTH = 1000;
    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void aKeylessTableLargerThanTheHeapStreamsThroughInParts() throws Exception {
        Path dir = Harness.workDir("wholetable");
        String db = server.createDatabase("wholetable");
        server.execute(
                "CREATE TABLE " + db + ".nokey (n INT NOT NULL, v VARCHAR(1100) NOT NULL)",
                "SET SESSION sql_log_bin = 0",
                "INSERT INTO " + db + ".nokey SELECT seq, CONCAT(seq, '-', REPEAT('x', " + WIDTH + ")) FROM " + db
                        + ".seq_1_to_" + ROWS,
                "SET SESSION sql_log_bin = 1");
        Path out = dir.resolve("whole-out");
        String source = Harness.source(server.host(), server.port(), "", 9501, db, "snapshot");
        String sink = "sink:\n  type: file\n  path: " + out + "\n";
        Path config = Harness.writeConfig(
                dir, "whole", source, sink, "queue:\n  max-events: 2000\nsnapshot:\n  chunk-bytes: 1MiB\n");
        try (SluiceProcess sluice =
                SluiceProcess.startWithHeap(dir.resolve("sluice.log"), "128m", "run", "--config", config.toString())) {
            Harness.awaitLog(sluice, "of " + db + ".nokey done", Duration.ofSeconds(180)); // the snapshot finished
            server.execute("INSERT INTO " + db + ".nokey VALUES (0, 'after')");
            Harness.awaitLines(out, ROWS + 1, Duration.ofSeconds(180), sluice);
        }
        String log = Files.readString(dir.resolve("sluice.log"));
        assertThat(log).doesNotContain("OutOfMemoryError").contains("reading it whole in one consistent snapshot");

        // checked line by line: the output is larger than this JVM should hold as JSON trees
        Set<Integer> values = new HashSet<>();
        List<String> problems = new ArrayList<>();
        String position = null;
        int reads = 0;
        JsonNode last = null;
        List<Path> segments;
        try (Stream<Path> s = Files.list(out)) {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        }
        for (Path segment : segments) {
            try (BufferedReader in = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode e = Harness.JSON.readTree(line);
                    last = e;
                    if (!e.path("op").asText().equals("r")) {
                        continue;
                    }
                    String at = e.path("source").path("file").asText() + ":"
                            + e.path("source").path("pos").asLong();
                    if (position == null) {
                        position = at;
                    } else if (!position.equals(at) && problems.size() < 10) {
                        problems.add("r event " + reads + " at " + at + ", not " + position);
                    }
                    if (e.path("source").path("row").asInt() != reads && problems.size() < 10) {
                        problems.add("r event " + reads + " has source.row "
                                + e.path("source").path("row"));
                    }
                    if (!e.path("id").asText().endsWith(db + ".nokey:#" + reads) && problems.size() < 10) {
                        problems.add(
                                "r event " + reads + " has id " + e.path("id").asText());
                    }
                    int n = e.path("after").path("n").asInt();
                    if ((!values.add(n) || !e.path("after").path("v").asText().equals(n + "-" + "x".repeat(WIDTH)))
                            && problems.size() < 10) {
                        problems.add("r event " + reads + " repeats or garbles row " + n);
                    }
                    reads++;
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(reads).isEqualTo(ROWS);
        assertThat(values).hasSize(ROWS).contains(1, ROWS);
        assertThat(last.path("op").asText()).isEqualTo("c");
        assertThat(last.path("after").path("v").asText()).isEqualTo("after");
    }
}
