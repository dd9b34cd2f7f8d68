package io.sluice.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores keep logs and checkpoints alike; the file store's logs behave as the files always did. */
class StateStoreTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(RecordLog log) throws IOException {
        return log.read().stream()
                .map(r -> new String(r, StandardCharsets.UTF_8))
                .toList();
    }

    private static void keepsLogsAndCheckpoints(StateStore store) throws IOException {
        RecordLog history = store.schemaHistory();
        assertThat(store.schemaHistory()).as("one live log per part").isSameAs(history);
        history.append(bytes("{\"v\":1}"));
        history.append(bytes("{\"v\":2}"));
        history.sync();
        assertThat(texts(history)).containsExactly("{\"v\":1}", "{\"v\":2}");
        assertThat(history.existed()).isTrue();
        store.quarantine("shop.t").append(bytes("{\"id\":\"a\"}"));
        store.quarantine("shop.t").sync();
        assertThat(texts(store.quarantine("shop.t"))).containsExactly("{\"id\":\"a\"}");
        assertThat(store.quarantine("shop.u").read()).isEmpty();
        assertThat(store.ruleVersions().read()).isEmpty();
        CheckpointStore cp = store.checkpoint("stdout");
        assertThat(cp.read()).isEmpty();
        Checkpoint c = new Checkpoint(new BinlogPosition("bin.000002", 77, null), List.of(), Map.of());
        cp.write(c);
        assertThat(store.checkpoint("stdout").read()).contains(c);
    }

    @Test
    void theStoreInMemoryKeepsLogsAndCheckpoints() throws IOException {
        keepsLogsAndCheckpoints(StateStore.inMemory());
    }

    @Test
    void theFileStoreKeepsLogsAndCheckpointsInTheStateDirectory() throws IOException {
        try (FileStateStore store = FileStateStore.open(dir)) {
            keepsLogsAndCheckpoints(store);
        }
        assertThat(Files.readString(dir.resolve(FileStateStore.SCHEMA_HISTORY))).isEqualTo("{\"v\":1}\n{\"v\":2}\n");
        assertThat(Files.readString(dir.resolve("quarantine/shop.t.jsonl"))).isEqualTo("{\"id\":\"a\"}\n");
        assertThat(dir.resolve(CheckpointFile.NAME)).exists();
    }

    @Test
    void aLogIsMissingOnlyWhenItsFileWasNotThereAndNothingWasWritten() throws IOException {
        RecordLog fresh = FileStateStore.open(dir).schemaHistory();
        assertThat(fresh.existed()).isFalse();
        fresh.append(bytes("{}"));
        assertThat(fresh.existed()).isTrue();
        assertThat(FileStateStore.open(dir).schemaHistory().existed()).isTrue();
    }

    @Test
    void theHistoryIsReadOnceWhileApprovalsAreReadAfreshFromOtherWriters() throws IOException {
        FileStateStore live = FileStateStore.open(dir);
        assertThat(live.schemaHistory().read()).isEmpty();
        assertThat(live.approvals().read()).isEmpty();
        FileStateStore tool = FileStateStore.open(dir); // sluice schema approve, in another process
        tool.approvals().append(bytes("{\"at\":\"bin.000001:4\"}"));
        tool.approvals().sync();
        assertThat(texts(live.approvals())).containsExactly("{\"at\":\"bin.000001:4\"}");
        Files.writeString(dir.resolve(FileStateStore.SCHEMA_HISTORY), "{\"v\":9}\n");
        assertThat(live.schemaHistory().read())
                .as("only the pipeline writes its history: served from memory")
                .isEmpty();
    }

    @Test
    void aTornLastLineIsNoRecordAndTheNextAppendReplacesIt() throws IOException {
        Path f = dir.resolve(FileStateStore.APPROVALS);
        Files.writeString(f, "{\"a\":1}\n{\"a\":", StandardOpenOption.CREATE);
        RecordLog log = FileStateStore.open(dir).approvals();
        assertThat(texts(log)).containsExactly("{\"a\":1}");
        log.append(bytes("{\"a\":2}"));
        log.sync();
        assertThat(Files.readString(f)).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    }
}
