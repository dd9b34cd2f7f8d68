package io.sluice.kafka;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.checkpoint.SnapshotProgress;
import io.sluice.core.encode.Encoded;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.JsonSink;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once delivery of change events into Kafka, in the manner of KIP-618 (exactly-once source connectors).
 *
 * <p><b>The commit.</b> One transactional producer ({@code transactional.id = sluice-<pipeline>}) writes the events
 * and, at {@link #flush()}, one record to the compacted offsets topic (key: the pipeline name, value: the
 * {@link CheckpointCodec} JSON of the last {@link #commit} checkpoint), then commits the Kafka transaction. Events and
 * the checkpoint that covers them therefore become visible to a {@code read_committed} consumer together, or not at
 * all.
 *
 * <p><b>Partitions.</b> A row event goes to the partition of its key (Kafka's default partitioner), so each key's
 * events stay in order. A table without a key has all its events in one partition ({@link #keylessPartition}). A
 * {@code t} or {@code s} event concerns every row, so it is written once to every partition of the table's topic
 * (same value, same {@code sluice.id}): each key's lane sees it between the events before and after it.
 *
 * <p><b>Whole source transactions only.</b> The pipeline may flush while a source transaction is half written (its
 * first events were handed over, its commit not yet). Those events must not enter the Kafka transaction being
 * committed, or a consumer would see half a source transaction, and a restart from the checkpoint would repeat them.
 * So events written since the last {@link #commit} are held back in memory (up to
 * {@link KafkaSinkConfig#holdBackBytes()}) and sent when their transaction's commit arrives. A larger source
 * transaction is sent as it comes (memory stays bounded by the producer's {@code buffer.memory}, and {@code send}
 * blocks when Kafka is slow: back-pressure); a flush requested while such a transaction is open is carried out at
 * its commit. Either way every Kafka transaction ends at a source transaction's end, with one exception:
 *
 * <p><b>Huge source transactions.</b> When one source transaction has put
 * {@link KafkaSinkConfig#maxTransactionEvents()} events into the open Kafka transaction, the sink commits the Kafka
 * transaction right there, with an offsets record that is the last checkpoint plus a {@link PartialTxn} mark (the
 * transaction's id and how many of its events Kafka now holds). A restart resumes inside that transaction and the
 * source suppresses the events before the mark, so each event still lands once and in order; a read_committed
 * consumer sees such a transaction in several committed parts. This bounds the time and size of a Kafka
 * transaction (the broker aborts one older than {@code transaction.timeout.ms}). The rows of a whole-table read of a
 * table without a key are split the same way ({@link #resumableSnapshotRow}); and once the open Kafka transaction is
 * half {@code transaction.timeout.ms} old, the {@link KafkaSender} commits it at the last such point by itself
 * ({@link KafkaSender.Split}), also while no event comes.
 *
 * <p><b>Recovery and fencing.</b> {@link #open()} creates a new producer and calls {@code initTransactions}, which
 * aborts any transaction the previous incarnation left open and fences every older producer with the same id; then
 * it reads the last committed offsets record. An instance that was fenced fails its next send or commit with a fatal
 * {@link SluiceException} saying another instance took over, unless the broker says it aborted the transaction for
 * its age ({@link #abortedForItsAge}): retriable. Other client failures are retriable too (open again).
 *
 * <p><b>Threads.</b> Calls come from one thread, as {@link Sink} requires. That thread encodes the events; once the
 * sink is open, a {@link KafkaSender} thread makes every producer call (sends, commits) in hand-over order, so the
 * producer's per-record work and the wait for a commit overlap the encoding of the next events. {@link #flush()}
 * returns at once and {@link #awaitFlush()} waits for the Kafka transaction's commit. {@link #sendError} is written
 * by the producer's I/O thread.
 */
final class KafkaSink implements JsonSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    static final String HEADER_ID = KafkaSinks.HEADER_ID;
    static final String HEADER_OP = KafkaSinks.HEADER_OP;
    static final String HEADER_SCHEMA = KafkaSinks.HEADER_SCHEMA;

    private final KafkaSinkConfig config;
    /** Records handed to the sender at a time (a held-back source transaction goes over whole). */
    private static final int CHUNK = 256;
    /** Bytes of records waiting for the sender's thread, at most (beyond one chunk). */
    private static final long SENDER_QUEUE_BYTES = 4L << 20;

    private final Clock clock;
    private final byte[] offsetsKey;
    private final long timeoutMs;
    /** The producer's {@code transaction.timeout.ms}: the broker aborts a Kafka transaction open longer. */
    private final long transactionTimeoutMs;

    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaTopics topics;
    /** Calls the producer from its own thread once the sink is open. */
    private KafkaSender sender;
    /** The commit {@link #flush()} handed over and {@link #awaitFlush()} has not seen complete. */
    private CompletableFuture<Void> inflight;

    private boolean opened;
    private boolean broken;
    /** Events of the unfinished source transaction, not sent yet. */
    private List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>();

    private long heldBytes;
    /** Records to send, not handed to the sender yet (a spilled transaction's, in chunks of {@link #CHUNK}). */
    private List<ProducerRecord<byte[], byte[]>> outgoing = new ArrayList<>();

    private long outgoingBytes;
    /** The topic of the last event's table (the source hands over the same strings for a table's events). */
    private String lastDb;

    private String lastTable;
    private String lastTopic;
    /** The partition of the last table's events if it has no key ({@link #keylessPartition}), or -1: not known. */
    private int lastKeyless = -1;
    /** The last event written (its records held back or queued), or null. */
    private ChangeEvent lastWritten;
    /** Events of the unfinished source transaction were sent (it outgrew the hold-back bound). */
    private boolean spilled;
    /** The checkpoint of the last commit, not yet in Kafka. */
    private Checkpoint pending;
    /** The checkpoint of the last commit (or the one {@link #open()} read): where the open source transaction began. */
    private Checkpoint last;
    /** Events of the open source transaction in the open Kafka transaction (held back or sent). */
    private int openTxnEvents;
    /** Kafka transactions committed in the middle of a source transaction, since the sink was created. */
    private long splits;
    /** A flush was asked for while a spilled transaction was open: it is carried out at that transaction's commit. */
    private boolean deferredFlush;
    /** The first failure the producer reported for a send; written by the producer's I/O thread. */
    private volatile Exception sendError;

    private final Callback callback = (metadata, error) -> {
        if (error != null && sendError == null) {
            sendError = error;
        }
    };

    KafkaSink(KafkaSinkConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.offsetsKey = config.pipeline().getBytes(StandardCharsets.UTF_8);
        this.timeoutMs = Math.max(1000, config.outageTimeout().toMillis());
        this.transactionTimeoutMs =
                Long.parseLong(String.valueOf(producerProperties().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))
                        .strip());
    }

    @Override
    public Optional<Checkpoint> open() throws IOException {
        closeClients(false);
        opened = false;
        broken = false;
        resetTransactionState();
        sendError = null;
        try {
            admin = Admin.create(adminProperties());
            topics = new KafkaTopics(config, admin, timeoutMs);
            // the offsets topic (describe, create, wait for its leader) and the producer's id (find the coordinator,
            // InitProducerId: fences older instances) are independent round trips to the cluster: made at once,
            // the start waits for the slower only. The checkpoint is read once both are done (after the fencing)
            CompletableFuture<Void> offsetsTopic =
                    CompletableFuture.runAsync(topics::ensureOffsetsTopic, r -> startThread(r, "offsets-topic"));
            try {
                producer =
                        new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
                producer.initTransactions();
            } catch (RuntimeException e) {
                offsetsTopic.handle((v, t) -> null).join(); // done with the admin client before it is closed
                throw e;
            }
            awaitStartStep(offsetsTopic);
            Optional<Checkpoint> cp = readCheckpoint();
            last = cp.orElse(null);
            sender = new KafkaSender(
                    config,
                    producer,
                    callback,
                    timeoutMs,
                    SENDER_QUEUE_BYTES,
                    transactionTimeoutMs / 2,
                    this::offsetsRecord);
            opened = true;
            LOG.info(
                    "[{}] Kafka sink open on {} (transactional.id {}), checkpoint in {}: {}",
                    config.pipeline(),
                    config.bootstrapServers(),
                    config.transactionalId(),
                    config.offsetsTopic(),
                    cp.map(c -> c.position().toString()).orElse("none yet"));
            return cp;
        } catch (KafkaException | SluiceException e) {
            closeClients(false);
            throw KafkaErrors.classify(config, "opening the sink", e);
        }
    }

    /** Runs one step of {@link #open()} on a thread of its own. */
    private void startThread(Runnable step, String what) {
        Thread t = new Thread(step, "sluice-" + config.pipeline() + "-kafka-" + what);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for a step of {@link #open()} run on its own thread; rethrows its failure as it was thrown. */
    private static void awaitStartStep(CompletableFuture<Void> step) throws java.io.InterruptedIOException {
        try {
            step.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            step.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted opening the Kafka sink");
        }
    }

    @Override
    public long write(Encoded encoded) throws IOException {
        ensureUsable();
        ChangeEvent event = encoded.event();
        try {
            SourceInfo s = event.source();
            // a rule's route (issue 15) names the destination in place of the source table
            String topic = topicFor(KafkaSinks.destinationDb(event), KafkaSinks.destinationTable(event));
            // the event's JSON rendered once straight into bytes (as the file sink's), the key's copied out of them
            // (or made ahead with a snapshot's event)
            Encoded.WithKey json = encoded.toJsonWithKey(clock.millis());
            byte[] key = json.key();
            byte[] value = json.json();
            long size = value.length + (key == null ? 0 : key.length);
            // t and s concern every row of the table: a copy in each partition keeps each key's lane in order
            boolean everyPartition = event.op() == Op.TRUNCATE || event.op() == Op.SCHEMA;
            int copies = everyPartition ? topics.partitions(topic) : 1;
            long n = size * copies;
            openTxnEvents++;
            boolean hold = !spilled
                    && heldBytes + n <= config.holdBackBytes()
                    && openTxnEvents < config.maxTransactionEvents();
            if (!hold) {
                sendHeld(true);
                spilled = true;
            }
            List<ProducerRecord<byte[], byte[]>> to = hold ? held : outgoing;
            List<Header> headers = headers(event);
            for (int p = 0; p < copies; p++) {
                Integer partition = everyPartition ? Integer.valueOf(p) : key == null ? keylessPartition(s) : null;
                to.add(new ProducerRecord<>(topic, partition, key, value, headers));
            }
            lastWritten = event;
            if (hold) {
                heldBytes += n;
            } else {
                outgoingBytes += n;
                if (outgoing.size() >= CHUNK) {
                    handOver(true);
                }
                Checkpoint mark;
                if (openTxnEvents >= config.maxTransactionEvents() && (mark = markAfter(event)) != null) {
                    commitInside(mark);
                }
            }
            return n;
        } catch (KafkaException | SluiceException e) {
            throw fail("writing event " + event.id(), e);
        }
    }

    /**
     * The partition of every event of a table without a key: one, so its changes stay in order. It is the partition
     * Kafka's default partitioner picks for the key {@code <db>.<table>} (stable while the partitions stay).
     */
    private int keylessPartition(SourceInfo s) {
        if (lastKeyless < 0) {
            byte[] name = (s.db() + '.' + s.table()).getBytes(StandardCharsets.UTF_8);
            lastKeyless = Utils.toPositive(Utils.murmur2(name)) % topics.partitions(lastTopic);
        }
        return lastKeyless;
    }

    /**
     * The record headers: {@code sluice.id}, {@code sluice.op}, {@code sluice.schema}. The op and schema headers are
     * shared, immutable objects (one per op, one per schema number); only the id's value is new per event. A plain
     * list: the record copies it into its own {@code RecordHeaders} (a {@code RecordHeaders} here was one more copy).
     */
    private List<Header> headers(ChangeEvent event) {
        return Arrays.asList(
                new RecordHeader(HEADER_ID, event.id().getBytes(StandardCharsets.UTF_8)),
                OP_HEADERS[event.op().ordinal()],
                schemaHeader(event.schema()));
    }

    private static final Header[] OP_HEADERS = Arrays.stream(Op.values())
            .map(op -> new RecordHeader(HEADER_OP, op.code().getBytes(StandardCharsets.UTF_8)))
            .toArray(Header[]::new);
    /** {@code sluice.schema} headers by schema number, made on first use. */
    private Header[] schemaHeaders = new Header[16];

    private Header schemaHeader(int schema) {
        if (schema < 0 || schema > 100_000) {
            return new RecordHeader(HEADER_SCHEMA, Integer.toString(schema).getBytes(StandardCharsets.UTF_8));
        }
        if (schema >= schemaHeaders.length) {
            schemaHeaders = Arrays.copyOf(schemaHeaders, Math.max(schema + 1, 2 * schemaHeaders.length));
        }
        Header h = schemaHeaders[schema];
        if (h == null) {
            h = new RecordHeader(HEADER_SCHEMA, Integer.toString(schema).getBytes(StandardCharsets.UTF_8));
            schemaHeaders[schema] = h;
        }
        return h;
    }

    /** The event topic of a table; the last one is remembered by the identity of its names. */
    private String topicFor(String db, String table) {
        if (db != lastDb || table != lastTable || lastTopic == null) {
            lastTopic = topics.topicFor(db, table);
            lastKeyless = -1;
            lastDb = db;
            lastTable = table;
        }
        return lastTopic;
    }

    @Override
    public void commit(Checkpoint checkpoint) throws IOException {
        ensureUsable();
        try {
            sendHeld(false);
            handOver(false);
            spilled = false;
            openTxnEvents = 0;
            pending = checkpoint;
            last = checkpoint;
            if (deferredFlush) {
                deferredFlush = false;
                commitTransaction();
            }
        } catch (KafkaException | SluiceException e) {
            throw fail("committing a source transaction", e);
        }
    }

    /**
     * Hands the commit of the Kafka transaction (with the offsets record of the last checkpoint) to the sender's
     * thread and returns: the sink's thread goes on encoding the next events while Kafka commits.
     */
    @Override
    public boolean flush() throws IOException {
        ensureUsable();
        awaitFlush(); // at most one in flight
        try {
            if (spilled) {
                // carried out at the transaction's end; meanwhile the sender may commit at a split point after the
                // events so far if the Kafka transaction grows old (a pause, a slow source)
                handOver(true);
                deferredFlush |= pending != null;
                return true;
            }
            if (pending == null) {
                return true;
            }
            handOver(false);
            inflight = sender.commitAsync(offsetsRecord(pending));
            pending = null;
            return false;
        } catch (KafkaException | SluiceException e) {
            throw fail("committing a Kafka transaction", e);
        }
    }

    @Override
    public void awaitFlush() throws IOException {
        ensureUsable();
        CompletableFuture<Void> f = inflight;
        if (f == null) {
            return;
        }
        inflight = null;
        try {
            KafkaSender.await(f);
            checkSendError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("committing a Kafka transaction", new org.apache.kafka.common.errors.InterruptException(e));
        } catch (KafkaException | SluiceException e) {
            throw fail("committing a Kafka transaction", e);
        }
    }

    /**
     * Commits the open Kafka transaction in the middle of a source transaction, with {@code mark} ({@link #markAfter}
     * of the last event written) as its offsets record.
     */
    private void commitInside(Checkpoint mark) {
        pending = mark;
        commitTransaction();
        openTxnEvents = 0;
        splits++;
        LOG.info(
                "[{}] committed a Kafka transaction inside source transaction {} after {} of its events (split {})",
                config.pipeline(),
                mark.partial().txn(),
                mark.partial().rows(),
                splits);
    }

    /**
     * The checkpoint with which the open Kafka transaction may be committed right after {@code event}, in the middle
     * of its source transaction: the last checkpoint marked with how many of the transaction's events Kafka then
     * holds ({@link PartialTxn}; a restart suppresses them). With no checkpoint yet (the pipeline's first
     * transaction), the mark goes on a checkpoint at the transaction's own resume point: nothing was read before it
     * that a restart would have to know about. Null where a restart could not resume after the event:
     * {@link #resumableSnapshotRow}.
     */
    private Checkpoint markAfter(ChangeEvent event) {
        SourceInfo s = event.source();
        if (event.op() == Op.SCHEMA && event.ddl() == null) {
            // an s that announces a version has the row number of the row after it: a mark right after it would
            // make a restart suppress that row too. The next row is the place (docs/change-event.md)
            return null;
        }
        PartialTxn partial = new PartialTxn(PartialTxn.txnOf(s.name(), event.id()), s.row() + 1);
        if (s.snapshot()) {
            return resumableSnapshotRow(event, partial.txn()) ? last.withPartial(partial) : null;
        }
        Checkpoint base =
                last != null ? last : new Checkpoint(new BinlogPosition(s.file(), s.pos(), null), List.of(), Map.of());
        return base.withPartial(partial);
    }

    /**
     * Whether a restart can resume inside the snapshot read {@code event} is a row of. Only a whole-table read of a
     * table without a key qualifies: its rows are numbered on across the read ({@code source.row}, ids
     * {@code <name>:snapshot:<run>:<db>.<table>:#<n>}), and the last checkpoint still lists the job, so a restart
     * reads the table again and suppresses the rows Kafka holds. A chunk of a keyed read is bounded by the chunk
     * size and is never split: its rows are numbered per chunk, and a re-read chunk may hold other keys.
     */
    private boolean resumableSnapshotRow(ChangeEvent event, String txn) {
        if (event.key() != null || last == null || last.snapshot() == null) {
            return false;
        }
        for (SnapshotProgress.Job j : last.snapshot().jobs()) {
            if (txn.equals("snapshot:" + j.run() + ":" + j.table())) {
                return true;
            }
        }
        return false;
    }

    /** Where the sender may commit the open Kafka transaction after the records handed over so far: see markAfter. */
    private KafkaSender.Split splitAfterLastWritten() {
        Checkpoint mark = lastWritten == null ? null : markAfter(lastWritten);
        return mark == null ? null : new KafkaSender.Split(mark);
    }

    /**
     * Sends the offsets record for {@link #pending} after everything handed over and commits the Kafka transaction
     * (on the sender's thread, waiting out an outage); returns once it is committed.
     */
    private void commitTransaction() {
        handOver(false);
        try {
            KafkaSender.await(sender.commitAsync(offsetsRecord(pending)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
        pending = null;
        checkSendError();
    }

    private ProducerRecord<byte[], byte[]> offsetsRecord(Checkpoint cp) {
        return new ProducerRecord<>(config.offsetsTopic(), 0, offsetsKey, offsetsValue(cp));
    }

    /**
     * Hands the held-back events of the source transaction over to be sent. {@code splittable}: the sender may
     * commit the Kafka transaction right after them ({@link #splitAfterLastWritten}).
     */
    private void sendHeld(boolean splittable) {
        if (held.isEmpty()) {
            return;
        }
        handOver(false);
        handOver(held, heldBytes, splittable ? splitAfterLastWritten() : null);
        held = new ArrayList<>();
        heldBytes = 0;
    }

    /**
     * Hands the queued records over to the sender; blocks while its queue is full (back-pressure). {@code splittable}:
     * they end inside a source transaction the sender may commit the Kafka transaction in.
     */
    private void handOver(boolean splittable) {
        if (!outgoing.isEmpty()) {
            handOver(outgoing, outgoingBytes, splittable ? splitAfterLastWritten() : null);
            outgoing = new ArrayList<>(CHUNK);
            outgoingBytes = 0;
        }
    }

    private void handOver(List<ProducerRecord<byte[], byte[]>> records, long bytes, KafkaSender.Split split) {
        checkSendError();
        try {
            sender.send(records, bytes, split);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    private void checkSendError() {
        Exception e = sendError;
        if (e != null) {
            throw e instanceof KafkaException ke ? ke : new KafkaException(e);
        }
        if (sender != null) {
            sender.check();
        }
    }

    private SluiceException fail(String doing, RuntimeException e) {
        broken = true;
        return KafkaErrors.classify(config, doing, e, this::abortedForItsAge);
    }

    /**
     * Why the broker aborted this instance's open Kafka transaction, if it did so for the transaction's age: it was
     * open at least {@code transaction.timeout.ms}, and the broker reports the transactional id's last transaction
     * aborted (after a takeover, another instance has initialised the id since and it is not). Null otherwise.
     */
    private String abortedForItsAge() {
        long age = sender == null ? -1 : sender.transactionAgeMs();
        if (age < transactionTimeoutMs || admin == null) {
            return null;
        }
        String id = config.transactionalId();
        try {
            TransactionDescription d = admin.describeTransactions(List.of(id))
                    .description(id)
                    .get(Math.min(timeoutMs, 10_000), TimeUnit.MILLISECONDS);
            if (d.state() == TransactionState.PREPARE_ABORT || d.state() == TransactionState.COMPLETE_ABORT) {
                return "it had been open for " + age + " ms, longer than transaction.timeout.ms ("
                        + transactionTimeoutMs + " ms), and the broker aborted it (transaction state " + d.state()
                        + ")";
            }
            LOG.debug("[{}] transactional id {} after a fencing error: {}", config.pipeline(), id, d);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("[{}] cannot describe transactional id {}: {}", config.pipeline(), id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /**
     * The last committed checkpoint, for tools ({@code sluice position show}) on a sink that is not opened: read
     * with an admin client and a read_committed consumer only. No producer is made, so no transactional id is
     * initialised and a running pipeline is not fenced. Empty when the offsets topic or the pipeline's record in it
     * does not exist yet.
     */
    Optional<Checkpoint> readCommitted() throws IOException {
        if (opened) {
            throw new IllegalStateException("readCommitted is for a sink that is not opened");
        }
        try (Admin a = Admin.create(adminProperties())) {
            admin = a;
            if (!a.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(config.offsetsTopic())) {
                return Optional.empty();
            }
            return readCheckpoint();
        } catch (KafkaException | SluiceException e) {
            throw KafkaErrors.classify(config, "reading the checkpoint", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.classify(config, "listing the topics", e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading the checkpoint");
        } finally {
            admin = null;
        }
    }

    /**
     * Replaces the committed checkpoint by {@code next}, for {@code sluice position set} on a sink that is not opened:
     * a producer with the pipeline's transactional id is initialised (which aborts what a previous instance left open
     * and fences any instance still running, as {@link #open()} does), the checkpoint is read again, and only when it
     * is still {@code expected} is {@code next} written to the offsets topic in a Kafka transaction of its own.
     *
     * @throws SinkProvider.CheckpointMoved when the committed checkpoint is not {@code expected}: nothing is written
     */
    void replaceCommitted(Checkpoint expected, Checkpoint next) throws IOException {
        if (opened) {
            throw new IllegalStateException("replaceCommitted is for a sink that is not opened");
        }
        try (Admin a = Admin.create(adminProperties());
                KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                        producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            admin = a;
            p.initTransactions();
            Optional<Checkpoint> now =
                    a.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(config.offsetsTopic())
                            ? readCheckpoint()
                            : Optional.empty();
            if (!sameCheckpoint(now.orElse(null), expected)) {
                throw new SinkProvider.CheckpointMoved("the offsets topic " + config.offsetsTopic(), now.orElse(null));
            }
            p.beginTransaction();
            p.send(offsetsRecord(next)).get(timeoutMs, TimeUnit.MILLISECONDS);
            p.commitTransaction();
            LOG.info(
                    "[{}] checkpoint set in {}: {} (was {})",
                    config.pipeline(),
                    config.offsetsTopic(),
                    next.position(),
                    expected == null ? "none" : expected.position());
        } catch (KafkaException | SluiceException e) {
            throw KafkaErrors.classify(config, "writing the checkpoint", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw KafkaErrors.classify(config, "writing the checkpoint", e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted writing the checkpoint");
        } finally {
            admin = null;
        }
    }

    /** Whether two checkpoints are the same document (null: none). */
    static boolean sameCheckpoint(Checkpoint a, Checkpoint b) {
        if (a == null || b == null) {
            return a == b;
        }
        return CheckpointCodec.toJson(a).equals(CheckpointCodec.toJson(b));
    }

    /**
     * The last committed checkpoint: the newest record under this pipeline's key, read with read_committed up to the
     * end of the offsets topic. A read_committed reader sees nothing past the first transaction still open in the
     * topic (the last stable offset), and a transaction of another pipeline sharing the topic may be open there with
     * this pipeline's newer records behind it: so the read waits until every transaction open when it started has
     * ended ({@link #stableEnd}), and never returns an older checkpoint than the last committed one.
     */
    private Optional<Checkpoint> readCheckpoint() throws IOException {
        Map<String, Object> p = commonProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + config.pipeline() + "-offsets-reader");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeoutMs));
        TopicPartition tp = new TopicPartition(config.offsetsTopic(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(Set.of(tp));
            long end = stableEnd(consumer, tp);
            long begin = consumer.beginningOffsets(Set.of(tp)).get(tp);
            Set<String> others = new java.util.TreeSet<>();
            try {
                return readBackwards(consumer, tp, begin, end, others);
            } finally {
                if (!others.isEmpty()) {
                    LOG.info(
                            "[{}] the offsets topic {} also holds the checkpoints of pipeline(s) {} (the same"
                                    + " sink.topic-prefix): each reads its own; two of them capturing one table would write"
                                    + " into one topic",
                            config.pipeline(),
                            config.offsetsTopic(),
                            others);
                }
            }
        }
    }

    /**
     * The newest record under this pipeline's key before {@code end}: read backwards from there in growing windows.
     * {@code others} collects the other pipelines' keys met on the way.
     */
    private Optional<Checkpoint> readBackwards(
            KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long begin, long end, Set<String> others)
            throws IOException {
        long window = 16;
        long to = end;
        while (to > begin) {
            long from = Math.max(begin, to - window);
            consumer.seek(tp, from);
            byte[] last = null;
            boolean found = false;
            long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
            while (consumer.position(tp) < to) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + tp + " did not reach offset " + to);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    boolean ours = Arrays.equals(r.key(), offsetsKey);
                    if (ours && r.offset() < to) {
                        last = r.value();
                        found = true;
                    } else if (!ours && r.key() != null && others.size() < 10) {
                        others.add(new String(r.key(), StandardCharsets.UTF_8));
                    }
                }
            }
            if (found) {
                return last == null
                        ? Optional.empty()
                        : Optional.of(CheckpointCodec.fromJson(
                                CheckpointCodec.mapper().readTree(last)));
            }
            to = from;
            window *= 4;
        }
        return Optional.empty();
    }

    /**
     * The end of the offsets topic now, once a read_committed reader can read up to it: every transaction open in
     * the topic now (another pipeline's, sharing {@code sink.topic-prefix}; this pipeline's previous instance's,
     * whose abort markers may still be on their way) has ended. Waits at most the outage timeout.
     */
    private long stableEnd(KafkaConsumer<byte[], byte[]> committedReader, TopicPartition tp) {
        long end;
        try {
            end = admin.listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp)
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException ke ? ke : new KafkaException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("listing the end offset of " + tp + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
        long started = System.nanoTime();
        long deadline = started + Duration.ofMillis(timeoutMs).toNanos();
        boolean told = false;
        long stable;
        while ((stable = committedReader.endOffsets(Set.of(tp)).get(tp)) < end) {
            if (System.nanoTime() > deadline) {
                throw SluiceException.retriable(
                        "the offsets topic " + config.offsetsTopic() + " has had a"
                                + " transaction open at offset " + stable + " for more than " + timeoutMs + " ms; the"
                                + " checkpoint of pipeline " + config.pipeline()
                                + " may lie behind it, so it cannot be read"
                                + " yet. Another pipeline writing to this topic (one sharing sink.topic-prefix "
                                + config.topicPrefix() + ") holds it open, or the broker has not yet ended it",
                        null);
            }
            if (!told && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(2)) {
                told = true;
                LOG.info(
                        "[{}] the offsets topic {} has a transaction open at offset {} (another pipeline sharing"
                                + " it?); waiting for it to end before reading the checkpoint",
                        config.pipeline(),
                        config.offsetsTopic(),
                        stable);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
        }
        return end;
    }

    private Map<String, Object> commonProperties() {
        Map<String, Object> p = new HashMap<>(config.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return p;
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeoutMs));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-" + config.pipeline() + "-admin");
        p.putAll(commonProperties());
        return p;
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-" + config.pipeline());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferBytes());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // 16 KiB (the client's default) holds ~30 events: a transaction's flush then waits for hundreds of small
        // requests; 256 KiB batches cut the flush from ~65 ms to ~11 ms per 10,000 events (BENCHMARKS.md)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // JSON events compress well; lz4 costs the sender's thread less than it saves the producer's I/O thread and
        // the broker (which then neither copies nor parses each record's key, value and headers): BENCHMARKS.md
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                Math.min(Integer.MAX_VALUE, Math.max(timeoutMs, 60_000)));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.min(900_000, Math.max(60_000, timeoutMs + 60_000)));
        p.putAll(commonProperties());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private void ensureUsable() throws IOException {
        if (!opened) {
            throw new IllegalStateException("the Kafka sink of pipeline " + config.pipeline() + " is not open");
        }
        if (broken) {
            throw new IOException("the Kafka sink of pipeline " + config.pipeline() + " failed earlier; open it again"
                    + " to resume from its last checkpoint");
        }
    }

    private void resetTransactionState() {
        held = new ArrayList<>();
        heldBytes = 0;
        outgoing = new ArrayList<>();
        outgoingBytes = 0;
        lastDb = null;
        lastTable = null;
        lastTopic = null;
        lastKeyless = -1;
        spilled = false;
        pending = null;
        inflight = null;
        deferredFlush = false;
        last = null;
        lastWritten = null;
        openTxnEvents = 0;
    }

    /** Closes the clients; an open Kafka transaction is aborted (nothing uncommitted is ever visible). */
    @Override
    public void close() {
        closeClients(opened && !broken);
        opened = false;
        resetTransactionState();
    }

    private void closeClients(boolean abortOpenTransaction) {
        boolean inTransaction = false;
        if (sender != null) {
            inTransaction = sender.stop();
            sender = null;
        }
        if (producer != null) {
            try {
                if (abortOpenTransaction && inTransaction) {
                    producer.abortTransaction();
                }
            } catch (KafkaException e) {
                LOG.debug("[{}] aborting the open Kafka transaction failed: {}", config.pipeline(), e.toString());
            }
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (KafkaException e) {
                LOG.debug("[{}] closing the producer failed: {}", config.pipeline(), e.toString());
            }
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    /** The offsets record's value: the checkpoint as compact JSON. */
    static byte[] offsetsValue(Checkpoint cp) {
        try {
            return CheckpointCodec.mapper().writeValueAsBytes(CheckpointCodec.toJson(cp));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise checkpoint " + cp + ": " + e.getMessage(), e);
        }
    }
}
