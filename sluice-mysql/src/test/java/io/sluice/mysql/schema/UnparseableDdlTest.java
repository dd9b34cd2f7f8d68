package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.mysql.ddl.DdlParser;
import io.sluice.mysql.ddl.DdlStatement;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz-style: broken variants of the DDL corpus. Where the broken statement names a captured table, the source
 * halts with the statement quoted and how to proceed (until approved at its position); where it names none, it
 * is a warning and reading goes on.
 */
class UnparseableDdlTest {
    @TempDir
    Path state;

    private static List<String> corpus() throws Exception {
        try (InputStream in = UnparseableDdlTest.class.getResourceAsStream("/ddl/corpus.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String s : text.split("\n;;\n")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }
    }

    private SchemaTracker tracker(SchemaPolicy policy, boolean captureAll) {
        return new SchemaTracker(
                "fuzz", SchemaHistory.inMemory(), new Approvals(state), policy, null, (db, table) -> captureAll);
    }

    @Test
    void brokenStatementsHaltWhenTheyNameACapturedTableAndWarnOtherwise() throws Exception {
        Random rnd = new Random(20261124L);
        String[] breakers = {"\n'unterminated", "\n(", " ((("};
        int halted = 0;
        int warned = 0;
        long pos = 4;
        for (String sql : corpus()) {
            for (String tail : breakers) {
                String broken = rnd.nextBoolean() ? sql + tail : sql.substring(0, rnd.nextInt(sql.length())) + tail;
                DdlStatement st = DdlParser.parse(broken, "shop");
                if (!(st instanceof DdlStatement.Unparseable u)) {
                    continue;
                }
                pos += 100;
                long at = pos;
                tracker(SchemaPolicy.DEFAULT, false).statement(st, broken, "bin.000001", at); // names nothing captured
                warned++;
                if (u.tables().stream().anyMatch(t -> t.db() != null)) {
                    SchemaTracker t = tracker(SchemaPolicy.DEFAULT, true);
                    assertThatThrownBy(() -> t.statement(st, broken, "bin.000001", at))
                            .isInstanceOf(SluiceException.class)
                            .hasMessageContaining("could not be parsed")
                            .hasMessageContaining(broken)
                            .hasMessageContaining(
                                    "sluice schema approve --config <pipeline file> --at bin.000001:" + at);
                    halted++;
                    // warn and none never halt
                    tracker(new SchemaPolicy(Compatibility.Mode.BACKWARD, SchemaPolicy.Action.WARN, null), true)
                            .statement(st, broken, "bin.000001", at);
                    tracker(new SchemaPolicy(Compatibility.Mode.NONE, SchemaPolicy.Action.HALT, null), true)
                            .statement(st, broken, "bin.000001", at);
                    // once approved at its position, it passes
                    new Approvals(state).add(new Approvals.Approval(null, null, "bin.000001:" + at, "test"));
                    tracker(SchemaPolicy.DEFAULT, true).statement(st, broken, "bin.000001", at);
                }
            }
        }
        assertThat(halted).isGreaterThan(200);
        assertThat(warned).isGreaterThan(halted);
    }
}
