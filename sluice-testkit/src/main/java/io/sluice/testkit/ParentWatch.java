package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;

/**
 * For the main class of a child JVM the testkit starts: ends the process when its standard input reaches end of
 * file, so a server never outlives the test JVM that started it, even when that JVM is killed.
 */
final class ParentWatch {
    private ParentWatch() {}

    /** Starts the daemon thread that halts the JVM once the parent is gone. */
    static void start() {
        Thread watchdog = new Thread(
                () -> {
                    try (InputStream in = System.in) {
                        while (in.read() >= 0) {
                            // the parent never writes: wait for end of file
                        }
                    } catch (IOException ignored) {
                        // the pipe broke: the parent is gone
                    }
                    Runtime.getRuntime().halt(3);
                },
                "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
