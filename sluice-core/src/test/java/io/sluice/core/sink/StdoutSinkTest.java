package io.sluice.core.sink;

import static io.sluice.core.sink.TestEvents.CLOCK;
import static io.sluice.core.sink.TestEvents.checkpoint;
import static io.sluice.core.sink.TestEvents.event;
import static io.sluice.core.sink.TestEvents.ids;
import static io.sluice.core.sink.TestEvents.parse;
import static io.sluice.core.sink.TestEvents.readJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.checkpoint.CheckpointCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdoutSinkTest {
    @TempDir
    Path state;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void committedEventsArePrintedAsJsonLinesOnFlushAndThenCheckpointed() throws IOException {
        try (Sink s = Sinks.stdout(new PrintStream(printed, false, StandardCharsets.UTF_8), state, CLOCK)) {
            assertThat(s.open()).isEmpty();
            long bytes = s.write(event(100, 0)) + s.write(event(100, 1));
            s.commit(checkpoint(200));
            assertThat(printed()).isEmpty();
            assertThat(state.resolve("checkpoint.json")).doesNotExist();

            s.flush();
            assertThat(printed.size()).isEqualTo(bytes);
            assertThat(ids(parse(printed())))
                    .containsExactly("shop:mysql-bin.000001:100:0", "shop:mysql-bin.000001:100:1");
            assertThat(CheckpointCodec.fromJson(
                            readJson(state.resolve("checkpoint.json")).get("checkpoint")))
                    .isEqualTo(checkpoint(200));
        }
        try (Sink s = Sinks.stdout(printed, state, CLOCK)) {
            assertThat(s.open()).contains(checkpoint(200));
        }
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint.json");
        }
    }

    @Test
    void aReopenAfterASourceFailureDropsTheUncommittedTailSoNoHalfTransactionIsPrinted() throws IOException {
        try (Sink s = Sinks.stdout(printed, state, CLOCK)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            s.write(event(200, 0)); // half of transaction 200, then the source fails
            s.flush(); // the pipeline flushes what was committed
            assertThat(s.open()).contains(checkpoint(200));
            s.write(event(200, 0));
            s.write(event(200, 1));
            s.commit(checkpoint(300));
            s.flush();
        }
        assertThat(ids(parse(printed())))
                .containsExactly(
                        "shop:mysql-bin.000001:100:0", "shop:mysql-bin.000001:200:0", "shop:mysql-bin.000001:200:1");
    }

    @Test
    void afterACrashEventsSinceTheLastCheckpointArePrintedAgainAtLeastOnce() throws IOException {
        Sink crashed = Sinks.stdout(printed, state, CLOCK);
        crashed.open();
        crashed.write(event(100, 0));
        crashed.commit(checkpoint(200));
        crashed.flush();
        for (int row = 0; row < 2_000; row++) { // more than the sink holds back: committed bytes leave early
            crashed.write(event(200, row, 200));
        }
        crashed.commit(checkpoint(300));
        crashed.write(event(300, 0));
        // crash: no flush, no checkpoint 300
        long printedBeforeCrash = parse(printed()).size();
        assertThat(printedBeforeCrash).isGreaterThan(1);

        try (Sink s = Sinks.stdout(printed, state, CLOCK)) {
            assertThat(s.open()).contains(checkpoint(200));
        }
        assertThat(ids(parse(printed()))).doesNotContain("shop:mysql-bin.000001:300:0");
    }

    @Test
    void aFailingOutputStreamSurfacesAnIOExceptionAndKeepsThePreviousCheckpoint() throws IOException {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        try (Sink s = Sinks.stdout(new PrintStream(broken, false, StandardCharsets.UTF_8), state, CLOCK)) {
            s.open();
            s.write(event(100, 0));
            s.commit(checkpoint(200));
            assertThatThrownBy(s::flush).isInstanceOf(IOException.class).hasMessageContaining("output stream");
            assertThatThrownBy(() -> s.write(event(200, 0))).isInstanceOf(IOException.class);
        }
        assertThat(state.resolve("checkpoint.json")).doesNotExist();
    }
}
