package io.sluice.jdbc;

import io.sluice.core.sink.Sink;

/** The JDBC sink's factory. */
public final class JdbcSinks {
    private JdbcSinks() {}

    /** A new, unopened JDBC sink ({@link JdbcSink}). */
    public static Sink jdbc(JdbcSinkConfig config) {
        return new JdbcSink(config);
    }
}
