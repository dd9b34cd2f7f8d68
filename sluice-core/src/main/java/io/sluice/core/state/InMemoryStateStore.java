package io.sluice.core.state;

import io.sluice.core.checkpoint.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link StateStore#inMemory()}: every log a list, the checkpoint a field; nothing survives the process. */
final class InMemoryStateStore extends NamedLogStore {
    private final Map<String, RecordLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    protected RecordLog log(String name) {
        return logs.computeIfAbsent(name, MemoryLog::new);
    }

    @Override
    public CheckpointStore checkpoint(String sink) {
        return new CheckpointStore() {
            @Override
            public Optional<Checkpoint> read() {
                return Optional.ofNullable(checkpoints.get(sink));
            }

            @Override
            public void write(Checkpoint cp) {
                checkpoints.put(sink, cp);
            }
        };
    }

    @Override
    public void close() {}

    private static final class MemoryLog implements RecordLog {
        private final String name;
        private final List<byte[]> records = new ArrayList<>();

        MemoryLog(String name) {
            this.name = name;
        }

        @Override
        public synchronized List<byte[]> read() {
            return List.copyOf(records);
        }

        @Override
        public synchronized void append(byte[] record) {
            records.add(record.clone());
        }

        @Override
        public void sync() {}

        @Override
        public boolean existed() {
            return true;
        }

        @Override
        public String where() {
            return "memory (" + name + ")";
        }
    }
}
