package io.sluice.connect;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.encode.Encoded;
import io.sluice.core.encode.Encoder;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Op;
import io.sluice.core.event.SourceInfo;
import io.sluice.kafka.KafkaSinks;
import io.sluice.kafka.StateTopic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What the source emits into, inside a Connect task: it gathers one source transaction's events (and the state
 * records appended while reading it: schema versions, quarantined events) and, at the transaction's end, hands
 * them to Connect as one {@link Batch}, every record carrying the checkpoint after the transaction as its offset.
 * The task commits one Kafka transaction per batch ({@code transaction.boundary=connector}), so each source
 * transaction is in Kafka whole or not at all, with the offset that resumes after it.
 *
 * <p>A transaction of more than {@code max-transaction-events} events is handed over in parts: each part's offset is
 * the checkpoint before the transaction with a resume-inside mark ({@link PartialTxn}: how many of its events Kafka
 * holds), which a restart honours by dropping those events ({@link io.sluice.core.pipeline.ResumeInside}). A keyed
 * snapshot chunk is never split (its rows cannot be re-read identically).
 *
 * <p>Records: the topic the Kafka sink would use, key = the event's key as compact JSON (none for a table without a
 * key, whose events all go to one partition chosen as the Kafka sink chooses it), value = the contract's JSON
 * envelope, headers {@code sluice.id}, {@code sluice.op}, {@code sluice.schema}; {@code t} and {@code s} events go to
 * every partition of the table's topic.
 *
 * <p>Thread-safety: the source's threads (binlog reader, snapshot) emit under this object's lock; the task's poll
 * takes batches from the bounded queue.
 */
final class TaskOutput implements io.sluice.core.pipeline.Emitter, StateTopic.Appender {

    /** Records handed to Connect together: a Kafka transaction may end after the last of them, never inside. */
    record Batch(List<SourceRecord> records) {}

    private final String pipeline;
    private final Map<String, String> partition;
    private final String stateTopic;
    private final String topicPrefix;
    private final String topicTemplate;
    /** The partition count of an event topic (created on first use). */
    private final ToIntFunction<String> partitions;

    private final int maxTransactionEvents;
    private final BlockingQueue<Batch> queue;
    private final Clock clock;
    private final Encoder encoder = Encoder.json();
    private final RecordFormat format;
    /** A heartbeat's least distance from the last batch, in ms; 0: none. */
    private final long heartbeatMs;
    /** When the last batch was handed over (the clock's ms). */
    private long handedOverAt;

    /** State records appended since the last batch (kept across a reconnect: the in-memory logs hold them). */
    private final List<String> stateKeys = new ArrayList<>();

    private final List<byte[]> stateValues = new ArrayList<>();
    /** The current source transaction's events not yet handed over. */
    private final List<Encoded> events = new ArrayList<>();
    /** The checkpoint of the last batch handed over: where a restart of the stream resumes; null before any. */
    private Checkpoint handedOver;

    TaskOutput(
            ConnectorConfig config,
            ToIntFunction<String> partitions,
            BlockingQueue<Batch> queue,
            Checkpoint from,
            Clock clock) {
        this.pipeline = config.name();
        this.partition = Offsets.partition(pipeline);
        this.stateTopic = config.stateTopic();
        this.topicPrefix = config.topicPrefix();
        this.topicTemplate = config.get(ConnectorConfig.TOPIC_TEMPLATE);
        this.partitions = partitions;
        this.maxTransactionEvents = config.get(ConnectorConfig.MAX_TRANSACTION_EVENTS);
        this.queue = queue;
        this.handedOver = from;
        this.clock = clock;
        this.format =
                new RecordFormat(config.get(ConnectorConfig.VALUE_FORMAT), config.temporals(), config.avroFieldNames());
        this.heartbeatMs = config.get(ConnectorConfig.HEARTBEAT_INTERVAL_MS);
        this.handedOverAt = clock.millis();
    }

    /** Where a (re)started stream resumes: the last checkpoint handed to Connect. */
    synchronized Checkpoint resumeFrom() {
        return handedOver;
    }

    /** A stream ended before its transaction did: its events go (they are read again); state records stay. */
    synchronized void dropOpenTransaction() {
        events.clear();
    }

    @Override
    public synchronized void append(String key, byte[] value) {
        stateKeys.add(key);
        stateValues.add(value);
    }

    @Override
    public void event(ChangeEvent event) throws InterruptedException {
        Batch part = null;
        synchronized (this) {
            events.add(encoder.encode(event));
            if (events.size() >= maxTransactionEvents && splittable(event)) {
                String txn = PartialTxn.txnOf(pipeline, event.id());
                part = batch(handedOver.withPartial(
                        new PartialTxn(txn, event.source().row() + 1)));
            }
        }
        if (part != null) {
            queue.put(part);
        }
    }

    /** Whether a part may end after this event: not in a keyed snapshot chunk, and not before a first offset. */
    private boolean splittable(ChangeEvent event) {
        return handedOver != null && (!event.source().snapshot() || event.key() == null);
    }

    @Override
    public void commit(Checkpoint checkpoint) throws InterruptedException {
        Batch b;
        synchronized (this) {
            if (events.isEmpty() && stateKeys.isEmpty()) {
                if (heartbeatMs == 0 || handedOver == null || clock.millis() - handedOverAt < heartbeatMs) {
                    // Nothing to carry the offset: the next batch's covers this transaction too. Every event of it
                    // is handed over (none, or all in parts), so a restart of the stream and the next part's mark
                    // start after it; a mark of this transaction's parts must not become the next one's base.
                    if (handedOver != null) {
                        handedOver = checkpoint;
                    }
                    return;
                }
                b = heartbeat(checkpoint);
            } else {
                b = batch(checkpoint);
            }
        }
        queue.put(b);
    }

    /** Hands the pipeline's first checkpoint to Connect (with the state records made so far) before any event. */
    void start(Checkpoint checkpoint) throws InterruptedException {
        Batch b;
        synchronized (this) {
            b = batch(checkpoint);
        }
        queue.put(b);
    }

    /**
     * A batch of one record that only carries the offset {@code cp}: a long stretch of binlog without captured changes
     * then still moves the committed offset. It goes to the state topic under {@code <pipeline>/heartbeat} (compaction
     * keeps the last; reading the state ignores it), value the checkpoint's position.
     */
    private Batch heartbeat(Checkpoint cp) {
        RecordFormat.Data key = format.stateKey(pipeline + "/heartbeat");
        RecordFormat.Data value = format.stateValue(cp.position().toString().getBytes(StandardCharsets.UTF_8));
        handedOver = cp;
        handedOverAt = clock.millis();
        return new Batch(List.of(new SourceRecord(
                partition,
                Offsets.offset(cp),
                stateTopic,
                0,
                key.schema(),
                key.value(),
                value.schema(),
                value.value())));
    }

    /** The held state records and events as records whose offset is {@code cp}; clears them. */
    private Batch batch(Checkpoint cp) {
        Map<String, String> offset = Offsets.offset(cp);
        List<SourceRecord> records = new ArrayList<>(stateKeys.size() + events.size());
        for (int i = 0; i < stateKeys.size(); i++) {
            RecordFormat.Data key = format.stateKey(stateKeys.get(i));
            RecordFormat.Data value = format.stateValue(stateValues.get(i));
            records.add(new SourceRecord(
                    partition, offset, stateTopic, 0, key.schema(), key.value(), value.schema(), value.value()));
        }
        for (Encoded e : events) {
            addRecords(records, e, offset);
        }
        stateKeys.clear();
        stateValues.clear();
        events.clear();
        handedOver = cp;
        handedOverAt = clock.millis();
        return new Batch(records);
    }

    private void addRecords(List<SourceRecord> out, Encoded encoded, Map<String, String> offset) {
        ChangeEvent e = encoded.event();
        SourceInfo s = e.source();
        // a rule's route names the destination in place of the source table, as for the Kafka sink
        String topic = KafkaSinks.eventTopic(
                topicTemplate, topicPrefix, KafkaSinks.destinationDb(e), KafkaSinks.destinationTable(e));
        // the key's bytes copied out of the rendered event, not rendered a second time (as the Kafka sink does)
        Encoded.WithKey rendered = encoded.toJsonWithKey(clock.millis());
        byte[] key = rendered.key();
        byte[] json = rendered.json();
        RecordFormat.Data k = format.key(e, key);
        RecordFormat.Data v = format.value(e, json);
        boolean everyPartition = e.op() == Op.TRUNCATE || e.op() == Op.SCHEMA;
        int n = partitions.applyAsInt(topic);
        for (int p = 0; p < (everyPartition ? n : 1); p++) {
            Integer partitionOf = everyPartition ? Integer.valueOf(p) : key == null ? keyless(s, n) : null;
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString(KafkaSinks.HEADER_ID, e.id());
            headers.addString(KafkaSinks.HEADER_OP, e.op().code());
            headers.addString(KafkaSinks.HEADER_SCHEMA, Integer.toString(e.schema()));
            out.add(new SourceRecord(
                    partition,
                    offset,
                    topic,
                    partitionOf,
                    k.schema(),
                    k.value(),
                    v.schema(),
                    v.value(),
                    null,
                    headers));
        }
    }

    /** The one partition of a table without a key: the one Kafka's default partitioner gives {@code db.table}. */
    private static int keyless(SourceInfo s, int partitions) {
        byte[] name = (s.db() + '.' + s.table()).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(name)) % partitions;
    }
}
