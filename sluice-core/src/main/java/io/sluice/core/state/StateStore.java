package io.sluice.core.state;

/**
 * What one pipeline keeps between runs besides its sink's data. Each accessor returns the one live object for its
 * part, so every reader in the process (the source, the HTTP API) sees what the running pipeline wrote without
 * reading it again from where it is kept.
 *
 * <p>Implementations: {@link FileStateStore} (the pipeline's state directory: today's files, byte for byte) and
 * {@link #inMemory()} (tests and tools that keep nothing). A Kafka Connect task, which may move between workers,
 * would keep the logs in compacted topics and take its checkpoint from Connect's offsets; a database sink keeps its
 * checkpoint in the target (see {@link CheckpointStore}). The store is written by one process at a time: the file
 * implementation's directory lock says which ({@link FileStateStore#claim}); Connect fences with its tasks'
 * generations.
 */
public interface StateStore extends AutoCloseable {

    /** The schema history: the source appends one record per table version, in the order it read them. */
    RecordLog schemaHistory();

    /** Operator decisions that let a halted pipeline continue (written by {@code sluice schema approve}). */
    RecordLog approvals();

    /** The events of a quarantined table ({@code db.table}), held back from the sink until approved. */
    RecordLog quarantine(String table);

    /**
     * The versions of the pipeline's transformation rules ({@code io.sluice.rules.RuleVersions}); appended by
     * {@code sluice rules deploy} from another process, read by the running pipeline between transactions.
     */
    RecordLog ruleVersions();

    /**
     * The checkpoint of a sink that does not keep it with its data; {@code sink} is its kind (file, stdout). The
     * file store keeps one per state directory, and refuses to read one another kind of sink wrote.
     */
    CheckpointStore checkpoint(String sink);

    /** Releases what the store holds open (files, connections). */
    @Override
    void close();

    /** A store that keeps everything in memory, for tests and tools that need no durable state. */
    static StateStore inMemory() {
        return new InMemoryStateStore();
    }
}
