package io.sluice.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The entry point of {@link KafkaBroker}'s child JVM: formats the log directory on first start (KRaft storage
 * format, as {@code kafka-storage.sh format}), then runs {@code kafka.Kafka} on the properties file.
 *
 * <p>Arguments: the properties file, the cluster id. The process exits when its standard input reaches end of
 * file, so a broker never outlives the test JVM that started it, even when that JVM is killed.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {}

    public static void main(String[] args) throws IOException {
        Path props = Path.of(args[0]);
        String clusterId = args[1];
        ParentWatch.start();
        if (!Files.exists(props.resolveSibling("logs").resolve("meta.properties"))) {
            int rc = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", props.toString(), "--ignore-formatted"}, System.out);
            if (rc != 0) {
                System.err.println("formatting the log directory failed: " + rc);
                Runtime.getRuntime().halt(2);
            }
        }
        kafka.Kafka.main(new String[] {props.toString()});
    }
}
