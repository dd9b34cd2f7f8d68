package io.sluice.testkit;

/**
 * The entry point of {@link ConnectWorker}'s child JVM: runs Kafka Connect in distributed mode
 * ({@code org.apache.kafka.connect.cli.ConnectDistributed}, found on the class path the test gives the child) on
 * the properties file given as the argument. The process exits when its standard input reaches end of file.
 */
public final class ConnectWorkerMain {
    private ConnectWorkerMain() {}

    public static void main(String[] args) throws Exception {
        ParentWatch.start();
        Class.forName("org.apache.kafka.connect.cli.ConnectDistributed")
                .getMethod("main", String[].class)
                .invoke(null, (Object) args);
    }
}
