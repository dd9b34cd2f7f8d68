/**
 * The binlog source: its configuration, the replication connection, transaction assembly, positions and resuming.
 * The top of the module's reading side: may depend on every package of the module except
 * {@code io.sluice.mysql.check}.
 */
package io.sluice.mysql.source;
