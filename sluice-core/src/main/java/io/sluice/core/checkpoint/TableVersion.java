package io.sluice.core.checkpoint;

/**
 * The schema version number of one table ({@code db.table}) and a fingerprint of the column layout that
 * version stands for. A layout change gives the next number.
 */
public record TableVersion(int version, String fingerprint) {
}
