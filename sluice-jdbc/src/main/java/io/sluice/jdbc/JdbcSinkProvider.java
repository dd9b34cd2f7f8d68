package io.sluice.jdbc;

import static io.sluice.core.config.ValueType.bool;
import static io.sluice.core.config.ValueType.enumeration;
import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.matching;
import static io.sluice.core.config.ValueType.size;
import static io.sluice.core.config.ValueType.string;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkContext;
import io.sluice.core.sink.SinkFinding;
import io.sluice.core.sink.SinkProvider;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@code sink.type: jdbc}: {@link JdbcSink}, its checkpoint in the target's checkpoint table. */
public final class JdbcSinkProvider implements SinkProvider<JdbcSinkConfig> {
    /** The target's dialect as the configuration writes it; {@code auto} infers it from the URL. */
    public enum DialectName {
        AUTO,
        POSTGRESQL,
        MYSQL
    }

    public static final ConfigKey<String> URL = ConfigKey.required(
            "url",
            matching("jdbc:(postgresql|mariadb|mysql|tidb):.+", "a JDBC URL: jdbc:postgresql://… or jdbc:mariadb://…"),
            "The target database: jdbc:postgresql://host:5432/db, or jdbc:mariadb://host:3306/db (also jdbc:mysql:"
                    + " for MySQL and TiDB). Put the password in sink.password, not in the URL.");

    public static final ConfigKey<String> USER =
            ConfigKey.optional("user", string(), "", "The target user (empty: as the URL says).");

    public static final ConfigKey<String> PASSWORD = ConfigKey.optional(
                    "password", string(), "", "The target user's password; write ${SOME_VARIABLE}. Never shown.")
            .secret();

    public static final ConfigKey<DialectName> DIALECT = ConfigKey.optional(
            "dialect",
            enumeration(DialectName.class),
            DialectName.AUTO,
            "The target's SQL: postgresql (INSERT … ON CONFLICT) or mysql (MySQL, MariaDB, TiDB: INSERT … ON"
                    + " DUPLICATE KEY UPDATE); auto takes it from the URL.");

    public static final ConfigKey<String> TABLE = ConfigKey.optional(
            "table",
            matching("[^.]+(\\.[^.]+)?", "a template like {db}.{table} or analytics.{db}_{table}"),
            JdbcSinkConfig.DEFAULT_TABLE_TEMPLATE,
            "The target table of a source table: {db} and {table} are replaced; before a dot is the target schema"
                    + " (PostgreSQL) or database (MySQL family), else the connection's. Created where missing.");

    public static final ConfigKey<String> CHECKPOINT_TABLE = ConfigKey.optional(
            "checkpoint-table",
            matching("[A-Za-z0-9_$]+(\\.[A-Za-z0-9_$]+)?", "a table name, optionally schema.table"),
            JdbcSinkConfig.DEFAULT_CHECKPOINT_TABLE,
            "The table in the target holding each pipeline's checkpoint and generation, written in the same"
                    + " transaction as the rows (created where missing).");

    public static final ConfigKey<Integer> BATCH_ROWS = ConfigKey.optional(
            "batch-rows",
            integer(1, 100_000),
            JdbcSinkConfig.DEFAULT_BATCH_EVENTS,
            "Rows of one table sent in one multi-row statement at most. How often the target commits is the"
                    + " pipeline's batch (batch.max-events, batch.max-bytes, batch.max-ms).");

    public static final ConfigKey<Integer> MAX_TRANSACTION_EVENTS = ConfigKey.optional(
            "max-transaction-events",
            integer(1, Integer.MAX_VALUE),
            JdbcSinkConfig.DEFAULT_TRANSACTION_EVENTS,
            "Events of one source transaction per target transaction: a larger one is committed in parts, the"
                    + " checkpoint marking how far it got, so a crash neither loses nor repeats rows.");

    public static final ConfigKey<Long> MAX_TRANSACTION_BYTES = ConfigKey.optional(
            "max-transaction-bytes",
            size(1024),
            JdbcSinkConfig.DEFAULT_TRANSACTION_BYTES,
            "Bytes of values of one source transaction per target transaction, likewise (TiDB refuses transactions"
                    + " over txn-total-size-limit, 100 MB by default).");

    public static final ConfigKey<JdbcSinkConfig.DeleteMode> DELETE_MODE = ConfigKey.optional(
            "delete-mode",
            enumeration(JdbcSinkConfig.DeleteMode.class),
            JdbcSinkConfig.DeleteMode.DELETE,
            "What a delete does: delete (the row, by key), soft (keeps the row, sets _sluice_deleted) or ignore.");

    public static final ConfigKey<JdbcSinkConfig.TruncateMode> TRUNCATE_MODE = ConfigKey.optional(
            "truncate-mode",
            enumeration(JdbcSinkConfig.TruncateMode.class),
            JdbcSinkConfig.TruncateMode.TRUNCATE,
            "What a TRUNCATE of a source table does: truncate (deletes the target's rows in the same transaction)"
                    + " or ignore.");

    public static final ConfigKey<JdbcSinkConfig.KeylessMode> KEYLESS_MODE = ConfigKey.optional(
            "keyless-mode",
            enumeration(JdbcSinkConfig.KeylessMode.class),
            JdbcSinkConfig.KeylessMode.APPEND,
            "Tables without a key: append (every insert, update and read adds its row; deletes are not applied) or"
                    + " all-columns (a delete or update removes one row equal in every column).");

    public static final ConfigKey<Boolean> METADATA_COLUMNS = ConfigKey.optional(
            "metadata-columns",
            bool(),
            false,
            "Whether target tables get _sluice_op (the last change's op), _sluice_ts (its source time, ms) and"
                    + " _sluice_pos (its event id).");

    public static final ConfigKey<Boolean> POSITION_GUARD = ConfigKey.optional(
            "position-guard",
            bool(),
            false,
            "With metadata-columns: a change never overwrites or deletes a row whose _sluice_pos is later (several"
                    + " writers into one table, an older range replayed); _sluice_pos is then the change's binlog"
                    + " position as sortable text (docs/jdbc.md).");

    public static final ConfigKey<JdbcSinkConfig.BatchForm> BATCH_FORM = ConfigKey.optional(
            "batch-form",
            enumeration(JdbcSinkConfig.BatchForm.class),
            JdbcSinkConfig.BatchForm.AUTO,
            "The statement form of a batch of upserts: values (INSERT ... VALUES (...), (...)), or, PostgreSQL only,"
                    + " unnest (INSERT ... SELECT * FROM UNNEST(?::type[], ...): one array per column); auto: unnest"
                    + " into PostgreSQL, values into the MySQL family (docs/jdbc.md).");

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "exactly once into PostgreSQL, MySQL, MariaDB or TiDB tables (upserts, the checkpoint in the target)";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(
                URL,
                USER,
                PASSWORD,
                DIALECT,
                TABLE,
                CHECKPOINT_TABLE,
                BATCH_ROWS,
                MAX_TRANSACTION_EVENTS,
                MAX_TRANSACTION_BYTES,
                DELETE_MODE,
                TRUNCATE_MODE,
                KEYLESS_MODE,
                METADATA_COLUMNS,
                POSITION_GUARD,
                BATCH_FORM);
    }

    @Override
    public JdbcSinkConfig settings(ConfigValues values) {
        DialectName d = values.get(DIALECT);
        return new JdbcSinkConfig(
                values.pipeline(),
                values.get(URL),
                values.get(USER),
                values.get(PASSWORD),
                d == DialectName.AUTO ? null : Dialect.Kind.valueOf(d.name()),
                values.get(TABLE),
                values.get(CHECKPOINT_TABLE),
                values.get(BATCH_ROWS),
                values.get(MAX_TRANSACTION_EVENTS),
                values.get(MAX_TRANSACTION_BYTES),
                values.get(DELETE_MODE),
                values.get(TRUNCATE_MODE),
                values.get(KEYLESS_MODE),
                values.get(METADATA_COLUMNS),
                values.get(POSITION_GUARD),
                values.get(BATCH_FORM));
    }

    @Override
    public Sink create(JdbcSinkConfig settings, SinkContext context) {
        return JdbcSinks.jdbc(settings, context.clock(), context.nanoTime());
    }

    /** The target reachable, the login accepted, the grants to create and write the tables there ({@link TargetCheck}). */
    @Override
    public List<SinkFinding> check(JdbcSinkConfig settings) {
        return new TargetCheck(settings).run();
    }

    @Override
    public Optional<String> checkpointElsewhere(JdbcSinkConfig settings) {
        return Optional.of("the target's table " + settings.checkpointTable() + " (row " + settings.pipeline() + ")");
    }

    /** The checkpoint in the target's checkpoint table, read in a session of its own (no generation bumped). */
    @Override
    public Optional<Checkpoint> readCheckpoint(JdbcSinkConfig settings) throws IOException {
        Dialect dialect = Dialect.of(settings.dialect());
        CheckpointTable table = new CheckpointTable(settings.pipeline(), settings.checkpointTable(), dialect);
        try (Connection c = JdbcSink.connect(settings, dialect)) {
            return table.read(c);
        } catch (SQLException e) {
            throw new IOException(
                    "cannot read the checkpoint of pipeline " + settings.pipeline() + " from " + table.qualified()
                            + " on " + settings.url() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Clears the halt recorded in the pipeline's row of the checkpoint table if it is one of {@code table}. */
    @Override
    public Optional<String> clearHalt(JdbcSinkConfig settings, String table) throws IOException {
        Dialect dialect = Dialect.of(settings.dialect());
        CheckpointTable cp = new CheckpointTable(settings.pipeline(), settings.checkpointTable(), dialect);
        try (Connection c = JdbcSink.connect(settings, dialect)) {
            String halt = cp.readHalt(c);
            String of = SchemaHalt.tableOf(halt);
            if (halt == null || (of != null && !of.equals(table))) {
                return Optional.empty();
            }
            if (!cp.clearHalt(c, halt)) {
                return Optional.empty();
            }
            return Optional.of("cleared the halt of pipeline " + settings.pipeline() + " recorded in the target's "
                    + cp.qualified() + " (" + halt + "); the next start goes on from its checkpoint");
        } catch (SQLException e) {
            throw new IOException(
                    "cannot clear the halt of pipeline " + settings.pipeline() + " in " + cp.qualified() + " on "
                            + settings.url() + ": " + e.getMessage() + "; run on the target " + cp.clearStatement(),
                    e);
        }
    }

    /**
     * Updates the pipeline's row of the checkpoint table in one transaction, only while it still holds {@code
     * expected}, bumping its generation (an instance still running is fenced at its next commit).
     */
    @Override
    public void writeCheckpoint(JdbcSinkConfig settings, Checkpoint expected, Checkpoint next) throws IOException {
        Dialect dialect = Dialect.of(settings.dialect());
        try (Connection c = JdbcSink.connect(settings, dialect)) {
            new CheckpointTable(settings.pipeline(), settings.checkpointTable(), dialect).replace(c, expected, next);
        } catch (SQLException | RuntimeException e) {
            throw JdbcErrors.classify(settings, "writing the checkpoint", e);
        }
    }
}
