/**
 * Binlog row cells to contract values: temporal formats, character sets, unsigned numbers, labels. May depend on the
 * core and {@code io.sluice.mysql.schema} (the column definitions it decodes with); not on the source.
 */
package io.sluice.mysql.decode;
