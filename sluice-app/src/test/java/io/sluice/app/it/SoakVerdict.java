package io.sluice.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testkit.MariaDbServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fault soaks' verdict over what a sink holds, given as ordered streams (the file sink's one stream, or a Kafka
 * topic partition each): every problem found, none when the output is exactly the workload.
 *
 * <ul>
 *   <li>no row event id twice (a schema or truncate event may come once per stream: a Kafka sink sends it to every
 *       partition of its topic);</li>
 *   <li>replaying each stream's row events in order (a key's events all being in one stream) reproduces every table:
 *       each update's and delete's before image equals the replayed row, except for a row its table's snapshot had
 *       not read yet (before the table's last {@code r} event in that stream); columns added by
 *       {@code ADD COLUMN … DEFAULT} are filled with their default in rows last written before the DDL;</li>
 *   <li>every {@link Workload} transaction committed after the first one seen has exactly its number of events, and
 *       they come in commit order in each stream.</li>
 * </ul>
 */
final class SoakVerdict {
    private SoakVerdict() {}

    /**
     * The replayed row with the columns {@code ADD COLUMN … DEFAULT} added since it was last written, where the
     * event's image has them: a row written before the DDL holds the default now.
     */
    private static JsonNode withAddedColumns(JsonNode replayed, JsonNode image, Map<String, Integer> added) {
        ObjectNode row = replayed.deepCopy();
        added.forEach((column, dflt) -> {
            if (!row.has(column) && image.has(column)) {
                row.put(column, dflt);
            }
        });
        return row;
    }

    static List<String> problems(
            MariaDbServer server,
            String db,
            List<List<JsonNode>> streams,
            List<Workload.Txn> committed,
            Map<String, Integer> addedColumns)
            throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, Workload.Table> tables = new LinkedHashMap<>();
        for (Workload.Table t : Workload.TABLES) {
            tables.put(t.name(), t);
        }
        for (String t : List.of("t_xa", "t_ddl", "t_snap")) {
            tables.put(t, new Workload.Table(t, List.of("id")));
        }
        Map<String, Map<String, JsonNode>> replay = new HashMap<>();
        tables.keySet().forEach(t -> replay.put(t, new TreeMap<>()));
        Set<String> rowIds = new HashSet<>();
        Map<String, Integer> eventsOfTxn = new HashMap<>();
        Set<String> workload = new HashSet<>();
        committed.forEach(txn -> workload.add(txn.gtid()));
        for (int s = 0; s < streams.size(); s++) {
            List<JsonNode> events = streams.get(s);
            Set<String> streamIds = new HashSet<>();
            Map<String, Integer> lastR = new HashMap<>();
            long lastSeq = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).path("op").asText().equals("r")) {
                    lastR.put(events.get(i).path("source").path("table").asText(), i);
                }
            }
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                String id = e.path("id").asText();
                String op = e.path("op").asText();
                boolean rowEvent = !op.equals("s") && !op.equals("t");
                if (!(rowEvent ? rowIds.add(id) : streamIds.add(id))) {
                    problems.add("duplicate event id " + id + " (stream " + s + ")");
                }
                String table = e.path("source").path("table").asText();
                Workload.Table t = tables.get(table);
                if (t == null || !db.equals(e.path("source").path("db").asText())) {
                    problems.add("event for an unexpected table: " + id);
                    continue;
                }
                if (!rowEvent) {
                    if (op.equals("t")) {
                        problems.add("unexpected truncate: " + id);
                    }
                    continue;
                }
                String gtid = e.path("source").path("gtid").asText();
                eventsOfTxn.merge(gtid, 1, Integer::sum);
                if (workload.contains(gtid)) {
                    long seq = KafkaHarness.gtidSeq(e);
                    if (seq < lastSeq) {
                        problems.add("event " + id + " comes after a later transaction's (seq " + lastSeq + ")");
                    }
                    lastSeq = seq;
                }
                Map<String, JsonNode> rows = replay.get(table);
                JsonNode before = e.get("before");
                JsonNode after = e.get("after");
                switch (op) {
                    case "c", "r" -> rows.put(Harness.key(after, t.key()), after.deepCopy());
                    case "u", "d" -> {
                        JsonNode had = rows.remove(Harness.key(before, t.key()));
                        if (had == null) {
                            if (i > lastR.getOrDefault(table, -1)) {
                                problems.add(op + " of a row not seen before: " + id);
                            }
                        } else if (!withAddedColumns(had, before, addedColumns).equals(before)) {
                            problems.add(
                                    op + "'s before image " + before + " differs from replayed " + had + ": " + id);
                        }
                        if (op.equals("u")) {
                            rows.put(Harness.key(after, t.key()), after.deepCopy());
                        }
                    }
                    default -> problems.add("unexpected op " + op + ": " + id);
                }
            }
        }
        for (JsonNode row : replay.get("t_ddl").values()) {
            addedColumns.forEach((column, dflt) -> {
                if (!row.has(column)) {
                    ((ObjectNode) row).put(column, dflt);
                }
            });
        }
        // the workload's transactions committed before the pipeline's start are in r events; each one after the
        // first seen has all its events
        int first = 0;
        while (first < committed.size()
                && !eventsOfTxn.containsKey(committed.get(first).gtid())) {
            first++;
        }
        for (Workload.Txn txn : committed.subList(first, committed.size())) {
            int got = eventsOfTxn.getOrDefault(txn.gtid(), 0);
            if (got != txn.events()) {
                problems.add("transaction " + txn.gtid() + " has " + got + " events, expected " + txn.events());
            }
        }
        for (Workload.Table t : tables.values()) {
            Map<String, JsonNode> actual = Harness.tableContent(server, db, t);
            Map<String, JsonNode> replayed = replay.get(t.name());
            int differ = 0;
            Set<String> keys = new TreeSet<>(actual.keySet());
            keys.addAll(replayed.keySet());
            for (String k : keys) {
                JsonNode a = actual.get(k);
                JsonNode r = replayed.get(k);
                if (a == null ? r != null : !a.equals(r)) {
                    if (differ++ < 5) {
                        problems.add(t.name() + " key " + k + ": table has " + a + ", replay has " + r);
                    }
                }
            }
            if (differ > 0) {
                problems.add(t.name() + ": " + differ + " rows differ (table " + actual.size() + ", replay "
                        + replayed.size() + ")");
            }
        }
        return problems;
    }
}
