package io.sluice.jdbc;

import java.util.Objects;

/**
 * Settings of the JDBC sink.
 *
 * @param pipeline          the pipeline's name: its row in the checkpoint table
 * @param url               the target's JDBC URL ({@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:mysql:})
 * @param user              the target user, or empty: from the URL
 * @param password          the target password, or empty; never shown
 * @param dialect           the target's SQL dialect (inferred from the URL when not given)
 * @param tableTemplate     the target table of a source table: {@code {db}} and {@code {table}} are replaced; a dot
 *                          separates the target schema (PostgreSQL) or database (MySQL family) from the table
 * @param checkpointTable   the checkpoint table, {@code [schema.]name}
 * @param batchEvents       rows sent to the target in one statement at most
 * @param transactionEvents events in one target transaction, beyond which a source transaction is split (with the
 *                          resume-inside mark) or, at a source transaction's end, the target transaction committed
 * @param transactionBytes  bytes of values in one target transaction, likewise (TiDB's limit is 100 MB by default)
 * @param deleteMode        what a {@code d} event does
 * @param truncateMode      what a {@code t} event does
 * @param keylessMode       how the rows of a table without a key are applied
 * @param metadataColumns   whether target tables get {@code _sluice_op}, {@code _sluice_ts} and {@code _sluice_pos}
 * @param positionGuard     whether a change never overwrites or deletes a row holding a later {@code _sluice_pos}
 *                          (several writers into one table); needs the metadata columns, and makes {@code _sluice_pos}
 *                          the comparable {@link #position} of the change
 * @param batchForm         the statement form of a batch of upserts (PostgreSQL: multi-row VALUES or UNNEST arrays)
 */
public record JdbcSinkConfig(
        String pipeline,
        String url,
        String user,
        String password,
        Dialect.Kind dialect,
        String tableTemplate,
        String checkpointTable,
        int batchEvents,
        int transactionEvents,
        long transactionBytes,
        DeleteMode deleteMode,
        TruncateMode truncateMode,
        KeylessMode keylessMode,
        boolean metadataColumns,
        boolean positionGuard,
        BatchForm batchForm) {

    /** The statement form of a batch of upserts or inserts. */
    public enum BatchForm {
        /** PostgreSQL: {@link #UNNEST} (it measured less CPU in all, BENCHMARKS.md); the MySQL family: {@link #VALUES}. */
        AUTO,
        /** {@code INSERT … VALUES (…), (…), … }: one parameter per value. */
        VALUES,
        /**
         * PostgreSQL: {@code INSERT … SELECT * FROM UNNEST(?::type[], …)}: one array parameter per column, whatever
         * the number of rows (the MySQL family has no arrays: refused there).
         */
        UNNEST
    }

    /** What a {@code d} event does to the target row. */
    public enum DeleteMode {
        /** The row is deleted by its key. */
        DELETE,
        /** The row stays, {@code _sluice_deleted} set to true. */
        SOFT,
        /** Nothing: the target keeps every row ever written. */
        IGNORE
    }

    /** What a {@code t} event does to the target table. */
    public enum TruncateMode {
        /** Every row of the target table is deleted (in the same transaction). */
        TRUNCATE,
        /** Nothing. */
        IGNORE
    }

    /** How the rows of a table without a key are applied. */
    public enum KeylessMode {
        /** Every {@code c}, {@code r} and {@code u} adds its row; deletes are not applied. */
        APPEND,
        /** A delete or update removes one row equal to the old row in every column, an update then adds the new. */
        ALL_COLUMNS
    }

    public static final String DEFAULT_TABLE_TEMPLATE = "{db}.{table}";
    public static final String DEFAULT_CHECKPOINT_TABLE = "sluice_checkpoint";
    public static final int DEFAULT_BATCH_EVENTS = 1000;
    public static final int DEFAULT_TRANSACTION_EVENTS = 100_000;
    public static final long DEFAULT_TRANSACTION_BYTES = 64L << 20;

    public JdbcSinkConfig {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(url, "url");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        dialect = dialect == null ? Dialect.Kind.of(url) : dialect;
        Objects.requireNonNull(tableTemplate, "tableTemplate");
        Objects.requireNonNull(checkpointTable, "checkpointTable");
        Objects.requireNonNull(deleteMode, "deleteMode");
        Objects.requireNonNull(truncateMode, "truncateMode");
        Objects.requireNonNull(keylessMode, "keylessMode");
        batchForm = batchForm == null ? BatchForm.AUTO : batchForm;
        if (batchForm == BatchForm.UNNEST && dialect != Dialect.Kind.POSTGRESQL) {
            throw new IllegalArgumentException("sink.batch-form: unnest needs PostgreSQL arrays; " + url + " is a"
                    + " MySQL-family target: use sink.batch-form: values");
        }
        if (positionGuard && !metadataColumns) {
            throw new IllegalArgumentException("sink.position-guard compares the _sluice_pos of the rows, which only"
                    + " sink.metadata-columns: true writes: set both");
        }
        if (batchEvents < 1 || transactionEvents < 1 || transactionBytes < 1) {
            throw new IllegalArgumentException("batch and transaction bounds must be positive");
        }
    }

    /** Defaults for everything but the pipeline, the URL and the credentials. */
    public static JdbcSinkConfig of(String pipeline, String url, String user, String password) {
        return new JdbcSinkConfig(
                pipeline,
                url,
                user,
                password,
                null,
                DEFAULT_TABLE_TEMPLATE,
                DEFAULT_CHECKPOINT_TABLE,
                DEFAULT_BATCH_EVENTS,
                DEFAULT_TRANSACTION_EVENTS,
                DEFAULT_TRANSACTION_BYTES,
                DeleteMode.DELETE,
                TruncateMode.TRUNCATE,
                KeylessMode.APPEND,
                false,
                false,
                BatchForm.AUTO);
    }

    /** A copy with other bounds of a target transaction, keyless mode and metadata columns. */
    public JdbcSinkConfig withWriting(
            int newTransactionEvents, long newTransactionBytes, KeylessMode newKeylessMode, boolean newMetadata) {
        return copy(
                newTransactionEvents,
                newTransactionBytes,
                newKeylessMode,
                newMetadata,
                positionGuard && newMetadata,
                batchForm);
    }

    /** A copy with the position guard on (and the metadata columns it needs). */
    public JdbcSinkConfig withPositionGuard() {
        return copy(transactionEvents, transactionBytes, keylessMode, true, true, batchForm);
    }

    /** A copy writing batches in {@code form}. */
    public JdbcSinkConfig withBatchForm(BatchForm form) {
        return copy(transactionEvents, transactionBytes, keylessMode, metadataColumns, positionGuard, form);
    }

    private JdbcSinkConfig copy(
            int newTransactionEvents,
            long newTransactionBytes,
            KeylessMode newKeylessMode,
            boolean newMetadata,
            boolean newGuard,
            BatchForm newForm) {
        return new JdbcSinkConfig(
                pipeline,
                url,
                user,
                password,
                dialect,
                tableTemplate,
                checkpointTable,
                batchEvents,
                newTransactionEvents,
                newTransactionBytes,
                deleteMode,
                truncateMode,
                newKeylessMode,
                newMetadata,
                newGuard,
                newForm);
    }

    /**
     * The position of a change in its source's binlog as text that sorts as the positions do: the binlog file's
     * number, the position where its transaction begins and its index in the transaction, zero-padded
     * ({@code 0000000003:00000000000000004711:0000000002}). Comparable between changes of one source server's binlog
     * (not across a failover to another server, whose positions are its own).
     */
    public static String position(String file, long pos, int row) {
        int dot = file.lastIndexOf('.');
        long number = 0;
        try {
            number = Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            number = 0;
        }
        return String.format(java.util.Locale.ROOT, "%010d:%020d:%010d", number, pos, row);
    }

    /** The target table of a source table, {@code [schema.]table}, by {@link #tableTemplate()}. */
    public String[] target(String db, String table) {
        return target(tableTemplate, db, table);
    }

    /** The target {@code {schema or null, table}} of a source table by a template such as {@code {db}.{table}}. */
    static String[] target(String template, String db, String table) {
        String t = template.replace("{db}", db).replace("{table}", table);
        int dot = t.indexOf('.');
        return dot < 0 ? new String[] {null, t} : new String[] {t.substring(0, dot), t.substring(dot + 1)};
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "JdbcSinkConfig[pipeline=" + pipeline + ", url=" + url + ", user=" + user + ", dialect=" + dialect
                + ", table=" + tableTemplate + ", checkpointTable=" + checkpointTable + ", batchEvents="
                + batchEvents + ", transactionEvents=" + transactionEvents + ", transactionBytes=" + transactionBytes
                + ", deleteMode=" + deleteMode + ", truncateMode="
                + truncateMode + ", keylessMode=" + keylessMode + ", metadataColumns=" + metadataColumns
                + ", positionGuard=" + positionGuard + ", batchForm=" + batchForm + "]";
    }
}
