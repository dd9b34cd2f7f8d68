package io.sluice.jdbc.it;

import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.sink.Sink;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.testing.LocalSources;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** The real binlog source of the shared MariaDB into a sink, and waiting for what the target shows. */
final class Pipelines {
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(8100);

    private Pipelines() {}

    static MySqlSourceConfig source(MariaDbServer db, String name, String include, StartPosition start) {
        return LocalSources.source(db, name, SERVER_IDS.incrementAndGet(), List.of(include), start)
                .build();
    }

    static Pipeline start(MySqlSourceConfig source, Sink sink) {
        Pipeline p = new Pipeline(
                source.name(),
                new MySqlSource(source),
                sink,
                new BatchPolicy(500, 1 << 20, 20),
                1024,
                Clock.systemUTC());
        p.start();
        return p;
    }

    /** Waits until {@code check} holds; fails at once, with the pipeline's failure, if the pipeline fails. */
    static void await(String what, Pipeline p, Callable<Boolean> check) {
        Waits.await(what, Duration.ofSeconds(120))
                .whileAlive(() -> {
                    if (p.state() == PipelineState.FAILED) {
                        throw new AssertionError("pipeline failed", p.failure().orElse(null));
                    }
                })
                .until(
                        () -> {
                            try {
                                return check.call();
                            } catch (java.sql.SQLException e) {
                                return false; // the table is not there yet
                            }
                        },
                        ok -> ok);
    }

    static void stop(Pipeline p) throws InterruptedException {
        p.stop();
        if (!p.await(Duration.ofSeconds(30))) {
            throw new AssertionError("pipeline did not stop");
        }
    }
}
