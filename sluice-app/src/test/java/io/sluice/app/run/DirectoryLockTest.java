package io.sluice.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.app.TestPipelines;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.state.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims within one process; {@code SingleWriterIT} has two processes. */
class DirectoryLockTest {
    private static final String PID = "pid " + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void aSecondClaimIsRefusedNamingTheHolderAndTheDirectoryUntilTheFirstIsReleased() {
        Path state = dir.resolve("state");
        DirectoryLock first =
                DirectoryLock.acquire(state, "the state directory of pipeline a", "sluice run, pipelines a");
        assertThat(state.resolve(DirectoryLock.FILE_NAME))
                .content()
                .startsWith(PID + ": sluice run, pipelines a, since ");
        assertThatThrownBy(() -> DirectoryLock.acquire(state, "the state directory of pipeline b", "test"))
                .isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("the state directory of pipeline b " + state + " is in use by this process ("
                        + PID + ": sluice run, pipelines a, since ");
        first.close();
        DirectoryLock.acquire(state, "the state directory of pipeline b", "test")
                .close();
    }

    @Test
    void aLockFileLeftBehindByAProcessThatEndedIsNoObstacle() throws IOException {
        Files.writeString(dir.resolve(DirectoryLock.FILE_NAME), "pid 1: sluice run, pipelines gone\n");
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "the state directory", "test")) {
            assertThat(dir.resolve(DirectoryLock.FILE_NAME))
                    .content()
                    .startsWith(PID + ": test, since ")
                    .doesNotContain("gone");
        }
    }

    @Test
    void runClaimsStateAndSinkPathOnceEachAndAllOrNothing() {
        Path out = dir.resolve("out");
        PipelineConfig a = pipeline("a", dir.resolve("state-a"), out);
        PipelineConfig own = pipeline("own", out.resolveSibling("both"), out.resolveSibling("both"));
        try (PipelineLocks locks = PipelineLocks.forRun(List.of(a, own))) {
            assertThat(out.resolve(DirectoryLock.FILE_NAME)).exists();
            assertThat(dir.resolve("both").resolve(DirectoryLock.FILE_NAME)).exists();
        }
        try (DirectoryLock held = DirectoryLock.acquire(out, "the output", "test")) {
            assertThatThrownBy(() -> PipelineLocks.forRun(List.of(a)))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("the file sink directory (sink.path) of pipeline a " + out + " is in use");
            // the state directory claimed before the refusal was released again
            PipelineLocks.forState(a, "sluice schema rebuild").close();
        }
    }

    private static PipelineConfig pipeline(String name, Path state, Path out) {
        return TestPipelines.withFileSink(name, state, out).build();
    }
}
