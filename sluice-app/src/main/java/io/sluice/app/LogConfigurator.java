package io.sluice.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Sluice's logging set-up, in code: one appender on stderr (stdout is reserved for the stdout sink), the pattern
 * {@value #PATTERN}, INFO, and WARN for the MariaDB driver and the binlog library (ERROR for the driver's error
 * packets, which Sluice reports in its own words). Found by logback as a service
 * ({@code META-INF/services}); it replaces an XML file because parsing one loads some 600 classes (logback's Joran
 * and the JDK's XML parser) at every start. {@code -Dlogback.configurationFile=...} still applies a file of one's
 * own: then this configurator steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    /** The MariaDB driver's logger of server error packets. */
    static final String DRIVER_ERROR_PACKET = "org.mariadb.jdbc.message.server.ErrorPacket";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ctx.getLogger("org.mariadb").setLevel(Level.WARN);
        // the driver logs every error packet at WARN before it throws the SQLException that Sluice turns into its own
        // sentence (which says what is wrong and how to fix it): the raw line only came first and said less
        ctx.getLogger(DRIVER_ERROR_PACKET).setLevel(Level.ERROR);
        ctx.getLogger("com.github.shyiko").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
