package io.sluice.app.run;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.pipeline.Emitter;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.time.Scheduler;
import io.sluice.rules.RuleSet;
import io.sluice.rules.RuleVersions;
import io.sluice.rules.RulesPreview;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code sluice rules preview} as a call (the CLI renders its result; the HTTP API can call it too): re-reads a range
 * of the pipeline's binlog ({@link BinlogReread}: its own connection and state, nothing of the live pipeline
 * written) and runs the deployed rule version and a candidate over the events ({@link RulesPreview}).
 */
public final class RulePreviews {
    private RulePreviews() {}

    /**
     * What to preview.
     *
     * @param candidateText   the candidate rule file's text
     * @param candidateOrigin where it came from (its path), for messages
     * @param last            the last this many row events before the pipeline's checkpoint (or the server's end
     *                        where it has none, or keeps it elsewhere); null when {@code from} is given
     * @param from            the range's start ({@code file:pos}, a GTID set, a time); null with {@code last}
     * @param to              the range's end ({@code file:pos}, a GTID set), null: the server's current end
     * @param limit           at most this many events listed (the totals count all)
     * @param serverId        the server id of the re-read's binlog connection (0: picked at random)
     */
    public record Request(
            String candidateText,
            String candidateOrigin,
            Integer last,
            String from,
            String to,
            int limit,
            long serverId) {}

    /**
     * Bounds of a preview run for others (the HTTP API): at most {@code maxEvents} row events in a {@code --from}
     * range (and {@code --last} at most that many; 0: no bound), and at most {@code time} of reading (null: none).
     * The CLI runs without bounds: its operator can stop it.
     */
    public record Limits(long maxEvents, java.time.Duration time) {
        /** No bounds. */
        public static final Limits NONE = new Limits(0, null);
    }

    /** A preview stopped by its {@link Limits}; {@link #timedOut()} tells which bound it met. */
    public static final class LimitExceeded extends io.sluice.core.SluiceException {
        private final boolean timedOut;

        LimitExceeded(String message, boolean timedOut) {
            super(message, false, null);
            this.timedOut = timedOut;
        }

        /** True where the time bound stopped it, false where the events bound did. */
        public boolean timedOut() {
            return timedOut;
        }
    }

    /** What a preview read ({@code range}) and found ({@code result}). */
    public record Preview(BinlogReread.Range range, RulesPreview.Result result) {}

    /** Runs the preview of {@code request} on {@code pipeline}'s binlog; hash masks' keys from {@code env}. */
    public static Preview preview(
            PipelineConfig pipeline, Request request, Function<String, String> env, Scheduler scheduler)
            throws InterruptedException {
        return preview(pipeline, request, Limits.NONE, env, scheduler);
    }

    /**
     * Runs the preview of {@code request} within {@code limits}: past a bound it stops reading and throws {@link
     * LimitExceeded} saying which bound and how to stay within it.
     */
    public static Preview preview(
            PipelineConfig pipeline, Request request, Limits limits, Function<String, String> env, Scheduler scheduler)
            throws InterruptedException {
        long started = scheduler.nanoTime();
        if (limits.maxEvents() > 0 && request.last() != null && request.last() > limits.maxEvents()) {
            throw new LimitExceeded(
                    "last " + request.last() + ": a preview here compares at most " + limits.maxEvents()
                            + " events; ask for fewer, or run sluice rules preview from a shell, which has no bound",
                    false);
        }
        if (pipeline.rules() == null) {
            throw new ConfigException(
                    pipeline.file() + " names no rule file: add 'rules: <file>' to it (docs/rules.md)");
        }
        RuleSet deployed = deployed(pipeline, env);
        RuleSet candidate =
                RuleSet.parse(request.candidateText(), request.candidateOrigin(), deployed.version() + 1, env);
        BinlogReread reread = new BinlogReread(pipeline, request.serverId(), scheduler);
        RulesPreview preview = new RulesPreview(
                deployed,
                candidate,
                request.limit(),
                scheduler::nanoTime,
                () -> scheduler.clock().millis());
        Path tmp = tempDir();
        try {
            BinlogReread.Range range;
            if (request.last() != null) {
                range = last(
                        pipeline,
                        reread,
                        request.last(),
                        tmp,
                        preview,
                        reading -> guard(reading, limits, false, started, scheduler));
            } else {
                if (request.from() == null) {
                    throw new ConfigException(
                            "give the range to preview: --last <n>, or --from <position> [--to" + " <position>]");
                }
                range = reread.range(request.from(), request.to());
                reread.read(range, tmp.resolve("state"), guard(preview, limits, true, started, scheduler));
            }
            return new Preview(range, preview.result());
        } finally {
            delete(tmp);
        }
    }

    /**
     * {@code out} behind the bounds of {@code limits}: the time since {@code started} is looked at on every event and
     * commit the re-read hands on; with {@code counting}, the row events too (a {@code --last} read goes through whole
     * binlog files, so there only its {@code n} is bounded, up front).
     */
    private static Emitter guard(Emitter out, Limits limits, boolean counting, long started, Scheduler scheduler) {
        if (limits.maxEvents() <= 0 && limits.time() == null) {
            return out;
        }
        long budget = limits.time() == null ? Long.MAX_VALUE : limits.time().toNanos();
        return new Emitter() {
            private long rows;

            private void inTime() {
                if (scheduler.nanoTime() - started > budget) {
                    throw new LimitExceeded(
                            "the preview ran past its time limit of "
                                    + limits.time().toMillis() + " ms and was"
                                    + " stopped; preview a shorter range (from/to, or fewer last events), or run"
                                    + " sluice rules preview from a shell, which has no limit",
                            true);
                }
            }

            @Override
            public void event(ChangeEvent e) throws InterruptedException {
                inTime();
                if (counting
                        && limits.maxEvents() > 0
                        && e.op() != Op.SCHEMA
                        && e.op() != Op.TRUNCATE
                        && ++rows > limits.maxEvents()) {
                    throw new LimitExceeded(
                            "the range holds more than " + limits.maxEvents() + " row events, the most a preview here"
                                    + " compares; give a closer 'to', or run sluice rules preview from a shell,"
                                    + " which has no bound",
                            false);
                }
                out.event(e);
            }

            @Override
            public void commit(Checkpoint checkpoint) throws InterruptedException {
                inTime();
                out.commit(checkpoint);
            }
        };
    }

    /**
     * The version the pipeline runs: the newest deployed one, or, before its first run recorded one, its rule file
     * (which it records as version 1 when it starts).
     */
    static RuleSet deployed(PipelineConfig pipeline, Function<String, String> env) {
        RuleVersions versions =
                new RuleVersions(FileStateStore.open(pipeline.state()).ruleVersions());
        return versions.latest()
                .map(v -> RuleVersions.ruleSet(v, env))
                .orElseGet(() -> RuleSet.parse(
                        RuleSet.load(pipeline.rules()).text(), pipeline.rules().toString(), 1, env));
    }

    /**
     * The last {@code n} row events before the pipeline's checkpoint (or the server's end): the binlog is read
     * forwards, from the start of the end's file, then of each file before it, until the range holds {@code n}
     * events or the oldest binlog was read; the last {@code n} go to {@code preview}, in order.
     */
    private static BinlogReread.Range last(
            PipelineConfig pipeline,
            BinlogReread reread,
            int n,
            Path tmp,
            RulesPreview preview,
            java.util.function.UnaryOperator<Emitter> bounded)
            throws InterruptedException {
        if (n < 1) {
            throw new ConfigException("--last " + n + ": give at least 1 event");
        }
        BinlogPosition end = StoredState.checkpoint(pipeline)
                .map(Checkpoint::position)
                .map(p -> new BinlogPosition(p.file(), p.pos(), null))
                .orElseGet(reread::end);
        reread.reachable(end, "the end of the range, the pipeline's checkpoint,");
        List<String> files = reread.binlogs();
        int at = files.indexOf(end.file());
        ArrayDeque<ChangeEvent> ring = new ArrayDeque<>();
        BinlogReread.Range range = null;
        for (int i = at, attempt = 0; i >= 0; i--, attempt++) {
            ArrayDeque<ChangeEvent> kept = new ArrayDeque<>();
            long[] count = {0};
            range = new BinlogReread.Range(new BinlogPosition(files.get(i), 4, null), end, null);
            reread.read(range, tmp.resolve("state-" + attempt), bounded.apply(new Emitter() {
                @Override
                public void event(ChangeEvent e) {
                    if (e.op() == Op.SCHEMA || e.op() == Op.TRUNCATE) {
                        return;
                    }
                    count[0]++;
                    kept.addLast(e);
                    if (kept.size() > n) {
                        kept.removeFirst();
                    }
                }

                @Override
                public void commit(Checkpoint checkpoint) {}
            }));
            ring = kept;
            if (count[0] >= n) {
                break;
            }
        }
        for (ChangeEvent e : ring) {
            preview.event(e);
        }
        return range;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-preview-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the preview's state", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
