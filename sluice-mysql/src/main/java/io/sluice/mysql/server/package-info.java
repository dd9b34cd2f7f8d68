/**
 * What a source server says and how it is set, for every other package of the module:
 * {@link io.sluice.mysql.server.ErrorClassifier} turns driver and network errors into
 * {@link io.sluice.core.SluiceException}s that say whether retrying can help, and
 * {@link io.sluice.mysql.server.BinlogSettings} finds the binlog settings that would stop capture, each a
 * {@link io.sluice.mysql.server.Finding} with its fix. Depends on the core and the JDBC/binlog libraries only, no
 * other package of this module.
 */
package io.sluice.mysql.server;
