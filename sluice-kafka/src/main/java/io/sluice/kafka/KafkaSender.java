package io.sluice.kafka;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that calls the transactional producer once the sink is open: it sends the records the sink's
 * thread hands over and commits Kafka transactions, in exactly the order they were handed over. The sink's thread
 * meanwhile encodes the next events, so the producer's per-record work (sizes, the record append, partitioning)
 * overlaps the JSON encoding instead of following it.
 *
 * <p><b>Order.</b> One FIFO queue: chunks of records and commits are carried out in hand-over order, so a commit
 * covers exactly the records handed over before it, as when the sink called the producer itself.
 *
 * <p><b>Bounded.</b> At most {@link #maxQueuedBytes} of handed-over records wait here (one chunk always fits), on
 * top of the producer's own {@code buffer.memory}; a full queue blocks the sink's thread (back-pressure).
 *
 * <p><b>Bounded in time.</b> The broker aborts a Kafka transaction open longer than {@code transaction.timeout.ms}.
 * Each chunk handed over inside a long source transaction carries a {@link Split}: the offsets record that may
 * commit the Kafka transaction right after it (the checkpoint marked with how far into the source transaction Kafka
 * then is). Once the open Kafka transaction is {@link #splitAfterMs} old, the sender commits it at the last such
 * point, before the next chunk or while it waits for one (a slow source, a paused pipeline), so no transaction is
 * left to time out while a restart could resume inside it.
 *
 * <p><b>Failures.</b> The first failure of a send or a commit is kept; everything handed over after it is dropped
 * (the open Kafka transaction is lost anyway and is aborted when the producer closes) and the sink's thread gets
 * the failure at its next call ({@link #check()}, {@link #send}, {@link #commit}). Nothing handed over after a
 * failure is ever committed.
 */
final class KafkaSender {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);

    private record Chunk(List<ProducerRecord<byte[], byte[]>> records, long bytes, Split split) {}

    /**
     * Where the open Kafka transaction may be committed, right after a chunk: with an offsets record of
     * {@code mark}, a checkpoint marked with how far into its source transaction Kafka then is
     * ({@link Checkpoint#partial()}).
     */
    record Split(Checkpoint mark) {}

    private record Commit(ProducerRecord<byte[], byte[]> offsets, CompletableFuture<Void> done) {}

    private static final Object STOP = new Object();

    private final KafkaSinkConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Callback callback;
    private final long timeoutMs;
    private final long maxQueuedBytes;
    /** Age of an open Kafka transaction at which it is committed at its last {@link Split}. */
    private final long splitAfterMs;
    /** The offsets record of a checkpoint. */
    private final Function<Checkpoint, ProducerRecord<byte[], byte[]>> offsetsRecord;

    private final Thread thread;

    /** Guarded by {@code this}. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private long queuedBytes;
    /** The first failure; once set, nothing more is sent or committed. */
    private volatile RuntimeException failure;
    /** A Kafka transaction is open. Written by the sender thread; read by others only after {@link #stop} joined it. */
    private boolean inTransaction;
    /** When the open Kafka transaction began ({@link System#nanoTime()}); 0: none is open. */
    private volatile long began;
    /** Where the open Kafka transaction may be committed: after the last chunk sent; null if not there. */
    private Split split;
    /** Kafka transactions committed at a {@link Split} for their age. */
    private long timedSplits;

    KafkaSender(
            KafkaSinkConfig config,
            KafkaProducer<byte[], byte[]> producer,
            Callback callback,
            long timeoutMs,
            long maxQueuedBytes,
            long splitAfterMs,
            Function<Checkpoint, ProducerRecord<byte[], byte[]>> offsetsRecord) {
        this.config = config;
        this.producer = producer;
        this.callback = callback;
        this.timeoutMs = timeoutMs;
        this.maxQueuedBytes = maxQueuedBytes;
        this.splitAfterMs = splitAfterMs;
        this.offsetsRecord = offsetsRecord;
        this.thread = new Thread(this::run, "sluice-" + config.pipeline() + "-kafka-send");
        thread.setDaemon(true);
        thread.start();
    }

    /** Throws the first failure of the sender thread, if there was one. */
    void check() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    /**
     * Hands records over to be sent in the current Kafka transaction; blocks while the queue is full. {@code split}:
     * where the transaction may be committed right after them, or null.
     */
    void send(List<ProducerRecord<byte[], byte[]>> records, long bytes, Split split) throws InterruptedException {
        check();
        synchronized (this) {
            while (queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes && failure == null) {
                wait();
            }
            queue.add(new Chunk(records, bytes, split));
            queuedBytes += bytes;
            notifyAll();
        }
    }

    /**
     * Sends {@code offsets} after everything handed over so far and commits the Kafka transaction; returns at once.
     * The future completes when the transaction is committed, or with what went wrong; records handed over
     * meanwhile go into the next transaction.
     */
    CompletableFuture<Void> commitAsync(ProducerRecord<byte[], byte[]> offsets) {
        check();
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            queue.add(new Commit(offsets, done));
            notifyAll();
        }
        return done;
    }

    /** Waits for a commit of {@link #commitAsync}; throws what went wrong. */
    static void await(CompletableFuture<Void> commit) throws InterruptedException {
        try {
            commit.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new KafkaException(e.getCause());
        }
    }

    /** How long the open Kafka transaction has been open, in ms; -1 when none is. */
    long transactionAgeMs() {
        long b = began;
        return b == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - b);
    }

    /**
     * Stops the thread after what it is doing (a send blocked on a full producer buffer is interrupted) and waits
     * for it; drops whatever was not sent. Returns whether a Kafka transaction is open.
     */
    boolean stop() {
        synchronized (this) {
            queue.clear();
            queue.add(STOP);
            queuedBytes = 0;
            notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inTransaction;
    }

    private void run() {
        while (true) {
            Object item;
            synchronized (this) {
                long dueIn;
                while (queue.isEmpty() && (dueIn = splitDueInMs()) > 0) {
                    try {
                        wait(dueIn == Long.MAX_VALUE ? 0 : dueIn);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                item = queue.poll(); // null: nothing came, and the open transaction is due to be split
            }
            if (item == STOP) {
                return;
            }
            try {
                if (item == null || item instanceof Chunk) {
                    splitIfDue();
                }
                if (item instanceof Chunk c) {
                    try {
                        if (failure == null) {
                            beginIfNeeded();
                            for (ProducerRecord<byte[], byte[]> r : c.records()) {
                                producer.send(r, callback);
                            }
                            split = c.split();
                        }
                    } finally {
                        synchronized (this) {
                            queuedBytes -= c.bytes();
                            notifyAll();
                        }
                    }
                } else if (item instanceof Commit c) {
                    RuntimeException f = failure;
                    if (f != null) {
                        c.done().completeExceptionally(f);
                    } else {
                        try {
                            commitTransaction(c.offsets());
                            c.done().complete(null);
                        } catch (RuntimeException e) {
                            c.done().completeExceptionally(e);
                            throw e;
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
                LOG.debug("[{}] Kafka send failed: {}", config.pipeline(), e.toString());
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    /** Ms until the open Kafka transaction is due to be committed at its {@link Split}; MAX_VALUE: never. */
    private long splitDueInMs() {
        if (split == null || failure != null || !inTransaction) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, splitAfterMs - transactionAgeMs());
    }

    /** Commits the open Kafka transaction at its last {@link Split} if it is {@link #splitAfterMs} old. */
    private void splitIfDue() {
        if (splitDueInMs() > 0) {
            return;
        }
        PartialTxn at = split.mark().partial();
        long age = transactionAgeMs();
        commitTransaction(offsetsRecord.apply(split.mark()));
        timedSplits++;
        LOG.info(
                "[{}] committed a Kafka transaction inside source transaction {} after {} of its events: it had"
                        + " been open for {} ms, and the broker aborts one open longer than transaction.timeout.ms (timed"
                        + " split {})",
                config.pipeline(),
                at.txn(),
                at.rows(),
                age,
                timedSplits);
    }

    private void beginIfNeeded() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            began = System.nanoTime();
        }
    }

    /** Sends the offsets record and commits the Kafka transaction, waiting out an outage of up to the timeout. */
    private void commitTransaction(ProducerRecord<byte[], byte[]> offsets) {
        beginIfNeeded();
        producer.send(offsets, callback);
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        while (true) {
            try {
                producer.commitTransaction();
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn(
                        "[{}] Kafka at {} does not answer; still trying to commit",
                        config.pipeline(),
                        config.bootstrapServers());
            }
        }
        inTransaction = false;
        began = 0;
        split = null;
    }
}
