package io.sluice.mysql.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.MariaDbServer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RowChangesIT {
    private final MariaDbServer db = MariaDbServer.shared();

    @Test
    void insertUpdateDeleteBecomeCUDEventsWithContractEnvelope() throws Exception {
        String s = db.createDatabase("rows");
        db.execute("CREATE TABLE " + s + ".orders (id INT PRIMARY KEY, status VARCHAR(10), total DECIMAL(10,4))");
        try (Capture cap = Capture.start(db, s + ".*")) {
            db.execute(
                    "INSERT INTO " + s + ".orders VALUES (42, 'new', 19.9)",
                    "UPDATE " + s + ".orders SET status = 'paid' WHERE id = 42",
                    "DELETE FROM " + s + ".orders WHERE id = 42");
            List<JsonNode> ev = cap.await(3);
            assertThat(ev).extracting(e -> e.get("op").asText()).containsExactly("c", "u", "d");
            JsonNode u = ev.get(1);
            assertThat(u.get("v").asInt()).isEqualTo(1);
            assertThat(u.get("key").toString()).isEqualTo("{\"id\":42}");
            assertThat(u.get("before").toString()).isEqualTo("{\"id\":42,\"status\":\"new\",\"total\":\"19.9000\"}");
            assertThat(u.get("after").toString()).isEqualTo("{\"id\":42,\"status\":\"paid\",\"total\":\"19.9000\"}");
            JsonNode src = u.get("source");
            assertThat(src.get("name").asText()).isEqualTo("it");
            assertThat(src.get("db").asText()).isEqualTo(s);
            assertThat(src.get("table").asText()).isEqualTo("orders");
            assertThat(src.get("snapshot").asBoolean()).isFalse();
            assertThat(src.get("server_id").asLong()).isEqualTo(1);
            assertThat(src.get("gtid").asText()).matches("0-1-\\d+");
            assertThat(src.get("file").asText()).startsWith("mysql-bin.");
            assertThat(src.get("row").asInt()).isZero();
            assertThat(u.get("id").asText()).isEqualTo("it:" + src.get("gtid").asText() + ":0");
            assertThat(u.get("schema").asInt()).isEqualTo(1);
            assertThat(ev.get(0).get("before").isNull()).isTrue();
            assertThat(ev.get(2).get("after").isNull()).isTrue();
            assertThat(ev.get(2).get("key").toString()).isEqualTo("{\"id\":42}");
            Set<String> ids = ev.stream().map(e -> e.get("id").asText()).collect(Collectors.toSet());
            assertThat(ids).hasSize(3);
        }
    }

    @Test
    void keyChangeBecomesDeleteThenCreateWithConsecutiveRows() throws Exception {
        String s = db.createDatabase("keys");
        db.execute("CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v INT)", "INSERT INTO " + s + ".t VALUES (1, 10)");
        try (Capture cap = Capture.start(db, s + ".t")) {
            db.execute("UPDATE " + s + ".t SET id = 2 WHERE id = 1");
            List<JsonNode> ev = cap.await(2);
            assertThat(ev).extracting(e -> e.get("op").asText()).containsExactly("d", "c");
            assertThat(ev.get(0).get("key").toString()).isEqualTo("{\"id\":1}");
            assertThat(ev.get(1).get("key").toString()).isEqualTo("{\"id\":2}");
            assertThat(ev).extracting(e -> e.get("source").get("row").asInt()).containsExactly(0, 1);
            assertThat(ev.get(0).get("before").toString()).isEqualTo("{\"id\":1,\"v\":10}");
            assertThat(ev.get(1).get("after").toString()).isEqualTo("{\"id\":2,\"v\":10}");
        }
    }
}
