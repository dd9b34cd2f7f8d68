package io.sluice.core.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The schema version number of one table name ({@code db.table}) and a fingerprint of the column layout that
 * version stands for. A layout change gives the next number. A name keeps its entry when its table is dropped or
 * renamed away ({@link #GONE}): a table created under the name later continues the name's sequence, so a
 * {@code (table, version)} pair always means one column set.
 *
 * <p>{@code unannounced} is true while no {@code s} event has told this sink's consumers the version's columns (a
 * version first seen in a table map or by a snapshot, not made by a statement in the stream): the first row of the
 * version then comes after an {@code s} event, which clears it. It travels with the checkpoint, so it commits with
 * the events (exactly once); absent (false) in the JSON otherwise, and in checkpoints of older versions.
 */
public record TableVersion(
        int version,
        String fingerprint,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean unannounced) {
    /** The fingerprint of a version a schema change announced whose layout no table map has shown yet. */
    public static final String PENDING = "pending";
    /** The fingerprint of a name whose table was dropped or renamed away; {@code version} was its last. */
    public static final String GONE = "gone";

    /** A version whose {@code s} event was emitted (or that needs none). */
    public TableVersion(int version, String fingerprint) {
        this(version, fingerprint, false);
    }

    /** The name has no table now (dropped or renamed away); a new one under it takes the next number. */
    public boolean gone() {
        return GONE.equals(fingerprint);
    }

    /** This version with {@code unannounced} set as given. */
    public TableVersion unannounced(boolean value) {
        return value == unannounced ? this : new TableVersion(version, fingerprint, value);
    }
}
