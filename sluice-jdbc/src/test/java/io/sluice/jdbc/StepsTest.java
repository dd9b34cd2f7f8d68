package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link Steps} groups changes into statements without changing what the target ends with. */
class StepsTest {
    private static final Dialect PG = new PostgresDialect();
    private static final TargetTable A = table("a", new int[] {0}, false);
    private static final TargetTable B = table("b", new int[] {0}, false);

    private static TargetTable table(String name, int[] key, boolean otherUnique) {
        return new TargetTable(
                "s", name, PG.qualified("s", name), List.of("id", "v"), List.of("int4", "text"), 2, key, otherUnique);
    }

    private static void add(Steps s, TargetTable t, Steps.Kind kind, int id) {
        Object[] row = {id, "v" + id};
        s.add(t, kind, row, Steps.keyOf(t, row), 1000);
    }

    @Test
    void upsertsAndDeletesOfManySourceTransactionsAndTablesJoinOneStatementPerTableAndKind() {
        Steps s = new Steps();
        for (int txn = 0; txn < 3; txn++) {
            add(s, A, Steps.Kind.UPSERT, 10 * txn + 1);
            add(s, B, Steps.Kind.UPSERT, 10 * txn + 1);
            add(s, A, Steps.Kind.DELETE_KEY, 10 * txn + 2);
            add(s, A, Steps.Kind.UPSERT, 10 * txn + 3);
            s.seal();
        }
        assertThat(s.describe()).containsExactly("a UPSERT 6", "b UPSERT 3", "a DELETE_KEY 3");
        assertThat(s.readyRows()).isEqualTo(12);
    }

    @Test
    void aKeysChangesStayInOrder() {
        Steps s = new Steps();
        add(s, A, Steps.Kind.UPSERT, 1);
        s.seal();
        add(s, A, Steps.Kind.DELETE_KEY, 1); // the delete of key 1 must come after its upsert
        s.seal();
        add(s, A, Steps.Kind.UPSERT, 1); // and its insert again after the delete
        add(s, A, Steps.Kind.UPSERT, 2);
        s.seal();
        assertThat(s.describe()).containsExactly("a UPSERT 1", "a DELETE_KEY 1", "a UPSERT 2");
    }

    @Test
    void theOpenSourceTransactionIsNeverMergedIntoReadySteps() {
        Steps s = new Steps();
        add(s, A, Steps.Kind.UPSERT, 1);
        s.seal();
        add(s, A, Steps.Kind.UPSERT, 2);
        assertThat(s.describe()).containsExactly("a UPSERT 1", "a UPSERT 1 held");
        assertThat(s.readyRows()).isEqualTo(1);
        assertThat(s.heldRows()).isEqualTo(1);
    }

    @Test
    void stepsThatDoNotCommuteAreBarriersOnTheirTable() {
        TargetTable keyless = table("k", new int[0], false);
        TargetTable twoKeys = table("u", new int[] {0}, true);
        Steps s = new Steps();
        add(s, A, Steps.Kind.UPSERT, 1);
        s.seal();
        s.add(A, Steps.Kind.TRUNCATE, null, null, 1000);
        s.seal();
        add(s, A, Steps.Kind.UPSERT, 2); // after the truncation: must not move before it
        s.seal();
        add(s, keyless, Steps.Kind.INSERT, 1);
        s.seal();
        add(s, keyless, Steps.Kind.INSERT, 2);
        s.seal();
        add(s, twoKeys, Steps.Kind.REPLACE, 1);
        s.seal();
        add(s, twoKeys, Steps.Kind.REPLACE, 2);
        s.seal();
        assertThat(s.describe())
                .containsExactly(
                        "a UPSERT 1",
                        "a TRUNCATE 1",
                        "a UPSERT 1",
                        "k INSERT 1",
                        "k INSERT 1",
                        "u REPLACE 1",
                        "u REPLACE 1");
    }

    @Test
    void aStatementKeepsToTheBatchBound() {
        Steps s = new Steps();
        for (int i = 0; i < 5; i++) {
            Object[] row = {i, "v"};
            s.add(A, Steps.Kind.UPSERT, row, Steps.keyOf(A, row), 2);
            s.seal();
        }
        assertThat(s.describe()).containsExactly("a UPSERT 2", "a UPSERT 2", "a UPSERT 1");
    }
}
