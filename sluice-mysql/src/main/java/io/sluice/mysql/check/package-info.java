/**
 * Pre-flight checks of a source server ({@code sluice check}). {@link io.sluice.mysql.check.ServerCheck} lists what
 * is wrong with a server's settings, the replication user's privileges and what the pipeline expects (tables,
 * server id, position, binlog filters, signal table), each a {@link io.sluice.mysql.server.Finding} with the
 * statement or my.cnf setting that fixes it. The top of the module: may depend on every other package of it; none
 * depends on it.
 */
package io.sluice.mysql.check;
