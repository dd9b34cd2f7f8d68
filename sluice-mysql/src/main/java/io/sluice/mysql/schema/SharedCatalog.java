package io.sluice.mysql.schema;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A catalog that keeps one connection open between questions: the binlog reader's questions of one session (the
 * server's foreign keys and collations, the tables its first rows events and a snapshot's first chunk name) cost one
 * handshake rather than one each, on the thread that holds back the stream while they are asked. A question that
 * fails on the kept connection (the server may have closed it while it was idle) is asked once more on a new one;
 * {@link #close} closes it when the session ends (a question asked after that gets a connection of its own).
 */
public final class SharedCatalog implements TableMapDefinitions.Catalog, AutoCloseable {
    private final TableMapDefinitions.Catalog source;
    private Connection held;
    private boolean closed;

    public SharedCatalog(TableMapDefinitions.Catalog source) {
        this.source = source;
    }

    @Override
    public Connection connection() throws SQLException {
        return source.connection();
    }

    @Override
    public synchronized <T> T ask(Query<T> query) throws SQLException {
        if (closed) {
            return TableMapDefinitions.Catalog.super.ask(query); // asked after the session: a connection of its own
        }
        if (held != null) {
            try {
                return query.ask(held);
            } catch (SQLException e) {
                drop(); // kept from before: asked again below on a new connection
            }
        }
        held = source.connection();
        try {
            return query.ask(held);
        } catch (SQLException | RuntimeException e) {
            drop();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }

    private void drop() {
        Connection c = held;
        held = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken already: nothing more to release
            }
        }
    }
}
