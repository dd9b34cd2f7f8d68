package io.sluice.mysql.schema;

import io.sluice.core.state.FileStateStore;
import io.sluice.core.state.StateStore;
import java.nio.file.Path;

/**
 * The schema part of one pipeline's {@link StateStore}, as the MySQL source keeps it: the live
 * {@link SchemaHistory} (read from the store once, on first use), the {@link Approvals} and the store the
 * quarantine writes to. One per pipeline, made by the composition root and shared by the source and by readers in
 * the same process (the HTTP API), so they see each version the moment the source records it, without reading the
 * store again.
 */
public final class SchemaState {
    private final StateStore store;
    private final Approvals approvals;
    private SchemaHistory history;

    private SchemaState(StateStore store) {
        this.store = store;
        this.approvals = new Approvals(store.approvals());
    }

    /** The schema state kept in {@code store}. */
    public static SchemaState of(StateStore store) {
        return new SchemaState(store);
    }

    /** Schema state kept in memory only (a source without a state directory). */
    public static SchemaState inMemory() {
        return of(StateStore.inMemory());
    }

    /** The schema state in the state directory {@code stateDir}; null keeps it in memory. */
    public static SchemaState in(Path stateDir) {
        return stateDir == null ? inMemory() : of(FileStateStore.open(stateDir));
    }

    /** The store everything is kept in. */
    public StateStore store() {
        return store;
    }

    /** The live schema history, read from the store on first use. */
    public synchronized SchemaHistory history() {
        if (history == null) {
            history = SchemaHistory.open(store.schemaHistory());
        }
        return history;
    }

    /** The approvals, read from the store at each check. */
    public Approvals approvals() {
        return approvals;
    }
}
