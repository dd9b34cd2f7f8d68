package io.sluice.core.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pipeline's state in its state directory, in the files Sluice has always written there (so existing state
 * directories keep working): {@value #SCHEMA_HISTORY} and {@value #APPROVALS} (JSON lines), one
 * {@code quarantine/<db.table>.jsonl} per quarantined table, {@value #RULE_VERSIONS}, and {@value CheckpointFile#NAME}
 * for the file and stdout sinks ({@link CheckpointFile}); the one process that writes them holds the directory's
 * {@value DirectoryLock#FILE_NAME} ({@link DirectoryLock}, claimed by the command before it opens the store). Each
 * log is one {@link FileRecordLog}, opened once and shared by every reader in the process; the schema history is
 * read once and then served from memory.
 */
public final class FileStateStore implements StateStore {
    /** The schema history's file. */
    public static final String SCHEMA_HISTORY = "schema-history.jsonl";
    /** The approvals' file. */
    public static final String APPROVALS = "schema-approvals.jsonl";
    /** The directory of the quarantined tables' files. */
    public static final String QUARANTINE = "quarantine";
    /** The rule versions' file. */
    public static final String RULE_VERSIONS = "rule-versions.jsonl";

    private final Path dir;
    private final Map<String, FileRecordLog> logs = new ConcurrentHashMap<>();

    private FileStateStore(Path dir) {
        this.dir = dir;
    }

    /** The store in {@code dir}; nothing is read or created until a part is used. */
    public static FileStateStore open(Path dir) {
        return new FileStateStore(dir);
    }

    /** The state directory. */
    public Path dir() {
        return dir;
    }

    private FileRecordLog log(Path file, boolean held) {
        return logs.computeIfAbsent(dir.relativize(file).toString(), k -> new FileRecordLog(file, held));
    }

    @Override
    public RecordLog schemaHistory() {
        return log(dir.resolve(SCHEMA_HISTORY), true);
    }

    @Override
    public RecordLog approvals() {
        return log(dir.resolve(APPROVALS), false);
    }

    @Override
    public RecordLog quarantine(String table) {
        return log(dir.resolve(QUARANTINE).resolve(table + ".jsonl"), false);
    }

    @Override
    public RecordLog ruleVersions() {
        // not held: `sluice rules deploy` appends from another process, and the running pipeline must see it
        return log(dir.resolve(RULE_VERSIONS), false);
    }

    @Override
    public CheckpointStore checkpoint(String sink) {
        return new CheckpointFile(dir, sink, Durability.FSYNC);
    }

    /** Closes the files held open for appending. */
    @Override
    public void close() {
        logs.values().forEach(FileRecordLog::close);
    }
}
