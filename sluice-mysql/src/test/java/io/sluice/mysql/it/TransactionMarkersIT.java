package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.encode.BigintEncoding;
import io.sluice.core.encode.Encoder;
import io.sluice.core.encode.JsonOptions;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.testkit.MariaDbServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code encoding.transaction-markers}: the last event of each source transaction, and of each snapshot chunk,
 * carries {@code "txn":{"last":true}}; no other event does, and without the option none does.
 */
class TransactionMarkersIT {
    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void theLastEventOfEachTransactionAndSnapshotChunkIsMarked() throws Exception {
        String s = db.createDatabase("markers");
        db.execute(
                "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + s + ".t VALUES (1, 1), (2, 2), (3, 3)");
        try (Capture cap = Capture.snapshot(db, List.of(s + ".*"), 2)
                .encoder(Encoder.json(new JsonOptions(BigintEncoding.NUMBER, true)))
                .run(SchemaPolicy.DEFAULT)) {
            cap.awaitAll("the snapshot", e -> e.size() >= 3);
            db.execute(
                    "BEGIN",
                    "INSERT INTO " + s + ".t VALUES (4, 4), (5, 5)",
                    "UPDATE " + s + ".t SET v = 9 WHERE id = 1",
                    "COMMIT",
                    "DELETE FROM " + s + ".t WHERE id = 2");
            List<JsonNode> ev = cap.awaitAll("the stream", e -> e.size() >= 7);
            assertThat(ev)
                    .extracting(e -> e.get("op").asText() + (e.has("txn") ? "!" : ""))
                    .as(
                            "two rows of chunk 1 (one commit), a row of chunk 2, a 3-event transaction, a delete; no announcing s"
                                    + " (encoding.announce-schemas is off)")
                    .containsExactly("r", "r!", "r!", "c", "c", "u!", "d!");
            JsonNode last = ev.get(5);
            assertThat(last.get("txn").toString()).isEqualTo("{\"last\":true}");
            assertThat(last.toString()).endsWith(",\"txn\":{\"last\":true},\"ts_ms\":" + last.get("ts_ms") + "}");
            assertThat(last.get("source").get("gtid"))
                    .isEqualTo(ev.get(3).get("source").get("gtid"));
        }
    }
}
