package io.sluice.connect;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.pipeline.Transform;
import io.sluice.core.time.Scheduler;
import io.sluice.kafka.StateTopic;
import io.sluice.mysql.schema.SchemaState;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.SourceWiring;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's one task: runs the binlog source on a thread of its own into a {@link TaskOutput}, and hands its
 * batches to Connect from {@link #poll()}. With {@code transaction.boundary=connector} it ends a Kafka transaction
 * after each batch (one source transaction, or one part of a huge one).
 *
 * <p>On start it reads its checkpoint from Connect's offsets and the pipeline's state (schema history, approvals,
 * rule versions) from the state topic, so a task started on any worker continues where the last committed Kafka
 * transaction left off. With no offset yet it resolves the configured start once and commits it as the first offset
 * (with a record in the state topic) before any event. With a {@code rules} setting the rules module's stage sits
 * between the source and the output ({@link ConnectorRules}), as in a pipeline of {@code sluice run}. A retriable
 * failure of the source (a lost connection) restarts the stream inside the task from the last checkpoint handed to
 * Connect; a fatal one fails the task with its message.
 */
public final class SluiceSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceSourceTask.class);
    private static final long BACKOFF_MS = 1_000;
    private static final long BACKOFF_MAX_MS = 30_000;
    /** Batches handed to Connect per poll at most. */
    private static final int MAX_BATCHES_PER_POLL = 64;
    /** How often the rule versions in the state topic are read again for a version deployed beside the task. */
    private static final Duration RULES_FOLLOW = Duration.ofSeconds(1);

    private ConnectorConfig config;
    private EventTopics topics;
    private BlockingQueue<TaskOutput.Batch> queue;
    private MySqlSource source;
    /** The stage between the source and the output: the rules, or none. */
    private Transform transform;
    /** The pipeline's state in the state topic (closed at stop: it may hold a consumer following rule versions). */
    private StateTopic state;

    private Thread reader;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable failure;

    @Override
    public String version() {
        return SluiceSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = ConnectorConfig.parse(props);
        String name = config.name();
        String bootstrap = config.get(ConnectorConfig.BOOTSTRAP_SERVERS);
        Checkpoint from = Offsets.checkpoint(name, context.offsetStorageReader().offset(Offsets.partition(name)));
        topics = new EventTopics(
                bootstrap,
                config.get(ConnectorConfig.TOPIC_PARTITIONS),
                config.get(ConnectorConfig.TOPIC_REPLICATION_FACTOR));
        topics.ensureStateTopic(config.stateTopic());
        queue = new ArrayBlockingQueue<>(config.get(ConnectorConfig.QUEUE_MAX_BATCHES));
        Clock clock = Clock.systemUTC();
        TaskOutput output = new TaskOutput(config, topics::partitions, queue, from, clock);
        List<StateTopic.Decoder> decoders =
                new RecordFormat(config.get(ConnectorConfig.VALUE_FORMAT)).stateDecoder(props);
        StateTopic state =
                StateTopic.read(bootstrap, config.stateTopic(), name, output, decoders.get(0), decoders.get(1));
        if (from != null && !from.schemas().isEmpty() && !state.holdsAnything()) {
            throw new ConnectException("the state topic " + state.where() + " holds nothing of pipeline " + name
                    + ", but its Connect offset records versions of "
                    + from.schemas().size() + " table(s): the topic"
                    + " was deleted or emptied, and without the schema history rows could be decoded with the wrong"
                    + " columns. Restore the topic; or start over: stop the connector, reset its offsets (DELETE"
                    + " /connectors/" + name + "/offsets) and delete its topics");
        }
        MySqlSourceConfig sourceConfig = config.source();
        SchemaState schemas = SchemaState.of(state);
        Scheduler scheduler = Scheduler.system(clock);
        ConnectorRules.Source rules = config.get(ConnectorRules.RULES);
        // rule versions sluice rules deploy|rollback record while the task runs are taken up at a transaction boundary
        state.follow("rule-versions", scheduler::nanoTime, RULES_FOLLOW);
        this.state = state;
        // the rules stage between the source and the output, as a pipeline of sluice run has it
        transform = ConnectorRules.stage(name, rules, state, clock.instant(), scheduler::nanoTime);
        SourceWiring wiring = SourceWiring.builder(sourceConfig)
                .state(null, config.schemaPolicy())
                .schemas(schemas)
                .scheduler(scheduler)
                .commandOption(commandOption(bootstrap, config.stateTopic(), name))
                .build();
        source = new MySqlSource(sourceConfig, wiring)
                .startOver("stop the connector, reset its offsets (DELETE /connectors/" + name
                        + "/offsets) and start it again");
        LOG.info("[{}] task starting from {}", name, from == null ? "the configured start" : from.position());
        reader = new Thread(() -> read(output, state, from), "sluice-" + name + "-connect-source");
        reader.start();
    }

    /**
     * The options of {@code sluice schema approve} (and the other commands halt messages give) that name this
     * connector's state: its Kafka cluster, state topic and name.
     */
    static String commandOption(String bootstrap, String stateTopic, String name) {
        return "--connect-state " + bootstrap + " --state-topic " + stateTopic + " --connector " + name;
    }

    /** The reader thread: resolves the start if needed, then streams, restarting after retriable failures. */
    private void read(TaskOutput output, StateTopic state, Checkpoint from) {
        long backoff = BACKOFF_MS;
        try {
            if (from == null) {
                Checkpoint start = source.resolveStart();
                if (start != null) {
                    state.record("start", CheckpointCodec.toBytes(CheckpointCodec.toJson(start)));
                    output.start(start);
                }
            }
            while (stopped.getCount() > 0) {
                try {
                    Checkpoint resume = output.resumeFrom();
                    source.stream(resume, transform.around(output, resume));
                    backoff = BACKOFF_MS;
                } catch (SluiceException e) {
                    if (!e.retriable() || stopped.getCount() == 0) {
                        throw e;
                    }
                    output.dropOpenTransaction();
                    LOG.warn(
                            "[{}] {}; reading again from the last checkpoint in {} ms",
                            config.name(),
                            e.getMessage(),
                            backoff);
                    if (stopped.await(backoff, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (stopped.getCount() > 0) {
                failure = e;
                LOG.error("[{}] the source failed: {}", config.name(), e.getMessage(), e);
            }
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Throwable f = failure;
        if (f != null && queue.isEmpty()) {
            throw new ConnectException("Sluice pipeline " + config.name() + " stopped: " + f.getMessage(), f);
        }
        TaskOutput.Batch first = queue.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<TaskOutput.Batch> batches = new ArrayList<>();
        batches.add(first);
        queue.drainTo(batches, MAX_BATCHES_PER_POLL - 1);
        return records(batches, context.transactionContext());
    }

    /**
     * One poll's records: whole batches, in order. With connector-defined boundaries ({@code tx} not null) a Kafka
     * transaction ends after each batch. Under {@code poll} and {@code interval} boundaries ({@code tx} null) the
     * worker ends one after a poll's records at the earliest, so it still never cuts a batch, and the offset it
     * commits, the last record's, is the checkpoint after everything the poll held.
     */
    static List<SourceRecord> records(List<TaskOutput.Batch> batches, TransactionContext tx) {
        List<SourceRecord> records = new ArrayList<>();
        for (TaskOutput.Batch b : batches) {
            if (b.records().isEmpty()) {
                continue;
            }
            records.addAll(b.records());
            if (tx != null) {
                tx.commitTransaction(b.records().get(b.records().size() - 1));
            }
        }
        return records;
    }

    @Override
    public void stop() {
        stopped.countDown();
        if (source != null) {
            source.stop();
        }
        Thread t = reader;
        if (t != null) {
            t.interrupt(); // it may wait for room in the queue, which poll no longer empties
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (state != null) {
            state.close();
        }
        if (topics != null) {
            topics.close();
        }
    }
}
