package io.sluice.app.it;

import io.sluice.testkit.KafkaBroker;
import io.sluice.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For a test class whose tests use the shared MariaDB server and a Kafka broker of their own: started before them,
 * stopped after them.
 */
abstract class WithKafkaBroker {
    static MariaDbServer server;
    static KafkaBroker kafka;

    @BeforeAll
    static void start() {
        server = MariaDbServer.shared();
        kafka = KafkaBroker.startNew();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
