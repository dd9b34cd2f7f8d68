package io.sluice.app.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One {@code sluice run --config <config>} that the crash tests SIGKILL and restart again and again, its output
 * appended to one log: the process running now, how many kills there were and the exit code of each killed one.
 */
final class KillLoop implements AutoCloseable {
    /** What a test checks after each kill and restart (the writer's health, the killed process's exit code). */
    @FunctionalInterface
    interface AfterKill {
        void check(int exitCode) throws Exception;
    }

    private final Path log;
    private final Path config;
    private final List<Integer> killCodes = new ArrayList<>();
    private SluiceProcess sluice;

    private KillLoop(Path log, Path config) throws IOException {
        this.log = log;
        this.config = config;
        this.sluice = start();
    }

    /** Starts the first {@code sluice run --config <config>}, its output appended to {@code log}. */
    static KillLoop start(Path log, Path config) throws IOException {
        return new KillLoop(log, config);
    }

    private SluiceProcess start() throws IOException {
        return SluiceProcess.start(log, "run", "--config", config.toString());
    }

    /** The process running now (the last one started). */
    SluiceProcess current() {
        return sluice;
    }

    int kills() {
        return killCodes.size();
    }

    /** The exit codes of the killed processes, in order. */
    List<Integer> killCodes() {
        return List.copyOf(killCodes);
    }

    /** Fails when the running process has exited by itself (a crash test expects it to die only when killed). */
    void assertAlive() {
        if (!sluice.isAlive()) {
            throw new AssertionError(
                    "sluice exited by itself (" + sluice.process().exitValue() + "); log " + log);
        }
    }

    /** Fails if the process exited by itself; else SIGKILLs it, starts it again, returns the killed one's exit code. */
    int killAndRestart() throws Exception {
        assertAlive();
        int code = sluice.kill();
        killCodes.add(code);
        sluice = start();
        return code;
    }

    /** Starts the process again after it exited by itself (a soak records such exits and goes on). */
    void killAndRestartDead() throws Exception {
        sluice.close();
        sluice = start();
    }

    /** SIGTERMs the running process (a graceful stop within {@code timeoutSeconds}), starts it again; the exit code. */
    int terminateAndRestart(long timeoutSeconds) throws Exception {
        assertAlive();
        int code = sluice.terminate(timeoutSeconds);
        sluice = start();
        return code;
    }

    /**
     * Until {@code untilNanos} (System.nanoTime) has passed and there were at least {@code minKills} kills: sleeps
     * {@code pauseMs} ms, then {@link #killAndRestart()} and {@code afterKill} with the killed process's exit code.
     */
    void killRepeatedly(long untilNanos, int minKills, IntSupplier pauseMs, AfterKill afterKill) throws Exception {
        while (System.nanoTime() < untilNanos || kills() < minKills) {
            Thread.sleep(pauseMs.getAsInt()); // the subject: a kill after a random time of running
            afterKill.check(killAndRestart());
        }
    }

    @Override
    public void close() throws InterruptedException {
        sluice.close();
    }
}
