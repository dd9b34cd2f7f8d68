package io.sluice.app.it;

import io.sluice.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For a test class whose tests share a MariaDB server of their own: started before them, stopped after them. */
abstract class WithOwnMariaDb {
    static MariaDbServer server;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.builder().start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
