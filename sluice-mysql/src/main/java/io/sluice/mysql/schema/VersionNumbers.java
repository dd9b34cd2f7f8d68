package io.sluice.mysql.schema;

import io.sluice.core.checkpoint.TableVersion;
import java.util.HashMap;
import java.util.Map;

/**
 * The version number of each table name and the layout it stands for ({@link TableVersion}), as every checkpoint
 * carries them: a number whose layout no TABLE_MAP has shown yet is {@link TableVersion#PENDING}, a name whose table
 * went away {@link TableVersion#GONE}. {@link SchemaTracker} decides when a number moves; this class keeps the
 * sequence rules. The map is replaced, never changed, so a checkpoint takes it as it is.
 */
final class VersionNumbers {
    private Map<String, TableVersion> numbers = Map.of();

    /**
     * Whether versions no statement made are marked to be announced ({@code encoding.announce-schemas}); off, no
     * entry is ever marked, so checkpoints stay as they were without the option.
     */
    private boolean announce;

    /** Marks versions no statement made to be announced (or not: the default). */
    void announce(boolean on) {
        this.announce = on;
    }

    /** The numbers now, for a checkpoint (immutable). */
    Map<String, TableVersion> all() {
        return numbers;
    }

    /** The name's entry, or null when it never had a table. */
    TableVersion get(String qn) {
        return numbers.get(qn);
    }

    /** The numbers at a start position: the history's, for names the checkpoint does not know (its own win). */
    void start(Map<String, TableVersion> fromHistory, Map<String, TableVersion> fromCheckpoint) {
        Map<String, TableVersion> merged = new HashMap<>(fromHistory);
        merged.putAll(fromCheckpoint);
        if (!announce) {
            merged.replaceAll((qn, v) -> v.unannounced(false));
        }
        numbers = Map.copyOf(merged);
    }

    /**
     * Starts the next version of a name whose layout the next TABLE_MAP will show (after the name's last number,
     * also when its table was dropped or renamed away).
     */
    int next(String qn) {
        TableVersion v = numbers.get(qn);
        TableVersion next = new TableVersion(v == null ? 1 : v.version() + 1, TableVersion.PENDING);
        put(qn, next);
        return next.version();
    }

    /** The name's current number where it has a table, else the next one (a table appears under it). */
    int currentOrNext(String qn) {
        TableVersion v = numbers.get(qn);
        return v == null || v.gone() ? next(qn) : v.version();
    }

    /**
     * A renamed table continues its sequence under the new name; where that name had a table before (dropped or
     * renamed away), past that one's numbers, so a {@code (table, version)} pair never means two column sets. The
     * old name keeps its number, for a table created under it later.
     */
    void move(String from, String to) {
        TableVersion v = numbers.get(from);
        if (v == null || v.gone() || from.equals(to)) {
            return;
        }
        Map<String, TableVersion> copy = new HashMap<>(numbers);
        copy.put(from, new TableVersion(v.version(), TableVersion.GONE));
        TableVersion old = copy.get(to);
        copy.put(
                to,
                old == null || old.version() < v.version()
                        ? v
                        : new TableVersion(old.version() + 1, v.fingerprint(), v.unannounced()));
        numbers = Map.copyOf(copy);
    }

    /** The name's table went away: it keeps its last number, for a table created under it later. */
    void gone(String qn, int last) {
        put(qn, new TableVersion(last, TableVersion.GONE));
    }

    /**
     * The number for a TABLE_MAP's layout ({@code fingerprint}): the current one when the layout is the current
     * version's (or {@code replay}: read before and counted then), a version announced without a layout adopts it,
     * else the next number.
     *
     * @return the number, and how the layout relates to the numbering
     */
    Adopted adopt(String qn, String fingerprint, boolean replay) {
        TableVersion v = numbers.get(qn);
        if (v != null && (v.fingerprint().equals(fingerprint) || replay)) {
            return new Adopted(v.version(), Mapping.SAME);
        }
        if (v != null && v.fingerprint().equals(TableVersion.PENDING)) {
            // the layout a schema event announced (or a snapshot numbered, still to be announced then)
            put(qn, new TableVersion(v.version(), fingerprint, v.unannounced()));
            return new Adopted(v.version(), Mapping.ANNOUNCED);
        }
        // first seen here: no statement in the stream made it, so an s event comes before its first row
        TableVersion next = new TableVersion(v == null ? 1 : v.version() + 1, fingerprint, announce);
        put(qn, next);
        return new Adopted(next.version(), Mapping.NEW);
    }

    /**
     * Marks the name's current version as announced ({@code false}) or to be announced before its first row
     * ({@code true}); nothing for a name without a table.
     */
    void unannounced(String qn, boolean value) {
        TableVersion v = numbers.get(qn);
        if (value && !announce) {
            return;
        }
        if (v != null && !v.gone() && v.unannounced() != value) {
            put(qn, v.unannounced(value));
        }
    }

    private void put(String qn, TableVersion v) {
        Map<String, TableVersion> copy = new HashMap<>(numbers);
        copy.put(qn, v);
        numbers = Map.copyOf(copy);
    }

    /** How a TABLE_MAP's layout relates to the numbering. */
    enum Mapping {
        /** The layout of the table's current version. */
        SAME,
        /** The first layout of a version a DDL statement announced. */
        ANNOUNCED,
        /** A new version counted at this TABLE_MAP (first sight of the table, or a change no DDL announced). */
        NEW
    }

    /** A TABLE_MAP's number and how its layout relates to the numbering. */
    record Adopted(int version, Mapping mapping) {}
}
