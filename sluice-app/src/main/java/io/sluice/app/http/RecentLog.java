package io.sluice.app.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.sluice.core.pipeline.Pipeline;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Hands the process's WARN and ERROR log lines to the {@link Sampler}'s recent errors, so the console shows every
 * severity (a snapshot cancelled for a bad filter is an ERROR line, not a failed pipeline). A line that starts with
 * {@code [name] } for a known pipeline is that pipeline's; the others belong to the process (pipeline empty).
 * Attached to logback's root logger while the server runs; does nothing when logback is not the SLF4J binding.
 */
final class RecentLog extends AppenderBase<ILoggingEvent> {
    private static final String PIPELINE_LOGGER = Pipeline.class.getName();
    private final Sampler sampler;
    private final Set<String> pipelines;

    private RecentLog(Sampler sampler, Set<String> pipelines) {
        this.sampler = sampler;
        this.pipelines = Set.copyOf(pipelines);
        setName("sluice-console-recent-log");
    }

    /** Attaches a new appender to the root logger; returns it (to {@link #detach()}), or null without logback. */
    static RecentLog attach(Sampler sampler, Set<String> pipelines) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        RecentLog log = new RecentLog(sampler, pipelines);
        log.setContext(context);
        log.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
        return log;
    }

    void detach() {
        if (getContext() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        String message = e.getFormattedMessage();
        String pipeline = "";
        if (message.startsWith("[")) {
            int end = message.indexOf("] ");
            if (end > 1 && pipelines.contains(message.substring(1, end))) {
                pipeline = message.substring(1, end);
                message = message.substring(end + 2);
            }
        }
        if (PIPELINE_LOGGER.equals(e.getLoggerName())
                && (message.startsWith("failed: ") || message.contains("; retrying in "))) {
            return; // the Sampler records a pipeline's failure and retries with their state already
        }
        sampler.logged(pipeline, e.getTimeStamp(), e.getLevel().toString(), message);
    }
}
