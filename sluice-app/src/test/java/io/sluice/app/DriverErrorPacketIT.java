package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.testkit.MariaDbServer;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The logger {@link LogConfigurator} quiets is the one the MariaDB driver really logs error packets to. */
class DriverErrorPacketIT {

    @Test
    void theDriverReallyLogsErrorPacketsUnderThatName() {
        // the name the setting silences is the one the driver uses: a wrong password makes it log there at WARN
        LoggerContext ctx = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger packets = ctx.getLogger(LogConfigurator.DRIVER_ERROR_PACKET);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        ch.qos.logback.classic.Level before = packets.getLevel();
        packets.setLevel(ch.qos.logback.classic.Level.WARN);
        packets.addAppender(seen);
        try {
            MariaDbServer server = MariaDbServer.shared();
            DriverManager.getConnection(server.jdbcUrl(), "nobody-" + System.nanoTime(), "wrong")
                    .close();
        } catch (SQLException expected) {
            assertThat(expected.getErrorCode()).isEqualTo(1045);
        } finally {
            packets.detachAppender(seen);
            packets.setLevel(before);
        }
        assertThat(seen.list).isNotEmpty();
    }
}
