package io.sluice.jdbc;

import io.sluice.core.SluiceException;

/**
 * A halt under the schema policy: the source changed a table in a way the sink does not follow by itself (a type
 * narrowed or changed, a column dropped or renamed). Fatal; the sink records its message in the checkpoint table
 * ({@link CheckpointTable#recordHalt}), so every later start halts again with it until the operator clears it.
 */
final class SchemaHalt extends SluiceException {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "the source table ";

    SchemaHalt(String message) {
        super(message, false, null);
    }

    /** A halt for a change of the source table {@code table} ({@code db.table}): the message begins by naming it. */
    static SchemaHalt of(String table, String message) {
        return new SchemaHalt(PREFIX + table + " changed: " + message);
    }

    /** The source table a recorded halt's message names (null: none, a halt of an older Sluice). */
    static String tableOf(String message) {
        if (message == null || !message.startsWith(PREFIX)) {
            return null;
        }
        int end = message.indexOf(" changed: ", PREFIX.length());
        return end < 0 ? null : message.substring(PREFIX.length(), end);
    }
}
