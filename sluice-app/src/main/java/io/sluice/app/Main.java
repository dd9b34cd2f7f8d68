package io.sluice.app;

import io.sluice.app.cli.DefaultCommands;
import io.sluice.app.cli.SluiceCli;
import io.sluice.app.config.ConfigLoader;
import java.io.PrintWriter;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The {@code sluice} entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // the binlog library logs through java.util.logging: send it to the same place as everything else
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        String format = Logs.requestedFormat();
        if (!Logs.configure(format)) {
            System.err.println("error: SLUICE_LOG_FORMAT must be text or json, found '" + format + "'");
            System.exit(2);
        }
        PrintWriter err = new PrintWriter(System.err, true);
        int code = SluiceCli.create(
                        new DefaultCommands(new PrintWriter(System.out, true), err), new ConfigLoader(), args)
                .execute(args);
        System.exit(code);
    }
}
