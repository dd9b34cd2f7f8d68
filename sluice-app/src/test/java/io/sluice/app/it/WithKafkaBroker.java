package io.sluice.app.it;

import io.sluice.testkit.KafkaBroker;
import io.sluice.testkit.MariaDbServer;
import java.nio.file.Path;
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

    /** A pipeline into the broker: its work directory, name, database (with the Workload's tables) and config. */
    record WorkloadPipeline(Path dir, String name, String db, Path config) {
        /** {@code <dir>/sluice.log}: the log of the pipeline's {@code sluice run}. */
        Path log() {
            return dir.resolve("sluice.log");
        }
    }

    /**
     * A work directory named after {@code test}, a database {@code name} holding the Workload's tables and the config
     * of a pipeline {@code name} from it into the broker ({@code partitions} a topic), from the binlog's current
     * position.
     */
    static WorkloadPipeline workloadPipeline(String test, String name, long serverId, int partitions) throws Exception {
        Path dir = Harness.workDir(test);
        String db = server.createDatabase(name);
        Workload.createTables(server, db);
        String[] start = Harness.masterStatus(server);
        Path config = KafkaHarness.config(
                dir, name, server, serverId, db, start, kafka.bootstrapServers(), partitions, null, null);
        return new WorkloadPipeline(dir, name, db, config);
    }
}
