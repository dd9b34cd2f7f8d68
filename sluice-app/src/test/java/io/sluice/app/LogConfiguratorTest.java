package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {

    @Test
    void theDriversErrorPacketWarningsDoNotPrecedeSluicesOwnSentence() {
        LoggerContext ctx = new LoggerContext();
        new LogConfigurator().configure(ctx);
        assertThat(ctx.getLogger(LogConfigurator.DRIVER_ERROR_PACKET).isWarnEnabled())
                .isFalse();
        assertThat(ctx.getLogger("org.mariadb.jdbc.client.impl.StandardClient").isWarnEnabled())
                .isTrue();
        assertThat(ctx.getLogger("io.sluice.mysql.source.MySqlSource").isInfoEnabled())
                .isTrue();
    }
}
