package io.sluice.app.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code sluice} as a separate JVM process ({@code java -cp <test classpath> io.sluice.app.Main <args>}), its
 * stdout and stderr appended to a log file. The classpath is the failsafe JVM's own, which holds the sluice-app
 * classes and all their dependencies; a manifest-only booter jar is expanded.
 */
final class SluiceProcess implements AutoCloseable {
    private static final String CLASSPATH = classpath();

    private final Process process;
    private final Path log;

    private SluiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code sluice <args>}, appending its output to {@code log}. */
    static SluiceProcess start(Path log, String... args) throws IOException {
        return startWithHeap(log, "256m", args);
    }

    /** {@link #start} with the given maximum heap ({@code -Xmx}). */
    static SluiceProcess startWithHeap(Path log, String maxHeap, String... args) throws IOException {
        return start(log, maxHeap, java.util.Map.of(), args);
    }

    /** {@link #start} with variables added to the process's environment (a rule file's hash key, say). */
    static SluiceProcess startWithEnv(Path log, java.util.Map<String, String> env, String... args) throws IOException {
        return start(log, "256m", env, args);
    }

    private static SluiceProcess start(Path log, String maxHeap, java.util.Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(CLASSPATH);
        cmd.add("io.sluice.app.Main");
        cmd.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--http-port")) {
            cmd.add("--http-port=0"); // several processes at once must not compete for the default port
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(
                log,
                "\n==== " + java.time.Instant.now() + " " + String.join(" ", args) + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new SluiceProcess(pb.start(), log);
    }

    /** Runs {@code sluice <args>} to its end (at most {@code timeoutSeconds}) and returns the exit code. */
    static int runToEnd(Path log, long timeoutSeconds, String... args) throws Exception {
        try (SluiceProcess p = start(log, args)) {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("sluice " + String.join(" ", args) + " did not end within " + timeoutSeconds
                        + " s; log " + log);
            }
            return p.process.exitValue();
        }
    }

    Process process() {
        return process;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux) and waits; returns the exit code (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("sluice did not die after SIGKILL");
        }
        return process.exitValue();
    }

    /** SIGTERM (what {@link Process#destroy()} sends on Linux): a graceful stop; returns the exit code. */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("sluice did not stop within " + timeoutSeconds + " s of SIGTERM; log " + log);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            entries.add(e);
            entries.addAll(manifestClassPath(Path.of(e)));
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The Class-Path of a (surefire booter) jar's manifest, as file paths; empty for anything else. */
    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            return out;
        }
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return out;
            }
            for (String u : cp.trim().split("\\s+")) {
                try {
                    URI uri = jar.toUri().resolve(u);
                    out.add(Paths.get(uri).toString());
                } catch (RuntimeException ignored) {
                    // not a file URL
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
