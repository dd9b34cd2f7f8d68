package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.ConnectWorker;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged connector on two real Connect workers in distributed mode (exactly-once source support enabled), a
 * real KRaft broker and a real MariaDB: REST validation, and a stream of multi-row transactions read back with
 * read_committed while the worker running the task is SIGKILLed and the task moves to the other one.
 */
class ConnectWorkersIT extends ConnectWorkersFixture {
    @Test
    void restValidationAcceptsExactlyOnceRequiredAndNamesAWrongKeyOrValue() throws Exception {
        Map<String, String> good = config("valid", "shop");
        JsonNode ok = validate(good);
        assertThat(ok.get("error_count").asInt()).as(ok.toString()).isZero();

        Map<String, String> bad = new LinkedHashMap<>(good);
        bad.put("source.hots", "db1");
        bad.put("source.port", "70000");
        JsonNode wrong = validate(bad);
        assertThat(wrong.get("error_count").asInt()).as(wrong.toString()).isEqualTo(2);
        assertThat(errors(wrong, "source.hots"))
                .singleElement()
                .asString()
                .contains("unknown key source.hots", "source.host");
        assertThat(errors(wrong, "source.port")).singleElement().asString().contains("65535");
    }

    @Test
    void multiRowTransactionsArriveAtomicallyOnceAndInKeyOrderWhileTheTasksWorkerIsKilled() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connect");
        db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v INT NOT NULL)");
        String name = "moves";
        create(name, config(name, schema));

        int transactions = 160;
        writeTransactions(db, schema, 0, transactions / 2);
        String topic = name + "." + schema + ".t";
        Waits.await("the first events in " + topic, Duration.ofSeconds(90))
                .until(() -> !committed(topic).isEmpty());
        // the second half is written while the task's worker dies and the task moves
        CompletableFuture<Void> rest =
                CompletableFuture.runAsync(() -> writeTransactions(db, schema, transactions / 2, transactions));
        ConnectWorker survivor = killTasksWorker(name, rest::join);

        int expected = transactions * 3 + (transactions - 1);
        List<ConsumerRecord<byte[], byte[]>> records = Waits.await(
                        expected + " events in " + topic, Duration.ofSeconds(180))
                .until(() -> committed(topic), r -> r.size() >= expected);
        records = committed(topic); // everything committed now: nothing more may come
        assertThat(records).as("every event once").hasSize(expected);

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTxn = new LinkedHashMap<>();
        Map<Integer, List<JsonNode>> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode e = JSON.readTree(r.value());
            String id = e.get("id").asText();
            assertThat(header(r, "sluice.id")).isEqualTo(id);
            assertThat(header(r, "sluice.op")).isEqualTo(e.get("op").asText());
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":" + e.get("key").get("id").asInt() + "}");
            byTxn.computeIfAbsent(id.substring(0, id.lastIndexOf(':')), k -> new ArrayList<>())
                    .add(r);
            byKey.computeIfAbsent(e.get("key").get("id").asInt(), k -> new ArrayList<>())
                    .add(e);
        }
        assertThat(byTxn).as("one group of events per source transaction").hasSize(transactions);
        for (List<ConsumerRecord<byte[], byte[]>> txn : byTxn.values()) {
            // one Kafka transaction: consecutive offsets, then the commit marker
            for (int i = 1; i < txn.size(); i++) {
                assertThat(txn.get(i).offset()).isEqualTo(txn.get(i - 1).offset() + 1);
            }
        }
        for (int k = 0; k < transactions - 1; k++) {
            // row 3k+1 is inserted by transaction k with v = 0 and set to k + 1 by transaction k + 1
            List<JsonNode> lane = byKey.get(3 * k + 1);
            assertThat(lane).extracting(e -> e.get("op").asText()).containsExactly("c", "u");
            assertThat(lane.get(1).get("after").get("v").asInt()).isEqualTo(k + 1);
        }
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    @Test
    void aDdlSequenceWhileTheTaskMovesDecodesEveryRowWithItsVersionFromTheHistoryInKafka() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectddl");
        String t = schema + ".t";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, a INT)");
        String name = "ddl";
        create(name, config(name, schema));
        String topic = name + "." + t;
        db.execute(
                "INSERT INTO " + t + " VALUES (1, 1), (2, 2)",
                "ALTER TABLE " + t + " ADD COLUMN b INT",
                "INSERT INTO " + t + " VALUES (3, 3, 3), (4, 4, 4)");
        awaitEvents(topic, 5);

        // while no task runs: rows of version 2, a change to version 3 (the server's tables then know only
        // version 3), rows of version 3: the new task must take version 2's columns from the history in Kafka
        ConnectWorker survivor = killTasksWorker(
                name,
                () -> db.execute(
                        "INSERT INTO " + t + " VALUES (5, 5, 5)",
                        "ALTER TABLE " + t + " DROP COLUMN a",
                        "INSERT INTO " + t + " VALUES (6, 6)"));

        List<JsonNode> events = awaitEvents(topic, 8);
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        assertThat(events)
                .extracting(ConnectWorkersIT::opSchemaAfter)
                .containsExactly(
                        "c1 {\"id\":1,\"a\":1}",
                        "c1 {\"id\":2,\"a\":2}",
                        "s2",
                        "c2 {\"id\":3,\"a\":3,\"b\":3}",
                        "c2 {\"id\":4,\"a\":4,\"b\":4}",
                        "c2 {\"id\":5,\"a\":5,\"b\":5}",
                        "s3",
                        "c3 {\"id\":6,\"b\":6}");
        assertThat(stateKeys(name))
                .contains(name + "/schema-history/0", name + "/schema-history/1", name + "/schema-history/2");
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    @Test
    void aBreakingChangeHaltsTheTaskUntilSchemaApprovePointedAtTheStateTopicApprovesIt() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectapprove");
        String t = schema + ".t";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, a INT)");
        String name = "approve";
        create(name, config(name, schema));
        String topic = name + "." + t;
        db.execute("INSERT INTO " + t + " VALUES (1, 1)");
        awaitEvents(topic, 1);
        // breaking under the default policy (backward, halt): a NOT NULL column without a default
        db.execute("ALTER TABLE " + t + " ADD COLUMN b INT NOT NULL", "INSERT INTO " + t + " VALUES (2, 2, 2)");
        String options = "--connect-state " + kafka.bootstrapServers() + " --state-topic " + name
                + ".sluice-state --connector " + name;
        String trace = Waits.await("the task of " + name + " halted", Duration.ofSeconds(120))
                .until(() -> failure(first, name), f -> !f.isEmpty());
        assertThat(trace)
                .contains("version 2 of " + t, "sluice schema approve " + options + " --table " + t + " --version 2");
        assertThat(committed(topic)).as("nothing of version 2").hasSize(1);

        // the command the halt message gives
        String[] approve = (String.join(" ", "schema", "approve", options, "--table", t, "--version", "2")).split(" ");
        String[] approved = sluice(approve);
        assertThat(approved[0]).as(approved[2]).isEqualTo("0");
        assertThat(approved[1]).contains("approved version 2 of " + t, "/connectors/" + name + "/restart");
        assertThat(stateKeys(name)).contains(name + "/approvals/0");

        ConnectWorker.Response restarted =
                first.rest("POST", "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=true", null);
        assertThat(restarted.status()).as(restarted.body()).isIn(200, 202, 204);
        List<JsonNode> events = awaitEvents(topic, 3);
        assertThat(events)
                .extracting(ConnectWorkersIT::opSchemaAfter)
                .containsExactly("c1 {\"id\":1,\"a\":1}", "s2", "c2 {\"id\":2,\"a\":2,\"b\":2}");
        assertThat(events.get(1).get("breaking").toString()).contains("b");

        // approving it again changes nothing and says so
        String[] again = sluice(approve);
        assertThat(again[0]).isEqualTo("5");
        assertThat(again[1] + again[2]).contains("approved already");
        first.rest("DELETE", "/connectors/" + name, null);
    }

    @Test
    void rulesFilterMaskAndRouteEventsAsSluiceRunDoesAndAChangedRulesSettingIsANewVersionInTheStateTopic()
            throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectrules");
        String t = schema + ".orders";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, status VARCHAR(10), email VARCHAR(40))");
        String name = "rules";
        String rules = "rules:\n"
                + "  - name: no-test\n"
                + "    match: {tables: [\"" + t + "\"]}\n"
                + "    where: \"after.status != 'test'\"\n"
                + "  - name: pii\n"
                + "    match: {tables: [\"" + t + "\"]}\n"
                + "    mask: {email: redact}\n"
                + "    route: " + schema + ".clean\n"
                + "    set: {shop: \"'east'\"}\n"
                + "    key: [shop, id]\n";
        Map<String, String> config = config(name, schema);
        config.put("rules", rules);
        assertThat(validate(config).get("error_count").asInt()).isZero();
        Map<String, String> broken = new LinkedHashMap<>(config);
        broken.put("rules", rules.replace("after.status", "after.nope"));
        broken.put("value.format", "struct");
        JsonNode wrong = validate(broken);
        assertThat(errors(wrong, "rules")).as("rules take struct values").isEmpty();
        // a converter's problem goes to Connect's own entry of the key (two entries: HTTP 500 instead)
        assertThat(errors(wrong, "key.converter")).singleElement().asString().contains("value.format=struct");
        broken.put("value.format", "json");
        broken.put("rules", "/no/such/rules.yaml");
        assertThat(errors(validate(broken), "rules")).singleElement().asString().contains("/no/such/rules.yaml");
        create(name, config);

        db.execute(
                "BEGIN",
                "INSERT INTO " + t + " VALUES (1, 'new', 'ada@example.com'), (2, 'test', 'x@example.com')",
                "INSERT INTO " + t + " VALUES (3, 'paid', 'bob@example.com')",
                "COMMIT");
        String routed = name + "." + schema + ".clean";
        List<ConsumerRecord<byte[], byte[]>> records = Waits.await("2 events in " + routed, Duration.ofSeconds(120))
                .until(() -> committed(routed), r -> r.size() >= 2);
        assertThat(records).hasSize(2);
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode e = JSON.readTree(r.value());
            events.add(e);
            // the key is the rules' key, as the Kafka sink writes it
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .isEqualTo(e.get("key").toString());
        }
        assertThat(events)
                .extracting(e -> e.get("key") + " " + e.get("after") + " rules=" + e.get("rules") + " route="
                        + e.get("route").asText())
                .containsExactly(
                        "{\"shop\":\"east\",\"id\":1} {\"id\":1,\"status\":\"new\",\"email\":\"***\",\"shop\":\"east\"}"
                                + " rules=1 route=" + schema + ".clean",
                        "{\"shop\":\"east\",\"id\":3} {\"id\":3,\"status\":\"paid\",\"email\":\"***\",\"shop\":\"east\"}"
                                + " rules=1 route=" + schema + ".clean");
        assertThat(committed(name + "." + t))
                .as("nothing under the table's own topic")
                .isEmpty();

        // new rules through Connect's REST: recorded as version 2 in the state topic, in effect from then on
        config.put("rules", rules.replace("redact", "{keep-last: 4}"));
        ConnectWorker.Response updated =
                first.rest("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        // rows written while the task restarts are shaped by version 1 (the old task) or 2: each once, in order,
        // version 1 until the first one of version 2
        AtomicInteger next = new AtomicInteger(4);
        List<JsonNode> after = Waits.await("an event shaped by rule version 2", Duration.ofSeconds(120))
                .until(
                        () -> {
                            int id = next.getAndIncrement();
                            db.execute("INSERT INTO " + t + " VALUES (" + id + ", 'new', 'cy" + id + "@example.com')");
                            return awaitEvents(routed, id - 1);
                        },
                        list -> list.get(list.size() - 1).get("rules").asInt() == 2);
        assertThat(after)
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(1, next.get())
                        .filter(i -> i != 2)
                        .boxed()
                        .toList());
        assertThat(after).extracting(e -> e.get("rules").asInt()).isSorted();
        for (JsonNode e : after) {
            String email = e.get("after").get("email").asText();
            assertThat(email).isEqualTo(e.get("rules").asInt() == 1 ? "***" : "*".repeat(email.length() - 4) + ".com");
        }
        // the version is in the state topic, committed with the first events it shaped
        assertThat(stateKeys(name)).contains(name + "/rule-versions/0", name + "/rule-versions/1");
        first.rest("DELETE", "/connectors/" + name, null);
    }

    @Test
    void sluiceRulesDeployAndRollbackOnTheStateTopicReachTheRunningTaskAtItsNextTransactionAndARestartKeepsThem()
            throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectdeploy");
        String t = schema + ".orders";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, email VARCHAR(40))");
        String name = "deploy";
        String v1 = "rules:\n  - name: pii\n    match: {tables: [\"" + t + "\"]}\n    mask: {email: redact}\n";
        Map<String, String> config = config(name, schema);
        config.put("rules", v1);
        create(name, config);
        String topic = name + "." + t;
        AtomicInteger next = new AtomicInteger(1);
        // inserts rows one by one until one's event is shaped by rule version n (the task switches between two)
        java.util.function.IntFunction<List<JsonNode>> untilVersion = n -> {
            try {
                return Waits.await("an event shaped by rule version " + n, Duration.ofSeconds(120))
                        .until(
                                () -> {
                                    int id = next.getAndIncrement();
                                    db.execute("INSERT INTO " + t + " VALUES (" + id + ", 'cy" + id + "@example.com')");
                                    return awaitEvents(topic, id);
                                },
                                list -> list.get(list.size() - 1).get("rules").asInt() == n);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        untilVersion.apply(1);

        // deployed beside the running task: no config change, no restart; taken up at a transaction boundary
        Path v2 = java.nio.file.Files.createTempFile("deploy-v2", ".yaml");
        java.nio.file.Files.writeString(v2, v1.replace("redact", "{keep-last: 4}"));
        String options = "--connect-state " + kafka.bootstrapServers() + " --state-topic " + name
                + ".sluice-state --connector " + name;
        String[] bad = sluice(("rules deploy " + options + " -r " + v2 + "x").split(" "));
        assertThat(bad[0]).as(bad[1] + bad[2]).isNotEqualTo("0");
        Path wrongColumn = java.nio.file.Files.createTempFile("deploy-bad", ".yaml");
        java.nio.file.Files.writeString(wrongColumn, v1.replace("email", "nope"));
        String[] refused = sluice(("rules deploy " + options + " -r " + wrongColumn).split(" "));
        assertThat(refused[0]).as(refused[1] + refused[2]).isNotEqualTo("0");
        assertThat(refused[1] + refused[2]).contains("nope");
        String[] deployed = sluice(("rules deploy " + options + " -r " + v2 + " -m keep-last").split(" "));
        assertThat(deployed[0]).as(deployed[1] + deployed[2]).isEqualTo("0");
        assertThat(deployed[1]).contains("deployed rule version 2", "next source transaction boundary");
        String worker = taskState(first, name);
        untilVersion.apply(2);
        assertThat(taskState(first, name)).as("the same task, not restarted").isEqualTo(worker);

        // the task stopped and started again: its rules setting (still version 1's) does not undo the deployment
        assertThat(first.rest("PUT", "/connectors/" + name + "/stop", null).status())
                .isIn(200, 202, 204);
        Waits.await("connector " + name + " stopped", Duration.ofSeconds(60))
                .until(() -> first.rest("GET", "/connectors/" + name + "/status", null)
                        .body()
                        .contains("\"STOPPED\""));
        int whileStopped = next.getAndIncrement();
        db.execute("INSERT INTO " + t + " VALUES (" + whileStopped + ", 'cy" + whileStopped + "@example.com')");
        assertThat(first.rest("PUT", "/connectors/" + name + "/resume", null).status())
                .isIn(200, 202, 204);
        assertThat(awaitEvents(topic, whileStopped)
                        .get(whileStopped - 1)
                        .get("rules")
                        .asInt())
                .isEqualTo(2);

        String[] rolledBack = sluice(("rules rollback " + options + " 1").split(" "));
        assertThat(rolledBack[0]).as(rolledBack[1] + rolledBack[2]).isEqualTo("0");
        assertThat(rolledBack[1]).contains("deployed rule version 3 with the rules of version 1");
        List<JsonNode> events = untilVersion.apply(3);

        // every row once, in order; each shaped by the version in effect, versions never going back
        assertThat(events)
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(1, next.get()).boxed().toList());
        assertThat(events).extracting(e -> e.get("rules").asInt()).isSorted();
        for (JsonNode e : events) {
            String email = e.get("after").get("email").asText();
            assertThat(email).isEqualTo(e.get("rules").asInt() == 2 ? "*".repeat(email.length() - 4) + ".com" : "***");
        }
        String[] list = sluice(("rules list " + options).split(" "));
        assertThat(list[0]).as(list[2]).isEqualTo("0");
        assertThat(list[1].lines().skip(1).map(l -> l.split("\\s+")[0]).toList())
                .containsExactly("1", "2", "3");
        assertThat(sluice(("rules show " + options + " 2").split(" "))[1]).contains("keep-last: 4");
        assertThat(stateKeys(name))
                .filteredOn(k -> k.contains("/rule-versions/"))
                .hasSize(3);
        first.rest("DELETE", "/connectors/" + name, null);
    }

    /** An event as {@code <op><schema> <after>}, e.g. {@code c2 {"id":3,"b":3}}. */
    private static String opSchemaAfter(JsonNode e) {
        return e.get("op").asText() + e.get("schema").asInt() + (e.get("after").isNull() ? "" : " " + e.get("after"));
    }

    @Test
    void aZombieTaskWakingUpAfterItsTaskMovedIsFencedAndWritesNothing() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectzombie");
        db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v INT NOT NULL)");
        String name = "zombie";
        create(name, config(name, schema));
        String topic = name + "." + schema + ".t";
        insertRows(db, schema, 0, 30);
        awaitEvents(topic, 30);

        ConnectWorker frozen = workerOfTask(name);
        ConnectWorker other = frozen == first ? second : first;
        frozen.pause();
        try {
            insertRows(db, schema, 30, 60);
            Waits.await("the task of " + name + " moved off the frozen worker", Duration.ofSeconds(120))
                    .until(() -> taskState(other, name)
                            .equals("RUNNING " + other.url().substring(7)));
            awaitEvents(topic, 60);
        } finally {
            frozen.resume(); // its task wakes up as a zombie, with what it had polled before it froze
        }
        insertRows(db, schema, 60, 90);
        List<JsonNode> events = awaitEvents(topic, 90);
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        assertThat(events)
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 90).boxed().toList());
        other.rest("DELETE", "/connectors/" + name, null);
    }

    /** Rows {@code from} to {@code to - 1}, one transaction each. */
    private static void insertRows(MariaDbServer db, String schema, int from, int to) {
        for (int i = from; i < to; i++) {
            db.execute("INSERT INTO " + schema + ".t VALUES (" + i + ", " + i + ")");
        }
    }

    @Test
    void twoConnectorsOnTwoSourceServersRunSideBySide() throws Exception {
        MariaDbServer east = MariaDbServer.shared();
        try (MariaDbServer west = MariaDbServer.builder().start()) {
            String eastDb = east.createDatabase("east");
            String westDb = west.createDatabase("west");
            east.execute("CREATE TABLE " + eastDb + ".t (id INT PRIMARY KEY, v INT NOT NULL)");
            west.execute("CREATE TABLE " + westDb + ".t (id INT PRIMARY KEY, v INT NOT NULL)");
            create("east", config("east", eastDb));
            Map<String, String> westConfig = config("west", westDb);
            westConfig.put("source.host", west.host());
            westConfig.put("source.port", Integer.toString(west.port()));
            create("west", westConfig);
            insertRows(east, eastDb, 0, 20);
            insertRows(west, westDb, 100, 130);

            List<JsonNode> e = awaitEvents("east." + eastDb + ".t", 20);
            List<JsonNode> w = awaitEvents("west." + westDb + ".t", 30);
            assertThat(e).hasSize(20).allMatch(x -> x.get("id").asText().startsWith("east:"));
            assertThat(w).hasSize(30).allMatch(x -> x.get("id").asText().startsWith("west:"));
            assertThat(w.get(0).get("after").get("id").asInt()).isEqualTo(100);
            first.rest("DELETE", "/connectors/east", null);
            first.rest("DELETE", "/connectors/west", null);
        }
    }

    @Test
    void structValuesThroughJsonConverterCarryTheTableSchemaAndTheStateTopicReadsBackAfterARestart() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("structs");
        db.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL,"
                + " big BIGINT UNSIGNED, at DATETIME(3), b VARBINARY(4))");
        Map<String, String> c = config("structs", schema);
        c.put("value.format", "struct");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        assertThat(validate(c).get("error_count").asInt()).isZero();
        create("structs", c);
        db.execute("INSERT INTO " + schema + ".t VALUES (1, 12.34, 18446744073709551615,"
                + " '2024-02-29 13:45:01.250', x'00ff')");
        String topic = "structs." + schema + ".t";
        awaitEvents(topic, 1);
        // the restarted task reads its state topic (written through JsonConverter) back through it
        assertThat(first.rest("POST", "/connectors/structs/restart?includeTasks=true", null)
                        .status())
                .isIn(200, 202, 204);
        db.execute("ALTER TABLE " + schema + ".t ADD COLUMN note VARCHAR(10)");
        db.execute("INSERT INTO " + schema + ".t VALUES (2, -0.50, 7, NULL, NULL, 'hi')");
        List<JsonNode> events = awaitEvents(topic, 3);
        org.apache.kafka.connect.json.JsonConverter converter = new org.apache.kafka.connect.json.JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        List<org.apache.kafka.connect.data.Struct> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            rows.add((org.apache.kafka.connect.data.Struct)
                    converter.toConnectData(topic, r.value()).value());
        }
        assertThat(rows).extracting(v -> v.getString("op")).containsExactly("c", "s", "c");
        org.apache.kafka.connect.data.Struct a1 = rows.get(0).getStruct("after");
        assertThat(a1.get("amount")).isEqualTo(new java.math.BigDecimal("12.34"));
        assertThat(a1.get("big")).isEqualTo(new java.math.BigDecimal("18446744073709551615"));
        assertThat(a1.get("at")).isEqualTo("2024-02-29T13:45:01.250");
        assertThat((byte[]) a1.get("b")).containsExactly(0, -1);
        org.apache.kafka.connect.data.Struct a2 = rows.get(2).getStruct("after");
        assertThat(rows.get(2).getInt32("schema")).isEqualTo(2);
        assertThat(a2.get("amount")).isEqualTo(new java.math.BigDecimal("-0.50"));
        assertThat(a2.get("note")).isEqualTo("hi");
        first.rest("DELETE", "/connectors/structs", null);
    }

    @Test
    void rulesWithStructValuesCarryTheShapedSchemaRenamedDroppedMaskedAndSetColumnsWithTheRulesKey() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("structrules");
        String t = schema + ".t";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, email VARCHAR(40), fname VARCHAR(10),"
                + " ssn VARCHAR(11), qty INT NOT NULL, amount DECIMAL(10,2) NOT NULL)");
        String name = "structrules";
        Map<String, String> c = config(name, schema);
        c.put("value.format", "struct");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put(
                "rules",
                "rules:\n  - name: shape\n    match: {tables: [\"" + t + "\"]}\n    drop: [ssn]\n"
                        + "    rename: {fname: first_name}\n    mask: {email: redact}\n"
                        + "    set: {shop: \"'east'\", double_qty: \"after.qty * 2\"}\n"
                        + "    route: " + schema + ".clean\n    key: [shop, id]\n");
        assertThat(validate(c).get("error_count").asInt()).isZero();
        create(name, c);
        db.execute(
                "BEGIN",
                "INSERT INTO " + t + " VALUES (1, 'ada@example.com', 'Ada', '123-45-6789', 3, 12.34)",
                "DELETE FROM " + t + " WHERE id = 1",
                "COMMIT");
        String topic = name + "." + schema + ".clean";
        awaitEvents(topic, 2);
        org.apache.kafka.connect.json.JsonConverter values = new org.apache.kafka.connect.json.JsonConverter();
        values.configure(Map.of("schemas.enable", "true"), false);
        org.apache.kafka.connect.json.JsonConverter keys = new org.apache.kafka.connect.json.JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        List<org.apache.kafka.connect.data.Struct> rows = new ArrayList<>();
        List<org.apache.kafka.connect.data.Struct> rowKeys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            rows.add((org.apache.kafka.connect.data.Struct)
                    values.toConnectData(topic, r.value()).value());
            rowKeys.add((org.apache.kafka.connect.data.Struct)
                    keys.toConnectData(topic, r.key()).value());
        }
        assertThat(rows).extracting(v -> v.getString("op")).containsExactly("c", "d");
        org.apache.kafka.connect.data.Struct after = rows.get(0).getStruct("after");
        assertThat(after.schema().fields())
                .extracting(f -> f.name() + ":" + f.schema().type())
                .containsExactly(
                        "id:INT32",
                        "email:STRING",
                        "first_name:STRING",
                        "qty:INT32",
                        "amount:BYTES",
                        "shop:STRING",
                        "double_qty:INT64");
        assertThat(after.get("email")).isEqualTo("***");
        assertThat(after.get("first_name")).isEqualTo("Ada");
        assertThat(after.get("amount")).isEqualTo(new java.math.BigDecimal("12.34"));
        assertThat(after.get("double_qty")).isEqualTo(6L);
        assertThat(rows.get(1).getStruct("before").get("shop")).isEqualTo("east");
        assertThat(rows)
                .extracting(v -> v.getInt32("rules") + " " + v.getString("route"))
                .containsOnly("1 " + schema + ".clean");
        assertThat(rowKeys).extracting(k -> k.get("shop") + "/" + k.get("id")).containsExactly("east/1", "east/1");
        first.rest("DELETE", "/connectors/" + name, null);
    }

    @Test
    void structTemporalsAsConnectsLogicalTypesAndAZeroDateStopsTheTaskUntilNullIsAsked() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("temporals");
        String t = schema + ".t";
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, d DATE, at DATETIME(3), ts TIMESTAMP(3) NULL,"
                + " tm TIME, fine DATETIME(6))");
        String name = "temporals";
        Map<String, String> c = config(name, schema);
        c.put("value.temporal", "connect");
        assertThat(errors(validate(c), "value.temporal"))
                .singleElement()
                .asString()
                .contains("needs value.format=struct");
        c.put("value.format", "struct");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        assertThat(validate(c).get("error_count").asInt()).isZero();
        create(name, c);
        String topic = name + "." + t;
        db.execute(
                "SET SESSION time_zone = '+00:00'",
                "INSERT INTO " + t + " VALUES (1, '2024-02-29', '2024-02-29 13:45:01.250', '2024-02-29 12:45:01.250',"
                        + " '13:45:01', '2024-02-29 13:45:01.250001')");
        awaitEvents(topic, 1);
        // a zero date and a TIME beyond a day: the task stops naming the value, nothing of it written
        db.execute(
                "SET SESSION sql_mode = ''",
                "INSERT INTO " + t + " VALUES (2, '0000-00-00', NULL, NULL, '-100:00:00', NULL)");
        String trace = Waits.await("the task of " + name + " stopped", Duration.ofSeconds(120))
                .until(() -> failure(first, name), f -> !f.isEmpty());
        assertThat(trace).contains("column d of " + t + " holds 0000-00-00", "value.temporal.out-of-range=null");
        assertThat(committed(topic)).hasSize(1);

        // asked to write them as null, the restarted task writes the row
        c.put("value.temporal.out-of-range", "null");
        ConnectWorker.Response put = first.rest("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(c));
        assertThat(put.status()).as(put.body()).isIn(200, 201);
        Waits.await("the row with the zero date in " + topic, Duration.ofSeconds(180))
                .until(
                        () -> {
                            if (!failure(first, name).isEmpty()) { // failed again before the new configuration
                                first.rest(
                                        "POST",
                                        "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=true",
                                        null);
                            }
                            return committed(topic);
                        },
                        r -> r.size() >= 2);
        org.apache.kafka.connect.json.JsonConverter converter = new org.apache.kafka.connect.json.JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        List<org.apache.kafka.connect.data.Struct> after = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : committed(topic)) {
            after.add(((org.apache.kafka.connect.data.Struct)
                            converter.toConnectData(topic, r.value()).value())
                    .getStruct("after"));
        }
        assertThat(after).extracting(a -> a.get("id")).containsExactly(1, 2);
        org.apache.kafka.connect.data.Struct a1 = after.get(0);
        assertThat(a1.schema().field("d").schema().name()).isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
        assertThat(a1.get("d")).isEqualTo(new java.util.Date(1_709_164_800_000L));
        assertThat(a1.get("at")).isEqualTo(new java.util.Date(1_709_214_301_250L));
        assertThat(a1.get("ts")).isEqualTo(new java.util.Date(1_709_210_701_250L));
        assertThat(a1.get("tm")).isEqualTo(new java.util.Date(49_501_000L));
        assertThat(a1.get("fine")).isEqualTo("2024-02-29T13:45:01.250001");
        org.apache.kafka.connect.data.Struct a2 = after.get(1);
        assertThat(a2.get("d")).isNull();
        assertThat(a2.get("tm")).isNull();
        first.rest("DELETE", "/connectors/" + name, null);
    }

    @Test
    void aSnapshotKilledMidTableResumesAfterItsLastChunkWithoutADuplicateRow() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectsnap");
        String t = schema + ".big";
        int rows = 20_000;
        db.execute(
                "CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + t + " SELECT seq, CONCAT('row ', seq) FROM " + schema + ".seq_1_to_" + rows);
        String name = "snap";
        Map<String, String> config = config(name, schema);
        config.put("source.start", "snapshot");
        config.put("snapshot.chunk-size", "200");
        create(name, config);
        String topic = name + "." + t;
        Waits.await("part of the snapshot in " + topic, Duration.ofSeconds(120))
                .until(() -> committed(topic).size(), n -> n >= 1_000);
        int[] beforeKill = new int[1];
        ConnectWorker survivor =
                killTasksWorker(name, () -> beforeKill[0] = committed(topic).size());
        assertThat(beforeKill[0]).as("rows in Kafka when the worker was killed").isLessThan(rows);

        List<JsonNode> events = awaitEvents(topic, rows);
        assertThat(events).extracting(e -> e.get("op").asText()).containsOnly("r");
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        assertThat(events).hasSize(rows);
        assertThat(events.get(rows - 1).get("after").get("id").asInt()).isEqualTo(rows);
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    @Test
    void anOnDemandSnapshotFromTheSignalTableKilledMidTableResumesAfterItsLastChunk() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String schema = db.createDatabase("connectsignal");
        String t = schema + ".big";
        int rows = 20_000;
        db.execute(
                "CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + t + " SELECT seq, CONCAT('row ', seq) FROM " + schema + ".seq_1_to_" + rows,
                "CREATE DATABASE IF NOT EXISTS sluice",
                "CREATE TABLE IF NOT EXISTS sluice.sluice_signal (id VARCHAR(128) NOT NULL PRIMARY KEY,"
                        + " pipeline VARCHAR(128) NOT NULL, kind VARCHAR(32) NOT NULL, tables TEXT NULL,"
                        + " filter TEXT NULL, detail TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        String name = "signal";
        Map<String, String> config = config(name, schema);
        config.put("snapshot.chunk-size", "200");
        create(name, config);
        String topic = name + "." + t;
        db.execute("INSERT INTO sluice.sluice_signal (id, pipeline, kind, tables) VALUES ('connect-run-1', '" + name
                + "', 'snapshot', '" + t + "')");
        Waits.await("part of the on-demand snapshot in " + topic, Duration.ofSeconds(120))
                .until(() -> committed(topic).size(), n -> n >= 1_000);
        int[] beforeKill = new int[1];
        ConnectWorker survivor = killTasksWorker(name, () -> {
            beforeKill[0] = committed(topic).size();
            // a change while no task runs: streamed once, after or between the snapshot's chunks
            db.execute("UPDATE " + t + " SET v = 'changed' WHERE id = " + rows);
        });
        assertThat(beforeKill[0]).as("rows in Kafka when the worker was killed").isLessThan(rows);

        List<JsonNode> events = awaitEvents(topic, rows + 1);
        assertThat(events).hasSize(rows + 1);
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
        List<JsonNode> reads =
                events.stream().filter(e -> e.get("op").asText().equals("r")).toList();
        assertThat(reads).as("every row read once, in key order").hasSize(rows);
        assertThat(reads)
                .extracting(e -> e.get("after").get("id").asInt())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, rows).boxed().toList());
        assertThat(reads).allMatch(e -> e.get("id").asText().contains("connect-run-1"));
        JsonNode update = events.stream()
                .filter(e -> e.get("op").asText().equals("u"))
                .findFirst()
                .orElseThrow();
        assertThat(update.get("after").get("v").asText()).isEqualTo("changed");
        survivor.rest("DELETE", "/connectors/" + name, null);
        replaceKilled();
    }

    /** Transactions {@code from} to {@code to - 1}: three inserts, and (but the first) an update of the previous one's first row. */
    private static void writeTransactions(MariaDbServer db, String schema, int from, int to) {
        for (int k = from; k < to; k++) {
            int id = 3 * k + 1;
            String insert =
                    "INSERT INTO " + schema + ".t VALUES (" + id + ",0),(" + (id + 1) + ",0),(" + (id + 2) + ",0)";
            if (k == 0) {
                db.execute(insert);
            } else {
                db.execute(
                        "BEGIN", insert, "UPDATE " + schema + ".t SET v = " + k + " WHERE id = " + (id - 3), "COMMIT");
            }
        }
    }
}
