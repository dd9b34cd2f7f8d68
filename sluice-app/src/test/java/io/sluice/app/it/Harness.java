package io.sluice.app.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.app.cli.DefaultCommands;
import io.sluice.app.cli.SluiceCli;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.MariaDbServer;
import io.sluice.testkit.Waits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Shared pieces of the process-level fault tests: configs, reading the sink's output, the verdict. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one {@code sluice} command in this JVM: {exit code, stdout, stderr}. */
    static String[] cliInProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli =
                SluiceCli.create(new DefaultCommands(new PrintWriter(out), new PrintWriter(err)), new ConfigLoader());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private Harness() {}

    /** A directory under target/ for this test's files (logs stay there for diagnosis). */
    static Path workDir(String test) throws IOException {
        Path base = Path.of("target", "fault-its");
        Files.createDirectories(base);
        return Files.createTempDirectory(base.toAbsolutePath(), test + "-");
    }

    /** Runs {@code sluice <args>} to its end into {@code <dir>/<name>.log}: {exit code, log text}. */
    static String[] cli(Path dir, String name, String... args) throws Exception {
        Path log = dir.resolve(name + ".log");
        int code = SluiceProcess.runToEnd(log, 120, args);
        return new String[] {Integer.toString(code), Files.readString(log, StandardCharsets.UTF_8)};
    }

    /** Every row {@code sql} gives, its columns as text joined by {@code |}, in the query's order. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(sb.toString());
            }
        }
        return rows;
    }

    /** SHOW BINARY LOGS: the files the server has, oldest first. */
    static List<String> binlogs(MariaDbServer server) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** SHOW MASTER STATUS: {file, pos}. */
    static String[] masterStatus(MariaDbServer server) throws SQLException {
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    /** Writes a pipeline's YAML config with {@code sink.type: file} into {@code <dir>/<name>-out} and returns its path. */
    static Path config(
            Path dir,
            String name,
            String host,
            int port,
            String password,
            long serverId,
            String db,
            String[] start,
            String extra)
            throws IOException {
        String sink = "sink:\n"
                + "  type: file\n"
                + "  path: " + dir.resolve(name + "-out") + "\n"
                + "  segment-bytes: 64KiB\n";
        String source = source(host, port, password, serverId, db, at(start));
        return writeConfig(dir, name, source, sink, SMALL_BATCHES + (extra == null ? "" : extra));
    }

    /** The {@code sink:} section of {@code sink.type: jdbc} into {@code url} as user postgres, then {@code extra}. */
    static String jdbcSink(String url, String extra) {
        return "sink:\n"
                + "  type: jdbc\n"
                + "  url: \"" + url + "\"\n"
                + "  user: postgres\n"
                + (extra == null ? "" : extra);
    }

    /** {@link #source} of the shared-style server {@code server} as root without a password, from a position. */
    static String sourceAt(MariaDbServer server, long serverId, String db, String[] start) {
        return source(server.host(), server.port(), "", serverId, db, at(start));
    }

    /** Batches of at most 50 events or 20 ms, so that a test sees many commits. */
    static final String SMALL_BATCHES = "batch:\n" + "  max-events: 50\n" + "  max-ms: 20\n";

    /**
     * The {@code source:} section of a pipeline config: root on {@code host:port} reads {@code <db>.*} without TLS,
     * from {@code start} (YAML: {@code snapshot}, {@code latest} or {@link #at a position}).
     */
    static String source(String host, int port, String password, long serverId, String db, String start) {
        return "source:\n"
                + "  host: " + host + "\n"
                + "  port: " + port + "\n"
                + "  user: root\n"
                + "  password: \"" + password + "\"\n"
                + "  server-id: " + serverId + "\n"
                + "  include: [\"" + db + ".*\"]\n"
                + "  tls: disabled\n"
                + "  connect-timeout: 5s\n"
                + "  start: " + start + "\n";
    }

    /** A start position {file, pos} (as {@link #masterStatus} gives it) in YAML. */
    static String at(String[] filePos) {
        return "{file: " + filePos[0] + ", pos: " + filePos[1] + "}";
    }

    /**
     * Writes {@code <dir>/<name>.yaml}: the pipeline's name, its source and sink sections, its state in {@code
     * <dir>/<name>-state}, then {@code extra} (null for none); returns its path.
     */
    static Path writeConfig(Path dir, String name, String source, String sink, String extra) throws IOException {
        String yaml = "name: " + name + "\n"
                + source
                + sink
                + "state: " + dir.resolve(name + "-state") + "\n"
                + (extra == null ? "" : extra);
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Every event line of the sink's segments, in order; a complete line that is not JSON fails (a torn write). A last
     * line without its newline is one being written while the pipeline runs, and is left out.
     */
    /**
     * The events without the s events that announce a version no statement made ({@code ddl} null), for tests that
     * count rows; {@link #verdict} takes them all and checks the announcements.
     */
    static List<JsonNode> rows(List<JsonNode> events) {
        return events.stream().filter(e -> !announcement(e)).toList();
    }

    /** An s event that announces a version first seen in a table map or by a snapshot. */
    static boolean announcement(JsonNode e) {
        return "s".equals(e.path("op").asText()) && e.path("ddl").isNull();
    }

    /** The events of the sink's segments without the announcing s events ({@link #rows}). */
    static List<JsonNode> events(Path out) throws IOException {
        return rows(allEvents(out));
    }

    /** Every event line of the sink's segments, the announcing s events included ({@link #verdict} checks them). */
    static List<JsonNode> allEvents(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return events;
        }
        List<Path> segments = new ArrayList<>();
        for (Path lane : lanes(out)) {
            try (Stream<Path> s = Files.list(lane)) {
                segments.addAll(s.filter(p -> p.getFileName().toString().startsWith("events-")
                                && p.getFileName().toString().endsWith(".jsonl"))
                        .sorted()
                        .toList());
            } catch (NoSuchFileException gone) {
                // a route's directory of a run cut back
            }
        }
        for (Path seg : segments) {
            String text;
            try {
                text = Files.readString(seg, StandardCharsets.UTF_8);
            } catch (NoSuchFileException gone) {
                continue;
            } catch (java.nio.charset.MalformedInputException cutInsideACharacter) {
                // the file ends inside a multi-byte character being written: keep its complete lines
                byte[] b = Files.readAllBytes(seg);
                int end = b.length;
                while (end > 0 && b[end - 1] != '\n') {
                    end--;
                }
                text = new String(b, 0, end, StandardCharsets.UTF_8);
            }
            int complete = text.lastIndexOf('\n') + 1;
            for (String line : text.substring(0, complete).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
    }

    /**
     * The file sink's output directory and its routes' sub-directories (events a rule routed), in that order; not
     * Sluice's own sub-directories ({@code _schemas}).
     */
    static List<Path> lanes(Path out) throws IOException {
        List<Path> lanes = new ArrayList<>();
        lanes.add(out);
        try (Stream<Path> s = Files.list(out)) {
            s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .forEach(lanes::add);
        }
        return lanes;
    }

    /** Number of complete lines in the sink's segments (cheap progress probe, tolerant of a line being written). */
    static long lineCount(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        long n = 0;
        List<Path> files = new ArrayList<>();
        for (Path lane : lanes(out)) {
            try (Stream<Path> s = Files.list(lane)) {
                files.addAll(s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                        .toList());
            } catch (NoSuchFileException gone) {
                // a route's directory of a run cut back
            }
        }
        {
            for (Path p : files) {
                try {
                    byte[] b = Files.readAllBytes(p);
                    for (byte x : b) {
                        if (x == '\n') {
                            n++;
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // rolled away
                }
            }
        }
        return n;
    }

    /**
     * A wait of at most {@code atMost} for {@code what} that ends at once if {@code p} exits; a failed wait names
     * {@code p}'s log.
     */
    /** The console's address (no trailing slash) as the running process logged it; waits at most 90 s. */
    static String consoleUrl(SluiceProcess p) {
        java.util.regex.Pattern console = java.util.regex.Pattern.compile("Sluice console: (http://\\S+)/");
        String[] url = new String[1];
        waiting("the console's address in the log", Duration.ofSeconds(90), p).until(() -> {
            java.util.regex.Matcher m = console.matcher(Files.readString(p.log()));
            if (m.find()) {
                url[0] = m.group(1);
            }
            return url[0] != null;
        });
        return url[0];
    }

    static Waits waiting(String what, Duration atMost, SluiceProcess p) {
        return Waits.await(what + "; log " + p.log(), atMost).whileAlive(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("sluice exited (" + p.process().exitValue() + "); log " + p.log());
            }
        });
    }

    /** Waits (at most 60 s) until the sink's segments hold {@code n} complete lines; fails if {@code p} exits. */
    static void awaitLines(Path out, long n, SluiceProcess p) {
        awaitLines(out, n, Duration.ofSeconds(60), p);
    }

    /** Waits until the sink's segments hold {@code n} complete lines; fails if {@code p} exits. */
    static void awaitLines(Path out, long n, Duration atMost, SluiceProcess p) {
        waiting(n + " events in " + out, atMost, p).until(() -> lineCount(out), lines -> lines >= n);
    }

    /** The checkpoint's position {file, pos} in {@code <state>/checkpoint.json}, or null. */
    static String[] checkpoint(Path state) throws IOException {
        Path f = state.resolve("checkpoint.json");
        if (!Files.exists(f)) {
            return null;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(f));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        JsonNode pos = doc == null ? null : doc.path("checkpoint").path("position");
        if (pos == null || pos.isMissingNode() || pos.path("file").isMissingNode()) {
            return null;
        }
        return new String[] {
            pos.path("file").asText(), Long.toString(pos.path("pos").asLong())
        };
    }

    /**
     * Waits until the sink holds {@code expectedEvents} complete lines, the checkpoint's position equals SHOW MASTER
     * STATUS and it lists no snapshot work: Sluice has read all the server wrote and made it durable (the checkpoint
     * follows the data it covers).
     */
    static void awaitCaughtUp(
            MariaDbServer server, Path out, Path state, long expectedEvents, Duration timeout, SluiceProcess p) {
        waiting("sluice caught up with " + expectedEvents + " events expected", timeout, p)
                .until(
                        () -> new CatchingUp(lineCount(out), checkpoint(state), masterStatus(server)),
                        c -> c.lines() >= expectedEvents
                                && c.checkpoint() != null
                                && c.checkpoint()[0].equals(c.master()[0])
                                && c.checkpoint()[1].equals(c.master()[1])
                                && !snapshotRunning(state));
        if (!p.isAlive()) {
            throw new AssertionError(
                    "sluice exited (" + p.process().exitValue() + ") while catching up; log " + p.log());
        }
    }

    /** Waits until {@code p}'s log holds {@code text}; fails if {@code p} exits. */
    static void awaitLog(SluiceProcess p, String text, Duration atMost) {
        waiting("'" + text + "' in the log", atMost, p)
                .until(() -> Files.readString(p.log(), StandardCharsets.UTF_8), log -> log.contains(text));
    }

    /** True until a checkpoint exists in {@code state} and no longer lists snapshot work. */
    static boolean snapshotRunning(Path state) {
        Path f = state.resolve("checkpoint.json");
        if (!Files.exists(f)) {
            return true;
        }
        try {
            JsonNode cp = JSON.readTree(Files.readAllBytes(f)).path("checkpoint");
            return !cp.has("position") || cp.has("snapshot"); // a new sink's state file has no checkpoint yet
        } catch (Exception torn) {
            return true;
        }
    }

    /**
     * Flushes and purges the server's binlogs until {@code file} is gone (the server keeps a file until its binlog
     * checkpoint, InnoDB's, has moved past it).
     */
    static void purgeBinlog(MariaDbServer server, String file) {
        await(file + " purged")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            server.execute("FLUSH BINARY LOGS");
                            server.execute("PURGE BINARY LOGS TO '" + masterStatus(server)[0] + "'");
                            return binlogs(server);
                        },
                        files -> !files.contains(file));
    }

    /** Where a wait for catching up was last: lines in the output, the checkpoint and SHOW MASTER STATUS. */
    private record CatchingUp(long lines, String[] checkpoint, String[] master) {
        @Override
        public String toString() {
            return lines + " lines, checkpoint " + (checkpoint == null ? null : checkpoint[0] + ":" + checkpoint[1])
                    + ", master " + master[0] + ":" + master[1];
        }
    }

    /** One table's content as SELECT returns it, encoded as the contract encodes INT, DECIMAL and VARCHAR. */
    static Map<String, JsonNode> tableContent(MariaDbServer server, String db, Workload.Table t) throws Exception {
        Map<String, JsonNode> rows = new TreeMap<>();
        try (Connection c = server.rootConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + db + "." + t.name())) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                ObjectNode row = JSON.createObjectNode();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnLabel(i);
                    switch (md.getColumnType(i)) {
                        case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> {
                            long v = rs.getLong(i);
                            if (rs.wasNull()) {
                                row.putNull(col);
                            } else {
                                row.put(col, v);
                            }
                        }
                        case Types.DECIMAL, Types.NUMERIC -> {
                            BigDecimal v = rs.getBigDecimal(i);
                            if (v == null) {
                                row.putNull(col);
                            } else {
                                row.put(col, v.setScale(md.getScale(i)).toPlainString());
                            }
                        }
                        default -> row.put(col, rs.getString(i));
                    }
                }
                JsonNode normal = JSON.readTree(JSON.writeValueAsString(row));
                rows.put(key(normal, t.key()), normal);
            }
        }
        return rows;
    }

    /** The key columns of a row image as compact JSON, in key order (the contract's {@code key}). */
    static String key(JsonNode image, List<String> keyColumns) {
        ObjectNode k = JSON.createObjectNode();
        for (String c : keyColumns) {
            k.set(c, image.get(c));
        }
        return k.toString();
    }

    /**
     * The verdict over a whole run's output: (a) no event id twice, (b) replaying the events reproduces each
     * table's content, (c) the transactions appear exactly once each in commit order with the number of events
     * their statements must yield and rows numbered 0..n-1, (d) a transaction's events are contiguous, (e) where
     * the output announces versions (encoding.announce-schemas: true), every row comes after an s event of its
     * table's version, each version announced once (an s with ddl null, named {@code <txn>:s<row>} after the row it
     * precedes, and taking no row number).
     */
    static void verdict(
            MariaDbServer server, String db, String name, List<JsonNode> events, List<Workload.Txn> committed)
            throws Exception {
        List<String> problems = new ArrayList<>();
        // (a) unique ids
        Set<String> ids = new HashSet<>();
        for (JsonNode e : events) {
            String id = e.path("id").asText();
            if (!ids.add(id)) {
                problems.add("duplicate event id " + id);
            }
        }
        // (d) contiguity and row numbering; collect the transactions in order
        List<String> txnOrder = new ArrayList<>();
        Map<String, Integer> txnSize = new HashMap<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        int expectRow = 0;
        String prefix = name + ":";
        Set<String> announced = new HashSet<>();
        // (e) holds for runs with encoding.announce-schemas on, whose output has announcements
        boolean announcing = events.stream().anyMatch(Harness::announcement);
        for (JsonNode e : events) {
            String id = e.path("id").asText();
            String version = e.path("source").path("table").asText() + " v"
                    + e.path("schema").asInt();
            if (announcement(e)) {
                if (!announced.add(version)) {
                    problems.add(version + " announced twice: " + id);
                }
                if (!id.equals(prefix + e.path("source").path("gtid").asText() + ":s"
                        + e.path("source").path("row"))) {
                    problems.add("announcement " + id + " is not named after its transaction and next row");
                }
                continue; // takes no row number
            }
            if ("s".equals(e.path("op").asText())) {
                announced.add(version);
            } else if (announcing && !announced.contains(version)) {
                problems.add("a row of " + version + " before any s event of it: " + id);
            }
            if (!id.startsWith(prefix) || id.lastIndexOf(':') <= prefix.length()) {
                problems.add("malformed id " + id);
                continue;
            }
            String txn = id.substring(prefix.length(), id.lastIndexOf(':'));
            int row = Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
            if (!txn.equals(current)) {
                if (current != null) {
                    closed.add(current);
                }
                if (closed.contains(txn)) {
                    problems.add("transaction " + txn + " is not contiguous (resumes at " + id + ")");
                }
                current = txn;
                expectRow = 0;
                txnOrder.add(txn);
            }
            if (row != expectRow || e.path("source").path("row").asInt(-1) != row) {
                problems.add("event " + id + " has row " + row + " / source.row "
                        + e.path("source").path("row") + ", expected " + expectRow);
            }
            if (!txn.equals(e.path("source").path("gtid").asText())) {
                problems.add(
                        "event " + id + " has source.gtid " + e.path("source").path("gtid"));
            }
            expectRow++;
            txnSize.merge(txn, 1, Integer::sum);
        }
        // (c) every committed transaction once, in commit order, complete
        List<String> expectedOrder = committed.stream().map(Workload.Txn::gtid).toList();
        if (!txnOrder.equals(expectedOrder)) {
            int i = 0;
            while (i < Math.min(txnOrder.size(), expectedOrder.size())
                    && txnOrder.get(i).equals(expectedOrder.get(i))) {
                i++;
            }
            problems.add("transactions differ from commit order at index " + i + ": output has "
                    + (i < txnOrder.size() ? txnOrder.get(i) : "<end>") + ", commit order has "
                    + (i < expectedOrder.size() ? expectedOrder.get(i) : "<end>") + " (output " + txnOrder.size()
                    + " transactions, committed " + expectedOrder.size() + ")");
        }
        for (Workload.Txn t : committed) {
            Integer got = txnSize.get(t.gtid());
            if (got != null && got != t.events()) {
                problems.add("transaction " + t.gtid() + " has " + got + " events, expected " + t.events());
            }
        }
        // (b) replay
        Map<String, Workload.Table> tables = new LinkedHashMap<>();
        Map<String, Map<String, JsonNode>> replay = new HashMap<>();
        for (Workload.Table t : Workload.TABLES) {
            tables.put(t.name(), t);
            replay.put(t.name(), new TreeMap<>());
        }
        for (JsonNode e : events) {
            String table = e.path("source").path("table").asText();
            Workload.Table t = tables.get(table);
            if (t == null || !db.equals(e.path("source").path("db").asText())) {
                problems.add("event for an unexpected table: " + e);
                continue;
            }
            Map<String, JsonNode> rows = replay.get(table);
            String op = e.path("op").asText();
            if ("s".equals(op) && e.path("ddl").isNull()) {
                continue; // an announcement (checked above): no rows
            }
            JsonNode before = e.get("before");
            JsonNode after = e.get("after");
            JsonNode key = e.get("key");
            switch (op) {
                case "c", "r" -> {
                    String k = key(after, t.key());
                    checkKey(problems, e, key, k);
                    rows.put(k, after);
                }
                case "u" -> {
                    String k = key(after, t.key());
                    checkKey(problems, e, key, k);
                    String bk = key(before, t.key());
                    JsonNode prev = rows.remove(bk);
                    if (!bk.equals(k)) {
                        problems.add("update changing the key (not split into d + c): " + e.path("id"));
                    }
                    if (prev == null) {
                        problems.add("update of a row not seen before: " + e.path("id"));
                    } else if (!prev.equals(before)) {
                        problems.add("update's before image " + before + " differs from replayed " + prev + ": "
                                + e.path("id"));
                    }
                    rows.put(k, after);
                }
                case "d" -> {
                    String k = key(before, t.key());
                    checkKey(problems, e, key, k);
                    JsonNode had = rows.remove(k);
                    if (had == null) {
                        problems.add("delete of a row not seen before: " + e.path("id"));
                    } else if (!had.equals(before)) {
                        problems.add("delete's before image " + before + " differs from replayed " + had + ": "
                                + e.path("id"));
                    }
                }
                default -> problems.add("unexpected op " + op + ": " + e.path("id"));
            }
        }
        for (Workload.Table t : Workload.TABLES) {
            Map<String, JsonNode> actual = tableContent(server, db, t);
            Map<String, JsonNode> replayed = replay.get(t.name());
            if (!actual.equals(replayed)) {
                int shown = 0;
                for (String k : union(actual.keySet(), replayed.keySet())) {
                    JsonNode a = actual.get(k);
                    JsonNode r = replayed.get(k);
                    if (a == null ? r != null : !a.equals(r)) {
                        if (shown++ < 5) {
                            problems.add(t.name() + " key " + k + ": table has " + a + ", replay has " + r);
                        }
                    }
                }
                problems.add(t.name() + ": " + shown + " rows differ (table " + actual.size() + " rows, replay "
                        + replayed.size() + ")");
            }
        }
        if (!problems.isEmpty()) {
            List<String> head = problems.subList(0, Math.min(30, problems.size()));
            throw new AssertionError(
                    problems.size() + " problems in " + events.size() + " events:\n  " + String.join("\n  ", head));
        }
    }

    private static void checkKey(List<String> problems, JsonNode e, JsonNode key, String expected) {
        if (key == null || !key.toString().equals(expected)) {
            problems.add("event " + e.path("id") + " has key " + key + ", expected " + expected);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
