package io.sluice.app;

import io.sluice.app.cli.DefaultCommands;
import io.sluice.app.cli.SluiceCli;
import io.sluice.app.config.ConfigLoader;
import java.io.PrintWriter;

/** The {@code sluice} entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code = SluiceCli.create(new DefaultCommands(new PrintWriter(System.out, true), err), new ConfigLoader()).execute(args);
        System.exit(code);
    }
}
