package io.sluice.jdbc;

import io.sluice.core.SluiceException;

/**
 * A halt under the schema policy: the source changed a table in a way the sink does not follow by itself (a type
 * narrowed or changed, a column dropped or renamed). Fatal; the sink records its message in the checkpoint table
 * ({@link CheckpointTable#recordHalt}), so every later start halts again with it until the operator clears it.
 */
final class SchemaHalt extends SluiceException {
    private static final long serialVersionUID = 1L;

    SchemaHalt(String message) {
        super(message, false, null);
    }
}
