package io.sluice.core.checkpoint;

/**
 * The schema version number of one table name ({@code db.table}) and a fingerprint of the column layout that
 * version stands for. A layout change gives the next number. A name keeps its entry when its table is dropped or
 * renamed away ({@link #GONE}): a table created under the name later continues the name's sequence, so a
 * {@code (table, version)} pair always means one column set.
 */
public record TableVersion(int version, String fingerprint) {
    /** The fingerprint of a version a schema change announced whose layout no table map has shown yet. */
    public static final String PENDING = "pending";
    /** The fingerprint of a name whose table was dropped or renamed away; {@code version} was its last. */
    public static final String GONE = "gone";

    /** The name has no table now (dropped or renamed away); a new one under it takes the next number. */
    public boolean gone() {
        return GONE.equals(fingerprint);
    }
}
