package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.pipeline.Pipeline;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.core.sink.Sink;
import io.sluice.mysql.snapshot.SnapshotConfig;
import io.sluice.mysql.source.MySqlSource;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.StartPosition;
import io.sluice.mysql.testing.LocalSources;
import io.sluice.testkit.KafkaBroker;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real binlog source into the Kafka sink, with a crash in the middle of the stream. */
class KafkaPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startKafka() {
        KafkaSinkIT.kafka = KafkaBroker.startNew();
    }

    @AfterAll
    static void stopKafka() {
        KafkaSinkIT.kafka.close();
    }

    @Test
    void aCrashMidStreamLeavesEveryRowExactlyOnceForAReadCommittedConsumer() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("kafka");
        db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        StartPosition start = LocalSources.current(db);
        MySqlSourceConfig source = LocalSources.source(db, "kp", 7901, List.of(schema + ".t"), start)
                .build();
        KafkaSinkConfig cfg = KafkaSinkConfig.of("kp", KafkaSinkIT.kafka.bootstrapServers())
                .withOutageTimeout(Duration.ofSeconds(20))
                .withPartitions(3);
        int transactions = 60;
        int rowsPerTransaction = 5;
        for (int t = 0; t < transactions; t++) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + schema + ".t VALUES ");
            for (int r = 0; r < rowsPerTransaction; r++) {
                int id = t * rowsPerTransaction + r + 1;
                sql.append(r == 0 ? "" : ",")
                        .append("(")
                        .append(id)
                        .append(",'v")
                        .append(id)
                        .append("')");
            }
            db.execute(sql.toString());
        }
        db.execute("UPDATE " + schema + ".t SET v = 'changed' WHERE id <= 20");

        // first run: the sink "crashes" in the middle of a source transaction, after a few flushes
        CrashingSink crashing = new CrashingSink(KafkaSinks.kafka(cfg, Clock.systemUTC()), 137);
        Pipeline first = pipeline(source, crashing);
        first.start();
        assertThat(first.await(Duration.ofSeconds(150)))
                .as("the first run stops at the simulated crash")
                .isTrue();
        assertThat(first.state()).isEqualTo(PipelineState.FAILED);

        // second run: resumes from the checkpoint in the offsets topic
        Pipeline second = pipeline(source, KafkaSinks.kafka(cfg, Clock.systemUTC()));
        second.start();
        String topic = "kp." + schema + ".t";
        int expected = transactions * rowsPerTransaction + 20;
        awaitCommitted(topic, expected, second);
        second.stop();
        assertThat(second.await(Duration.ofSeconds(30))).isTrue();
        List<JsonNode> events = values(KafkaSinkIT.committed(topic));

        List<String> ids = events.stream().map(e -> e.get("id").asText()).toList();
        assertThat(new HashSet<>(ids)).as("no duplicate event ids").hasSize(ids.size());
        assertThat(ids).hasSize(expected);
        Set<Integer> inserted = new TreeSet<>();
        for (JsonNode e : events) {
            if (e.get("op").asText().equals("c")) {
                inserted.add(e.get("after").get("id").asInt());
            }
        }
        assertThat(inserted).hasSize(transactions * rowsPerTransaction).contains(1, transactions * rowsPerTransaction);
    }

    @Test
    void aWholeTableReadOfATableWithoutAKeyIsCommittedInPartsAndResumedInsideAfterACrash() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("kafkanokey");
        int rows = 3000;
        db.execute(
                "CREATE TABLE " + schema + ".notes (n INT NOT NULL, v VARCHAR(20))",
                "INSERT INTO " + schema + ".notes SELECT seq, CONCAT('v', seq) FROM " + schema + ".seq_1_to_" + rows);
        // read whole (no key) in parts of 100 rows; Kafka transactions of at most 500 events
        MySqlSourceConfig source = LocalSources.source(
                        db, "kpn", 7902, List.of(schema + ".notes"), new StartPosition.Snapshot())
                .snapshot(new SnapshotConfig(SnapshotConfig.DEFAULT_SIGNAL_TABLE, 100))
                .build();
        KafkaSinkConfig cfg = KafkaSinkConfig.of("kpn", KafkaSinkIT.kafka.bootstrapServers())
                .withOutageTimeout(Duration.ofSeconds(20))
                .withPartitions(3)
                .withMaxTransactionEvents(500);

        // first run: a crash after three parts of the read are in Kafka
        Pipeline first = pipeline(source, new CrashingSink(KafkaSinks.kafka(cfg, Clock.systemUTC()), 1700));
        first.start();
        assertThat(first.await(Duration.ofSeconds(150)))
                .as("the first run stops at the simulated crash")
                .isTrue();
        assertThat(first.state()).isEqualTo(PipelineState.FAILED);
        String topic = "kpn." + schema + ".notes";
        assertThat(values(KafkaSinkIT.committed(topic)))
                .as("rows in Kafka after the crash")
                .hasSize(1500);

        // second run: reads the table again, drops the 1,500 rows Kafka holds, and goes on
        Pipeline second = pipeline(source, KafkaSinks.kafka(cfg, Clock.systemUTC()));
        second.start();
        awaitCommitted(topic, rows, second);
        second.stop();
        assertThat(second.await(Duration.ofSeconds(30))).isTrue();
        List<ConsumerRecord<byte[], byte[]>> records = KafkaSinkIT.committed(topic);

        List<JsonNode> events = values(records);
        assertThat(events).hasSize(rows);
        assertThat(records.stream().map(r -> r.partition()).distinct().toList())
                .as("partitions")
                .hasSize(1);
        String idPrefix = events.get(0).get("id").asText().replaceAll("#0$", "");
        for (int i = 0; i < rows; i++) {
            JsonNode e = events.get(i);
            assertThat(e.get("id").asText()).as("event %d", i).isEqualTo(idPrefix + "#" + i);
            assertThat(e.get("source").get("row").asInt()).isEqualTo(i);
        }
        Set<Integer> ns = new TreeSet<>();
        events.forEach(e -> ns.add(e.get("after").get("n").asInt()));
        assertThat(ns).as("every row once").hasSize(rows).contains(1, rows);
    }

    private static Pipeline pipeline(MySqlSourceConfig source, Sink sink) {
        return new Pipeline(
                "kp", new MySqlSource(source), sink, new BatchPolicy(40, 1 << 20, 20), 1024, Clock.systemUTC());
    }

    /** Waits until a read_committed consumer sees {@code n} records in {@code topic}; fails at once if {@code p} fails. */
    private static void awaitCommitted(String topic, int n, Pipeline p) {
        Waits.await(n + " committed records in " + topic, Duration.ofSeconds(150))
                .whileAlive(() -> {
                    if (p.state() == PipelineState.FAILED) {
                        throw new AssertionError("pipeline failed", p.failure().orElse(null));
                    }
                })
                .until(() -> KafkaSinkIT.committed(topic).size(), size -> size >= n);
    }

    private static List<JsonNode> values(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /** Fails fatally at the n-th write, as a crash would: nothing after the last flush is made durable. */
    private static final class CrashingSink implements Sink {
        private final Sink delegate;
        private final int crashAt;
        private int writes;

        CrashingSink(Sink delegate, int crashAt) {
            this.delegate = delegate;
            this.crashAt = crashAt;
        }

        @Override
        public Optional<Checkpoint> open() throws IOException {
            return delegate.open();
        }

        @Override
        public long write(ChangeEvent event) throws IOException {
            if (++writes == crashAt) {
                throw SluiceException.fatal("simulated crash at write " + crashAt);
            }
            return delegate.write(event);
        }

        @Override
        public void commit(Checkpoint checkpoint) throws IOException {
            delegate.commit(checkpoint);
        }

        @Override
        public boolean flush() throws IOException {
            return delegate.flush();
        }

        @Override
        public void awaitFlush() throws IOException {
            delegate.awaitFlush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
