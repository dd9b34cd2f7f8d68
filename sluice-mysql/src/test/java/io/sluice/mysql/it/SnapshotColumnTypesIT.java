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
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, c " + type + ")");
        List<JsonNode> created;
        try (Capture cap = Capture.start(db, s + ".t")) {
            StringBuilder sql = new StringBuilder();
            int id = 0;
            for (String v : sqlToJson.keySet()) {
                sql.append(sql.length() == 0 ? "" : ",").append("(").append(id++).append(",").append(v).append(")");
            }
            String[] stmts = new String[setup.length + 2];
            System.arraycopy(setup, 0, stmts, 0, setup.length);
            stmts[setup.length] = "INSERT INTO " + s + ".t VALUES " + sql;
            stmts[setup.length + 1] = "INSERT INTO " + s + ".t VALUES (" + id + ", NULL)";
            db.execute(stmts);
            created = cap.await(sqlToJson.size() + 1);
        }
        try (Capture snap = Capture.create(db, List.of(s + ".t"), new StartPosition.Snapshot())) {
            snap.run();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<JsonNode> read = snap.events();
            while (read.size() < created.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                read = snap.events();
            }
            assertThat(read).as(type + ": r events").hasSize(created.size());
            int i = 0;
            for (String sqlValue : sqlToJson.keySet()) {
                JsonNode c = created.get(i);
                JsonNode r = read.get(i);
                assertThat(r.get("op").asText()).isEqualTo("r");
                assertThat(r.get("after").toString()).as(type + " " + sqlValue + " r vs c")
                        .isEqualTo(c.get("after").toString());
                assertThat(r.get("after").get("c").toString()).as(type + " " + sqlValue)
                        .isEqualTo(sqlToJson.get(sqlValue));
                assertThat(r.get("key").toString()).isEqualTo(c.get("key").toString());
                assertThat(r.get("schema").asInt()).isEqualTo(c.get("schema").asInt());
                i++;
            }
            assertThat(read.get(i).get("after").get("c").isNull()).as(type + " NULL").isTrue();
        }
    }
}
