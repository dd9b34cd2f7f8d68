package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.http.ControlServer;
import io.sluice.app.http.HttpOptions;
import io.sluice.app.run.PipelineLocks;
import io.sluice.app.run.Runner;
import io.sluice.app.run.StoredState;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.sink.SinkFinding;
import io.sluice.core.time.Scheduler;
import io.sluice.mysql.check.ServerCheck;
import io.sluice.mysql.server.Finding;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
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
            Scheduler time = Scheduler.system(Clock.systemUTC()); // the process's one clock and timer
            Runner runner = new Runner(configs, time, err);
            ControlServer server;
            try {
                server = ControlServer.builder(runner.pipelines())
                        .clock(time.clock())
                        .bind(http.bind())
                        .port(http.port())
                        .token(http.token())
                        .metrics(runner.metrics()::scrape)
                        .lag(runner.metrics())
                        .restart(runner::restart)
                        .build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            return runner.attach(server).run();
        }
    }

    /**
     * Checks each pipeline against its server and its own stored state, one line per problem or note; a pipeline
     * whose server cannot be checked (unreachable, wrong password) is an {@code error:} line, and the others are
     * still checked. Non-zero when anything is wrong.
     */
    @Override
    public int check(List<PipelineConfig> configs) {
        boolean failed = false;
        for (PipelineConfig c : configs) {
            failed |= !checkSink(c);
            List<Finding> findings;
            try {
                Checkpoint cp = StoredState.checkpoint(c).orElse(null);
                findings = new ArrayList<>(new ServerCheck(c.source())
                        .resumingFrom(cp, StoredState.startOver(c))
                        .run());
                findings.addAll(StoredState.findings(c, cp));
            } catch (SluiceException e) {
                err.println("error: " + c.name() + ": " + e.getMessage());
                failed = true;
                continue;
            }
            for (Finding f : findings) {
                out.println(c.name() + ": " + (f.isProblem() ? "" : "note: ") + f);
            }
            if (findings.stream().anyMatch(Finding::isProblem)) {
                failed = true;
            } else {
                out.println(
                        c.name() + ": " + c.source().host() + ":" + c.source().port() + " is ready for Sluice");
            }
        }
        out.flush();
        err.flush();
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /**
     * The sink's own check of its target ({@link io.sluice.core.sink.SinkProvider#check}), one line per finding,
     * prefixed {@code sink:}; false when any is a problem.
     */
    private boolean checkSink(PipelineConfig c) {
        List<SinkFinding> findings;
        try {
            findings = c.sink().check();
        } catch (SluiceException e) {
            err.println("error: " + c.name() + ": sink: " + e.getMessage());
            return false;
        }
        for (SinkFinding f : findings) {
            out.println(c.name() + ": sink: " + (f.isProblem() ? "" : "note: ") + f);
        }
        return findings.stream().noneMatch(SinkFinding::isProblem);
    }
}
