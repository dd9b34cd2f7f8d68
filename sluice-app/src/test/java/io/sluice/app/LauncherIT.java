package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sluice} launcher's class data sharing archive: made on the first start, used by the next ones, made
 * again when it is damaged, and never a reason for a start to fail. Runs the launcher of this checkout (the jar is
 * packaged before integration tests run) with the archive in a temporary directory.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "sluice").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The outcome of one {@code ./sluice version}. */
    private record Run(int code, String out, String err) {
    }

    private Run version(Path archive, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(LAUNCHER.toString(), "version"))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("SLUICE_JAVA_OPTS");
        pb.environment().remove("SLUICE_CDS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().put("SLUICE_CDS_ARCHIVE", archive.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("./sluice version ended").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private static void assertStarted(Run run) {
        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.out()).as("stdout holds the version and nothing else").matches("sluice \\S+\n");
    }

    /** Runs {@code ./sluice version} logging where classes come from; true when Main came from the archive. */
    private boolean mainFromArchive(Path archive) throws IOException, InterruptedException {
        Path classLog = dir.resolve("classes.txt");
        Run run = version(archive, Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classLog));
        assertStarted(run);
        return Files.readAllLines(classLog).stream()
                .anyMatch(l -> l.contains(" io.sluice.app.Main source: shared objects file"));
    }

    @Test
    void theFirstStartMakesTheArchiveAndTheNextOnesUseIt() throws Exception {
        Path archive = dir.resolve("sluice.jsa");
        assertStarted(version(archive, Map.of()));
        assertThat(archive).isNotEmptyFile();
        assertThat(Path.of(archive + ".stamp")).content(StandardCharsets.UTF_8)
                .startsWith(Files.size(archive) + " ");
        FileTime made = Files.getLastModifiedTime(archive);

        assertThat(mainFromArchive(archive)).as("the second start maps the archive").isTrue();
        assertThat(Files.getLastModifiedTime(archive)).as("not made again").isEqualTo(made);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aTruncatedArchiveIsMadeAgainAndAGarbledOneIsIgnored() throws Exception {
        Path archive = dir.resolve("sluice.jsa");
        assertStarted(version(archive, Map.of()));
        byte[] whole = Files.readAllBytes(archive);

        // a JVM handed a truncated archive dies of SIGBUS: the launcher must notice and make it again
        archive.toFile().setWritable(true);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 3));
        assertStarted(version(archive, Map.of()));
        assertThat(Files.size(archive)).isEqualTo(whole.length);
        assertThat(mainFromArchive(archive)).isTrue();

        // garbage of the right size passes the launcher's check: the JVM rejects it and starts without sharing
        archive.toFile().setWritable(true);
        byte[] garbage = new byte[whole.length];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(archive, garbage);
        assertStarted(version(archive, Map.of()));
        assertThat(mainFromArchive(archive)).isFalse();
    }

    @Test
    void anUnwritableLocationOrCdsOffStartsWithoutAnArchive() throws Exception {
        Path nowhere = dir.resolve("missing").resolve("sluice.jsa");
        assertStarted(version(nowhere, Map.of()));
        assertThat(nowhere.getParent()).doesNotExist();

        Path archive = dir.resolve("sluice.jsa");
        assertStarted(version(archive, Map.of("SLUICE_CDS", "off")));
        assertThat(archive).doesNotExist();
    }

    @Test
    void otherJvmOptionsMakeTheArchiveAgainWithThem() throws Exception {
        Path archive = dir.resolve("sluice.jsa");
        assertStarted(version(archive, Map.of()));
        assertStarted(version(archive, Map.of("SLUICE_JAVA_OPTS", "-XX:+UseSerialGC -Xmx300m")));
        assertThat(Path.of(archive + ".stamp")).content(StandardCharsets.UTF_8)
                .isEqualTo(Files.size(archive) + " -XX:+UseSerialGC -Xmx300m\n");
    }
}
