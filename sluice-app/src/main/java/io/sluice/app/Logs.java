package io.sluice.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Log output format: the human one from {@link LogConfigurator} by default; one JSON object per line (logback's
 * {@link JsonEncoder}: timestamp, level, thread, logger, message, MDC such as {@code pipeline}) when
 * {@code SLUICE_LOG_FORMAT=json} (or {@code -Dsluice.log.format=json}). Logs always go to stderr.
 */
final class Logs {
    private Logs() {}

    /** The format asked for by the environment: {@code text} or {@code json}. */
    static String requestedFormat() {
        String f = System.getProperty("sluice.log.format", System.getenv("SLUICE_LOG_FORMAT"));
        return f == null || f.isBlank() ? "text" : f.trim().toLowerCase(Locale.ROOT);
    }

    /** Switches the stderr appender to JSON lines when asked; returns false for an unknown format. */
    static boolean configure(String format) {
        if (format.equals("text")) {
            return true;
        }
        if (!format.equals("json")) {
            return false;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return true;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(ctx);
                json.setWithFormattedMessage(true);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithContext(false);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.start();
                console.stop();
                console.setEncoder(json);
                console.start();
            }
        }
        return true;
    }
}
