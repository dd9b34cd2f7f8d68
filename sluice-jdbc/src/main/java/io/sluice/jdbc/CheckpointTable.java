package io.sluice.jdbc;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.sink.SinkProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The pipeline's row in the target's checkpoint table, {@code sluice_checkpoint(pipeline, generation, checkpoint)}.
 *
 * <p><b>Fencing.</b> {@link #claim} bumps the row's generation in a transaction of its own and remembers the new
 * one; every {@link #save} updates the row only where the generation is still this instance's. A newer instance's
 * claim therefore makes every later save of an older one find no row: that one is fenced and stops, its open
 * transaction rolled back. A save that comes first holds the row's lock until its transaction ends, and the newer
 * claim, which reads the row for update, sees what it committed.
 */
final class CheckpointTable {
    private final String pipeline;
    private final String qualified;
    private final Dialect dialect;
    private long generation;

    CheckpointTable(String pipeline, String table, Dialect dialect) {
        this.pipeline = pipeline;
        this.dialect = dialect;
        int dot = table.indexOf('.');
        this.qualified = dot < 0
                ? dialect.quote(table)
                : dialect.quote(table.substring(0, dot)) + "." + dialect.quote(table.substring(dot + 1));
    }

    /** The checkpoint table's name, quoted. */
    String qualified() {
        return qualified;
    }

    /** This instance's generation (after {@link #claim}). */
    long generation() {
        return generation;
    }

    /**
     * Creates the checkpoint table where it is missing, and gives one made by an older Sluice its {@code halt} column
     * (its own transaction).
     */
    void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (!exists(c)) {
                st.execute(createSql());
            } else if (!hasHaltColumn(c)) {
                String alter = "ALTER TABLE " + qualified + " ADD COLUMN halt " + dialect.longTextType();
                try {
                    st.execute(alter);
                } catch (SQLException e) {
                    throw SluiceException.fatal(
                            "the checkpoint table " + qualified + " lacks the column halt (where a schema halt is"
                                    + " recorded), and the sink cannot add it (" + e.getMessage() + "): run " + alter
                                    + " on the target, or let the sink's user alter the table",
                            e);
                }
            }
        }
        c.commit();
    }

    private boolean hasHaltColumn(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT halt FROM " + qualified + " WHERE 1 = 0")) {
            return true;
        } catch (SQLException e) {
            c.rollback(); // PostgreSQL: the failed statement aborted the transaction
            return false;
        }
    }

    /**
     * Whether the checkpoint table exists (readable or not): PostgreSQL checks the right to create tables in the schema
     * before {@code IF NOT EXISTS}, so a table made by an administrator is not created again.
     */
    boolean exists(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM " + qualified + " WHERE 1 = 0")) {
            return true;
        } catch (SQLException e) {
            c.rollback();
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            // missing: PostgreSQL 42P01 (or 3F000, no such schema), the MySQL family 1146 (or 1049, no such
            // database); anything else (no right to read it) means it is there
            return !(state.equals("42P01")
                    || state.equals("3F000")
                    || e.getErrorCode() == 1146
                    || e.getErrorCode() == 1049);
        }
    }

    /** The statement creating the checkpoint table where it is missing. */
    String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + qualified + " (pipeline " + dialect.shortTextType()
                + " NOT NULL PRIMARY KEY, generation BIGINT NOT NULL, checkpoint " + dialect.longTextType() + ", halt "
                + dialect.longTextType() + ")";
    }

    /**
     * Takes the pipeline over: bumps its generation (creating its row on the first run) and returns the checkpoint
     * the row holds. Commits.
     *
     * @throws SchemaHalt when the row holds a halt not cleared yet (after the generation is bumped)
     */
    Optional<Checkpoint> claim(Connection c) throws SQLException {
        long previous = -1;
        String json = null;
        String halt = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT generation, checkpoint, halt FROM " + qualified + " WHERE pipeline = ? FOR UPDATE")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    previous = rs.getLong(1);
                    json = rs.getString(2);
                    halt = rs.getString(3);
                }
            }
        }
        if (previous < 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + qualified + " (pipeline, generation, checkpoint) VALUES (?, 1, NULL)")) {
                ps.setString(1, pipeline);
                ps.executeUpdate();
            }
            generation = 1;
        } else {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE " + qualified + " SET generation = ? WHERE pipeline = ?")) {
                ps.setLong(1, previous + 1);
                ps.setString(2, pipeline);
                ps.executeUpdate();
            }
            generation = previous + 1;
        }
        c.commit();
        if (halt != null) {
            throw new SchemaHalt("pipeline " + pipeline + " halted earlier and stays halted: " + halt + advice(halt));
        }
        return json == null ? Optional.empty() : Optional.of(parse(json));
    }

    /**
     * Replaces the pipeline's checkpoint by {@code next} ({@code sluice position set}), in one transaction, only
     * while its row still holds {@code expected}; bumps the generation as {@link #claim} does, so an instance still
     * running is fenced (its next {@link #save} finds no row) instead of overwriting the change. A recorded halt
     * stays. Commits; rolls back when the row moved.
     *
     * @throws SinkProvider.CheckpointMoved when the row holds another checkpoint than {@code expected} (or none)
     */
    void replace(Connection c, Checkpoint expected, Checkpoint next) throws SQLException, SinkProvider.CheckpointMoved {
        long previous = -1;
        String json = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT generation, checkpoint FROM " + qualified + " WHERE pipeline = ? FOR UPDATE")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    previous = rs.getLong(1);
                    json = rs.getString(2);
                }
            }
        }
        Checkpoint found = json == null ? null : parse(json);
        boolean same = found == null || expected == null
                ? found == expected
                : CheckpointCodec.toJson(found).equals(CheckpointCodec.toJson(expected));
        if (previous < 0 || !same) {
            c.rollback();
            throw new SinkProvider.CheckpointMoved(
                    "the target's table " + qualified + " (row " + pipeline + ")", found);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + qualified + " SET checkpoint = ?, generation = ? WHERE pipeline = ? AND generation = ?")) {
            ps.setString(1, json(next));
            ps.setLong(2, previous + 1);
            ps.setString(3, pipeline);
            ps.setLong(4, previous);
            ps.executeUpdate();
        }
        c.commit();
        generation = previous + 1;
    }

    /**
     * Records a schema halt in the pipeline's row, in a transaction of its own (the open one rolled back before, so
     * the checkpoint stays before the change that halted), if this instance still holds the pipeline. Commits.
     */
    void recordHalt(Connection c, String message) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE " + qualified + " SET halt = ? WHERE pipeline = ? AND generation = ?")) {
            ps.setString(1, message);
            ps.setString(2, pipeline);
            ps.setLong(3, generation);
            ps.executeUpdate();
        }
        c.commit();
    }

    /**
     * The halt recorded in the pipeline's row (null: none, or no row or table yet); reads only, and ends its
     * transaction.
     */
    String readHalt(Connection c) throws SQLException {
        if (!exists(c) || !hasHaltColumn(c)) {
            return null; // a table made before halts were recorded (or by an administrator) holds none
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT halt FROM " + qualified + " WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } finally {
            c.rollback();
        }
    }

    /**
     * The checkpoint the pipeline's row holds (empty: none yet, or no row or table), read without taking the pipeline
     * over; ends its transaction.
     */
    Optional<Checkpoint> read(Connection c) throws SQLException {
        if (!exists(c)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT checkpoint FROM " + qualified + " WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                String json = rs.next() ? rs.getString(1) : null;
                return json == null ? Optional.empty() : Optional.of(parse(json));
            }
        } finally {
            c.rollback();
        }
    }

    /**
     * Clears the halt recorded in the pipeline's row if it is {@code halt} (as {@link #readHalt} read it: one
     * recorded meanwhile stays); returns whether it was cleared. Commits.
     */
    boolean clearHalt(Connection c, String halt) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE " + qualified + " SET halt = NULL WHERE pipeline = ? AND halt = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, halt);
            int n = ps.executeUpdate();
            c.commit();
            return n == 1;
        }
    }

    /** The statement, run on the target, that clears a recorded halt of this pipeline. */
    String clearStatement() {
        return "UPDATE " + qualified + " SET halt = NULL WHERE pipeline = '" + pipeline.replace("'", "''") + "'";
    }

    /** What the message of {@code halt} ends with: that it is recorded and how to clear it. */
    String advice(String halt) {
        String table = SchemaHalt.tableOf(halt);
        return ". The halt is recorded in the target (" + qualified + ", column halt), so every start halts again"
                + " until it is cleared: once the target is made to follow (or you decide to go on without the DDL),"
                + " approve the change with sluice schema approve -c <the pipeline's file> --table "
                + (table == null ? "<db.table>" : table) + " --version <its version, as sluice schema list shows it>,"
                + " which clears the halt, or run on the target " + clearStatement() + " and start the pipeline again;"
                + " nothing is lost, the changes from the last checkpoint on are read again";
    }

    /**
     * Writes the checkpoint inside the open transaction, if this instance still holds the pipeline; throws a fatal
     * error saying another instance took over when it does not.
     */
    void save(Connection c, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + qualified + " SET checkpoint = ? WHERE pipeline = ? AND generation = ?")) {
            ps.setString(1, json(cp));
            ps.setString(2, pipeline);
            ps.setLong(3, generation);
            if (ps.executeUpdate() == 0) {
                throw fenced();
            }
        }
    }

    SluiceException fenced() {
        return SluiceException.fatal("another instance of pipeline " + pipeline + " took over its target (the row of "
                + pipeline + " in " + qualified + " has a newer generation than this instance's " + generation
                + "): this one stops, its open transaction rolled back. Run one instance of a pipeline at a time");
    }

    static String json(Checkpoint cp) {
        try {
            return new String(
                    CheckpointCodec.mapper().writeValueAsBytes(CheckpointCodec.toJson(cp)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise checkpoint " + cp, e);
        }
    }

    private Checkpoint parse(String json) {
        try {
            return CheckpointCodec.fromJson(CheckpointCodec.mapper().readTree(json));
        } catch (IOException | RuntimeException e) {
            throw SluiceException.fatal(
                    "the checkpoint of pipeline " + pipeline + " in " + qualified + " cannot be read (" + e.getMessage()
                            + "); fix or delete its row to start over",
                    e);
        }
    }
}
