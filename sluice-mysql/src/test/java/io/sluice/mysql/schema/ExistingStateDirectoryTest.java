package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.RecordLog;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory written before the state store existed keeps working, byte for byte. {@code state-v1/before}
 * and {@code state-v1/after} were written by the previous build's {@code SchemaHistory}, {@code Approvals} and
 * stdout sink (the second with one more version and approval); the quarantine file is in the format that build's
 * {@code Quarantine} wrote, ending in a torn line.
 */
class ExistingStateDirectoryTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ExistingStateDirectoryTest.class
                .getResource("/state-v1/" + name)
                .toURI());
    }

    @BeforeEach
    void copyTheOldDirectory() throws Exception {
        Path from = fixture("before");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    @Test
    void theHistoryApprovalsAndCheckpointAreReadAsTheyWereWritten() throws IOException {
        SchemaState state = SchemaState.in(dir);
        assertThat(state.history().missing()).isFalse();
        assertThat(state.history().versions("shop.orders"))
                .extracting(SchemaVersion::version)
                .containsExactly(1, 2);
        assertThat(state.history().version("shop.orders", 2).model().columnNames())
                .containsExactly("id", "name", "kind", "price", "qty");
        assertThat(state.history().version("shop.orders", 2).ddl()).isEqualTo("ALTER TABLE orders ADD qty INT, DROP é");
        assertThat(state.approvals().approved("shop.orders", 2)).isTrue();
        assertThat(FileStateStore.open(dir).checkpoint("stdout").read())
                .contains(new Checkpoint(
                        new BinlogPosition("mysql-bin.000003", 9100, "0-1-42"),
                        List.of(),
                        Map.of("shop.orders", new TableVersion(2, TableVersion.PENDING))));
    }

    @Test
    void appendingWritesTheBytesThePreviousBuildWrote() throws Exception {
        SchemaState state = SchemaState.in(dir);
        state.history()
                .append(new SchemaVersion(
                        "shop.orders",
                        3,
                        "mysql-bin.000004",
                        4,
                        "DROP TABLE orders",
                        SchemaVersion.DDL,
                        null,
                        List.of()));
        SchemaState.in(dir)
                .approvals()
                .add(new Approvals.Approval(null, null, "mysql-bin.000004:4", "approved with sluice schema approve"));
        FileStateStore.open(dir)
                .checkpoint("stdout")
                .write(new Checkpoint(
                        new BinlogPosition("mysql-bin.000003", 9100, "0-1-42"),
                        List.of(),
                        Map.of("shop.orders", new TableVersion(2, TableVersion.PENDING))));
        for (String f : List.of(SchemaHistory.FILE_NAME, Approvals.FILE_NAME, "checkpoint.json")) {
            assertThat(Files.readAllBytes(dir.resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(fixture("after").resolve(f)));
        }
        assertThat(state.approvals().approvedAt("mysql-bin.000004", 4))
                .as("appended by another writer")
                .isTrue();
    }

    @Test
    void aQuarantineFileKeepsItsEventsAndLosesItsTornLine() throws IOException {
        RecordLog side = FileStateStore.open(dir).quarantine("shop.orders");
        assertThat(side.read())
                .extracting(r -> SchemaHistory.JSON.readTree(r).path("id").asText())
                .containsExactly("q1", "q2");
        side.append("{\"id\":\"q3\"}".getBytes(StandardCharsets.UTF_8));
        side.sync();
        assertThat(Files.readAllLines(dir.resolve("quarantine/shop.orders.jsonl")))
                .hasSize(3)
                .last()
                .isEqualTo("{\"id\":\"q3\"}");
    }
}
