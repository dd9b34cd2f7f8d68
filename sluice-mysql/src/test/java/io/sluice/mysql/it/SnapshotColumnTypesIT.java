package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.mysql.source.StartPosition;
import io.sluice.testkit.MariaDbServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every column type of the contract's value table through the snapshot path: each value is inserted and captured
 * from the binlog (a {@code c} event), then the table is snapshotted ({@code r} events). Each r event's after image
 * must be byte for byte the c event's, and both the contract's encoding. Runs all of {@link ColumnTypesIT}'s cases.
 */
class SnapshotColumnTypesIT extends ColumnTypesIT {
    private final MariaDbServer db = MariaDbServer.shared();

    @Override
    void check(String type, Map<String, String> sqlToJson, String... setup) throws Exception {
        String s = db.createDatabase("stypes");
        List<JsonNode> created = insertAndCapture(db, s, type, sqlToJson, setup);
        try (Capture snap = Capture.create(db, List.of(s + ".t"), new StartPosition.Snapshot())) {
            snap.run();
            List<JsonNode> read = snap.awaitEvents(
                    type + ": " + created.size() + " r events",
                    Duration.ofSeconds(60),
                    events -> events.size() >= created.size());
            assertThat(read).as(type + ": r events").hasSize(created.size());
            int i = 0;
            for (String sqlValue : sqlToJson.keySet()) {
                JsonNode c = created.get(i);
                JsonNode r = read.get(i);
                assertThat(r.get("op").asText()).isEqualTo("r");
                assertThat(r.get("after").toString())
                        .as(type + " " + sqlValue + " r vs c")
                        .isEqualTo(c.get("after").toString());
                assertThat(r.get("after").get("c").toString())
                        .as(type + " " + sqlValue)
                        .isEqualTo(sqlToJson.get(sqlValue));
                assertThat(r.get("key").toString()).isEqualTo(c.get("key").toString());
                assertThat(r.get("schema").asInt()).isEqualTo(c.get("schema").asInt());
                i++;
            }
            assertThat(read.get(i).get("after").get("c").isNull())
                    .as(type + " NULL")
                    .isTrue();
        }
    }
}
