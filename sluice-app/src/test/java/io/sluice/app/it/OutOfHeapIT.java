package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A row larger than the heap can hold ends the run with a sentence that says which setting to raise and to what,
 * not a bare "Java heap space"; the checkpoint stays before the row, so the same run with more heap emits it.
 */
class OutOfHeapIT {
    private static final int ROW_MIB = Integer.getInteger("sluice.it.rowMiB", 40);
    private static final String SMALL_HEAP = System.getProperty("sluice.it.heap", "64m");
    private static final String ENOUGH_HEAP = (6 * ROW_MIB + 64) + "m";

    @Test
    void aRowTooLargeForTheHeapStopsWithTheSettingToRaise() throws Exception {
        try (MariaDbServer s =
                MariaDbServer.builder().option("max_allowed_packet", "256M").start()) {
            Path dir = Harness.workDir("out-of-heap");
            String db = s.createDatabase("big");
            s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, b LONGBLOB)");
            String[] start = Harness.masterStatus(s);
            s.execute("INSERT INTO " + db + ".t VALUES (1, REPEAT('x', " + (ROW_MIB << 20) + "))");
            Path config = Harness.config(dir, "big", s.host(), s.port(), "", 9501, db, start, null);
            Path log = dir.resolve("small.log");
            try (SluiceProcess p = SluiceProcess.startWithHeap(log, SMALL_HEAP, "run", "--config", config.toString())) {
                assertThat(p.process().waitFor(120, TimeUnit.SECONDS))
                        .as("the run ends; log " + log)
                        .isTrue();
                assertThat(p.process().exitValue()).isEqualTo(1);
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("OutOfHeapIT " + ROW_MIB + " MiB row at -Xmx" + SMALL_HEAP + ":\n"
                    + text.lines().filter(l -> l.contains("failed")).findFirst().orElse(text));
            assertThat(text)
                    .contains("Sluice ran out of Java heap (its maximum is ")
                    .contains("while reading the binlog event after " + start[0] + ":")
                    .contains("max_allowed_packet, 256 MiB on this server")
                    .contains("Give the JVM more heap with -Xmx in SLUICE_JAVA_OPTS, e.g. SLUICE_JAVA_OPTS=\"-Xmx")
                    .doesNotContain("failed: Java heap space");
            assertThat(Harness.checkpoint(dir.resolve("big-state")))
                    .as("the checkpoint stays before the row")
                    .satisfiesAnyOf(
                            cp -> assertThat(cp).isNull(), cp -> assertThat(cp).containsExactly(start[0], start[1]));

            // with the heap the advice asks for (about 6 times the row), the same pipeline emits the row, once
            try (SluiceProcess p = SluiceProcess.startWithHeap(
                    dir.resolve("enough.log"), ENOUGH_HEAP, "run", "--config", config.toString())) {
                Harness.awaitCaughtUp(
                        s, dir.resolve("big-out"), dir.resolve("big-state"), 1, java.time.Duration.ofSeconds(120), p);
                assertThat(Harness.lineCount(dir.resolve("big-out"))).isEqualTo(1);
                assertThat(p.terminate(60)).isIn(0, 143);
            }
        }
    }
}
