package io.sluice.jdbc;

import io.sluice.core.sink.Sink;
import java.time.Clock;
import java.util.function.LongSupplier;

/** The JDBC sink's factory. */
public final class JdbcSinks {
    private JdbcSinks() {}

    /** A new, unopened JDBC sink ({@link JdbcSink}) on the system's time. */
    public static Sink jdbc(JdbcSinkConfig config) {
        return jdbc(config, Clock.systemUTC(), System::nanoTime);
    }

    /** A new, unopened JDBC sink whose time is {@code clock}'s and {@code nanoTime}'s. */
    public static Sink jdbc(JdbcSinkConfig config, Clock clock, LongSupplier nanoTime) {
        return new JdbcSink(config, clock, nanoTime);
    }
}
