package io.sluice.mysql.ddl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.mysql.ddl.DdlStatement.CreateTable;
import io.sluice.mysql.ddl.DdlStatement.Unparseable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The corpus of hand-written MySQL/MariaDB statements parses; mutated statements never throw or hang. */
class DdlCorpusTest {

    private static final long PER_STATEMENT_MILLIS = 2_000;
    private static ExecutorService worker;

    @BeforeAll
    static void start() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ddl-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
    }

    static List<String> corpus() throws IOException {
        try (InputStream in = DdlCorpusTest.class.getResourceAsStream("/ddl/corpus.sql")) {
            assertThat(in).as("corpus resource").isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (line.strip().equals(";;")) {
                    if (!cur.toString().isBlank()) {
                        out.add(cur.toString().strip());
                    }
                    cur.setLength(0);
                } else {
                    cur.append(line).append('\n');
                }
            }
            if (!cur.toString().isBlank()) {
                out.add(cur.toString().strip());
            }
            return out;
        }
    }

    @Test
    void everyCorpusStatementParses() throws IOException {
        List<String> statements = corpus();
        assertThat(statements).hasSizeGreaterThanOrEqualTo(220);
        List<String> failures = new ArrayList<>();
        int tableDdl = 0;
        for (String sql : statements) {
            DdlStatement st = DdlParser.parse(sql, "shop");
            if (st instanceof Unparseable u) {
                failures.add(u.reason() + " @" + u.position() + ": " + sql);
            } else if (st.isTableDdl()) {
                tableDdl++;
            }
        }
        assertThat(failures).as("unparseable corpus statements").isEmpty();
        assertThat(tableDdl).as("table DDL statements in the corpus").isGreaterThanOrEqualTo(180);
    }

    @Test
    void corpusCreateTablesDeclareColumns() throws IOException {
        for (String sql : corpus()) {
            if (DdlParser.parse(sql, "shop") instanceof CreateTable ct && ct.columnsKnown()) {
                assertThat(ct.spec().columns()).as(sql).isNotEmpty();
                assertThat(ct.spec().columns()).as(sql).allSatisfy(c -> {
                    assertThat(c.name()).isNotBlank();
                    assertThat(c.typeName()).isNotBlank();
                });
            }
        }
    }

    /** Parses on the worker thread, failing when it takes longer than the bound (a loop) or throws. */
    private static DdlStatement parseBounded(String sql) {
        Future<DdlStatement> f = worker.submit(() -> DdlParser.parse(sql, "shop"));
        try {
            DdlStatement st = f.get(PER_STATEMENT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(st).as("result for %s", sql).isNotNull();
            return st;
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = Executors.newSingleThreadExecutor();
            return fail("parser did not return within " + PER_STATEMENT_MILLIS + " ms: " + sql);
        } catch (Exception e) {
            return fail("parser threw for: " + sql, e);
        }
    }

    @Test
    void mutatedStatementsNeverThrowOrHang() throws IOException {
        Random rnd = new Random(20240611L);
        String[] garbage = {
            "(",
            ")",
            ",",
            "'",
            "`",
            "\"",
            "/*",
            "*/",
            "--",
            "#",
            ";",
            "NOT",
            "NULL",
            "DEFAULT",
            "KEY",
            "(((",
            ")))",
            "\\",
            "0x",
            "b'",
            "_utf8mb4",
            "/*!",
            "AS",
            "PARTITION",
            "\u0000",
            "\u00e9",
            "@@"
        };
        int total = 0;
        int unparseable = 0;
        for (String sql : corpus()) {
            List<String> mutants = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                mutants.add(sql.substring(0, rnd.nextInt(sql.length() + 1)));
            }
            List<String> words = List.of(sql.split("(?<=\\s)|(?=\\s)|(?<=[(),])|(?=[(),])"));
            for (int k = 0; k < 6 && words.size() > 1; k++) {
                List<String> w = new ArrayList<>(words);
                int at = rnd.nextInt(w.size());
                if (k % 2 == 0) {
                    w.remove(at);
                } else {
                    w.add(at, w.get(at));
                }
                mutants.add(String.join("", w));
            }
            for (int k = 0; k < 6; k++) {
                int at = rnd.nextInt(sql.length() + 1);
                mutants.add(sql.substring(0, at) + garbage[rnd.nextInt(garbage.length)] + sql.substring(at));
            }
            char[] chars = sql.toCharArray();
            for (int k = 0; k < 3; k++) {
                chars[rnd.nextInt(chars.length)] = (char) (32 + rnd.nextInt(95));
            }
            mutants.add(new String(chars));
            mutants.add(sql + "\n'unterminated");
            mutants.add(sql + "\n(");
            for (String m : mutants) {
                total++;
                if (broken(parseBounded(m))) {
                    unparseable++;
                }
            }
            // guaranteed breakage: an unterminated string and an unclosed parenthesis
            assertThat(broken(parseBounded(sql + "\n'unterminated"))).as(sql).isTrue();
            assertThat(broken(parseBounded(sql + "\n("))).as(sql).isTrue();
            // a CREATE TABLE cut at its first comma ends inside the open definition list
            int comma = commaInsideFirstParentheses(sql);
            if (DdlParser.parse(sql, "shop") instanceof CreateTable ct
                    && ct.columnsKnown()
                    && sql.indexOf('(') > 0
                    && comma > 0) {
                String cut = sql.substring(0, comma);
                assertThat(parseBounded(cut)).as(cut).isInstanceOf(Unparseable.class);
            }
        }
        assertThat(total).isGreaterThan(4000);
        assertThat(unparseable).as("broken mutants detected").isGreaterThan(total / 3);
    }

    /** Read as broken: unparseable DDL, or DML whose changed tables the text does not tell. */
    private static boolean broken(DdlStatement st) {
        return st instanceof Unparseable || st instanceof DdlStatement.Dml d && d.unknownTables();
    }

    /** The first ',' while the first '(' is still open, else -1. */
    private static int commaInsideFirstParentheses(String sql) {
        int open = sql.indexOf('(');
        if (open < 0) {
            return -1;
        }
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return -1;
            } else if (c == ',') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void pathologicalInputsReturnPromptly() {
        String[] inputs = {
            "CREATE TABLE t (a INT DEFAULT " + "-".repeat(100_000) + "1)",
            "CREATE TABLE t (a INT AS " + "(".repeat(50_000) + "1" + ")".repeat(50_000) + ")",
            "CREATE TABLE t (" + "a INT, ".repeat(20_000) + "b INT)",
            "ALTER TABLE t " + "FORCE, ".repeat(20_000) + "FORCE",
            "(".repeat(100_000),
            "/*!50100 ".repeat(1000),
            "CREATE TABLE t (a INT DEFAULT " + "1 + ".repeat(50_000) + "1)",
            "'".repeat(99_999),
            "`".repeat(3),
            "",
        };
        for (String in : inputs) {
            parseBounded(in);
        }
        assertThat(parseBounded("CREATE TABLE t (" + "a INT, ".repeat(20_000) + "b INT)"))
                .isInstanceOf(CreateTable.class);
    }
}
