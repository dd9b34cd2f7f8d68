package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.cli.DefaultCommands;
import io.sluice.app.cli.SluiceCli;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.ConnectWorker;
import io.sluice.testkit.KafkaBroker;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import picocli.CommandLine;

/**
 * The set-up the Connect ITs share: a real KRaft broker, the packaged plugin on two real Connect workers in
 * distributed mode (one cluster, {@code sluice-it}, exactly-once source support enabled), connectors reading the
 * shared MariaDB, and the helpers to drive them through REST and read topics back with read_committed. A test that
 * kills a worker calls {@link #replaceKilled()} at its end, so that every test finds two.
 */
abstract class ConnectWorkersFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONNECTOR = "io.sluice.connect.SluiceSourceConnector";
    static final AtomicInteger SERVER_IDS = new AtomicInteger(7950);

    static KafkaBroker kafka;
    static Path plugins;
    static ConnectWorker first;
    static ConnectWorker second;

    @BeforeAll
    static void start() {
        plugins = Path.of("target", "plugin");
        assertThat(plugins.resolve("sluice-connect"))
                .as("the packaged plugin (mvn package builds it before the ITs run)")
                .isDirectory();
        kafka = KafkaBroker.startNew();
        first = ConnectWorker.start(kafka.bootstrapServers(), "sluice-it", plugins, Map.of());
        second = ConnectWorker.start(kafka.bootstrapServers(), "sluice-it", plugins, Map.of());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {first, second, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    static Map<String, String> config(String name, String schema) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.putAll(ConnectWorker.sluiceConnector(
                MariaDbServer.shared(),
                SERVER_IDS.incrementAndGet(),
                "[\"" + schema + ".*\"]",
                kafka.bootstrapServers()));
        c.put("source.start", "latest");
        return c;
    }

    static JsonNode validate(Map<String, String> config) throws Exception {
        ConnectWorker.Response r = first.rest(
                "PUT", "/connector-plugins/" + CONNECTOR + "/config/validate", JSON.writeValueAsString(config));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> errors(JsonNode validation, String key) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : validation.get("configs")) {
            if (c.get("value").get("name").asText().equals(key)) {
                c.get("value").get("errors").forEach(e -> out.add(e.asText()));
            }
        }
        return out;
    }

    /** A new worker in place of the one a test killed, so that every test finds two. */
    static void replaceKilled() {
        if (!first.running()) {
            first.close();
            first = ConnectWorker.start(kafka.bootstrapServers(), "sluice-it", plugins, Map.of());
        }
        if (!second.running()) {
            second.close();
            second = ConnectWorker.start(kafka.bootstrapServers(), "sluice-it", plugins, Map.of());
        }
    }

    /** Creates connector {@code name} and waits until its first offset (the resolved start) is committed. */
    static void create(String name, Map<String, String> config) throws Exception {
        ConnectWorker.Response created =
                first.rest("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        // read in Connect's offsets topic: GET .../offsets builds an offset store reading the whole topic in the
        // worker at every call, which polled loads the workers the test measures
        String key = "[\"" + name + "\",";
        Waits.await("the first offset of " + name, Duration.ofSeconds(90))
                .until(() -> committed("sluice-it-offsets").stream()
                        .anyMatch(r -> r.key() != null
                                && new String(r.key(), StandardCharsets.UTF_8).startsWith(key)
                                && r.value() != null));
    }

    /** The events in {@code topic}, parsed, once there are at least {@code n}. */
    static List<JsonNode> awaitEvents(String topic, int n) throws Exception {
        Waits.await(n + " events in " + topic, Duration.ofSeconds(180))
                .until(() -> committed(topic), r -> r.size() >= n);
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /** Kills the worker running the connector's task and waits until the other one runs it. */
    static ConnectWorker killTasksWorker(String name, Runnable whileMoving) throws Exception {
        ConnectWorker running = workerOfTask(name);
        ConnectWorker survivor = running == first ? second : first;
        running.kill();
        whileMoving.run();
        Waits.await("the task of " + name + " running on the surviving worker", Duration.ofSeconds(120))
                .until(() -> taskState(survivor, name)
                        .equals("RUNNING " + survivor.url().substring(7)));
        return survivor;
    }

    /** The keys of the committed records of connector {@code name}'s state topic. */
    static List<String> stateKeys(String name) {
        return committed(name + ".sluice-state").stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }

    /** {exit code, stdout, stderr} of an in-process {@code sluice <args>}. */
    static String[] sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cli = SluiceCli.create(new DefaultCommands(o, e), new ConfigLoader(), args);
        cli.setOut(o);
        cli.setErr(e);
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** The trace of the connector's failed task 0, as {@code worker} reports it; "" while it has not failed. */
    static String failure(ConnectWorker worker, String name) throws Exception {
        ConnectWorker.Response r = worker.rest("GET", "/connectors/" + name + "/status", null);
        JsonNode tasks = r.status() == 200 ? JSON.readTree(r.body()).get("tasks") : null;
        if (tasks == null
                || tasks.isEmpty()
                || !tasks.get(0).get("state").asText().equals("FAILED")) {
            return "";
        }
        return tasks.get(0).get("trace").asText();
    }

    static ConnectWorker workerOfTask(String name) throws Exception {
        String state = Waits.await("the task of " + name + " running", Duration.ofSeconds(60))
                .until(() -> taskState(first, name), s -> s.startsWith("RUNNING "));
        return state.endsWith(first.url().substring(7)) ? first : second;
    }

    /** {@code <state> <worker id>} of the connector's task 0, as {@code worker} reports it; "" when none. */
    static String taskState(ConnectWorker worker, String name) throws Exception {
        ConnectWorker.Response r = worker.rest("GET", "/connectors/" + name + "/status", null);
        if (r.status() != 200) {
            return "";
        }
        JsonNode tasks = JSON.readTree(r.body()).get("tasks");
        if (tasks == null || tasks.isEmpty()) {
            return "";
        }
        JsonNode t = tasks.get(0);
        if (t.get("state").asText().equals("FAILED")) {
            throw new AssertionError("the task failed: " + t.get("trace").asText());
        }
        return t.get("state").asText() + " " + t.get("worker_id").asText();
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every committed record of partition 0 of {@code topic}, read with read_committed up to its end. */
    static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            if (c.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty()) {
                return out;
            }
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
            return out;
        }
        return out;
    }
}
