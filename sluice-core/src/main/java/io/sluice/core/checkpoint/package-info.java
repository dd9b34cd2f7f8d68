/**
 * Source positions (binlog file and position, GTID sets, server identity) and the checkpoints sinks commit together
 * with their data, with their one codec. Depends on the core root only: the bottom of the core.
 */
package io.sluice.core.checkpoint;
