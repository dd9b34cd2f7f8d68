package io.sluice.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.SourceInfo;
import io.sluice.core.sink.Sink;
import java.io.ByteArrayOutputStream;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * transaction (the broker aborts one older than {@code transaction.timeout.ms}).
 *
 * <p><b>Recovery and fencing.</b> {@link #open()} creates a new producer and calls {@code initTransactions}, which
 * aborts any transaction the previous incarnation left open and fences every older producer with the same id; then
 * it reads the last committed offsets record. An instance that was fenced fails its next send or commit with a fatal
 * {@link SluiceException} saying another instance took over; other client failures are retriable (open again).
 *
 * <p>Calls come from one thread, as {@link Sink} requires; only {@link #sendError} is written by the producer's
 * I/O thread.
 */
final class KafkaSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    static final String HEADER_ID = "sluice.id";
    static final String HEADER_OP = "sluice.op";
    static final String HEADER_SCHEMA = "sluice.schema";

    private final KafkaSinkConfig config;
    private final Clock clock;
    private final byte[] offsetsKey;
    private final long timeoutMs;

    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaTopics topics;
    private boolean opened;
    private boolean broken;
    /** A Kafka transaction is open. */
    private boolean inTransaction;
    /** Events of the unfinished source transaction, not sent yet. */
    private final List<ProducerRecord<byte[], byte[]>> held = new ArrayList<>();
    private long heldBytes;
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
    /** One generator for every event and key the sink encodes (the writer thread's only). */
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream(2048);
    private final JsonGenerator generator = EventCodec.generator(encoded);
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
            topics.ensureOffsetsTopic();
            producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
            Optional<Checkpoint> cp = readCheckpoint();
            last = cp.orElse(null);
            opened = true;
            LOG.info("[{}] Kafka sink open on {} (transactional.id {}), checkpoint in {}: {}", config.pipeline(),
                    config.bootstrapServers(), config.transactionalId(), config.offsetsTopic(),
                    cp.map(c -> c.position().toString()).orElse("none yet"));
            return cp;
        } catch (KafkaException | SluiceException e) {
            closeClients(false);
            throw KafkaErrors.classify(config, "opening the sink", e);
        }
    }

    @Override
    public long write(ChangeEvent event) throws IOException {
        ensureUsable();
        try {
            String topic = topics.topicFor(event.source().db(), event.source().table());
            byte[] key = event.key() == null ? null : encodeKey(event);
            byte[] value = encode(event);
            RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER_ID, event.id().getBytes(StandardCharsets.UTF_8));
            headers.add(HEADER_OP, event.op().code().getBytes(StandardCharsets.UTF_8));
            headers.add(HEADER_SCHEMA, Integer.toString(event.schema()).getBytes(StandardCharsets.UTF_8));
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
            long n = value.length + (key == null ? 0 : key.length);
            openTxnEvents++;
            if (!spilled && heldBytes + n <= config.holdBackBytes()
                    && openTxnEvents < config.maxTransactionEvents()) {
                held.add(record);
                heldBytes += n;
            } else {
                sendHeld();
                send(record);
                spilled = true;
                // a snapshot chunk (r events, bounded by the chunk size) is never split: its ids carry no
                // transaction a restart could resume inside
                if (openTxnEvents >= config.maxTransactionEvents() && !event.source().snapshot()) {
                    commitInside(event);
                }
            }
            return n;
        } catch (KafkaException | SluiceException e) {
            throw fail("writing event " + event.id(), e);
        }
    }

    /** The record value: the event as JSON, exactly as the file sink writes it. */
    private byte[] encode(ChangeEvent event) throws IOException {
        encoded.reset();
        EventCodec.write(generator, event, clock.millis());
        generator.flush();
        return encoded.toByteArray();
    }

    /** The record key: the event's key as compact JSON. */
    private byte[] encodeKey(ChangeEvent event) throws IOException {
        encoded.reset();
        EventCodec.writeRowObject(generator, event.key());
        generator.flush();
        return encoded.toByteArray();
    }

    @Override
    public void commit(Checkpoint checkpoint) throws IOException {
        ensureUsable();
        try {
            sendHeld();
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

    @Override
    public void flush() throws IOException {
        ensureUsable();
        if (pending == null) {
            return;
        }
        if (spilled) {
            deferredFlush = true;
            return;
        }
        try {
            commitTransaction();
        } catch (KafkaException | SluiceException e) {
            throw fail("committing a Kafka transaction", e);
        }
    }

    /**
     * Commits the open Kafka transaction in the middle of a source transaction, after {@code event}: the offsets
     * record is the last checkpoint marked with how many of this transaction's events Kafka then holds. With no
     * checkpoint yet (the pipeline's first transaction), the mark goes on a checkpoint at the transaction's own
     * resume point: nothing was read before it that a restart would have to know about.
     */
    private void commitInside(ChangeEvent event) {
        SourceInfo s = event.source();
        Checkpoint base = last != null ? last
                : new Checkpoint(new BinlogPosition(s.file(), s.pos(), null), List.of(), Map.of());
        Checkpoint mark = base.withPartial(new PartialTxn(PartialTxn.txnOf(s.name(), event.id()), s.row() + 1));
        pending = mark;
        commitTransaction();
        openTxnEvents = 0;
        splits++;
        LOG.info("[{}] committed a Kafka transaction inside source transaction {} after {} of its events (split {})",
                config.pipeline(), mark.partial().txn(), mark.partial().rows(), splits);
    }

    /** Sends the offsets record for {@link #pending} and commits the Kafka transaction, waiting out an outage. */
    private void commitTransaction() {
        beginIfNeeded();
        producer.send(new ProducerRecord<>(config.offsetsTopic(), 0, offsetsKey, offsetsValue(pending)), callback);
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        while (true) {
            try {
                producer.commitTransaction();
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("[{}] Kafka at {} does not answer; still trying to commit", config.pipeline(),
                        config.bootstrapServers());
            }
        }
        inTransaction = false;
        pending = null;
        checkSendError();
    }

    private void sendHeld() {
        if (held.isEmpty()) {
            return;
        }
        for (ProducerRecord<byte[], byte[]> r : held) {
            send(r);
        }
        held.clear();
        heldBytes = 0;
    }

    /** Sends one record in the current Kafka transaction; blocks while the producer's buffer is full. */
    private void send(ProducerRecord<byte[], byte[]> record) {
        checkSendError();
        beginIfNeeded();
        producer.send(record, callback);
    }

    private void beginIfNeeded() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    private void checkSendError() {
        Exception e = sendError;
        if (e != null) {
            throw e instanceof KafkaException ke ? ke : new KafkaException(e);
        }
    }

    private SluiceException fail(String doing, RuntimeException e) {
        broken = true;
        return KafkaErrors.classify(config, doing, e);
    }

    /** The last committed checkpoint: the newest record under this pipeline's key, read with read_committed. */
    private Optional<Checkpoint> readCheckpoint() throws IOException {
        Map<String, Object> p = commonProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + config.pipeline() + "-offsets-reader");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeoutMs));
        TopicPartition tp = new TopicPartition(config.offsetsTopic(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(Set.of(tp));
            long end = consumer.endOffsets(Set.of(tp)).get(tp);
            long begin = consumer.beginningOffsets(Set.of(tp)).get(tp);
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
                        if (r.offset() < to && Arrays.equals(r.key(), offsetsKey)) {
                            last = r.value();
                            found = true;
                        }
                    }
                }
                if (found) {
                    return last == null ? Optional.empty()
                            : Optional.of(CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(last)));
                }
                to = from;
                window *= 4;
            }
            return Optional.empty();
        }
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
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, Math.max(timeoutMs, 60_000)));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) Math.min(900_000, Math.max(60_000, timeoutMs + 60_000)));
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
        inTransaction = false;
        held.clear();
        heldBytes = 0;
        spilled = false;
        pending = null;
        deferredFlush = false;
        last = null;
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
        inTransaction = false;
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
