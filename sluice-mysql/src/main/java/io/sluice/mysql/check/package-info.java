/**
 * Pre-flight checks of a source server and plain-language errors. {@link io.sluice.mysql.check.ServerCheck} lists
 * what is wrong with a server's binlog settings and the replication user's privileges, each with the statement or
 * my.cnf setting that fixes it; {@link io.sluice.mysql.check.ErrorClassifier} turns driver and network errors into
 * {@link io.sluice.core.SluiceException}s that say whether retrying can help.
 */
package io.sluice.mysql.check;
