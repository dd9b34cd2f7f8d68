package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.mysql.ddl.DdlParser;
import io.sluice.mysql.schema.Compatibility.Mode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of change under each compatibility mode. */
class CompatibilityTest {
    private static final String BASE = "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(10),"
            + " c BIGINT, d DECIMAL(10,2), e ENUM('x','y'), f DOUBLE)";

    private static TableModel model(String create) {
        return ((DdlModels.Known)
                        DdlModels.apply(DdlParser.parse(create, "s"), q -> null).get("s.t"))
                .model();
    }

    private static List<String> check(String alter, Mode mode) {
        TableModel old = model(BASE);
        TableModel now = ((DdlModels.Known) DdlModels.apply(DdlParser.parse(alter, "s"), Map.of("s.t", old)::get)
                        .get("s.t"))
                .model();
        return Compatibility.breaking(old, now, mode);
    }

    /** Breaks under [backward, forward, full]; none never breaks. */
    private static void expect(String alter, boolean backward, boolean forward) {
        assertThat(check(alter, Mode.BACKWARD)).as("backward: " + alter).hasSize(backward ? 1 : 0);
        assertThat(check(alter, Mode.FORWARD)).as("forward: " + alter).hasSize(forward ? 1 : 0);
        assertThat(check(alter, Mode.FULL)).as("full: " + alter).hasSize(backward || forward ? 1 : 0);
        assertThat(check(alter, Mode.NONE)).as("none: " + alter).isEmpty();
    }

    @Test
    void rules() {
        expect("ALTER TABLE t ADD COLUMN n INT", false, false);
        expect("ALTER TABLE t ADD COLUMN n INT NOT NULL DEFAULT 0", false, false);
        expect("ALTER TABLE t ADD COLUMN n INT NOT NULL", true, true);
        expect("ALTER TABLE t DROP COLUMN b", false, false);
        expect("ALTER TABLE t DROP COLUMN a", true, true);
        expect("ALTER TABLE t MODIFY b VARCHAR(20)", false, true);
        expect("ALTER TABLE t MODIFY b VARCHAR(5)", true, false);
        expect("ALTER TABLE t MODIFY c INT", true, false);
        expect("ALTER TABLE t MODIFY c BIGINT UNSIGNED", true, false);
        expect("ALTER TABLE t MODIFY d DECIMAL(12,3)", false, true);
        expect("ALTER TABLE t MODIFY d DECIMAL(10,3)", true, false);
        expect("ALTER TABLE t MODIFY e ENUM('x','y','z')", false, true);
        expect("ALTER TABLE t MODIFY e ENUM('y','x')", true, false);
        expect("ALTER TABLE t MODIFY f FLOAT", true, false);
        expect("ALTER TABLE t MODIFY b INT", true, true);
        expect("ALTER TABLE t MODIFY c DATETIME", true, true);
        expect("ALTER TABLE t RENAME COLUMN c TO c2", true, true);
        expect("ALTER TABLE t MODIFY b VARCHAR(10) NOT NULL", true, false);
        expect("ALTER TABLE t MODIFY a INT NULL", false, true);
        expect("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)", true, true);
        expect("ALTER TABLE t ADD INDEX ia (a)", false, false);
        expect("ALTER TABLE t MODIFY b VARCHAR(10) CHARACTER SET latin1", false, false);
    }

    @Test
    void reasonsNameTheColumnAndTheRule() {
        assertThat(check("ALTER TABLE t DROP COLUMN a", Mode.BACKWARD))
                .containsExactly("backward: column a dropped, and it had no default");
        assertThat(check("ALTER TABLE t MODIFY c INT", Mode.FULL))
                .containsExactly("full: column c narrowed from bigint to int");
        assertThat(check("ALTER TABLE t CHANGE c c2 BIGINT", Mode.FORWARD))
                .containsExactly("forward: column c renamed to c2");
    }
}
