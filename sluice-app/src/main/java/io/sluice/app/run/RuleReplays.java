package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.sink.FileSinkConfig;
import io.sluice.core.sink.FileSinkProvider;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkConfig;
import io.sluice.core.sink.SinkContext;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code sluice rules replay} as a call: re-reads a range of the pipeline's binlog ({@link BinlogReread}) through one
 * rule version into an isolated sink with its own state, as a pipeline of its own that ends at the range's end. The
 * live pipeline's state directory, checkpoint and sink are never touched.
 */
public final class RuleReplays {
    /** Sub-directories of a replay directory: the file sink's events, and the replay's own state. */
    public static final String EVENTS = "events";

    public static final String STATE = "state";

    private RuleReplays() {}

    /**
     * Where a replay writes: a sink, the name it knows the replay by (Kafka and JDBC sinks key their checkpoint and
     * fence their writers by it), and the state directory its checkpoint (and the copy of the schema history) goes to.
     */
    public record Target(SinkConfig<?> sink, String name, Path state, String describe) {}

    /**
     * What to replay.
     *
     * @param from     the range's start ({@code file:pos}, a GTID set, a time)
     * @param to       the range's end ({@code file:pos}, a GTID set), null: the server's current end
     * @param version  the rule version to shape with, null: the deployed (newest) one
     * @param target   where to write
     * @param serverId the server id of the binlog connection (0: picked at random)
     */
    public record Request(String from, String to, Integer version, Target target, long serverId) {}

    /** What a replay did: the range read, the version it shaped with, the pipeline's committed transactions. */
    public record Replay(BinlogReread.Range range, int version, long commits, long events) {}

    /**
     * A directory: a file sink writing into {@code <dir>/events}, its checkpoint and schema history in {@code
     * <dir>/state}. Refused where it is the live pipeline's own output or state.
     */
    public static Target directory(PipelineConfig live, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        refuseLive(live, abs.resolve(EVENTS), abs.resolve(STATE));
        return new Target(
                new SinkConfig<>(
                        new FileSinkProvider(),
                        FileSinkConfig.of(abs.resolve(EVENTS)),
                        Optional.of(abs.resolve(EVENTS))),
                live.name(),
                abs.resolve(STATE),
                "the file sink in " + abs.resolve(EVENTS));
    }

    /**
     * Another pipeline's file: its sink, name and state directory (its source is not used). Refused where it has the
     * live pipeline's name (a Kafka or JDBC sink would then take over the live pipeline's checkpoint and fence its
     * writer), its output or its state directory.
     */
    public static Target pipeline(PipelineConfig live, PipelineConfig other) {
        refuseLive(live, other.sink().outputDirectory().orElse(null), other.state());
        if (other.name().equals(live.name())) {
            throw new ConfigException("--into " + other.file() + " has the live pipeline's name, " + live.name()
                    + ": a sink keeps its checkpoint (and fences its writers) by the pipeline's name, so a replay"
                    + " under it could take over the live pipeline's; give the replay's pipeline file another name");
        }
        return new Target(
                other.sink(), other.name(), other.state(), "the " + other.sink().type() + " sink of " + other.file());
    }

    private static void refuseLive(PipelineConfig live, Path output, Path state) {
        Path liveState = live.state().toAbsolutePath().normalize();
        Path liveOut = live.sink()
                .outputDirectory()
                .map(p -> p.toAbsolutePath().normalize())
                .orElse(null);
        Path s = state.toAbsolutePath().normalize();
        Path o = output == null ? null : output.toAbsolutePath().normalize();
        if (s.equals(liveState) || (o != null && (o.equals(liveOut) || o.equals(liveState)))) {
            throw new ConfigException("--into names the live pipeline " + live.name() + "'s own "
                    + (s.equals(liveState) ? "state directory " + liveState : "output " + liveOut)
                    + ": a replay writes into a sink and state of its own; give an empty directory, or a pipeline"
                    + " file with another sink and state directory");
        }
    }

    /** Runs the replay of {@code request} on {@code live}'s binlog to its end; hash masks' keys from {@code env}. */
    public static Replay replay(PipelineConfig live, Request request, Function<String, String> env, Scheduler scheduler)
            throws InterruptedException {
        if (live.rules() == null) {
            throw new ConfigException(live.file() + " names no rule file: add 'rules: <file>' to it (docs/rules.md)");
        }
        RuleSet rules = version(live, request.version(), env);
        BinlogReread reread = new BinlogReread(live, request.serverId(), scheduler);
        BinlogReread.Range range = reread.range(request.from(), request.to());
        Target target = request.target();
        try {
            Files.createDirectories(target.state());
        } catch (IOException e) {
            throw SluiceException.fatal("cannot create the replay's state directory " + target.state(), e);
        }
        BinlogReread.BoundedSource source = reread.source(range, target.state());
        String name = target.name();
        Sink sink = target.sink().create(new SinkContext(name, target.state(), scheduler.clock(), scheduler::nanoTime));
        Pipeline pipeline = new Pipeline(name, source, sink, live.batch(), live.queueEvents(), scheduler);
        pipeline.transform(new RulesStage(rules, scheduler::nanoTime));
        pipeline.start();
        try {
            while (!pipeline.await(Duration.ofSeconds(1))) {
                // the pipeline ends by itself after the range's last transaction (or on a failure)
            }
        } finally {
            pipeline.stop();
        }
        if (pipeline.failure().isPresent()) {
            Throwable t = pipeline.failure().get();
            throw t instanceof SluiceException se ? se : SluiceException.fatal("the replay failed: " + t, t);
        }
        if (!source.done()) {
            throw SluiceException.fatal("the replay of " + range + " stopped before the end of its range", null);
        }
        return new Replay(
                range,
                rules.version(),
                pipeline.stats().commits(),
                pipeline.stats().eventsWritten());
    }

    /** Version {@code n} of the pipeline's rules (null: the newest; before any: its rule file as version 1). */
    static RuleSet version(PipelineConfig live, Integer n, Function<String, String> env) {
        if (n == null) {
            return RulePreviews.deployed(live, env);
        }
        RuleVersions versions =
                new RuleVersions(FileStateStore.open(live.state()).ruleVersions());
        return RuleVersions.ruleSet(versions.get(n), env);
    }
}
