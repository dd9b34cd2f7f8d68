/**
 * Snapshots ({@code op: r}): the signal table, chunked key-ordered reads of a table while the stream flows, and
 * their reconciliation with the stream and resumption after a crash ({@code docs/snapshots.md}). May depend on the
 * core, {@code io.sluice.mysql.schema} and {@code io.sluice.mysql.server}; the source drives it, not the other way.
 */
package io.sluice.mysql.snapshot;
