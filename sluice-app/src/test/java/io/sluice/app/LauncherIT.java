package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sluice} launcher's class data sharing archive: made on the first start, used by the next ones, made
 * again when it is damaged, and never a reason for a start to fail. Runs this checkout's launcher in a copy of the
 * checkout that holds only what it needs (the launcher, jvm.options, the class list, then the packaged jar and its
 * libraries, so that the jar is newer than the "sources" and nothing is built), with the archive in it.
 */
class LauncherIT {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    Path root;

    @BeforeEach
    void copyTheCheckout() throws IOException {
        root = Files.createDirectories(dir.resolve("checkout"));
        for (String file : List.of(
                "sluice",
                "jvm.options",
                "sluice-app/src/main/cds/sluice.classlist",
                "sluice-app/target/sluice-app.jar")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(CHECKOUT.resolve(file), root.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            Files.setLastModifiedTime(root.resolve(file), FileTime.from(Instant.now()));
        }
        Path lib = Files.createDirectories(root.resolve("sluice-app/target/lib"));
        try (var jars = Files.list(CHECKOUT.resolve("sluice-app/target/lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
    }

    private Path defaultArchive() {
        return root.resolve("sluice-app/target/sluice.jsa");
    }

    /** The outcome of one {@code ./sluice version}. */
    private record Run(int code, String out, String err) {}

    private Run version(Path archive, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("sluice").toString(), "version"))
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("SLUICE_JAVA_OPTS");
        pb.environment().remove("SLUICE_CDS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        if (!archive.equals(defaultArchive())) {
            pb.environment().put("SLUICE_CDS_ARCHIVE", archive.toString());
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("./sluice version ended")
                .isTrue();
        return new Run(
                p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private static void assertStarted(Run run) {
        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).as("nothing was built").doesNotContain("building");
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
        Path archive = defaultArchive();
        assertStarted(version(archive, Map.of()));
        assertThat(archive).isNotEmptyFile();
        assertThat(Path.of(archive + ".stamp"))
                .content(StandardCharsets.UTF_8)
                .startsWith(Files.size(archive) + "\n/")
                .endsWith("\n" + Files.readString(root.resolve("jvm.options")));
        FileTime made = Files.getLastModifiedTime(archive);

        assertThat(mainFromArchive(archive))
                .as("the second start maps the archive")
                .isTrue();
        assertThat(Files.getLastModifiedTime(archive)).as("not made again").isEqualTo(made);
        try (var left = Files.list(archive.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        // a jar newer than the archive (a build since): made again
        Path jar = root.resolve("sluice-app/target/sluice-app.jar");
        Files.setLastModifiedTime(
                archive,
                FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(10)));
        assertThat(mainFromArchive(archive)).isTrue();
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
    }

    @Test
    void aTruncatedArchiveIsMadeAgainAndAGarbledOneIsIgnored() throws Exception {
        Path archive = defaultArchive();
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

        Path archive = defaultArchive();
        assertStarted(version(archive, Map.of("SLUICE_CDS", "off")));
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherJavaMakesTheArchiveAgainAndOneItCannotMakeIsRemoved() throws Exception {
        Path archive = defaultArchive();
        assertStarted(version(archive, Map.of()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path wrapper = bin.resolve("java");
        String path = bin + ":" + System.getenv("PATH");

        // a java that cannot dump: the old archive (made by another java) is not left to be passed
        Files.writeString(
                wrapper,
                "#!/usr/bin/env bash\nfor a; do [[ $a == -Xshare:dump ]] && exit 1; done\nexec " + java + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        assertStarted(version(archive, Map.of("PATH", path)));
        assertThat(archive).doesNotExist();

        Files.writeString(wrapper, "#!/usr/bin/env bash\nexec " + java + " \"$@\"\n");
        assertStarted(version(archive, Map.of("PATH", path)));
        assertThat(Path.of(archive + ".stamp")).content(StandardCharsets.UTF_8).contains(wrapper.toString());
    }

    @Test
    void otherJvmOptionsMakeTheArchiveAgainWithThem() throws Exception {
        Path archive = defaultArchive();
        assertStarted(version(archive, Map.of()));
        assertStarted(version(archive, Map.of("SLUICE_JAVA_OPTS", "-XX:+UseSerialGC -Xmx300m")));
        assertThat(Path.of(archive + ".stamp"))
                .content(StandardCharsets.UTF_8)
                .startsWith(Files.size(archive) + "\n")
                .endsWith("\n-XX:+UseSerialGC -Xmx300m\n");
        assertThat(mainFromArchive(archive)).isTrue();
    }
}
