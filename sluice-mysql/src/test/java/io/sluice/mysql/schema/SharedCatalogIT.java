package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binlog reader's catalog questions share one connection: one handshake for many questions, a connection the
 * server closed meanwhile replaced without failing the question, and nothing left open after the session.
 */
class SharedCatalogIT {
    private final MariaDbServer db = MariaDbServer.shared();
    /** Every connection the catalog opened, in order. */
    private final List<Connection> opened = new ArrayList<>();

    private final TableMapDefinitions.Catalog source = () -> {
        Connection c = db.rootConnection();
        opened.add(c);
        return c;
    };

    private static long connectionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void questionsShareOneConnectionWhichIsClosedWithTheSession() throws Exception {
        SharedCatalog catalog = new SharedCatalog(source);
        long first = catalog.ask(SharedCatalogIT::connectionId);
        long second = catalog.ask(SharedCatalogIT::connectionId);
        assertThat(catalog.ask(InfoSchema::collations)).isNotEmpty();
        assertThat(second).as("the second question's connection").isEqualTo(first);
        assertThat(opened).as("connections opened for three questions").hasSize(1);
        catalog.close();
        assertThat(opened.get(0).isClosed())
                .as("the kept connection after the session")
                .isTrue();

        long after = catalog.ask(SharedCatalogIT::connectionId);
        assertThat(after)
                .as("a question after the session: a connection of its own")
                .isNotEqualTo(first);
        assertThat(opened).hasSize(2);
        assertThat(opened.get(1).isClosed()).as("closed once answered").isTrue();
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedWithoutFailingTheQuestion() throws Exception {
        try (SharedCatalog catalog = new SharedCatalog(source);
                Connection admin = db.rootConnection();
                Statement st = admin.createStatement()) {
            long first = catalog.ask(SharedCatalogIT::connectionId);
            st.execute("KILL CONNECTION " + first); // as wait_timeout or a restarted server ends an idle one
            long next = catalog.ask(SharedCatalogIT::connectionId);
            assertThat(next).as("the question's connection after the kill").isNotEqualTo(first);
            assertThat(opened).hasSize(2);
            assertThat(opened.get(0).isClosed()).as("the killed one, let go").isTrue();
        }
    }

    @Test
    void aQuestionThatFailsOnANewConnectionFailsAndLeavesNothingOpen() throws Exception {
        try (SharedCatalog catalog = new SharedCatalog(source)) {
            SQLException e = catchThrowableOfType(
                    SQLException.class,
                    () -> catalog.ask(c -> {
                        try (Statement st = c.createStatement()) {
                            st.executeQuery("SELECT * FROM information_schema.NO_SUCH_TABLE");
                            return null;
                        }
                    }));
            assertThat((Throwable) e).as("the server's error").isNotNull();
            assertThat(opened).as("one connection, let go after the error").hasSize(1);
            assertThat(opened.get(0).isClosed()).isTrue();
        }
    }
}
