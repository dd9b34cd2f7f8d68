package io.sluice.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Transformation rules end to end (issue 15): {@code sluice run} with a rule file on a real MariaDB, under concurrent
 * writes. A filter drops test orders, a PII rule hashes, partly masks, drops, renames and computes columns, and eight
 * shard tables with overlapping ids merge into one destination with a shard column and {@code key: [shard, id]}:
 * every row once, the values right, each key's events in order.
 */
class RulesIT {
    private static final String HASH_KEY = "rules-it-secret-of-thirty-two-chars!";
    private static final int SHARDS = 8;
    private static final int ROWS = 40;

    private final MariaDbServer server = MariaDbServer.shared();

    @Test
    void filterMaskRenameSetAndEightShardsMergedWithTheirKeysAndOrder() throws Exception {
        Path dir = Harness.workDir("rules");
        String db = server.createDatabase("rules");
        server.execute(
                "CREATE TABLE " + db + ".customers (id INT PRIMARY KEY, fname VARCHAR(40), last_name VARCHAR(40),"
                        + " email VARCHAR(80), phone VARCHAR(20), ssn CHAR(11))");
        for (int s = 0; s < SHARDS; s++) {
            server.execute("CREATE TABLE " + db + ".orders_0" + s + " (id INT PRIMARY KEY, status VARCHAR(10),"
                    + " total DECIMAL(65,30), qty BIGINT UNSIGNED)");
        }
        Files.writeString(dir.resolve("shop-rules.yaml"), """
                rules:
                  - name: no-test-orders
                    match: {tables: ["*.orders_*"]}
                    where: "after.status != 'test'"
                  - name: pii
                    match: {tables: ["*.customers"]}
                    mask: {email: hash, phone: {keep-last: 4}}
                    drop: [ssn]
                    rename: {fname: first_name}
                    set: {full_name: "after.first_name + ' ' + after.last_name"}
                  - name: merge-orders
                    match: {tables: ["*.orders_*"]}
                    route: "{db}.orders"
                    set: {shard: "source.table", big: "after.qty > 9223372036854775807u"}
                    key: [shard, id]
                """, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir, "rules", server.host(), server.port(), "", 9511, db, start, "rules: shop-rules.yaml\n");
        Path out = dir.resolve("rules-out");
        Path log = dir.resolve("sluice.log");

        try (SluiceProcess p = SluiceProcess.startWithEnv(
                log, Map.of("SLUICE_RULES_HASH_KEY", HASH_KEY), "run", "--config", config.toString())) {
            server.execute(
                    "INSERT INTO " + db + ".customers VALUES (1, 'Ada', 'Lovelace', 'ada@example.com',"
                            + " '+44 20 7946 0958', '123-45-6789')",
                    "UPDATE " + db + ".customers SET email = 'ada@lovelace.org' WHERE id = 1");
            // eight writers, one per shard, the same ids in every shard: insert, then two updates per row; every
            // fifth row is a test order (dropped by the filter, its updates too)
            ExecutorService writers = Executors.newFixedThreadPool(SHARDS);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                String table = db + ".orders_0" + s;
                done.add(writers.submit(() -> {
                    for (int id = 1; id <= ROWS; id++) {
                        String status = id % 5 == 0 ? "test" : "new";
                        String qty = id == 1 ? "18446744073709551614" : Integer.toString(id);
                        server.execute("INSERT INTO " + table + " VALUES (" + id + ", '" + status + "', '" + id
                                + ".123456789012345678901234567890', " + qty + ")");
                        if (id > 1) {
                            server.execute("UPDATE " + table + " SET status = IF(status = 'test', 'test', 'paid'),"
                                    + " qty = qty + 1 WHERE id = " + (id - 1));
                        }
                    }
                    server.execute("UPDATE " + table + " SET status = 'paid', qty = qty + 1 WHERE id = " + ROWS
                            + " AND status <> 'test'");
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            writers.shutdown();
            // per shard: 32 real orders inserted and updated once (id 40 is a test order: its update is skipped)
            int perShard = (ROWS - ROWS / 5) * 2;
            Harness.awaitLines(out, 2 + (long) SHARDS * perShard, p);
            p.terminate(60);
        }

        List<JsonNode> events = Harness.events(out);
        assertThat(events).allSatisfy(e -> assertThat(e.path("rules").asInt()).isEqualTo(1));
        assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();

        List<JsonNode> customers = events.stream()
                .filter(e -> e.path("source").path("table").asText().equals("customers"))
                .toList();
        assertThat(customers).hasSize(2);
        JsonNode ada = customers.get(0).path("after");
        assertThat(fieldNames(ada)).containsExactly("id", "first_name", "last_name", "email", "phone", "full_name");
        assertThat(ada.path("email").asText()).isEqualTo(hmac("ada@example.com"));
        assertThat(ada.path("phone").asText()).isEqualTo("************0958");
        assertThat(ada.path("full_name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customers.get(1).path("before").path("email").asText()).isEqualTo(hmac("ada@example.com"));
        assertThat(customers.get(1).path("after").path("email").asText()).isEqualTo(hmac("ada@lovelace.org"));
        assertThat(customers.get(1).has("route")).isFalse();

        List<JsonNode> orders = events.stream()
                .filter(e -> e.path("source").path("table").asText().startsWith("orders_"))
                .toList();
        assertThat(orders).hasSize(SHARDS * (ROWS - ROWS / 5) * 2);
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        for (JsonNode e : orders) {
            assertThat(e.path("route").asText()).isEqualTo(db + ".orders");
            JsonNode after = e.path("after");
            assertThat(after.path("status").asText()).isNotEqualTo("test");
            assertThat(after.path("shard").asText())
                    .isEqualTo(e.path("source").path("table").asText());
            assertThat(e.path("key").toString())
                    .isEqualTo("{\"shard\":\"" + after.path("shard").asText() + "\",\"id\":" + after.path("id") + "}");
            int id = after.path("id").asInt();
            assertThat(after.path("total").asText()).isEqualTo(id + ".123456789012345678901234567890");
            byKey.computeIfAbsent(e.path("key").toString(), k -> new ArrayList<>())
                    .add(e);
        }
        // 8 shards x 32 ids: every key once, with its insert then its update, in that order
        assertThat(byKey).hasSize(SHARDS * (ROWS - ROWS / 5));
        Set<String> shards = new HashSet<>();
        for (List<JsonNode> lane : byKey.values()) {
            assertThat(lane).extracting(e -> e.path("op").asText()).containsExactly("c", "u");
            assertThat(lane)
                    .extracting(e -> e.path("after").path("status").asText())
                    .containsExactly("new", "paid");
            JsonNode first = lane.get(0).path("after");
            shards.add(first.path("shard").asText());
            if (first.path("id").asInt() == 1) {
                assertThat(first.path("qty").toString()).isEqualTo("18446744073709551614");
                assertThat(lane.get(1).path("after").path("qty").toString()).isEqualTo("18446744073709551615");
                assertThat(first.path("big").asInt()).isEqualTo(1);
            } else {
                assertThat(first.path("big").asInt()).isZero();
            }
        }
        assertThat(shards).hasSize(SHARDS);
    }

    /**
     * Snapshot chunks of a table a rule matches go through the rules as typed events (not the rendered fast path);
     * a table no rule matches keeps the fast path and carries no {@code rules} field.
     */
    @Test
    void snapshotRowsOfRuledTablesAreShapedAndOthersPassUntouched() throws Exception {
        Path dir = Harness.workDir("rules-snapshot");
        String db = server.createDatabase("rsnap");
        server.execute("CREATE TABLE " + db + ".plain (id INT PRIMARY KEY, v VARCHAR(10))");
        for (int s = 0; s < 2; s++) {
            server.execute("CREATE TABLE " + db + ".orders_0" + s + " (id INT PRIMARY KEY, status VARCHAR(10),"
                    + " total DECIMAL(65,30), qty BIGINT UNSIGNED)");
            StringBuilder values = new StringBuilder();
            for (int id = 1; id <= 100; id++) {
                values.append(id == 1 ? "" : ",")
                        .append("(")
                        .append(id)
                        .append(", '")
                        .append(id % 5 == 0 ? "test" : "new")
                        .append("', '")
                        .append(id)
                        .append(".5', ")
                        .append(id == 1 ? "18446744073709551615" : Integer.toString(id))
                        .append(")");
            }
            server.execute("INSERT INTO " + db + ".orders_0" + s + " VALUES " + values);
        }
        server.execute("INSERT INTO " + db + ".plain VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        Files.writeString(dir.resolve("snap-rules.yaml"), """
                rules:
                  - name: no-test-orders
                    match: {tables: ["*.orders_*"]}
                    where: "after.status != 'test' && after.total > decimal('1')"
                  - name: merge-orders
                    match: {tables: ["*.orders_*"]}
                    route: "{db}.orders"
                    set: {shard: "source.table"}
                    key: [shard, id]
                """, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir, "rsnap", server.host(), server.port(), "", 9512, db, start, "rules: snap-rules.yaml\n");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("start: {file: " + start[0] + ", pos: " + start[1] + "}", "start: snapshot"));
        Path out = dir.resolve("rsnap-out");
        try (SluiceProcess p = SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString())) {
            Harness.awaitLines(out, 2 * 80 + 3, p);
            p.terminate(60);
        }
        List<JsonNode> events = Harness.events(out).stream()
                .filter(e -> e.path("op").asText().equals("r"))
                .toList();
        List<JsonNode> plain = events.stream()
                .filter(e -> e.path("source").path("table").asText().equals("plain"))
                .toList();
        assertThat(plain).hasSize(3).allSatisfy(e -> assertThat(e.has("rules")).isFalse());
        List<JsonNode> orders = events.stream()
                .filter(e -> e.path("source").path("table").asText().startsWith("orders_"))
                .toList();
        assertThat(orders).hasSize(2 * 80);
        assertThat(orders).extracting(e -> e.path("key").toString()).doesNotHaveDuplicates();
        for (JsonNode e : orders) {
            assertThat(e.path("rules").asInt()).isEqualTo(1);
            assertThat(e.path("route").asText()).isEqualTo(db + ".orders");
            assertThat(e.path("after").path("status").asText()).isEqualTo("new");
            assertThat(e.path("after").path("shard").asText())
                    .isEqualTo(e.path("source").path("table").asText());
            int id = e.path("after").path("id").asInt();
            assertThat(e.path("after").path("total").asText()).isEqualTo(id + ".500000000000000000000000000000");
            if (id == 1) {
                assertThat(e.path("after").path("qty").toString()).isEqualTo("18446744073709551615");
            }
        }
    }

    /**
     * {@code sluice rules deploy} of version 2 while {@code sluice run} streams four writers' multi-row transactions:
     * the pipeline switches between two transactions, so no transaction holds events of both versions, every event
     * carries the version that shaped it (and its values show it), and no event comes before one of a lower version.
     */
    @Test
    void deployingVersion2MidStreamSwitchesBetweenTransactions() throws Exception {
        Path dir = Harness.workDir("rules-deploy");
        String db = server.createDatabase("rdeploy");
        server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, w INT, n INT)");
        String v1 = """
                rules:
                  - name: tag
                    match: {tables: ["*.t"]}
                    set: {tag: "'one'"}
                """;
        Files.writeString(dir.resolve("v1.yaml"), v1, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("v2.yaml"), v1.replace("'one'", "'two'"), StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config =
                Harness.config(dir, "rdeploy", server.host(), server.port(), "", 9513, db, start, "rules: v1.yaml\n");
        Path out = dir.resolve("rdeploy-out");
        Path log = dir.resolve("sluice.log");
        int writers = 4;
        int txns = 60;
        try (SluiceProcess p = SluiceProcess.start(log, "run", "--config", config.toString())) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            java.util.concurrent.CountDownLatch half = new java.util.concurrent.CountDownLatch(writers);
            java.util.concurrent.CountDownLatch deployed = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < txns; k++) {
                        if (k == txns / 2) {
                            half.countDown();
                        }
                        if (k == txns * 3 / 4) {
                            deployed.await(); // the last quarter surely runs under version 2
                        }
                        int base = (writer * txns + k) * 3;
                        // one transaction of three row events, then one of three updates
                        server.execute("INSERT INTO " + db + ".t VALUES (" + base + ", " + writer + ", 0), ("
                                + (base + 1) + ", " + writer + ", 0), (" + (base + 2) + ", " + writer + ", 0)");
                        server.execute(
                                "UPDATE " + db + ".t SET n = n + 1 WHERE id BETWEEN " + base + " AND " + (base + 2));
                    }
                    return null;
                }));
            }
            half.await();
            Harness.awaitLines(out, 3 * 2 * writers * txns / 4, p); // version 1 has shaped some
            assertThat(SluiceProcess.runToEnd(
                            log,
                            120,
                            "rules",
                            "deploy",
                            "--config",
                            config.toString(),
                            "--rules",
                            dir.resolve("v2.yaml").toString(),
                            "-m",
                            "tag two"))
                    .isZero();
            deployed.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            Harness.awaitLines(out, 3L * 2 * writers * txns, p);
            p.terminate(60);
        }
        List<JsonNode> events = Harness.events(out);
        assertThat(events).hasSize(3 * 2 * writers * txns);
        Map<String, Set<Integer>> versionsOfTxn = new LinkedHashMap<>();
        int lastVersion = 0;
        for (JsonNode e : events) {
            int v = e.path("rules").asInt();
            assertThat(v).isIn(1, 2);
            assertThat(e.path("after").path("tag").asText()).isEqualTo(v == 1 ? "one" : "two");
            assertThat(v).isGreaterThanOrEqualTo(lastVersion);
            lastVersion = v;
            String id = e.path("id").asText();
            versionsOfTxn
                    .computeIfAbsent(id.substring(0, id.lastIndexOf(':')), k -> new HashSet<>())
                    .add(v);
        }
        assertThat(versionsOfTxn).hasSize(2 * writers * txns);
        assertThat(versionsOfTxn.values()).allSatisfy(vs -> assertThat(vs).hasSize(1));
        assertThat(versionsOfTxn.values())
                .extracting(vs -> vs.iterator().next())
                .contains(1, 2);
        assertThat(SluiceProcess.runToEnd(dir.resolve("list.log"), 120, "rules", "list", "--config", config.toString()))
                .isZero();
        assertThat(Files.readString(dir.resolve("list.log"))).contains("from the pipeline's rule file", "tag two");
    }

    /**
     * A DDL dropping a column a rule uses halts the pipeline at the statement, with the rule and the column named,
     * even where the schema policy lets the change through ({@code on-breaking: warn}); nothing after it is written.
     */
    @Test
    void aDdlDroppingAColumnARuleUsesHaltsNamingTheRule() throws Exception {
        Path dir = Harness.workDir("rules-ddl");
        String db = server.createDatabase("rddl");
        server.execute("CREATE TABLE " + db + ".customers (id INT PRIMARY KEY, email VARCHAR(80), ssn CHAR(11))");
        Files.writeString(dir.resolve("ddl-rules.yaml"), """
                rules:
                  - name: pii
                    match: {tables: ["*.customers"]}
                    drop: [ssn]
                    where: "after.email != 'test'"
                """, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir,
                "rddl",
                server.host(),
                server.port(),
                "",
                9514,
                db,
                start,
                "rules: ddl-rules.yaml\nschema:\n  on-breaking: warn\n");
        Path out = dir.resolve("rddl-out");
        Path log = dir.resolve("sluice.log");
        try (SluiceProcess p = SluiceProcess.start(log, "run", "--config", config.toString())) {
            server.execute("INSERT INTO " + db + ".customers VALUES (1, 'a@example.com', '123')");
            Harness.awaitLines(out, 1, p);
            server.execute(
                    "ALTER TABLE " + db + ".customers DROP COLUMN ssn",
                    "INSERT INTO " + db + ".customers VALUES (2, 'b@example.com')");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("breaks a deployed rule"));
            p.kill();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text)
                .contains("the schema change of " + db + ".customers to version 2")
                .contains("rule 'pii'")
                .contains("'ssn'");
        assertThat(Harness.events(out))
                .extracting(
                        e -> e.path("op").asText() + e.path("after").path("id").asText())
                .containsExactly("c1");
    }

    @Test
    void onErrorDeadLetterSetsFailingEventsAsideInTheStateDirectoryAndCountsThem() throws Exception {
        Path dir = Harness.workDir("rules-dead-letter");
        String db = server.createDatabase("rdead");
        server.execute("CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, total INT, qty INT)");
        Files.writeString(dir.resolve("dl-rules.yaml"), """
                on-error: dead-letter
                rules:
                  - name: per-item
                    match: {tables: ["*.orders"]}
                    set: {per_item: "after.total / after.qty"}
                """, StandardCharsets.UTF_8);
        String[] start = Harness.masterStatus(server);
        Path config = Harness.config(
                dir, "rdead", server.host(), server.port(), "", 9516, db, start, "rules: dl-rules.yaml\n");
        Path out = dir.resolve("rdead-out");
        Path deadLetters = dir.resolve("rdead-state").resolve("rules-dead-letter.jsonl");
        try (SluiceProcess p = SluiceProcess.start(dir.resolve("sluice.log"), "run", "--config", config.toString())) {
            server.execute(
                    "INSERT INTO " + db + ".orders VALUES (1, 100, 4), (2, 50, 0), (3, 90, 3)",
                    "UPDATE " + db + ".orders SET qty = 0 WHERE id = 3");
            Harness.awaitLines(out, 2, p);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.exists(deadLetters)
                            && Files.readAllLines(deadLetters).size() == 2);
            String metrics = new String(
                    java.net
                            .URI
                            .create(Harness.consoleUrl(p) + "/metrics")
                            .toURL()
                            .openStream()
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(metrics)
                    .contains("sluice_rule_events_dead_lettered_total{pipeline=\"rdead\",rule=\"per-item\"} 2.0")
                    .contains("sluice_rule_errors_total{pipeline=\"rdead\",rule=\"per-item\"} 2.0");
            assertThat(p.isAlive()).as("the pipeline goes on").isTrue();
        }
        assertThat(Harness.events(out))
                .extracting(
                        e -> e.path("op").asText() + e.path("after").path("id").asText() + "="
                                + e.path("after").path("per_item").asText())
                .containsExactly("c1=25", "c3=30");
        List<JsonNode> set = new ArrayList<>();
        for (String line : Files.readAllLines(deadLetters)) {
            set.add(Harness.JSON.readTree(line));
        }
        assertThat(set)
                .extracting(
                        n -> n.path("op").asText() + n.path("value").path("id").asInt())
                .containsExactly("c2", "u3");
        assertThat(set).allSatisfy(n -> {
            assertThat(n.path("rule").asText()).isEqualTo("per-item");
            assertThat(n.path("table").asText()).isEqualTo(db + ".orders");
            assertThat(n.path("error").asText()).contains("by zero");
            assertThat(n.path("event").asText()).startsWith("rdead:");
        });
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String hmac(String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(HASH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
