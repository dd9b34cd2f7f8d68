package io.sluice.app.cli;

import io.sluice.app.config.PipelineConfig;
import io.sluice.app.run.PipelineLocks;
import io.sluice.app.run.Runner;
import io.sluice.mysql.check.Finding;
import io.sluice.mysql.check.ServerCheck;
import java.io.PrintWriter;
import java.time.Clock;
import io.sluice.app.config.ConfigException;
import io.sluice.app.http.ControlServer;
import io.sluice.app.http.HttpOptions;
import java.util.List;
import java.util.Objects;

/** The real commands: {@code run} starts the pipelines, {@code check} inspects each source server. */
public final class DefaultCommands implements Commands {
    private final PrintWriter out;
    private final PrintWriter err;

    public DefaultCommands(PrintWriter out, PrintWriter err) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    @Override
    public int run(List<PipelineConfig> configs, HttpOptions http) throws InterruptedException {
        // one writer per state and output directory: claimed before anything is opened, held until the end
        try (PipelineLocks locks = PipelineLocks.forRun(configs)) {
            Runner runner = new Runner(configs, Clock.systemUTC(), err);
            ControlServer server;
            try {
                server = ControlServer.builder(runner.pipelines())
                        .bind(http.bind()).port(http.port()).token(http.token())
                        .metrics(runner.metrics()::scrape).build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            return runner.attach(server).run();
        }
    }

    @Override
    public int check(List<PipelineConfig> configs) {
        int problems = 0;
        for (PipelineConfig c : configs) {
            List<Finding> findings = new ServerCheck(c.source()).run();
            String where = c.source().host() + ":" + c.source().port();
            if (findings.isEmpty()) {
                out.println(c.name() + ": " + where + " is ready for Sluice");
            }
            for (Finding f : findings) {
                out.println(c.name() + ": " + f);
                problems++;
            }
        }
        out.flush();
        return problems == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
