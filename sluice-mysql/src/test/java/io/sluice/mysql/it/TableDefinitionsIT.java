package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.pipeline.PipelineState;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where table definitions come from: full TABLE_MAP metadata, information_schema, or neither. */
class TableDefinitionsIT {

    @Test
    void rowsOfATableDroppedBeforeTheyAreReadStillDecodeFromFullMetadata() throws Exception {
        MariaDbServer db = MariaDbServer.shared();
        String s = db.createDatabase("dropped");
        db.execute("CREATE TABLE " + s + ".gone (id INT UNSIGNED PRIMARY KEY, name VARCHAR(10) CHARACTER SET latin1,"
                + " kind ENUM('a','b'))");
        StartPosition before = Capture.current(db);
        db.execute("INSERT INTO " + s + ".gone VALUES (4294967295, 'caf\u00e9', 'b')", "DROP TABLE " + s + ".gone");
        try (Capture cap = Capture.create(db, List.of(s + ".*"), before).run()) {
            JsonNode after = cap.await(1).get(0).get("after");
            assertThat(after.toString()).isEqualTo("{\"id\":4294967295,\"name\":\"caf\u00e9\",\"kind\":\"b\"}");
            assertThat(cap.await(1).get(0).get("key").toString()).isEqualTo("{\"id\":4294967295}");
        }
    }

    @Test
    void minimalMetadataFallsBackToInformationSchema() throws Exception {
        try (MariaDbServer db =
                MariaDbServer.builder().option("binlog_row_metadata", "MINIMAL").start()) {
            String s = db.createDatabase("minimal");
            db.execute("CREATE TABLE " + s + ".t (a INT, id BIGINT UNSIGNED NOT NULL, name CHAR(5) CHARACTER SET"
                    + " latin1, tags SET('x','y','z'), UNIQUE KEY (id))");
            try (Capture cap = Capture.start(db, s + ".t")) {
                db.execute("INSERT INTO " + s + ".t VALUES (-1, 18446744073709551615, '\u00fc ', 'x,z')");
                JsonNode e = cap.await(1).get(0);
                assertThat(e.get("after").toString())
                        .isEqualTo("{\"a\":-1,\"id\":18446744073709551615,\"name\":\"\u00fc\",\"tags\":\"x,z\"}");
                assertThat(e.get("key").toString()).isEqualTo("{\"id\":18446744073709551615}");
            }
        }
    }

    @Test
    void minimalMetadataForATableThatNoLongerExistsStopsWithAClearError() throws Exception {
        try (MariaDbServer db =
                MariaDbServer.builder().option("binlog_row_metadata", "MINIMAL").start()) {
            String s = db.createDatabase("minimalgone");
            db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
            StartPosition before = Capture.current(db);
            db.execute("INSERT INTO " + s + ".t VALUES (1)", "DROP TABLE " + s + ".t");
            try (Capture cap = Capture.create(db, List.of(s + ".*"), before).run()) {
                cap.pipeline().await(Duration.ofSeconds(30));
                assertThat(cap.pipeline().state()).isEqualTo(PipelineState.FAILED);
                assertThat(cap.pipeline().failure().orElseThrow().getMessage())
                        .contains(s + ".t")
                        .contains("binlog_row_metadata=FULL");
                assertThat(cap.events()).isEmpty();
            }
        }
    }
}
