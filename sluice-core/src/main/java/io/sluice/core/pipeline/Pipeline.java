package io.sluice.core.pipeline;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.Encoder;
import io.sluice.core.encode.EventRun;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.sink.JsonSink;
import io.sluice.core.sink.RunSink;
import io.sluice.core.sink.Sink;
import io.sluice.core.time.Alarm;
import io.sluice.core.time.Scheduler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source, one sink, two threads and a bounded queue between them.
 *
 * <p><b>Threads.</b> The reader thread ({@code sluice-<name>-reader}) runs {@link Source#stream}; its emitter
 * groups events into small batches and puts them on the queue, blocking when it is full (back-pressure). The
 * writer thread ({@code sluice-<name>}) drains the queue into the sink and decides when to flush. All sink calls
 * happen on the writer thread; {@link #stop()} and the status getters are safe from any thread.
 *
 * <p><b>Exactly once.</b> The sink only ever makes whole transactions durable (a checkpoint is written after the
 * data it covers). When the source fails in a way that retrying can fix (a dropped connection), the writer
 * flushes what was committed, re-opens the sink (which discards the half transaction past its checkpoint) and
 * restarts the source from that checkpoint after a back-off. The same path runs after a crash, at start, and
 * when the sink itself fails with a retriable {@link SluiceException} (a message broker away for a while); any
 * other sink error (an {@link IOException} such as a full disk) stops the pipeline with its checkpoint intact.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final int HANDOFF = 256;
    /** How long an empty queue may take to fill while a flush is in flight before the batch ends anyway. */
    private static final long IDLE_GRACE_MS = 20;

    /** The end of one reader run: {@code error} is null when it stopped because it was asked to. */
    private record End(Throwable error) {}

    /** A source time reached without an event ({@link Emitter#sourceTime}), queued in order with the events. */
    private record SourceTime(long tsMs) {}

    private final String name;
    private final Source source;
    private final Sink sink;
    private final BatchPolicy batch;
    private final int queueEvents;
    private final Clock clock;
    private final Scheduler scheduler;
    /** Ends a back-off early at {@link #stop()}. */
    private final Alarm backoff;

    private final Duration retryMax;
    private final Thread writer;
    private final PipelineStats stats = new PipelineStats();

    private volatile boolean stopping;
    private volatile boolean paused;
    private final Object pauseLock = new Object();
    private volatile PipelineState state = PipelineState.NEW;
    private volatile Throwable failure;
    private volatile Thread reader;
    private volatile PipelineListener listener = PipelineListener.NONE;
    /** The stage between source and encoder (transformation rules); none by default. */
    private volatile Transform transform = Transform.none();
    /** Source times of the events written since the last flush; the first {@code covered} are committed. */
    private long[] pendingTs = new long[1024];

    private int pendingCount;
    private int covered;
    /** A flush the sink still carries out in the background ({@link Sink#flush()}), or null. */
    private Checkpoint inflight;

    private int inflightCovered;
    private long inflightT0;
    /**
     * The newest source time reached without an event: handed over (not yet under a commit), under the last commit,
     * and in the flush in flight; 0 for none.
     */
    private long handedSourceTs;

    private long coveredSourceTs;
    private long inflightSourceTs;

    /** The pipeline's source (for status a source offers beyond the pipeline's own, such as snapshot progress). */
    public Source source() {
        return source;
    }

    /** A pipeline on the system's time with {@code clock} (see {@link Scheduler#system}). */
    public Pipeline(String name, Source source, Sink sink, BatchPolicy batch, int queueEvents, Clock clock) {
        this(name, source, sink, batch, queueEvents, Scheduler.system(clock));
    }

    /**
     * A pipeline whose back-off, flush intervals and timings run by {@code scheduler} (and its clock): the
     * composition root passes the process's one scheduler, tests a manual one.
     */
    public Pipeline(String name, Source source, Sink sink, BatchPolicy batch, int queueEvents, Scheduler scheduler) {
        this.name = name;
        this.source = source;
        this.sink = sink;
        this.batch = batch;
        this.queueEvents = Math.max(queueEvents, 2 * HANDOFF);
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.backoff = new Alarm(scheduler);
        this.retryMax = Duration.ofSeconds(30);
        this.writer = new Thread(this::run, "sluice-" + name);
    }

    public String name() {
        return name;
    }

    public PipelineState state() {
        return state;
    }

    public PipelineStats stats() {
        return stats;
    }

    /** The failure that stopped the pipeline, if it failed. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Sets the listener (metrics); call before {@link #start()}. */
    public Pipeline listener(PipelineListener l) {
        this.listener = l == null ? PipelineListener.NONE : l;
        sink.meters(this.listener.sinkMeters());
        return this;
    }

    /** The stage between source and encoder ({@link Transform#none()} when there is none). */
    public Transform transform() {
        return transform;
    }

    /** Sets the stage between source and encoder (transformation rules); call before {@link #start()}. */
    public Pipeline transform(Transform t) {
        this.transform = t == null ? Transform.none() : t;
        return this;
    }

    public void start() {
        setState(PipelineState.RUNNING);
        writer.start();
    }

    private void setState(PipelineState s) {
        if (state != s) {
            state = s;
            listener.stateChanged(s);
        }
    }

    /** Asks the pipeline to stop after flushing what it has; returns at once. */
    public void stop() {
        stopping = true;
        source.stop();
        backoff.wake();
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    /**
     * Pauses delivery: the sink makes what it has durable and takes nothing more; the reader stops when the queue
     * is full (back-pressure), so the source connection stays open and nothing is lost.
     */
    public void pause() {
        paused = true;
    }

    /** Resumes delivery after {@link #pause()}. */
    public void resume() {
        paused = false;
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Waits for the pipeline to end; true if it ended within the timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        writer.join(Math.max(1, timeout.toMillis()));
        return !writer.isAlive();
    }

    private void run() {
        org.slf4j.MDC.put("pipeline", name);
        long backoffMs = 1000;
        try {
            while (!stopping) {
                long committedBefore = stats.commits();
                Throwable error;
                try {
                    Optional<Checkpoint> from = sink.open();
                    Checkpoint start = from.isPresent() ? from.get() : fixStart();
                    LOG.info(
                            "[{}] starting from {}",
                            name,
                            start == null
                                    ? "the configured start"
                                    : start.position().toString());
                    error = runOnce(start);
                } catch (SluiceException sinkError) {
                    // a sink (or the start's resolution) that says retrying can help (a broker or server away for a
                    // while): same path as the source's
                    error = sinkError;
                }
                if (error == null) {
                    break;
                }
                if (!(error instanceof SluiceException se) || !se.retriable() || stopping) {
                    throw error;
                }
                if (stats.commits() > committedBefore) {
                    backoffMs = 1000;
                }
                setState(PipelineState.RETRYING);
                stats.retried();
                listener.retrying(error, backoffMs);
                LOG.warn("[{}] {}; retrying in {} ms from the last checkpoint", name, error.getMessage(), backoffMs);
                backoff.await(Duration.ofMillis(backoffMs), () -> stopping);
                backoffMs = Math.min(backoffMs * 2, retryMax.toMillis());
                setState(PipelineState.RUNNING);
            }
            setState(PipelineState.STOPPED);
            LOG.info("[{}] stopped", name);
        } catch (Throwable thrown) {
            OutOfMemoryError oom = thrown instanceof SluiceException ? null : OutOfHeap.find(thrown);
            Throwable t = oom == null ? thrown : OutOfHeap.error(oom, "in pipeline " + name, null, 0);
            failure = t;
            listener.failed(t);
            setState(PipelineState.FAILED);
            LOG.error("[{}] failed: {}", name, t.getMessage(), t instanceof SluiceException ? null : t);
        } finally {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("[{}] closing the sink failed: {}", name, e.toString());
            }
        }
    }

    /**
     * With no checkpoint yet: has the source resolve its configured start ({@link Source#resolveStart()}) and makes
     * that the sink's first checkpoint, durable before any event is read. A retry or a restart before the first
     * transaction then begins where this run began, not at a server end that has moved on meanwhile (which would
     * lose what was committed in between). Returns the checkpoint, or null when the source's start is fixed.
     */
    private Checkpoint fixStart() throws IOException, InterruptedException {
        Checkpoint start = source.resolveStart();
        if (start == null) {
            return null;
        }
        long t0 = scheduler.nanoTime();
        sink.commit(start);
        sink.flush();
        sink.awaitFlush();
        stats.committed(start, 0);
        listener.committed(start, 0, new long[0], clock.millis(), scheduler.nanoTime() - t0);
        LOG.info(
                "[{}] no checkpoint yet: the configured start is {}, kept as the first checkpoint",
                name,
                start.position());
        return start;
    }

    /** Runs the source once until it ends; returns its error (null when stopped), throws on sink failure. */
    private Throwable runOnce(Checkpoint from) throws IOException, InterruptedException {
        BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(Math.max(2, queueEvents / HANDOFF));
        // runs of snapshot events are single items of the queue: they take their events' share of its room here
        java.util.concurrent.Semaphore runRoom = new java.util.concurrent.Semaphore(queueEvents);
        QueueEmitter emitter = new QueueEmitter(
                queue,
                listener,
                sink instanceof RunSink ? runRoom : null,
                queueEvents,
                scheduler,
                sink instanceof JsonSink ? Encoder.json() : null);
        pendingCount = 0;
        covered = 0;
        inflight = null;
        handedSourceTs = 0;
        coveredSourceTs = 0;
        inflightSourceTs = 0;
        Emitter shaped = transform.around(emitter, from);
        Thread r = new Thread(
                () -> {
                    org.slf4j.MDC.put("pipeline", name);
                    Throwable error = null;
                    try {
                        source.stream(from, shaped);
                    } catch (Throwable t) {
                        error = t;
                    }
                    emitter.end(error);
                },
                "sluice-" + name + "-reader");
        reader = r;
        r.start();
        try {
            return drain(queue, runRoom);
        } finally {
            // free a reader blocked on the full queue first, then ask the source to stop
            queue.clear();
            r.interrupt();
            source.stop();
            r.join(10_000);
            reader = null;
        }
    }

    /** The batch the writer thread fills: the commit the next flush covers, and what ends the batch. */
    private static final class Batch {
        Checkpoint pending;
        int events;
        long bytes;
        long firstCommitAt = -1;
        /** Every event of the batch so far is a snapshot row. */
        boolean snapshotOnly = true;

        void reset() {
            pending = null;
            events = 0;
            bytes = 0;
            firstCommitAt = -1;
            snapshotOnly = true;
        }
    }

    private Throwable drain(BlockingQueue<List<Object>> queue, java.util.concurrent.Semaphore runRoom)
            throws IOException, InterruptedException {
        Batch b = new Batch();
        while (true) {
            if (paused && !stopping) {
                endBatch(b, true);
                awaitFlush();
                waitWhilePaused();
            }
            List<Object> items = queue.poll();
            if (items == null && b.pending != null && inflight != null) {
                // the sink still commits the previous batch in the background: rather than end this batch now
                // and wait for that commit, give the source a moment to hand over more (a full pipeline then
                // ends batches by their bounds; an idle one waits at most this long longer)
                items = queue.poll(IDLE_GRACE_MS, TimeUnit.MILLISECONDS);
            }
            if (items == null && b.pending != null && b.events > 0 && b.snapshotOnly && b.pending.snapshot() != null) {
                // a batch of snapshot rows only: no consumer waits on these as it does on a change, and the next
                // chunk is on its way, so the batch ends at its bounds rather than at every chunk (each flush costs
                // an fsync and a checkpoint write, whatever its size). Once the checkpoint lists no snapshot work
                // (the last chunk is in), no chunk is coming: the batch ends now, and the snapshot is durable and
                // reported done without waiting out the bound
                long left = batch.maxMillis() - (clock.millis() - b.firstCommitAt);
                if (left > 0) {
                    items = queue.poll(left, TimeUnit.MILLISECONDS);
                }
            }
            if (items == null) {
                endBatch(b, true);
                awaitFlush(); // nothing to do meanwhile: make what is in flight durable (and reported) now
                while ((items = queue.poll(200, TimeUnit.MILLISECONDS)) == null) {
                    if (stopping) {
                        source.stop(); // again: a stop that raced with the source's start must not be lost
                    }
                }
            }
            for (Object item : items) {
                if (item instanceof Encoded enc) {
                    written(b, enc.event(), ((JsonSink) sink).write(enc)); // encoded for a JsonSink only
                } else if (item instanceof ChangeEvent e) {
                    written(b, e, sink.write(e));
                } else if (item instanceof EventRun run) {
                    int n = run.size();
                    long ts = run.source().tsMs();
                    b.snapshotOnly &= run.source().snapshot();
                    long bytes = ((RunSink) sink).write(run); // runs are queued for a RunSink only
                    runRoom.release(Math.min(n, queueEvents));
                    b.bytes += bytes;
                    b.events += n;
                    stats.read(n, ts);
                    listener.written(run, bytes);
                    if (pendingCount + n > pendingTs.length) {
                        pendingTs =
                                java.util.Arrays.copyOf(pendingTs, Math.max(pendingTs.length * 2, pendingCount + n));
                    }
                    java.util.Arrays.fill(pendingTs, pendingCount, pendingCount + n, ts);
                    pendingCount += n;
                } else if (item instanceof SourceTime t) {
                    handedSourceTs = Math.max(handedSourceTs, t.tsMs());
                    listener.sourceTime(t.tsMs(), false);
                } else if (item instanceof Checkpoint cp) {
                    sink.commit(cp);
                    b.pending = cp;
                    covered = pendingCount;
                    coveredSourceTs = Math.max(coveredSourceTs, handedSourceTs);
                    handedSourceTs = 0;
                    if (b.firstCommitAt < 0) {
                        b.firstCommitAt = clock.millis();
                    }
                } else if (item instanceof End end) {
                    endBatch(b, true);
                    awaitFlush();
                    return end.error();
                }
            }
            if (b.pending != null
                    && (b.events >= batch.maxEvents()
                            || b.bytes >= batch.maxBytes()
                            || clock.millis() - b.firstCommitAt >= batch.maxMillis())) {
                // a sink that commits in the background (Kafka) takes the next batch while this one commits
                endBatch(b, false);
            }
        }
    }

    /** Counts an event the sink took ({@code n} bytes) into the batch, the stats and the pending emit times. */
    private void written(Batch b, ChangeEvent e, long n) {
        b.snapshotOnly &= e.source().snapshot();
        b.bytes += n;
        b.events++;
        stats.read(e.source().tsMs());
        listener.written(e, n);
        if (pendingCount == pendingTs.length) {
            pendingTs = java.util.Arrays.copyOf(pendingTs, pendingCount * 2);
        }
        pendingTs[pendingCount++] = e.source().tsMs();
    }

    /** Flushes the batch up to its last commit, if it has one, and starts the next; see {@link #flush}. */
    private void endBatch(Batch b, boolean wait) throws IOException {
        if (b.pending != null) {
            flush(b.pending, wait);
            b.reset();
        }
    }

    private void waitWhilePaused() throws InterruptedException {
        PipelineState before = state;
        setState(PipelineState.PAUSED);
        LOG.info("[{}] paused", name);
        synchronized (pauseLock) {
            while (paused && !stopping) {
                pauseLock.wait(1000);
            }
        }
        setState(before == PipelineState.PAUSED ? PipelineState.RUNNING : before);
        LOG.info("[{}] resumed", name);
    }

    /**
     * Flushes up to {@code cp}, the last commit. A sink may carry the flush out in the background: then it is
     * reported committed once {@link #awaitFlush()} saw it done (before the next flush starts, when the queue runs
     * dry, at a pause and at the end), or at once when {@code wait}.
     */
    private void flush(Checkpoint cp, boolean wait) throws IOException {
        awaitFlush();
        inflightT0 = scheduler.nanoTime();
        inflight = cp;
        inflightCovered = covered;
        inflightSourceTs = coveredSourceTs;
        coveredSourceTs = 0;
        if (sink.flush() || wait) {
            awaitFlush();
        }
    }

    /** Waits for the flush in flight, if any, and reports it committed. */
    private void awaitFlush() throws IOException {
        if (inflight == null) {
            return;
        }
        Checkpoint cp = inflight;
        inflight = null;
        sink.awaitFlush();
        long flushNanos = scheduler.nanoTime() - inflightT0;
        int n = inflightCovered;
        stats.committed(cp, n);
        if (listener != PipelineListener.NONE) {
            listener.committed(cp, n, java.util.Arrays.copyOf(pendingTs, n), clock.millis(), flushNanos);
            if (inflightSourceTs > 0) {
                listener.sourceTime(inflightSourceTs, true);
            }
        }
        inflightSourceTs = 0;
        // events written since the flush started stay, in front of them now
        System.arraycopy(pendingTs, n, pendingTs, 0, pendingCount - n);
        pendingCount -= n;
        covered -= n;
    }

    /**
     * Groups the reader's output into hand-offs of up to {@value #HANDOFF} items, ending each at a commit. A run of
     * snapshot events ({@link EventRun}) is one item, which first takes room for its events (at most the queue's
     * size) from the room for runs: runs queued hold at most as many events as the queue does.
     */
    private static final class QueueEmitter implements Emitter {
        private final BlockingQueue<List<Object>> queue;
        private final PipelineListener listener;
        /**
         * Room for runs' events while queued (as many as the queue holds): a sink that writes runs whole gets them as
         * one item each, which take their share of it first; null: the sink takes the runs' events one by one, made
         * here.
         */
        private final java.util.concurrent.Semaphore runRoom;

        private final int queueEvents;
        /**
         * The encoder stage: wraps each event for a JSON sink, whose thread encodes it; null for a typed sink
         * (not a {@link JsonSink}), which takes the events as they are.
         */
        private final Encoder encoder;

        private final Scheduler scheduler;
        private List<Object> current = new ArrayList<>(HANDOFF);

        QueueEmitter(
                BlockingQueue<List<Object>> queue,
                PipelineListener listener,
                java.util.concurrent.Semaphore runRoom,
                int queueEvents,
                Scheduler scheduler,
                Encoder encoder) {
            this.encoder = encoder;
            this.queue = queue;
            this.listener = listener;
            this.runRoom = runRoom;
            this.queueEvents = queueEvents;
            this.scheduler = scheduler;
        }

        @Override
        public void events(EventRun run) throws InterruptedException {
            if (runRoom == null) {
                // a sink that takes events one by one: encoded whole from the run's arena, or typed
                for (int k = 0, n = run.size(); k < n; k++) {
                    current.add(encoder != null ? run.encoded(k) : run.event(k));
                    if (current.size() >= HANDOFF) {
                        handOff();
                    }
                }
                return;
            }
            int permits = Math.min(run.size(), queueEvents); // a run larger than the queue waits for all of it
            if (!runRoom.tryAcquire(permits)) {
                if (!current.isEmpty()) {
                    handOff(); // what waits here may hold the runs whose room this one needs
                }
                long t0 = scheduler.nanoTime();
                runRoom.acquire(permits);
                listener.blocked(scheduler.nanoTime() - t0);
            }
            current.add(run);
            if (current.size() >= HANDOFF) {
                handOff();
            }
        }

        @Override
        public void event(ChangeEvent event) throws InterruptedException {
            current.add(
                    encoder != null ? encoder.encode(event) : event); // the encoder stage: the sink's thread encodes
            if (current.size() >= HANDOFF) {
                handOff();
            }
        }

        @Override
        public void commit(Checkpoint checkpoint) throws InterruptedException {
            current.add(checkpoint);
            handOff();
        }

        @Override
        public void sourceTime(long sourceTsMs) {
            current.add(new SourceTime(sourceTsMs)); // handed off with the commit that follows it
        }

        private void handOff() throws InterruptedException {
            if (!queue.offer(current)) {
                long t0 = scheduler.nanoTime();
                queue.put(current);
                listener.blocked(scheduler.nanoTime() - t0);
            }
            current = new ArrayList<>(HANDOFF);
        }

        void end(Throwable error) {
            current.add(new End(error));
            try {
                queue.put(current);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
