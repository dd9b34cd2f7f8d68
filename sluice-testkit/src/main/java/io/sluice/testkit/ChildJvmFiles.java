package io.sluice.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The files a server's child JVM reads at start: its properties and its logging configuration. */
final class ChildJvmFiles {
    private ChildJvmFiles() {}

    /** Writes {@code settings} as a properties file, noting which testkit class wrote it. */
    static void writeProperties(Path file, Map<String, String> settings, Class<?> writer) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "written by " + writer.getName());
        }
    }

    /** A logback configuration to standard output: warnings, and INFO from the loggers named. */
    static void writeLogback(Path file, String... infoLoggers) throws IOException {
        StringBuilder loggers = new StringBuilder();
        for (String l : infoLoggers) {
            loggers.append("  <logger name=\"").append(l).append("\" level=\"INFO\"/>\n");
        }
        Files.writeString(file, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                """ + loggers + "</configuration>\n");
    }
}
