package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.ChangeEvent;
import org.junit.jupiter.api.Test;

/**
 * Statements other than BEGIN/COMMIT/XA ({@link StatementHandling}), on constructed binlog bytes: a schema change
 * of a captured table gives the {@code s} event its owner numbers, TRUNCATE a {@code t} with the current version,
 * MariaDB's CREATE OR REPLACE a {@code t} of the old version before the new version's {@code s}; statements on
 * tables not captured give nothing.
 */
class StatementHandlingTest {
    @Test
    void schemaChangesAndTruncatesOfCapturedTablesCarryTheirVersionNumbers() throws Exception {
        TableBinlog b = new TableBinlog()
                .query("CREATE TABLE t (id INT PRIMARY KEY, v INT)")
                .transaction(1, 1)
                .query("TRUNCATE TABLE t")
                .query("ALTER TABLE t ADD INDEX (v)")
                .query("ALTER TABLE t ADD COLUMN w INT")
                .query("CREATE OR REPLACE TABLE t (id INT PRIMARY KEY, v INT)")
                .query("CREATE TABLE u (id INT)")
                .query("DROP TABLE t");
        Assembly a = new Assembly("shop.t").read(b.from(4));
        assertThat(a.events)
                .extracting(e -> e.op().code() + " " + e.schema())
                .as("an index changes no version")
                .containsExactly("s 1", "c 1", "t 1", "s 2", "t 2", "s 3", "s 3");
        assertThat(a.events)
                .extracting(ChangeEvent::ddl)
                .filteredOn(d -> d != null)
                .last()
                .isEqualTo("DROP TABLE t");
        assertThat(a.commits).as("each statement on its own is a transaction").hasSize(8);
        assertThat(a.last().schemas().get("shop.t").gone()).isTrue();
    }
}
